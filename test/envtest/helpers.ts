/**
 * Test helpers: plain HTTPS requests and watches with the admin client certificate of an Environment.
 * @module
 */
import { spawn, type ChildProcessByStdio } from "node:child_process";
import https from "node:https";
import { createInterface } from "node:readline";
import type { Readable } from "node:stream";
import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import { basename, join } from "node:path";
import type { StartedEnvironment } from "../../src/envtest/index.js";

/** A decoded JSON response. */
export interface KubeResponse<T = Record<string, unknown>> {
  status: number;
  body: T;
}

/** One request to the apiserver; the body is JSON unless `contentType` says otherwise. */
export function kube<T = Record<string, unknown>>(
  env: StartedEnvironment,
  method: string,
  path: string,
  body?: unknown,
  contentType = "application/json",
): Promise<KubeResponse<T>> {
  const data = body === undefined ? undefined : typeof body === "string" ? body : JSON.stringify(body);
  return new Promise((resolve, reject) => {
    const req = https.request(
      `${env.server}${path}`,
      {
        method,
        ca: env.tls.ca,
        cert: env.tls.cert,
        key: env.tls.key,
        agent: false,
        headers: { Accept: "application/json", ...(data !== undefined ? { "Content-Type": contentType } : {}) },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("end", () => {
          const text = Buffer.concat(chunks).toString();
          resolve({ status: res.statusCode ?? 0, body: (text ? JSON.parse(text) : {}) as T });
        });
      },
    );
    req.on("error", reject);
    req.end(data);
  });
}

/** A watch event as the apiserver streams it. */
export interface WatchEvent {
  type: string;
  object: { metadata?: { name?: string; resourceVersion?: string }; code?: number; reason?: string };
}

/** Opens a watch and collects its events; `close()` ends it. */
export function watch(env: StartedEnvironment, path: string): { events: WatchEvent[]; ended: Promise<void>; close: () => void } {
  const events: WatchEvent[] = [];
  let close = (): void => {};
  const ended = new Promise<void>((resolve, reject) => {
    const req = https.get(`${env.server}${path}`, { ca: env.tls.ca, cert: env.tls.cert, key: env.tls.key, agent: false }, (res) => {
      let buf = "";
      res.on("data", (c: Buffer) => {
        buf += c.toString();
        let i;
        while ((i = buf.indexOf("\n")) >= 0) {
          const line = buf.slice(0, i).trim();
          buf = buf.slice(i + 1);
          if (line) events.push(JSON.parse(line) as WatchEvent);
        }
      });
      res.on("end", () => resolve());
      res.on("error", () => resolve());
    });
    req.on("error", (e) => ((e as NodeJS.ErrnoException).code === "ECONNRESET" ? resolve() : reject(e)));
    close = () => req.destroy();
  });
  return { events, ended, close };
}

/** Polls `fn` every 100 ms until it returns true or `timeoutMs` passes; returns the last result. */
export async function eventually(fn: () => Promise<boolean> | boolean, timeoutMs = 30_000): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await fn()) return true;
    if (Date.now() > deadline) return false;
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Pids of processes whose command line mentions `needle` (e.g. an Environment's temp dir). */
export function pidsMentioning(needle: string): number[] {
  const out: number[] = [];
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry) || Number(entry) === process.pid) continue;
    try {
      const cmd = readFileSync(`/proc/${entry}/cmdline`, "utf8");
      const stat = readFileSync(`/proc/${entry}/stat`, "utf8");
      // Zombies ("Z") have exited; their parent just has not reaped them yet.
      if (cmd.includes(needle) && !/\) Z /.test(stat)) out.push(Number(entry));
    } catch {
      // exited meanwhile
    }
  }
  return out;
}

/** A unique lowercase name for test objects. */
export function uniqueName(prefix: string): string {
  return `${prefix}-${Math.random().toString(36).slice(2, 8)}`;
}

/**
 * Bundles a TypeScript entry (and the tsop sources it imports) into one ESM file with esbuild, so a
 * child `node` process can run it without a build step. Returns the bundle's path.
 */
export async function bundleForNode(entry: string, outDir: string): Promise<string> {
  const { build } = await import("esbuild");
  const outfile = join(outDir, `${basename(entry, ".ts")}.mjs`);
  await build({ entryPoints: [entry], outfile, bundle: true, platform: "node", format: "esm", target: "node20", packages: "external", logLevel: "error" });
  return outfile;
}

/** Bundles the CLI (src/cli/main.ts) and returns a runner script path: `node <runner> args...`. */
export async function cliRunner(workDir: string): Promise<string> {
  const root = join(import.meta.dirname, "..", "..");
  const cli = await bundleForNode(join(root, "src", "cli", "main.ts"), join(root, "node_modules", ".cache", "tsop-test"));
  const runner = join(workDir, "run-cli.mjs");
  writeFileSync(runner, `import { main } from ${JSON.stringify(cli)};\nprocess.exitCode = await main(process.argv.slice(2));\n`);
  return runner;
}

/** A foreground `tsop envtest start` (or any command that prints one line once ready). */
export interface ForegroundProcess {
  child: ChildProcessByStdio<null, Readable, Readable>;
  /** The first line it printed on stdout. */
  line: string;
  /** Resolves with the exit code. */
  exited: Promise<number | null>;
  /** Everything it wrote on stderr so far. */
  stderr: () => string;
}

/** Runs `node args...` and waits for its first stdout line; rejects (with its stderr) if it exits first. */
export async function startForeground(args: string[], env?: NodeJS.ProcessEnv): Promise<ForegroundProcess> {
  const child = spawn(process.execPath, args, { stdio: ["ignore", "pipe", "pipe"], ...(env ? { env } : {}) });
  let stderr = "";
  child.stderr.on("data", (c: Buffer) => (stderr += c.toString()));
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  const line = await new Promise<string>((resolve, reject) => {
    createInterface({ input: child.stdout }).once("line", resolve);
    child.once("exit", (code) => reject(new Error(`${args.slice(1).join(" ")} exited with ${code}: ${stderr}`)));
  });
  return { child, line, exited, stderr: () => stderr };
}
