import { describe, expect, it } from "vitest";
import { UserError } from "../../src/errors.js";
import { parseManagerFlags } from "../../src/runtime/manager/flags.js";
import { applyManagerDefaults, namespacesFromEnv } from "../../src/runtime/manager/options.js";
import { parseBindAddress } from "../../src/runtime/internal/serve.js";

describe("parseManagerFlags", () => {
  it("uses kubebuilder's defaults when no flag is given", () => {
    expect(parseManagerFlags([])).toEqual({ metricsBindAddress: "0", metricsSecure: true, healthProbeBindAddress: ":8081" });
  });

  it("reads kubebuilder's flags in = and space forms", () => {
    const o = parseManagerFlags([
      "--metrics-bind-address=:8443", "--health-probe-bind-address", ":9091", "--leader-elect",
      "--metrics-secure=false", "--enable-http2", "--kubeconfig", "/tmp/kc", "--log-level=debug",
      "--zap-devel", "--graceful-shutdown-timeout=45s", "--metrics-cert-path", "/certs",
    ]);
    expect(o).toMatchObject({
      metricsBindAddress: ":8443", healthProbeBindAddress: ":9091", leaderElection: true, metricsSecure: false,
      enableHTTP2: true, kubeconfig: "/tmp/kc", logLevel: "debug", development: true,
      gracefulShutdownTimeoutMs: 45_000, metricsCertPath: "/certs",
    });
  });

  it("names an unknown flag and lists the known ones", () => {
    const err = (() => { try { parseManagerFlags(["--leader-elekt"]); } catch (e) { return e; } })();
    expect(err).toBeInstanceOf(UserError);
    expect((err as UserError).message).toBe('unknown flag "--leader-elekt"');
    expect((err as UserError).hint).toContain("--leader-elect");
  });

  it("rejects bad values with the flag's name", () => {
    expect(() => parseManagerFlags(["--log-level=loud"])).toThrow(/--log-level "loud" is not a level/);
    expect(() => parseManagerFlags(["--leader-elect=maybe"])).toThrow(/--leader-elect takes true or false/);
    expect(() => parseManagerFlags(["--kubeconfig"])).toThrow(/--kubeconfig needs a value/);
    expect(() => parseManagerFlags(["--graceful-shutdown-timeout=soon"])).toThrow(/not a duration/);
  });
});

describe("applyManagerDefaults", () => {
  it("fills every default in one place", () => {
    const o = applyManagerDefaults({}, {});
    expect(o).toMatchObject({
      metricsBindAddress: ":8080", metricsSecure: false, healthProbeBindAddress: ":8081", leaderElection: false,
      leaseDurationMs: 15_000, renewDeadlineMs: 10_000, retryPeriodMs: 2_000, gracefulShutdownTimeoutMs: 30_000,
      onLeaderLost: "exit", logLevel: "info", namespaces: undefined, enableHTTP2: false,
    });
    expect(applyManagerDefaults({ metricsSecure: true }, {}).metricsBindAddress).toBe(":8443");
    expect(applyManagerDefaults({ development: true }, {}).logLevel).toBe("debug");
  });

  it("takes namespaces from WATCH_NAMESPACE unless given", () => {
    expect(applyManagerDefaults({}, { WATCH_NAMESPACE: "a, b,a" }).namespaces).toEqual(["a", "b"]);
    expect(applyManagerDefaults({ namespaces: ["x"] }, { WATCH_NAMESPACE: "a" }).namespaces).toEqual(["x"]);
    expect(namespacesFromEnv("")).toBeUndefined();
    expect(namespacesFromEnv(" ops ")).toEqual(["ops"]);
  });

  it("parses bind addresses", () => {
    expect(parseBindAddress(":8080")).toEqual({ host: undefined, port: 8080 });
    expect(parseBindAddress("127.0.0.1:0")).toEqual({ host: "127.0.0.1", port: 0 });
    expect(parseBindAddress("[::1]:9000")).toEqual({ host: "::1", port: 9000 });
    expect(() => parseBindAddress("localhost")).toThrow(/no valid port/);
  });
});
