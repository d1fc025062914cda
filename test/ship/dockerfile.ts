// Reads a Dockerfile and a .dockerignore the way Docker does, so tests can check an image's build
// logic without a container engine: which files enter the build context, and the steps of each stage.
import { readdirSync, statSync } from "node:fs";
import * as path from "node:path";

/** One .dockerignore rule: a path pattern, and whether `!` re-admits what it matches. */
interface IgnoreRule {
  negate: boolean;
  source: string;
  re: RegExp;
}

/** Go's filepath.Match syntax plus `**` (any number of directories), anchored, as Docker matches. */
function patternRegExp(pattern: string): RegExp {
  let re = "";
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i]!;
    if (c === "*" && pattern[i + 1] === "*") {
      i++;
      if (pattern[i + 1] === "/") {
        i++;
        re += "(?:.*/)?";
      } else re += ".*";
    } else if (c === "*") re += "[^/]*";
    else if (c === "?") re += "[^/]";
    else if (c === "[") {
      const end = pattern.indexOf("]", i + 1);
      if (end < 0) throw new Error(`.dockerignore: unterminated [ in ${pattern}`);
      re += "[" + pattern.slice(i + 1, end) + "]";
      i = end;
    } else if (c === "\\") re += "\\" + pattern[++i]!;
    else re += c.replace(/[.+^${}()|\\]/g, "\\$&");
  }
  return new RegExp(`^${re}$`);
}

/** Cleans a pattern like Go's filepath.Clean and drops a leading `/`. */
function cleanPattern(p: string): string {
  return path.posix.normalize(p).replace(/^\/+/, "").replace(/\/+$/, "") || ".";
}

/** The rules of a .dockerignore text, in order (the last rule that matches a path wins). */
export function parseDockerignore(text: string): IgnoreRule[] {
  const rules: IgnoreRule[] = [];
  for (const raw of text.split("\n")) {
    const line = raw.trim();
    if (line === "" || line.startsWith("#")) continue;
    const negate = line.startsWith("!");
    const source = cleanPattern(negate ? line.slice(1).trim() : line);
    rules.push({ negate, source, re: patternRegExp(source) });
  }
  return rules;
}

/** Whether Docker leaves `rel` (a `/`-separated path in the context) out of the build context. */
export function isIgnored(rules: readonly IgnoreRule[], rel: string): boolean {
  const parents: string[] = [];
  const parts = rel.split("/");
  for (let i = 1; i <= parts.length; i++) parents.push(parts.slice(0, i).join("/"));
  let ignored = false;
  for (const r of rules) {
    // A rule matches a path when it matches the path itself or one of its parent directories.
    if (parents.some((p) => r.re.test(p))) ignored = !r.negate;
  }
  return ignored;
}

/** Whether a re-admitting rule could match something under directory `dir`, so Docker must walk it. */
function mayReadmitUnder(rules: readonly IgnoreRule[], dir: string): boolean {
  return rules.some((r) => {
    if (!r.negate) return false;
    const literal = r.source.split(/[*?[\\]/)[0]!;
    return literal === "" || literal.startsWith(dir + "/") || (dir + "/").startsWith(literal) || literal === dir;
  });
}

/** Every file of `root` the .dockerignore rules admit into the build context, sorted. */
export function contextFiles(root: string, rules: readonly IgnoreRule[]): string[] {
  const out: string[] = [];
  const walk = (rel: string): void => {
    for (const name of readdirSync(path.join(root, rel))) {
      const child = rel === "" ? name : `${rel}/${name}`;
      const st = statSync(path.join(root, child));
      if (st.isDirectory()) {
        if (!isIgnored(rules, child) || mayReadmitUnder(rules, child)) walk(child);
      } else if (!isIgnored(rules, child)) out.push(child);
    }
  };
  walk("");
  return out.sort();
}

/** One instruction of a Dockerfile. */
export interface Instruction {
  op: string;
  /** The arguments: the JSON array form, or the shell form as one string. */
  args: string[];
  /** `--name=value` flags (COPY --from, --chown, ...). */
  flags: Record<string, string>;
  line: number;
}

/** A build stage: its base image, its name (`AS x`), and its instructions after FROM. */
export interface Stage {
  from: string;
  name?: string;
  steps: Instruction[];
}

/** The stages of a Dockerfile (continuation lines joined, comments dropped). */
export function parseDockerfile(text: string): Stage[] {
  const stages: Stage[] = [];
  const lines = text.split("\n");
  for (let i = 0; i < lines.length; i++) {
    const start = i;
    let line = lines[i]!;
    if (/^\s*(#|$)/.test(line)) continue;
    while (/\\\s*$/.test(line) && i + 1 < lines.length) line = line.replace(/\\\s*$/, " ") + lines[++i]!.trim();
    const m = /^\s*(\w+)\s+(.*)$/.exec(line);
    if (!m) throw new Error(`Dockerfile:${start + 1}: cannot parse ${JSON.stringify(line)}`);
    const op = m[1]!.toUpperCase();
    let rest = m[2]!.trim();
    const flags: Record<string, string> = {};
    for (let f = /^--([\w-]+)=(\S+)\s+/.exec(rest); f; f = /^--([\w-]+)=(\S+)\s+/.exec(rest)) {
      flags[f[1]!] = f[2]!;
      rest = rest.slice(f[0].length);
    }
    const args = rest.startsWith("[") ? (JSON.parse(rest) as string[]) : op === "RUN" || op === "CMD" || op === "ENTRYPOINT" ? [rest] : rest.split(/\s+/);
    if (op === "FROM") {
      const [image, as, name] = args;
      stages.push({ from: image!, ...(as?.toUpperCase() === "AS" && name ? { name } : {}), steps: [] });
      continue;
    }
    const stage = stages.at(-1);
    if (!stage) throw new Error(`Dockerfile:${start + 1}: ${op} before FROM`);
    stage.steps.push({ op, args, flags, line: start + 1 });
  }
  return stages;
}
