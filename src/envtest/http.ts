/**
 * A minimal HTTP(S) client for talking to the local control plane with the admin client certificate.
 * @module
 */
import http from "node:http";
import https from "node:https";

/** TLS material for an HTTPS request. */
export interface TlsMaterial {
  /** PEM CA certificate that signed the server's certificate. */
  ca: string;
  /** PEM client certificate. */
  cert: string;
  /** PEM private key of the client certificate. */
  key: string;
}

/** One request. */
export interface HttpRequest {
  method?: string;
  url: string;
  tls?: TlsMaterial;
  /** Skip verification of the server's certificate (health probes of self-signed endpoints). Default: false. */
  insecure?: boolean;
  body?: string;
  contentType?: string;
  /** Default: 10000. */
  timeoutMs?: number;
}

/** Status code and body text of a response. */
export interface HttpResponse {
  status: number;
  body: string;
}

/** Sends one request and reads the whole response. Rejects on network errors and timeouts only. */
export function httpRequest(req: HttpRequest): Promise<HttpResponse> {
  const url = new URL(req.url);
  const mod = url.protocol === "https:" ? https : http;
  const headers: Record<string, string> = { Accept: "application/json" };
  if (req.body !== undefined) {
    headers["Content-Type"] = req.contentType ?? "application/json";
    headers["Content-Length"] = String(Buffer.byteLength(req.body));
  }
  return new Promise((resolve, reject) => {
    const r = mod.request(
      url,
      {
        method: req.method ?? "GET",
        headers,
        agent: false,
        ...(req.tls ? { ca: req.tls.ca, cert: req.tls.cert, key: req.tls.key } : {}),
        ...(req.insecure ? { rejectUnauthorized: false } : {}),
        timeout: req.timeoutMs ?? 10_000,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("end", () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString("utf8") }));
        res.on("error", reject);
      },
    );
    r.on("timeout", () => r.destroy(new Error(`timeout after ${req.timeoutMs ?? 10_000} ms: ${req.method ?? "GET"} ${req.url}`)));
    r.on("error", reject);
    r.end(req.body);
  });
}

/** Sleeps for `ms` milliseconds. */
export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Thrown by {@link pollUntil} when `abort()` gave a reason (e.g. the process being waited for died). */
export class WaitAbortedError extends Error {
  override readonly name = "WaitAbortedError";
}

/**
 * Polls `probe` every `intervalMs` until it returns true; throws `describe()` when `timeoutMs` passes
 * or `abort()` returns a reason (e.g. the process died).
 */
export async function pollUntil(
  probe: () => Promise<boolean>,
  opts: { timeoutMs: number; intervalMs?: number; what: string; abort?: () => string | undefined },
): Promise<void> {
  const deadline = Date.now() + opts.timeoutMs;
  let lastError = "";
  for (;;) {
    const reason = opts.abort?.();
    if (reason) throw new WaitAbortedError(`${opts.what}: ${reason}`);
    try {
      if (await probe()) return;
    } catch (e) {
      lastError = e instanceof Error ? e.message : String(e);
    }
    if (Date.now() > deadline) {
      throw new Error(`${opts.what}: not ready after ${opts.timeoutMs} ms${lastError ? ` (last error: ${lastError})` : ""}`);
    }
    await sleep(opts.intervalMs ?? 100);
  }
}
