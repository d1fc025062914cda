/**
 * Structured logging for operators: JSON lines on stderr (pino's shape: `level` label, ISO `time`,
 * bindings, fields, `msg`; errors under `err` as `{type, message, stack, ...}`), or a readable
 * one-line format in development mode. Written here rather than with pino: an operator logs a few
 * lines per reconcile, and pino's modules (with its worker-thread transports) cost more startup and
 * memory than the whole logger needs.
 * @module
 */
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

type Method = "debug" | "info" | "warn" | "error";
/** pino's level numbers. */
const RANK: Record<LogLevel, number> = { trace: 10, debug: 20, info: 30, warn: 40, error: 50, fatal: 60, silent: Infinity };

/**
 * Creates the runtime's logger. JSON lines carry `level` as a label, `time` as ISO-8601 and the
 * bindings of child loggers (`controller`, `namespace`, `name`, `reconcileID`).
 */
export function createLogger(opts: LoggerOptions = {}): Logger {
  const development = opts.development ?? false;
  const min = RANK[opts.level ?? (development ? "debug" : "info")];
  const out = opts.destination ?? process.stderr;
  const write = development ? (line: string): void => void out.write(`${formatDevelopmentLine(line)}\n`) : (line: string): void => void out.write(`${line}\n`);
  return jsonLogger(min, write, fieldsText(opts.bindings ?? {}));
}

/**
 * A logger writing one JSON object per line. `bound` is the child bindings already serialized
 * (`,"k":v,...`), so a line costs one stringify of its own fields.
 */
function jsonLogger(min: number, write: (line: string) => void, bound: string): Logger {
  const log = (level: Method, obj: object | string, msg?: string): void => {
    if (RANK[level] < min) return;
    let fields = "";
    let message = msg;
    if (typeof obj === "string") message = obj;
    else if (obj instanceof Error) {
      fields = fieldsText({ err: obj });
      message ??= obj.message;
    } else fields = fieldsText(obj as Record<string, unknown>);
    const tail = message === undefined ? "" : `,"msg":${JSON.stringify(message)}`;
    write(`{"level":"${level}","time":"${new Date().toISOString()}"${bound}${fields}${tail}}`);
  };
  return {
    debug: (o, m) => log("debug", o, m),
    info: (o, m) => log("info", o, m),
    warn: (o, m) => log("warn", o, m),
    error: (o, m) => log("error", o, m),
    child: (bindings) => jsonLogger(min, write, bound + fieldsText(bindings)),
  };
}

/** `,"k":v` for each field whose value serializes (undefined and functions are left out, as JSON does). */
function fieldsText(fields: Record<string, unknown>): string {
  let out = "";
  for (const k of Object.keys(fields)) {
    const v = k === "err" ? serializeError(fields[k]) : fields[k];
    const json = stringify(v);
    if (json !== undefined) out += `,${JSON.stringify(k)}:${json}`;
  }
  return out;
}

/** JSON.stringify that never throws: circular references become "[Circular]", BigInts strings. */
function stringify(v: unknown): string | undefined {
  try {
    return JSON.stringify(v);
  } catch {
    const seen = new WeakSet<object>();
    return JSON.stringify(v, (_k, x: unknown) => {
      if (typeof x === "bigint") return x.toString();
      if (x !== null && typeof x === "object") {
        if (seen.has(x)) return "[Circular]";
        seen.add(x);
      }
      return x;
    });
  }
}

interface ErrorLike { message: string; stack?: string; cause?: unknown; errors?: unknown; constructor?: unknown; name?: string }
const isErrorLike = (e: unknown): e is ErrorLike => !!e && typeof (e as { message?: unknown }).message === "string";

/**
 * pino's `err` serializer: `{type, message, stack, ...enumerable fields}`, the causes' messages
 * appended to `message` (": ") and their stacks to `stack` ("caused by: "); AggregateError's
 * errors as `aggregateErrors`. Anything not error-like is left as it is.
 */
function serializeError(err: unknown, seen = new Set<unknown>()): unknown {
  if (!isErrorLike(err) || seen.has(err)) return err;
  seen.add(err);
  const out: Record<string, unknown> = {
    type: typeof err.constructor === "function" ? (err.constructor as { name: string }).name : err.name,
    message: causes(err).map((e) => e.message).filter((m) => m !== "").join(": "),
    stack: causes(err).map((e) => e.stack ?? "").join("\ncaused by: "),
  };
  if (Array.isArray(err.errors)) out.aggregateErrors = err.errors.map((e) => serializeError(e, seen));
  for (const key in err) {
    if (out[key] !== undefined || key === "cause") continue;
    const v = (err as unknown as Record<string, unknown>)[key];
    out[key] = isErrorLike(v) ? serializeError(v, seen) : v;
  }
  return out;
}

/** The error and its chain of causes (no repeats). */
function causes(err: ErrorLike): ErrorLike[] {
  const chain: ErrorLike[] = [];
  for (let e: unknown = err; isErrorLike(e) && !chain.includes(e); e = e.cause) chain.push(e);
  return chain;
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

const HIDDEN = new Set(["level", "time", "msg", "pid", "hostname"]);

/** Turns a JSON log line into `12:00:00.123 INFO  message key=value ...`. */
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
