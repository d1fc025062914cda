import { Writable } from "node:stream";
import { describe, expect, it } from "vitest";
import { createLogger, formatDevelopmentLine } from "../../src/runtime/log/log.js";

function sink(): { stream: Writable; lines: () => string[] } {
  const chunks: string[] = [];
  const stream = new Writable({ write(c: Buffer, _e, cb) { chunks.push(c.toString()); cb(); } });
  return { stream, lines: () => chunks.join("").split("\n").filter((l) => l !== "") };
}

describe("createLogger", () => {
  it("writes JSON lines with level labels and child bindings", async () => {
    const out = sink();
    const log = createLogger({ destination: out.stream });
    log.child({ controller: "memcached" }).child({ namespace: "ns", name: "a", reconcileID: "r1" }).info({ attempt: 2 }, "reconciling");
    log.debug("hidden at info level");
    await new Promise((r) => setImmediate(r));
    const lines = out.lines();
    expect(lines).toHaveLength(1);
    const rec = JSON.parse(lines[0] as string) as Record<string, unknown>;
    expect(rec).toMatchObject({ level: "info", msg: "reconciling", controller: "memcached", namespace: "ns", name: "a", reconcileID: "r1", attempt: 2 });
    expect(typeof rec.time).toBe("string");
  });

  it("writes what pino writes for the same calls (bindings, fields, errors with causes, circular values)", async () => {
    const { pino } = await import("pino");
    const ours = sink();
    const theirs = sink();
    const log = createLogger({ destination: ours.stream, level: "debug" });
    const ref = pino({ level: "debug", base: null, timestamp: false, formatters: { level: (label) => ({ level: label }) } }, theirs.stream);
    const cause = Object.assign(new Error("socket hang up"), { code: "ECONNRESET" });
    const err = Object.assign(new Error("list failed", { cause }), { status: 503, detail: undefined });
    const circular: Record<string, unknown> = { a: 1 };
    circular.self = circular;
    for (const [l, p] of [[log, ref], [log.child({ controller: "c", n: 1 }), ref.child({ controller: "c", n: 1 })]] as const) {
      l.info("just a message");
      p.info("just a message");
      l.warn({ kind: "Memcached", skipped: undefined, nested: { x: [1, "y"] } }, "with fields");
      p.warn({ kind: "Memcached", skipped: undefined, nested: { x: [1, "y"] } }, "with fields");
      l.error({ err, attempt: 2 }, "failed");
      p.error({ err, attempt: 2 }, "failed");
      l.error(err);
      p.error({ err }, err.message);
      l.debug({ circular }, "odd value");
      p.debug({ circular }, "odd value");
    }
    await new Promise((r) => setImmediate(r));
    // pino's own line has no time here (timestamp: false); ours always has one, right after the level.
    const withoutTime = ours.lines().map((line) => line.replace(/,"time":"[^"]+"/, ""));
    expect(withoutTime).toEqual(theirs.lines());
    expect(ours.lines()[0]).toMatch(/^\{"level":"info","time":"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z","msg":"just a message"\}$/);
  });

  it("honours the level", async () => {
    const out = sink();
    const log = createLogger({ destination: out.stream, level: "warn" });
    log.info("no");
    log.warn("yes");
    log.error(new Error("boom"));
    await new Promise((r) => setImmediate(r));
    expect(out.lines().map((l) => (JSON.parse(l) as { msg: string }).msg)).toEqual(["yes", "boom"]);
  });

  it("prints readable lines in development mode, at debug level", async () => {
    const out = sink();
    const log = createLogger({ destination: out.stream, development: true });
    log.child({ controller: "memcached" }).debug({ name: "a" }, "reconciled");
    await new Promise((r) => setImmediate(r));
    expect(out.lines()).toHaveLength(1);
    expect(out.lines()[0]).toMatch(/^\d\d:\d\d:\d\d\.\d{3} DEBUG reconciled controller=memcached name=a$/);
  });

  it("formats a raw JSON line and passes other text through", () => {
    expect(formatDevelopmentLine('{"level":"warn","time":"2026-01-01T10:11:12.345Z","msg":"m","n":1,"o":{"a":1}}'))
      .toBe('10:11:12.345 WARN  m n=1 o={"a":1}');
    expect(formatDevelopmentLine("not json")).toBe("not json");
  });
});
