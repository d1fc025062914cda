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

  it("writes the same text as prom-client for the same samples (cumulative buckets, sums, escaping)", async () => {
    const prom = await import("prom-client");
    const reg = new prom.Registry();
    const m = new PromMetrics({ processMetrics: false });
    const mine = new PromMetrics({ processMetrics: false });
    // The reference: prom-client metrics with the same definitions, fed the same calls.
    const h = new prom.Histogram({ name: "controller_runtime_reconcile_time_seconds", help: CONTROLLER_RUNTIME_METRICS.controller_runtime_reconcile_time_seconds?.help as string, labelNames: ["controller"], buckets: CONTROLLER_RUNTIME_METRICS.controller_runtime_reconcile_time_seconds?.buckets as number[], registers: [reg] });
    const c = new prom.Counter({ name: "odd_total", help: "odd total", labelNames: ["v"], registers: [reg] });
    const g = new prom.Gauge({ name: "plain_gauge", help: "plain gauge", labelNames: [], registers: [reg] });
    const d = new prom.Histogram({ name: "rest_client_request_duration_seconds", help: "rest client request duration seconds", labelNames: ["verb", "host"], registers: [reg] });
    // Metrics created on first use are listed in that order, as prom-client lists registrations.
    c.inc({ v: 'a"b\\c\nd' }, 2.5);
    mine.inc("odd_total", { v: 'a"b\\c\nd' }, 2.5);
    g.set(-3);
    mine.set("plain_gauge", {}, -3);
    for (const v of [0.001, 0.02, 0.02, 0.7, 3, 100]) {
      h.observe({ controller: "a" }, v);
      m.observe("controller_runtime_reconcile_time_seconds", { controller: "a" }, v);
      d.observe({ verb: "GET", host: "h:1" }, v / 10);
      mine.observe("rest_client_request_duration_seconds", { verb: "GET", host: "h:1" }, v / 10);
    }
    const text = await m.text();
    const ours = text.slice(text.indexOf("# HELP controller_runtime_reconcile_time_seconds"), text.indexOf("# HELP controller_runtime_max_concurrent_reconciles"));
    const theirs = await reg.metrics();
    expect(ours).toBe(theirs.slice(0, theirs.indexOf("# HELP odd_total")));
    const other = await mine.text();
    expect(other.slice(other.indexOf("# HELP odd_total"))).toBe(theirs.slice(theirs.indexOf("# HELP odd_total")));
  });

  it("ignores calls of the wrong kind and serves prom-client metrics of your own after the runtime's", async () => {
    const m = new PromMetrics({ processMetrics: false });
    m.observe("workqueue_adds_total", { name: "q" }, 5);
    m.set("workqueue_adds_total", { name: "q" }, 5);
    m.inc("controller_runtime_reconcile_time_seconds", { controller: "c" });
    m.inc("workqueue_depth", { name: "q" }, 2);
    const { Counter } = await import("prom-client");
    const mine = new Counter({ name: "my_things_total", help: "things", registers: [await m.promRegistry()] });
    mine.inc(4);
    const text = await m.text();
    expect(text).not.toMatch(/^workqueue_adds_total/m);
    expect(text).not.toMatch(/^controller_runtime_reconcile_time_seconds/m);
    expect(text).toContain('workqueue_depth{name="q",controller="q"} 2');
    expect(text).toContain("# TYPE my_things_total counter\nmy_things_total 4");
    expect(text).not.toContain("process_cpu_seconds_total");
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
