#!/usr/bin/env node
// bench/manifests/floor.mjs: the compiler's share of a cold `tsop manifests`, with no tsop code: Node
// start, TypeScript + ts-morph loaded through tsop's V8 code cache (with the flags tsop sets), parse of
// the API files, then binding and the checker resolving every member type of every interface. Prints
// CPU milliseconds per step. Usage (after `npm run build` and one `tsop manifests` run, which writes
// the code cache): node bench/manifests/floor.mjs <dir with the API .ts files>
import { readdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const repo = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
const cpu = () => { const u = process.cpuUsage(); return (u.user + u.system) / 1000; };
const out = [`node start ${cpu().toFixed(0)}`];
let c = cpu();
const lap = (n) => { const x = cpu(); out.push(`${n} ${(x - c).toFixed(0)}`); c = x; };
const { tuneForShortRun, requireTsMorph } = await import(join(repo, "dist", "schema", "code-cache.js"));
tuneForShortRun();
const { ts } = requireTsMorph(join(repo, "node_modules", ".cache", "tsop", "v8"));
lap("ts+ts-morph load");
const dir = process.argv[2];
const files = readdirSync(dir).filter((f) => f.endsWith(".ts")).map((f) => join(dir, f));
const options = { noLib: true, types: [], noResolve: true, skipLibCheck: true, strict: true, target: ts.ScriptTarget.ES2022 };
const program = ts.createProgram(files, options, ts.createCompilerHost(options));
lap(`parse (${files.length} files)`);
const checker = program.getTypeChecker();
let n = 0;
for (const sf of program.getSourceFiles()) {
  ts.forEachChild(sf, (node) => {
    if (!ts.isInterfaceDeclaration(node)) return;
    for (const m of node.members) if (m.type) { checker.getTypeAtLocation(m.type); n++; }
  });
}
lap(`bind+check (${n} member types)`);
console.log(out.join(" | ") + ` | total ${cpu().toFixed(0)} (CPU ms)`);
