import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { build } from "esbuild";
import { describe, expect, it } from "vitest";
import { repoRoot } from "../cli/built-cli.js";
import { abortAfter } from "../../src/runtime/internal/abort.js";

// abortAfter replaces AbortSignal.any([signal, AbortSignal.timeout(ms)]), which on Node 20 never
// aborts once a GC collected the timeout signal (the RBAC self-check then never ran).

/** Runs `body` in a fresh `node --expose-gc` with abortAfter imported (bundled from the source). */
async function inFreshNode(body: string): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), "tsop-abort-"));
  try {
    await build({ entryPoints: [join(repoRoot, "src/runtime/internal/abort.ts")], bundle: true, platform: "node", format: "esm", outfile: join(dir, "abort.mjs"), logLevel: "error" });
    const script = `import { abortAfter } from ${JSON.stringify(pathToFileURL(join(dir, "abort.mjs")).href)};\n${body}`;
    const r = spawnSync(process.execPath, ["--expose-gc", "--input-type=module", "-e", script], { encoding: "utf8", timeout: 20_000 });
    expect(r.stderr).toBe("");
    return r.stdout.trim();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe("abortAfter", () => {
  it("aborts after ms even when a GC runs while nothing but a listener holds the signal", async () => {
    // The same steps with AbortSignal.any([signal, AbortSignal.timeout(500)]) print "false" on Node 20.20.
    const out = await inFreshNode(`
      let fired = false;
      (() => { abortAfter(new AbortController().signal, 500).signal.addEventListener("abort", () => { fired = true; }, { once: true }); })();
      setTimeout(() => { gc(); gc(); }, 50);
      setTimeout(() => console.log(String(fired)), 1500);
    `);
    expect(out).toBe("true");
  });

  it("aborts with the outer signal's reason, at once when it already has", () => {
    const outer = new AbortController();
    const a = abortAfter(outer.signal, 60_000);
    outer.abort(new Error("stop"));
    expect(a.signal.aborted).toBe(true);
    expect((a.signal.reason as Error).message).toBe("stop");
    a.cancel();
    const b = abortAfter(outer.signal, 60_000);
    expect((b.signal.reason as Error).message).toBe("stop");
    b.cancel();
  });

  it("does not abort after cancel", async () => {
    const a = abortAfter(new AbortController().signal, 20);
    a.cancel();
    await new Promise((r) => setTimeout(r, 60));
    expect(a.signal.aborted).toBe(false);
  });
});
