import { X509Certificate } from "node:crypto";
import { describe, expect, it } from "vitest";
import { HealthProbeServer, ping } from "../../src/runtime/manager/health.js";
import { selfSignedCert } from "../../src/runtime/internal/self-signed.js";

describe("HealthProbeServer", () => {
  it("answers /healthz and /readyz from named checks; a failing check turns the endpoint red", async () => {
    let ready = false;
    const probes = new HealthProbeServer({ bindAddress: "127.0.0.1:0" });
    probes.addHealthzCheck("ping", ping);
    probes.addReadyzCheck("informers", () => ready);
    probes.addReadyzCheck("throws", () => { if (!ready) throw new Error("watch failing"); });
    const port = await probes.start();
    const get = async (p: string): Promise<[number, string]> => {
      const r = await fetch(`http://127.0.0.1:${port}${p}`);
      return [r.status, await r.text()];
    };
    try {
      expect(await get("/healthz")).toEqual([200, "ok"]);
      const [code, body] = await get("/readyz");
      expect(code).toBe(500);
      expect(body).toContain("[-]informers failed");
      expect(body).toContain("[-]throws failed: watch failing");
      ready = true;
      expect(await get("/readyz")).toEqual([200, "ok"]);
      expect((await get("/readyz?verbose"))[1]).toContain("[+]informers ok");
      expect((await get("/readyz/informers"))[0]).toBe(200);
      expect((await get("/readyz/nope"))[0]).toBe(404);
      expect((await get("/metrics"))[0]).toBe(404);
    } finally {
      await probes.stop();
    }
  });
});

describe("selfSignedCert", () => {
  it("makes a valid self-signed serving certificate for localhost and loopback IPs", () => {
    const { cert, key } = selfSignedCert("tsop-metrics");
    const x = new X509Certificate(cert);
    expect(x.subject).toBe("CN=tsop-metrics");
    expect(x.verify(x.publicKey)).toBe(true);
    expect(x.checkHost("localhost")).toBe("localhost");
    expect(x.checkIP("127.0.0.1")).toBe("127.0.0.1");
    expect(x.checkIP("::1")).toBe("::1");
    expect(new Date(x.validTo).getTime()).toBeGreaterThan(Date.now());
    expect(key).toContain("BEGIN PRIVATE KEY");
  });
});

describe("bind errors", () => {
  it("names the flag when the port is taken or the address is malformed", async () => {
    const a = new HealthProbeServer({ bindAddress: "127.0.0.1:0" });
    const port = await a.start();
    try {
      const b = new HealthProbeServer({ bindAddress: `127.0.0.1:${port}` });
      await expect(b.start()).rejects.toThrow(`--health-probe-bind-address 127.0.0.1:${port} is already in use`);
      await expect(new HealthProbeServer({ bindAddress: "nowhere" }).start()).rejects.toThrow('--health-probe-bind-address "nowhere" is not host:port');
    } finally {
      await a.stop();
    }
  });
});
