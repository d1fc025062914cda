/**
 * Reads the CRDs of a previous release for `tsop manifests --check-compat <from>`: a directory (every
 * .yaml/.yml below it), a YAML file (e.g. dist/install.yaml, several documents) or a git ref (its
 * config/crd/bases). Only CustomResourceDefinitions are kept. @module
 */
import { execFileSync } from "node:child_process";
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import * as path from "node:path";
import { parseAllDocuments } from "yaml";
import { UserError } from "../errors.js";

/** A CRD as plain data. */
export type CrdDoc = Record<string, unknown>;

function crdsIn(text: string, where: string): CrdDoc[] {
  const out: CrdDoc[] = [];
  for (const d of parseAllDocuments(text)) {
    if (d.errors.length) {
      const e = d.errors[0]!;
      const [line, col] = e.linePos?.[0] ? [e.linePos[0].line, e.linePos[0].col] : [1, 1];
      throw new UserError("compat-source", `${where}:${line}:${col}: not valid YAML: ${e.message.split("\n")[0]}`, { hint: "pass the CRDs of the previous release (a directory, a YAML file or a git ref)" });
    }
    const v = d.toJS() as CrdDoc | null;
    if (v && v.kind === "CustomResourceDefinition") out.push(v);
  }
  return out;
}

function yamlFiles(dir: string): string[] {
  return readdirSync(dir).sort().flatMap((n) => {
    const p = path.join(dir, n);
    if (statSync(p).isDirectory()) return yamlFiles(p);
    return /\.ya?ml$/.test(n) ? [p] : [];
  });
}

const git = (root: string, args: string[]): string => execFileSync("git", ["-C", root, ...args], { encoding: "utf8", stdio: ["ignore", "pipe", "ignore"], maxBuffer: 64 * 1024 * 1024 });

/** The previous CRDs from `from` (resolved against the project root); a UserError when there are none. */
export function readPreviousCrds(root: string, from: string): { crds: CrdDoc[]; described: string } {
  const p = path.resolve(root, from);
  let crds: CrdDoc[];
  let described: string;
  if (existsSync(p) && statSync(p).isDirectory()) {
    crds = yamlFiles(p).flatMap((f) => crdsIn(readFileSync(f, "utf8"), path.relative(root, f) || f));
    described = `directory ${from}`;
  } else if (existsSync(p)) {
    crds = crdsIn(readFileSync(p, "utf8"), from);
    described = `file ${from}`;
  } else {
    try {
      git(root, ["rev-parse", "--verify", "--quiet", `${from}^{commit}`]);
    } catch {
      throw new UserError("compat-source", `--check-compat ${from}: not a directory, a file or a git ref of this repository`, { hint: "pass e.g. v1.2.0, HEAD~1, a release's dist/install.yaml or a directory of CRDs" });
    }
    const files = git(root, ["ls-tree", "-r", "--name-only", from, "--", "config/crd/bases"]).split("\n").filter((f) => /\.ya?ml$/.test(f));
    crds = files.flatMap((f) => crdsIn(git(root, ["show", `${from}:${f}`]), `${from}:${f}`));
    described = `git ref ${from}`;
  }
  if (crds.length === 0) throw new UserError("compat-source", `--check-compat ${from}: no CustomResourceDefinition found there`, { hint: "point at the CRDs of the previous release (config/crd/bases at a git ref, dist/install.yaml, or a directory)" });
  return { crds, described };
}
