import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { ApiError, isNotFound } from "../../src/runtime/client/errors.js";
import type { ClusterConfig } from "../../src/runtime/client/kubeconfig.js";
import { RestClient } from "../../src/runtime/client/rest.js";
import { parseWatchStream } from "../../src/runtime/client/watch.js";

type Handler = (req: IncomingMessage, res: ServerResponse) => void;
const servers: { close(): void }[] = [];
afterEach(() => {
  for (const s of servers.splice(0)) s.close();
});

/** A tiny local HTTP server standing in for network behaviour (pure transport logic only). */
async function serve(handler: Handler): Promise<ClusterConfig> {
  const server = createServer(handler);
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  servers.push({ close: () => server.close() });
  const port = (server.address() as AddressInfo).port;
  return { server: `http://127.0.0.1:${port}`, insecureSkipTLSVerify: false, namespace: "default", contextName: "t", credentials: async () => ({ headers: { authorization: "Bearer t0k" } }), invalidateCredentials: () => {} };
}

function metricsRecorder(): { calls: string[]; sink: { inc(n: string, l: Record<string, string>): void; set(): void; observe(): void } } {
  const calls: string[] = [];
  return { calls, sink: { inc: (n, l) => calls.push(`${n}{code=${l.code},method=${l.method}}`), set() {}, observe() {} } };
}

describe("RestClient", () => {
  it("retries a 429 after its Retry-After, counting each response", async () => {
    let n = 0;
    const seen: string[] = [];
    const cfg = await serve((req, res) => {
      seen.push(`${req.method} ${req.url} ${req.headers.authorization}`);
      if (++n < 3) {
        res.writeHead(429, { "retry-after": "0", "content-type": "application/json" });
        res.end(JSON.stringify({ kind: "Status", code: 429, reason: "TooManyRequests", message: "slow down" }));
        return;
      }
      res.writeHead(200, { "content-type": "application/json" });
      res.end(JSON.stringify({ ok: true }));
    });
    const m = metricsRecorder();
    const rest = new RestClient(cfg, { metrics: m.sink, qps: 0 });
    await expect(rest.request({ method: "GET", path: "/api/v1/pods", query: { limit: 5, continue: undefined } })).resolves.toEqual({ ok: true });
    expect(seen).toEqual(Array(3).fill("GET /api/v1/pods?limit=5 Bearer t0k"));
    expect(m.calls).toEqual(["rest_client_requests_total{code=429,method=GET}", "rest_client_requests_total{code=429,method=GET}", "rest_client_requests_total{code=200,method=GET}"]);
    rest.close();
  });

  it("gives up after maxRetries and throws an ApiError from the Status body", async () => {
    let n = 0;
    const cfg = await serve((_req, res) => {
      n++;
      res.writeHead(429, { "retry-after": "0" });
      res.end(JSON.stringify({ kind: "Status", code: 429, reason: "TooManyRequests", message: "slow down" }));
    });
    const rest = new RestClient(cfg, { maxRetries: 2, qps: 0 });
    const err = await rest.request({ method: "GET", path: "/x" }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApiError);
    expect((err as ApiError).code).toBe(429);
    expect((err as ApiError).reason).toBe("TooManyRequests");
    expect(n).toBe(3);
    rest.close();
  });

  it("maps a 404 Status to isNotFound and sends JSON bodies with the given content type", async () => {
    let body = "";
    let ctype = "";
    const cfg = await serve((req, res) => {
      ctype = String(req.headers["content-type"]);
      req.on("data", (c: Buffer) => (body += c.toString()));
      req.on("end", () => {
        res.writeHead(404, { "content-type": "application/json" });
        res.end(JSON.stringify({ kind: "Status", code: 404, reason: "NotFound", message: 'configmaps "x" not found' }));
      });
    });
    const rest = new RestClient(cfg);
    const err = await rest.request({ method: "PATCH", path: "/api/v1/namespaces/d/configmaps/x", body: { data: { a: "1" } }, contentType: "application/merge-patch+json" }).catch((e: unknown) => e);
    expect(isNotFound(err)).toBe(true);
    expect((err as Error).message).toContain('configmaps "x" not found');
    expect(body).toBe('{"data":{"a":"1"}}');
    expect(ctype).toBe("application/merge-patch+json");
    rest.close();
  });

  it("reports a refused connection as ApiError code 0", async () => {
    const rest = new RestClient({ server: "http://127.0.0.1:1", insecureSkipTLSVerify: false, namespace: "d", contextName: "t", credentials: async () => ({ headers: {} }), invalidateCredentials() {} });
    const err = await rest.request({ method: "GET", path: "/x" }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApiError);
    expect((err as ApiError).code).toBe(0);
    rest.close();
  });

  it("streams watch events split across chunks, and stops when aborted", async () => {
    let query = "";
    const cfg = await serve((req, res) => {
      query = req.url ?? "";
      res.writeHead(200, { "content-type": "application/json" });
      const lines = [
        { type: "ADDED", object: { metadata: { name: "a", resourceVersion: "5" } } },
        { type: "BOOKMARK", object: { metadata: { resourceVersion: "7" } } },
        { type: "MODIFIED", object: { metadata: { name: "ü", resourceVersion: "8" } } },
      ].map((l) => JSON.stringify(l) + "\n").join("");
      const buf = Buffer.from(lines);
      // Split in the middle of a multi-byte character and of a line.
      const cut = buf.indexOf(Buffer.from("ü")) + 1;
      res.write(buf.subarray(0, cut));
      setTimeout(() => res.write(buf.subarray(cut)), 20);
      // never ends: the client aborts
    });
    const rest = new RestClient(cfg);
    const ac = new AbortController();
    const got: string[] = [];
    for await (const ev of rest.watch("/api/v1/configmaps", { resourceVersion: "3", allowWatchBookmarks: true }, ac.signal)) {
      if (ev.type === "ERROR") throw new Error("unexpected ERROR event");
      got.push(`${ev.type}:${ev.object.metadata?.name ?? ""}:${ev.object.metadata?.resourceVersion}`);
      if (got.length === 3) ac.abort();
    }
    expect(got).toEqual(["ADDED:a:5", "BOOKMARK::7", "MODIFIED:ü:8"]);
    expect(query).toBe("/api/v1/configmaps?resourceVersion=3&allowWatchBookmarks=true&watch=true");
    rest.close();
  });

  it("ends a watch that stays silent past watchIdleTimeoutMs (a half-open connection)", async () => {
    let opened = 0;
    const cfg = await serve((_req, res) => {
      opened++;
      res.writeHead(200, { "content-type": "application/json" });
      res.write(JSON.stringify({ type: "ADDED", object: { metadata: { name: "a" } } }) + "\n");
      // then silence, never closing
    });
    const rest = new RestClient(cfg, { watchIdleTimeoutMs: 150 });
    const got: string[] = [];
    let onOpen = 0;
    for await (const ev of rest.watch("/api/v1/configmaps", {}, undefined, { onOpen: () => onOpen++ })) got.push(ev.type);
    expect(got).toEqual(["ADDED"]);
    expect([opened, onOpen]).toEqual([1, 1]);
    rest.close();
  });

  it("throws a 410 when the watch cannot be opened with an expired resourceVersion", async () => {
    const cfg = await serve((_req, res) => {
      res.writeHead(410, { "content-type": "application/json" });
      res.end(JSON.stringify({ kind: "Status", code: 410, reason: "Expired", message: "too old resource version" }));
    });
    const rest = new RestClient(cfg);
    const it = rest.watch("/api/v1/pods", { resourceVersion: "1" });
    const err = await it.next().catch((e: unknown) => e);
    expect((err as ApiError).code).toBe(410);
    rest.close();
  });
});

describe("parseWatchStream", () => {
  it("parses each line once, skipping blank lines, including a last line without newline", async () => {
    async function* chunks(): AsyncGenerator<string> {
      yield '{"type":"ADDED","object":{"metadata":{"name":"a"}}}\n\n{"type":"DEL';
      yield 'ETED","object":{"metadata":{"name":"a"}}}\n{"type":"ERROR","object":{"kind":"Status","code":410}}';
    }
    const types: string[] = [];
    for await (const ev of parseWatchStream(chunks())) types.push(ev.type);
    expect(types).toEqual(["ADDED", "DELETED", "ERROR"]);
  });

  it("joins a line cut anywhere in byte chunks, inside multi-byte characters too", async () => {
    const names = ["ünïcødé-名前", "plain", "😀-emoji"];
    const bytes = Buffer.from(names.map((name) => `${JSON.stringify({ type: "ADDED", object: { metadata: { name } } })}\n`).join(""), "utf8");
    for (const size of [1, 2, 3, 5, 7, 64]) {
      async function* chunks(): AsyncGenerator<Buffer> {
        for (let i = 0; i < bytes.length; i += size) yield bytes.subarray(i, i + size);
      }
      const got: string[] = [];
      for await (const ev of parseWatchStream(chunks())) if (ev.type === "ADDED") got.push(ev.object.metadata?.name ?? "");
      expect(got).toEqual(names);
    }
  });
});
