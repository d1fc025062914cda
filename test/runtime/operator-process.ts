// Runs test/runtime/fixtures/fault-operator.ts as child processes (not a test file): bundled once
// with esbuild next to node_modules, each process's stdout events and stderr JSON logs collected.
import { spawn, type ChildProcess } from "node:child_process";
import { mkdirSync, rmSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";

const root = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
const outfile = join(root, "node_modules", ".cache", "tsop-test", `fault-operator-${process.pid}.mjs`);
let bundled: Promise<void> | undefined;

/** Bundles the fixture operator once per test process. */
export function bundleOperator(): Promise<void> {
  bundled ??= (async () => {
    mkdirSync(dirname(outfile), { recursive: true });
    await build({ entryPoints: [join(root, "test/runtime/fixtures/fault-operator.ts")], bundle: true, platform: "node", format: "esm", target: "node20", packages: "external", outfile, logLevel: "error" });
  })();
  return bundled;
}

/** Removes this test process's bundle. */
export function removeBundle(): void {
  rmSync(outfile, { force: true });
}

/** One reconcile boundary or lifecycle mark printed by the fixture. */
export interface OperatorEvent { ev: "start" | "end" | "ready" | "exit"; key?: string; t: number; pid: number }
/** One stderr JSON log line. */
export interface LogLine { level: string; msg: string; time: string; [k: string]: unknown }

/** A running fixture operator. */
export class OperatorProcess {
  readonly child: ChildProcess;
  readonly events: OperatorEvent[] = [];
  readonly logs: LogLine[] = [];
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  private stderrTail = "";

  constructor(args: string[], env: Record<string, string>) {
    this.child = spawn(process.execPath, [outfile, ...args], { env: { ...process.env, ...env }, stdio: ["ignore", "pipe", "pipe"] });
    lines(this.child.stdout as NodeJS.ReadableStream, (l) => {
      try { this.events.push(JSON.parse(l) as OperatorEvent); } catch { /* not ours */ }
    });
    lines(this.child.stderr as NodeJS.ReadableStream, (l) => {
      this.stderrTail = (this.stderrTail + l + "\n").slice(-4000);
      try { this.logs.push(JSON.parse(l) as LogLine); } catch { /* plain text */ }
    });
    this.exited = new Promise((resolve) => this.child.on("exit", (code, signal) => resolve({ code, signal })));
  }

  get pid(): number {
    return this.child.pid ?? 0;
  }

  /** Time (ms since epoch) of the first log line whose message is `msg`, if any. */
  logTime(msg: string): number | undefined {
    const l = this.logs.find((x) => x.msg === msg);
    return l ? Date.parse(l.time) : undefined;
  }

  /** The last stderr output, for failure messages. */
  tail(): string {
    return this.stderrTail;
  }

  kill(signal: NodeJS.Signals): void {
    this.child.kill(signal);
  }
}

function lines(stream: NodeJS.ReadableStream, onLine: (l: string) => void): void {
  let buf = "";
  stream.on("data", (c: Buffer) => {
    buf += c.toString();
    let i = buf.indexOf("\n");
    while (i >= 0) {
      onLine(buf.slice(0, i));
      buf = buf.slice(i + 1);
      i = buf.indexOf("\n");
    }
  });
}

/**
 * Checks that no key was reconciled by two workers at once, across every process: returns the
 * overlapping pairs (empty when none). A start without an end (a killed process) counts as running
 * until the process died at `deathTimes[pid]`.
 */
export function overlaps(all: OperatorEvent[], deathTimes: Record<number, number> = {}): string[] {
  const open = new Map<string, OperatorEvent>();
  const spans: { key: string; from: number; to: number; pid: number }[] = [];
  for (const e of all) {
    if (!e.key) continue;
    const id = `${e.pid}|${e.key}`;
    if (e.ev === "start") {
      if (open.has(id)) spans.push({ key: e.key, from: e.t, to: e.t, pid: -1 }); // nested in one process
      open.set(id, e);
    } else if (e.ev === "end") {
      const s = open.get(id);
      open.delete(id);
      if (s) spans.push({ key: e.key, from: s.t, to: e.t, pid: e.pid });
    }
  }
  for (const s of open.values()) spans.push({ key: s.key as string, from: s.t, to: deathTimes[s.pid] ?? Number.MAX_SAFE_INTEGER, pid: s.pid });
  const byKey = new Map<string, typeof spans>();
  for (const s of spans) byKey.set(s.key, [...(byKey.get(s.key) ?? []), s]);
  const bad: string[] = [];
  for (const [key, list] of byKey) {
    list.sort((a, b) => a.from - b.from);
    for (let i = 1; i < list.length; i++) {
      const prev = list[i - 1] as (typeof spans)[number];
      const cur = list[i] as (typeof spans)[number];
      if (cur.pid === -1 || cur.from < prev.to) bad.push(`${key}: [${prev.from},${prev.to}] pid ${prev.pid} and [${cur.from},${cur.to}] pid ${cur.pid}`);
    }
  }
  return bad;
}
