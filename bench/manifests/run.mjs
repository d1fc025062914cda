#!/usr/bin/env node
// bench/manifests: times `tsop manifests` against controller-gen on equivalent generated projects
// with N kinds (N = 1, 10, 50). Median of RUNS runs each (wall and CPU = user + sys, which a busy
// shared machine distorts less), peak RSS from /usr/bin/time.
// Usage: node bench/manifests/run.mjs [--controller-gen PATH] [--runs 5] [--sizes 1,10,50]
// Needs a built tsop (npm run build) and controller-gen (GOBIN=/tmp/x go install
// sigs.k8s.io/controller-tools/cmd/controller-gen@v0.23.0).
import { execFileSync, spawnSync } from "node:child_process";
import { cpSync, mkdirSync, rmSync, symlinkSync, writeFileSync, existsSync, readFileSync } from "node:fs";
import { loadavg, tmpdir } from "node:os";
import { join, dirname } from "node:path";
import { fileURLToPath } from "node:url";
import { generateGo, generateTs } from "./generate.mjs";

const repo = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
const argv = process.argv.slice(2);
const opt = (n, d) => { const i = argv.indexOf(n); return i >= 0 ? argv[i + 1] : d; };
const controllerGen = opt("--controller-gen", process.env.CONTROLLER_GEN ?? "controller-gen");
const runs = Number(opt("--runs", "5"));
const sizes = opt("--sizes", "1,10,50").split(",").map(Number);
const work = join(tmpdir(), "tsop-bench-manifests");
rmSync(work, { recursive: true, force: true });
mkdirSync(work, { recursive: true });
// A private build of tsop, so builds in the shared checkout cannot change it mid-run.
const pkg = join(work, "tsop");
mkdirSync(pkg, { recursive: true });
cpSync(join(repo, "bin"), join(pkg, "bin"), { recursive: true });
cpSync(join(repo, "package.json"), join(pkg, "package.json"));
symlinkSync(join(repo, "node_modules"), join(pkg, "node_modules"));
spawnSync(join(repo, "node_modules", ".bin", "tsc"), ["-p", join(repo, "tsconfig.build.json"), "--outDir", join(pkg, "dist")], { stdio: "inherit" });
if (!existsSync(join(pkg, "dist", "manifests", "index.js"))) throw new Error("building tsop failed");
const tsopBin = join(pkg, "bin", "tsop.js");
// tsop's V8 code cache of TypeScript/ts-morph (src/schema/program.ts: node_modules/.cache/tsop/v8 beside its dist).
const codeCache = join(pkg, "node_modules", ".cache", "tsop", "v8");

/** Runs a command under /usr/bin/time; returns wall seconds, CPU seconds (user + sys) and peak RSS in MiB. */
function timed(cmd, args, cwd, env = {}) {
  const r = spawnSync("/usr/bin/time", ["-f", "%e %M %U %S", cmd, ...args], { cwd, env: { ...process.env, ...env }, encoding: "utf8" });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(" ")} failed in ${cwd}:\n${r.stdout}\n${r.stderr}`);
  const last = r.stderr.trim().split("\n").pop();
  const [wall, kb, user, sys] = last.split(" ").map(Number);
  return { wall, cpu: user + sys, rss: kb / 1024 };
}
const median = (xs) => { const s = [...xs].sort((a, b) => a - b); return s[Math.floor(s.length / 2)]; };
const summary = (xs) => ({ wall: median(xs.map((o) => o.wall)), cpu: median(xs.map((o) => o.cpu)), rss: Math.max(...xs.map((o) => o.rss)) });

/** Runs the commands interleaved (so a busy shared machine slows all of them alike). */
function interleaved(cg, first, cold, warm, incr) {
  cg(); cold(); warm(); // warm-up: OS file cache, Go build cache, tsop's V8 code cache and content cache
  const out = { cg: [], first: [], cold: [], warm: [], incr: [] };
  for (let i = 0; i < runs; i++) { out.cg.push(cg()); out.first.push(first()); out.cold.push(cold()); out.warm.push(warm()); out.incr.push(incr(i)); }
  return Object.fromEntries(Object.entries(out).map(([k, xs]) => [k, summary(xs)]));
}

const loadNow = () => loadavg().map((x) => x.toFixed(1)).join("/");
const loadStart = loadNow();
const cgVersion = execFileSync(controllerGen, ["--version"], { encoding: "utf8" }).trim();
const results = [];
for (const n of sizes) {
  const tsDir = join(work, `ts-${n}`);
  const goDir = join(work, `go-${n}`);
  generateTs(tsDir, n, repo);
  generateGo(goDir, n);
  execFileSync("go", ["mod", "tidy"], { cwd: goDir, stdio: "ignore", env: { ...process.env, GOFLAGS: "-mod=mod" } });
  const cacheDir = join(tmpdir(), "tsop-cache");
  const edited = join(tsDir, "src", "api", "bench", "v1", "widget000.ts");
  const original = readFileSync(edited, "utf8");
  const { cg, first, cold, warm, incr } = interleaved(
    () => timed(controllerGen, ["rbac:roleName=manager-role", "crd", "paths=./...", "output:crd:artifacts:config=config/crd/bases"], goDir),
    // The very first run after installing tsop: no content cache and no V8 code cache of the compiler.
    () => { rmSync(cacheDir, { recursive: true, force: true }); rmSync(codeCache, { recursive: true, force: true }); return timed("node", [tsopBin, "manifests"], tsDir); },
    () => { rmSync(cacheDir, { recursive: true, force: true }); return timed("node", [tsopBin, "manifests"], tsDir); },
    () => timed("node", [tsopBin, "manifests"], tsDir),
    (i) => { writeFileSync(edited, original.replace("@maximum 10", `@maximum ${11 + i}`)); return timed("node", [tsopBin, "manifests"], tsDir); },
  );
  const crds = readFileSync(join(tsDir, "config", "rbac", "role.yaml"), "utf8").length > 0;
  results.push({ n, cg, first, cold, warm, incr, crds });
  console.log(`N=${n}: controller-gen ${cg.wall}s (cpu ${cg.cpu.toFixed(2)}s) | tsop cold ${cold.wall}s (cpu ${cold.cpu.toFixed(2)}s, ${(cold.wall / cg.wall).toFixed(2)}x wall, ${(cold.cpu / cg.cpu).toFixed(2)}x cpu) | warm ${warm.wall}s (${(warm.wall / cg.wall).toFixed(2)}x) | one kind edited ${incr.wall}s (${(incr.wall / cg.wall).toFixed(2)}x)`);
}
const table = [
  `Measured ${new Date().toISOString().slice(0, 10)} on this machine (2 shared cores, Node ${process.versions.node}), controller-gen ${cgVersion.replace(/^Version:\s*/, "")}, median of ${runs} interleaved runs after one warm-up (wall, CPU = user + sys), peak RSS over the runs, load average ${loadStart} at the start and ${loadNow()} at the end.`,
  "",
  "| kinds | controller-gen: wall, CPU, RSS | tsop cold (no content cache) | ratio wall / CPU | first run (no V8 code cache either) | ratio wall / CPU | tsop warm (unchanged) | ratio | tsop, one kind edited | ratio |",
  "|---|---|---|---|---|---|---|---|---|---|",
  ...results.map((r) => `| ${r.n} | ${r.cg.wall.toFixed(2)} s, ${r.cg.cpu.toFixed(2)} s, ${r.cg.rss.toFixed(0)} MiB | ${r.cold.wall.toFixed(2)} s, ${r.cold.cpu.toFixed(2)} s, ${r.cold.rss.toFixed(0)} MiB | ${(r.cold.wall / r.cg.wall).toFixed(2)}x / ${(r.cold.cpu / r.cg.cpu).toFixed(2)}x | ${r.first.wall.toFixed(2)} s, ${r.first.cpu.toFixed(2)} s | ${(r.first.wall / r.cg.wall).toFixed(2)}x / ${(r.first.cpu / r.cg.cpu).toFixed(2)}x | ${r.warm.wall.toFixed(2)} s, ${r.warm.cpu.toFixed(2)} s | ${(r.warm.wall / r.cg.wall).toFixed(2)}x | ${r.incr.wall.toFixed(2)} s, ${r.incr.cpu.toFixed(2)} s | ${(r.incr.wall / r.cg.wall).toFixed(2)}x |`),
].join("\n");
writeFileSync(join(work, "results.md"), table + "\n");
console.log("\n" + table);
