// Shared helpers of the manager/operations tests (not a test file).
import type { Logger } from "../../src/runtime/log/types.js";

/** A logger that keeps every line for assertions. */
export function recordingLogger(): Logger & { lines: { level: string; msg: string; obj: Record<string, unknown> }[] } {
  const lines: { level: string; msg: string; obj: Record<string, unknown> }[] = [];
  const make = (bindings: Record<string, unknown>): Logger => {
    const at = (level: string) => (obj: object | string, msg?: string): void => {
      if (typeof obj === "string") lines.push({ level, msg: obj, obj: { ...bindings } });
      else lines.push({ level, msg: msg ?? "", obj: { ...bindings, ...(obj as Record<string, unknown>) } });
    };
    return { debug: at("debug"), info: at("info"), warn: at("warn"), error: at("error"), child: (b) => make({ ...bindings, ...b }) };
  };
  return Object.assign(make({}), { lines });
}

/** Polls `cond` every 50 ms until it holds; throws naming `what` after `timeoutMs`. Returns the ms waited. */
export async function waitUntil(cond: () => boolean | Promise<boolean>, what: string, timeoutMs = 30_000): Promise<number> {
  const t0 = Date.now();
  for (;;) {
    try {
      if (await cond()) return Date.now() - t0;
    } catch {
      // not yet
    }
    if (Date.now() - t0 > timeoutMs) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** GET a URL; returns status and body, or status 0 when the connection fails. */
export async function probe(url: string, headers: Record<string, string> = {}): Promise<{ status: number; body: string }> {
  try {
    const res = await fetch(url, { headers });
    return { status: res.status, body: await res.text() };
  } catch {
    return { status: 0, body: "" };
  }
}
