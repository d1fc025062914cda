// Runs many tsop CLI invocations in one node process (spawning one per case costs ~0.3 s): for each
// case it copies a base directory, applies the case's file edits, runs dist/cli/main.js's `main`
// (what bin/tsop.js runs) with the working directory and environment of the case, and reports the
// exit code, the output and every path the command changed.
// Usage: node batch.mjs cases.json results.json
import { createHash } from "node:crypto";
import { cpSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import * as path from "node:path";

const [casesFile, resultsFile] = process.argv.slice(2);
const { dist, cases } = JSON.parse(readFileSync(casesFile, "utf8"));
const { main } = await import(path.join(dist, "cli/main.js"));

/** path -> sha1 of every file and directory under `dir` (symlinks not followed). */
function snapshot(dir, rel = "", out = new Map()) {
  for (const e of readdirSync(path.join(dir, rel), { withFileTypes: true })) {
    const r = rel ? `${rel}/${e.name}` : e.name;
    if (e.isDirectory()) {
      out.set(r + "/", "");
      snapshot(dir, r, out);
    } else if (e.isFile()) out.set(r, createHash("sha1").update(readFileSync(path.join(dir, r))).digest("hex"));
    else out.set(r, e.isSymbolicLink() ? "link" : "other");
  }
  return out;
}

function changed(a, b) {
  const out = [];
  for (const [k, v] of b) if (a.get(k) !== v) out.push(k);
  for (const k of a.keys()) if (!b.has(k)) out.push(`-${k}`);
  return out.sort();
}

const origOut = process.stdout.write.bind(process.stdout);
const origErr = process.stderr.write.bind(process.stderr);
const results = [];
for (const c of cases) {
  rmSync(c.dir, { recursive: true, force: true });
  if (c.base) cpSync(c.base, c.dir, { recursive: true });
  else mkdirSync(c.dir, { recursive: true });
  for (const [rel, content] of Object.entries(c.files ?? {})) {
    const p = path.join(c.dir, rel);
    if (content === null) rmSync(p, { recursive: true, force: true });
    else if (typeof content === "object" && content.dir) mkdirSync(p, { recursive: true });
    else {
      mkdirSync(path.dirname(p), { recursive: true });
      rmSync(p, { recursive: true, force: true });
      writeFileSync(p, content);
    }
  }
  const before = snapshot(c.dir);
  let stdout = "";
  let stderr = "";
  process.stdout.write = (chunk) => ((stdout += String(chunk)), true);
  process.stderr.write = (chunk) => ((stderr += String(chunk)), true);
  const savedEnv = { ...process.env };
  Object.assign(process.env, c.env ?? {});
  const cwd = process.cwd();
  process.chdir(path.join(c.dir, c.cwd ?? ""));
  if (c.removeCwd) rmSync(c.dir, { recursive: true, force: true });
  let code;
  try {
    code = await main(c.args);
  } catch (err) {
    code = 99;
    stderr += `batch: main threw: ${err?.stack ?? err}`;
  } finally {
    process.chdir(cwd);
    for (const k of Object.keys(process.env)) if (!(k in savedEnv)) delete process.env[k];
    Object.assign(process.env, savedEnv);
    process.stdout.write = origOut;
    process.stderr.write = origErr;
  }
  results.push({ id: c.id, code, stdout, stderr, changed: c.removeCwd ? [] : changed(before, snapshot(c.dir)) });
}
writeFileSync(resultsFile, JSON.stringify(results));
process.exit(0);
