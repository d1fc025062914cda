// exitOnFatalError: an operator's start-up mistakes end the process with one line and exit 1.
import { spawnSync } from "node:child_process";
import * as path from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const runtime = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../dist/runtime/index.js");

function runModule(body: string): { code: number | null; stderr: string } {
  const src = `import { exitOnFatalError, parseManagerFlags } from ${JSON.stringify(runtime)};\nexitOnFatalError();\n${body}`;
  const r = spawnSync(process.execPath, ["--input-type=module", "-e", src], { encoding: "utf8" });
  return { code: r.status, stderr: r.stderr };
}

describe("exitOnFatalError", () => {
  it("prints a mistyped flag as one line and exits 1", () => {
    const r = runModule(`await Promise.resolve();\nparseManagerFlags(["--metrics-bind-adress=:8080"]);`);
    expect(r.code).toBe(1);
    const lines = r.stderr.trim().split("\n");
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^error: .*--metrics-bind-adress.*did you mean --metrics-bind-address\?/);
  });

  it("prints other errors with their stack and exits 1", () => {
    const r = runModule(`await Promise.resolve();\nthrow new TypeError("boom");`);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^TypeError: boom\n\s+at /);
  });
});
