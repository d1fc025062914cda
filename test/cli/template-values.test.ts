import { spawnSync } from "node:child_process";
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { ts } from "ts-morph";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { escapeMarkdown, escapeTsComment } from "../../src/scaffold/render.js";
import { buildTsop, linkProjectDeps, repoRoot, runTsop } from "./built-cli.js";

// Values a user types that land in generated files are escaped for their target or refused: a
// crafted --owner (and the names an external CRD brings) must not inject code. The generated
// project still type-checks, and the owner stays inside the license comment of every .ts file.

const OWNER = "*/ process.exit(1); /* \"dq\" 'sq' `bt` ${process.exit(2)} {{owner}} <b>x</b> a\\b #1 [l](u)";

const CRD = `apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata: {name: widgets.ext.example.org}
spec:
  group: ext.example.org
  scope: Namespaced
  names: {kind: Widget, plural: widgets, singular: widget, listKind: WidgetList}
  versions:
  - name: v1
    served: true
    storage: true
    schema:
      openAPIV3Schema:
        type: object
        description: "*/ process.exit(3) /* \`x\` \${y}"
        properties:
          spec:
            type: object
            properties:
              "a*/b": {type: string, description: "ends */ here"}
              "x-y": {type: string, enum: ["a\\"b", "*/", "\${z}"]}
`;

async function tsFiles(dir: string, rel = ""): Promise<string[]> {
  const out: string[] = [];
  for (const e of await readdir(path.join(dir, rel), { withFileTypes: true })) {
    const r = rel ? `${rel}/${e.name}` : e.name;
    if (e.isDirectory() && e.name !== "node_modules") out.push(...(await tsFiles(dir, r)));
    else if (e.isFile() && r.endsWith(".ts")) out.push(r);
  }
  return out;
}

/** Every identifier and keyword of a file (comments and string contents excluded). */
function codeTokens(text: string): string[] {
  const scanner = ts.createScanner(ts.ScriptTarget.Latest, true, ts.LanguageVariant.Standard, text);
  const out: string[] = [];
  for (let t = scanner.scan(); t !== ts.SyntaxKind.EndOfFileToken; t = scanner.scan()) {
    if (t === ts.SyntaxKind.Identifier || (t >= ts.SyntaxKind.FirstKeyword && t <= ts.SyntaxKind.LastKeyword)) out.push(scanner.getTokenText());
  }
  return out;
}

describe("escaping per target", () => {
  it.each(["*/", "a */ b", "**/**", "*/*/", "/* */"])("a TypeScript block comment cannot be ended by %j", (v) => {
    const text = `/* ${escapeTsComment(v)} */ x;`;
    const ranges = ts.getLeadingCommentRanges(text, 0) ?? [];
    expect(ranges).toHaveLength(1);
    expect(text.slice(ranges[0]!.end)).toBe(" x;");
  });
  it("escapes Markdown markup and HTML", () => {
    expect(escapeMarkdown("<script>*a*_b_`c`[d](e)#")).toBe("\\<script\\>\\*a\\*\\_b\\_\\`c\\`\\[d\\]\\(e\\)\\#");
    expect(escapeMarkdown("The Memcached Authors")).toBe("The Memcached Authors");
  });
});

describe("a crafted --owner and external CRD through the built CLI", () => {
  let tmp: string;
  let dir: string;
  beforeAll(async () => {
    await buildTsop();
    tmp = await mkdtemp(path.join(tmpdir(), "tsop-values-"));
    dir = path.join(tmp, "p");
    await mkdir(dir);
    const init = runTsop(dir, ["init", "--domain", "example.com", "--project-name", "op", "--owner", OWNER]);
    expect(init.code, init.stderr).toBe(0);
    await writeFile(path.join(dir, "crd.yaml"), CRD);
    for (const args of [
      ["create", "api", "--group", "cache", "--version", "v1alpha1", "--kind", "Memcached"],
      ["create", "api", "--external", "--from-crd", "crd.yaml"],
      ["create", "webhook", "--group", "cache", "--version", "v1alpha1", "--kind", "Memcached", "--defaulting"],
    ]) {
      const r = runTsop(dir, args);
      expect(r.code, r.stderr).toBe(0);
    }
    await linkProjectDeps(dir);
  });
  afterAll(async () => {
    if (tmp) await rm(tmp, { recursive: true, force: true });
  });

  it("keeps the owner inside the license comment of every TypeScript file", async () => {
    const files = await tsFiles(dir);
    expect(files.length).toBeGreaterThanOrEqual(8);
    for (const f of files) {
      const text = await readFile(path.join(dir, f), "utf8");
      const tokens = codeTokens(text);
      expect(tokens, f).not.toContain("exit");
      if (f.startsWith("src/api/ext.example.org/")) continue; // generated from the CRD, no license header
      const ranges = ts.getLeadingCommentRanges(text, 0) ?? [];
      expect(text.slice(ranges[0]!.pos, ranges[0]!.end), f).toContain("{{owner}}");
    }
  });

  it("writes the owner as text in README.md", async () => {
    expect(await readFile(path.join(dir, "README.md"), "utf8")).toContain("\\<b\\>x\\</b\\> a\\\\b \\#1 \\[l\\]\\(u\\)");
  });

  it("type-checks", () => {
    const r = spawnSync(process.execPath, [path.join(repoRoot, "node_modules/typescript/bin/tsc"), "-p", "tsconfig.json", "--noEmit"], { cwd: dir, encoding: "utf8" });
    expect(r.status, `${r.stdout}\n${r.stderr}`).toBe(0);
  });
});
