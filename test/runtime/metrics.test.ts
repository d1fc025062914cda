import { describe, expect, it } from "vitest";
import { CONTROLLER_RUNTIME_METRICS, PromMetrics } from "../../src/runtime/metrics/metrics.js";
import { MetricsServer } from "../../src/runtime/metrics/server.js";

describe("PromMetrics", () => {
  it("pre-registers controller-runtime's names with their label sets and Node process metrics", async () => {
    const m = new PromMetrics();
    const text = await m.text();
    for (const name of Object.keys(CONTROLLER_RUNTIME_METRICS)) expect(text).toContain(`# TYPE ${name} `);
    expect(text).toContain("# TYPE controller_runtime_reconcile_time_seconds histogram");
    expect(text).toContain("# TYPE process_cpu_seconds_total counter");
    expect(text).toContain("# TYPE nodejs_heap_size_used_bytes gauge");
  });

  it("records samples under the right labels and never throws on odd label sets", async () => {
    const m = new PromMetrics({ processMetrics: false });
    m.inc("controller_runtime_reconcile_total", { controller: "memcached", result: "success" });
    m.inc("controller_runtime_reconcile_total", { controller: "memcached", result: "success" }, 2);
    m.observe("controller_runtime_reconcile_time_seconds", { controller: "memcached" }, 0.02);
    m.set("workqueue_depth", { name: "memcached" }, 7);
    m.inc("rest_client_requests_total", { code: "200", method: "GET", host: "h:1", extra: "dropped" });
    m.set("my_custom_gauge", { shard: "1" }, 3);
    const text = await m.text();
    expect(text).toContain('controller_runtime_reconcile_total{controller="memcached",result="success"} 3');
    expect(text).toContain('controller_runtime_reconcile_time_seconds_bucket{le="0.025",controller="memcached"} 1');
    expect(text).toContain('workqueue_depth{name="memcached",controller="memcached"} 7');
    expect(text).toContain('rest_client_requests_total{code="200",method="GET",host="h:1"} 1');
    expect(text).toContain('my_custom_gauge{shard="1"} 3');
  });

  it("keeps registries apart per manager", async () => {
    const a = new PromMetrics({ processMetrics: false });
    const b = new PromMetrics({ processMetrics: false });
    a.set("leader_election_master_status", { name: "x" }, 1);
    expect(await a.text()).toContain('leader_election_master_status{name="x"} 1');
    expect(await b.text()).not.toContain('name="x"');
  });
});

describe("MetricsServer (plain HTTP)", () => {
  it("serves /metrics in the text format and 404 elsewhere", async () => {
    const m = new PromMetrics({ processMetrics: false });
    m.inc("workqueue_adds_total", { name: "q" });
    const server = new MetricsServer(m, { bindAddress: "127.0.0.1:0" });
    const port = await server.start();
    try {
      const res = await fetch(`http://127.0.0.1:${port}/metrics`);
      expect(res.status).toBe(200);
      expect(res.headers.get("content-type")).toContain("text/plain");
      expect(await res.text()).toContain('workqueue_adds_total{name="q",controller="q"} 1');
      expect((await fetch(`http://127.0.0.1:${port}/other`)).status).toBe(404);
    } finally {
      await server.stop();
    }
  });

  it("refuses secure serving without an apiserver client", () => {
    expect(() => new MetricsServer(new PromMetrics({ processMetrics: false }), { bindAddress: ":0", secure: true })).toThrow(/needs an apiserver client/);
  });
});

describe("MetricsServer (secure, with a stand-in for the apiserver's reviews)", () => {
  const api = (allowed: boolean) => ({
    async request<T>(req: { path: string; body?: unknown }): Promise<T> {
      if (req.path.endsWith("/tokenreviews")) {
        const token = (req.body as { spec: { token: string } }).spec.token;
        return { status: { authenticated: token === "good", user: { username: "alice", groups: ["g"] } } } as T;
      }
      return { status: { allowed } } as T;
    },
  });

  it("answers 401/403/200 and negotiates HTTP/2 only when enabled", async () => {
    const { connect } = await import("node:http2");
    for (const enableHTTP2 of [false, true]) {
      const server = new MetricsServer(new PromMetrics({ processMetrics: false }), { bindAddress: "127.0.0.1:0", secure: true, api: api(true) as never, enableHTTP2 });
      const port = await server.start();
      try {
        const session = connect(`https://127.0.0.1:${port}`, { rejectUnauthorized: false });
        const alpn = await new Promise<string | false | undefined>((resolve) => {
          session.on("connect", () => resolve(session.alpnProtocol));
          session.on("error", () => resolve(false));
        });
        session.close();
        expect(alpn).toBe(enableHTTP2 ? "h2" : false);
      } finally {
        await server.stop();
      }
    }
    const { request } = await import("node:https");
    for (const [allowed, token, code] of [[true, undefined, 401], [true, "bad", 401], [false, "good", 403], [true, "good", 200]] as const) {
      const server = new MetricsServer(new PromMetrics({ processMetrics: false }), { bindAddress: "127.0.0.1:0", secure: true, api: api(allowed) as never });
      const port = await server.start();
      try {
        const status = await new Promise<number>((resolve, reject) => {
          const req = request({ host: "127.0.0.1", port, path: "/metrics", rejectUnauthorized: false, agent: false, headers: token ? { authorization: `Bearer ${token}` } : {} }, (res) => { res.resume(); resolve(res.statusCode ?? 0); });
          req.on("error", reject);
          req.end();
        });
        expect([token, allowed, status]).toEqual([token, allowed, code]);
      } finally {
        await server.stop();
      }
    }
  });

  it("serves the certificate from metricsCertPath when given", async () => {
    const { mkdtempSync, writeFileSync } = await import("node:fs");
    const { tmpdir } = await import("node:os");
    const { join } = await import("node:path");
    const { X509Certificate } = await import("node:crypto");
    const { connect } = await import("node:tls");
    const { selfSignedCert } = await import("../../src/runtime/internal/self-signed.js");
    const dir = mkdtempSync(join(tmpdir(), "tsop-metrics-cert-"));
    const pair = selfSignedCert("given-cert");
    writeFileSync(join(dir, "cert.pem"), pair.cert);
    writeFileSync(join(dir, "key.pem"), pair.key);
    const server = new MetricsServer(new PromMetrics({ processMetrics: false }), { bindAddress: "127.0.0.1:0", secure: true, api: api(true) as never, certDir: dir, certName: "cert.pem", keyName: "key.pem" });
    const port = await server.start();
    try {
      const served = await new Promise<string>((resolve, reject) => {
        const socket = connect({ host: "127.0.0.1", port, rejectUnauthorized: false }, () => {
          resolve(socket.getPeerX509Certificate()?.fingerprint256 ?? "");
          socket.end();
        });
        socket.on("error", reject);
      });
      expect(served).toBe(new X509Certificate(pair.cert).fingerprint256);
    } finally {
      await server.stop();
    }
  });
});
