/**
 * Structured logging for operators: pino JSON lines on stderr, or a readable one-line format in
 * development mode.
 * @module
 */
import { Writable } from "node:stream";
import { pino, type Logger as PinoLogger } from "pino";
import type { Logger } from "./types.js";

/** Log levels accepted by `--log-level`. */
export const LOG_LEVELS = ["trace", "debug", "info", "warn", "error", "fatal", "silent"] as const;
/** One of {@link LOG_LEVELS}. */
export type LogLevel = (typeof LOG_LEVELS)[number];

/** Options of {@link createLogger}. */
export interface LoggerOptions {
  /** Minimum level. Default: `"debug"` in development mode, else `"info"`. */
  level?: LogLevel;
  /** Readable `time LEVEL msg key=value` lines instead of JSON. Default: false. */
  development?: boolean;
  /** Where lines go. Default: process.stderr. */
  destination?: NodeJS.WritableStream;
  /** Bindings on every line (e.g. `{ name: "manager" }`). Default: none. */
  bindings?: Record<string, unknown>;
}

/**
 * Creates the runtime's logger. JSON lines carry `level` as a label, `time` as ISO-8601 and the
 * bindings of child loggers (`controller`, `namespace`, `name`, `reconcileID`).
 */
export function createLogger(opts: LoggerOptions = {}): Logger {
  const development = opts.development ?? false;
  const level = opts.level ?? (development ? "debug" : "info");
  const out = opts.destination ?? process.stderr;
  const dest = development ? readableStream(out) : out;
  const p = pino(
    {
      level,
      base: opts.bindings ?? null,
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
    },
    dest,
  );
  return wrap(p);
}

/** A logger that drops everything (tests, libraries). */
export const silentLogger: Logger = {
  debug() {},
  info() {},
  warn() {},
  error() {},
  child() {
    return silentLogger;
  },
};

function wrap(p: PinoLogger): Logger {
  const call = (fn: "debug" | "info" | "warn" | "error", obj: object | string, msg?: string): void => {
    if (typeof obj === "string") p[fn](obj);
    else if (obj instanceof Error) p[fn]({ err: obj }, msg ?? obj.message);
    else p[fn](obj, msg);
  };
  return {
    debug: (o, m) => call("debug", o, m),
    info: (o, m) => call("info", o, m),
    warn: (o, m) => call("warn", o, m),
    error: (o, m) => call("error", o, m),
    child: (bindings) => wrap(p.child(bindings)),
  };
}

const HIDDEN = new Set(["level", "time", "msg", "pid", "hostname"]);

/** Turns pino's JSON lines into `12:00:00.123 INFO  message key=value ...`. */
export function formatDevelopmentLine(json: string): string {
  let rec: Record<string, unknown>;
  try {
    rec = JSON.parse(json) as Record<string, unknown>;
  } catch {
    return json;
  }
  const time = typeof rec.time === "string" ? rec.time.slice(11, 23) : "";
  const level = String(rec.level ?? "").toUpperCase().padEnd(5);
  const parts = [time, level, String(rec.msg ?? "")];
  for (const [k, v] of Object.entries(rec)) {
    if (HIDDEN.has(k) || v === undefined) continue;
    if (k === "err" && v && typeof v === "object" && "stack" in v) {
      parts.push(`\n${String((v as { stack: unknown }).stack)}`);
      continue;
    }
    parts.push(`${k}=${typeof v === "string" ? v : JSON.stringify(v)}`);
  }
  return parts.filter((s) => s !== "").join(" ");
}

function readableStream(out: NodeJS.WritableStream): Writable {
  let pending = "";
  return new Writable({
    write(chunk: Buffer | string, _enc, cb) {
      pending += chunk.toString();
      let nl = pending.indexOf("\n");
      while (nl >= 0) {
        out.write(formatDevelopmentLine(pending.slice(0, nl)) + "\n");
        pending = pending.slice(nl + 1);
        nl = pending.indexOf("\n");
      }
      cb();
    },
  });
}
