import { chmodSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { UserError } from "../../src/errors.js";
import { internalForTests, kubeConfigFromYaml, loadKubeConfig } from "../../src/runtime/client/kubeconfig.js";

function dir(): string {
  return mkdtempSync(join(tmpdir(), "tsop-kc-"));
}

const b64 = (s: string): string => Buffer.from(s).toString("base64");

function kc(opts: { current?: string; clusters: [string, object][]; users: [string, object][]; contexts: [string, object][] }): string {
  const list = (l: [string, object][], field: string): string =>
    l.map(([name, v]) => `- name: ${name}\n  ${field}: ${JSON.stringify(v)}`).join("\n");
  return [
    "apiVersion: v1",
    "kind: Config",
    opts.current ? `current-context: ${opts.current}` : "",
    `clusters:\n${list(opts.clusters, "cluster")}`,
    `users:\n${list(opts.users, "user")}`,
    `contexts:\n${list(opts.contexts, "context")}`,
  ].join("\n");
}

describe("loadKubeConfig", () => {
  it("merges a KUBECONFIG list first-wins and takes current-context from the first file that sets it", async () => {
    const d = dir();
    const a = join(d, "a.yaml");
    const b = join(d, "b.yaml");
    writeFileSync(a, kc({ current: "ctx-b", clusters: [["c1", { server: "https://one:6443", "certificate-authority-data": b64("CA-ONE") }]], users: [["u1", { token: "tok-a" }]], contexts: [["ctx-a", { cluster: "c1", user: "u1", namespace: "team-a" }]] }));
    writeFileSync(b, kc({ current: "ctx-a", clusters: [["c1", { server: "https://ignored:1" }], ["c2", { server: "https://two:6443/", "insecure-skip-tls-verify": true, "tls-server-name": "api.two" }]], users: [["u1", { token: "tok-ignored" }], ["u2", { username: "admin", password: "secret" }]], contexts: [["ctx-b", { cluster: "c1", user: "u2" }]] }));
    const cfg = await loadKubeConfig({ env: { KUBECONFIG: `${a}:${join(d, "missing.yaml")}:${b}` } });
    expect(cfg.contextName).toBe("ctx-b");
    expect(cfg.server).toBe("https://one:6443");
    expect(cfg.ca?.toString()).toBe("CA-ONE");
    expect(cfg.namespace).toBe("default");
    expect((await cfg.credentials()).headers.authorization).toBe(`Basic ${b64("admin:secret")}`);

    const other = await loadKubeConfig({ env: { KUBECONFIG: `${a}:${b}` }, context: "ctx-a" });
    expect(other.namespace).toBe("team-a");
    expect((await other.credentials()).headers.authorization).toBe("Bearer tok-a");
  });

  it("reads certificate files relative to the kubeconfig and honours insecure/tls-server-name", async () => {
    const d = dir();
    writeFileSync(join(d, "ca.pem"), "CA-FILE");
    writeFileSync(join(d, "client.pem"), "CERT-FILE");
    writeFileSync(join(d, "client.key"), "KEY-FILE");
    const file = join(d, "config");
    writeFileSync(file, kc({ current: "x", clusters: [["c", { server: "https://h:1/", "certificate-authority": "ca.pem", "insecure-skip-tls-verify": true, "tls-server-name": "api.h" }]], users: [["u", { "client-certificate": "client.pem", "client-key": "client.key" }]], contexts: [["x", { cluster: "c", user: "u" }]] }));
    const cfg = await loadKubeConfig({ kubeconfig: file, env: {} });
    expect(cfg.server).toBe("https://h:1");
    expect(cfg.ca?.toString()).toBe("CA-FILE");
    expect(cfg.cert?.toString()).toBe("CERT-FILE");
    expect(cfg.key?.toString()).toBe("KEY-FILE");
    expect(cfg.insecureSkipTLSVerify).toBe(true);
    expect(cfg.tlsServerName).toBe("api.h");
    expect((await cfg.credentials()).headers).toEqual({});
  });

  it("falls back to ~/.kube/config, then to the in-cluster service account", async () => {
    const home = dir();
    await expect(loadKubeConfig({ env: {}, home })).rejects.toThrow(/no kubeconfig found/);
    const sa = dir();
    writeFileSync(join(sa, "token"), "sa-token-1\n");
    writeFileSync(join(sa, "ca.crt"), "SA-CA");
    writeFileSync(join(sa, "namespace"), "operators");
    const cfg = await loadKubeConfig({ env: { KUBERNETES_SERVICE_HOST: "10.0.0.1", KUBERNETES_SERVICE_PORT: "443" }, home, serviceAccountDir: sa });
    expect(cfg.server).toBe("https://10.0.0.1:443");
    expect(cfg.namespace).toBe("operators");
    expect(cfg.ca?.toString()).toBe("SA-CA");
    expect((await cfg.credentials()).headers.authorization).toBe("Bearer sa-token-1");
    const v6 = await loadKubeConfig({ env: { KUBERNETES_SERVICE_HOST: "fd00::1", KUBERNETES_SERVICE_PORT: "6443" }, home, serviceAccountDir: sa });
    expect(v6.server).toBe("https://[fd00::1]:6443");
  });

  it("re-reads a token file after a minute so rotated tokens are picked up", async () => {
    const d = dir();
    const path = join(d, "token");
    writeFileSync(path, "first");
    let now = 1_000_000;
    const auth = internalForTests.tokenFileAuth(path, () => now);
    expect((await auth.credentials()).headers.authorization).toBe("Bearer first");
    writeFileSync(path, "second");
    now += 30_000;
    expect((await auth.credentials()).headers.authorization).toBe("Bearer first");
    now += 31_000;
    expect((await auth.credentials()).headers.authorization).toBe("Bearer second");
  });

  it("runs exec plugins with KUBERNETES_EXEC_INFO and caches the credential until it expires", async () => {
    const d = dir();
    const counter = join(d, "count");
    writeFileSync(counter, "0");
    const plugin = join(d, "plugin.mjs");
    writeFileSync(plugin, `#!/usr/bin/env node
import { readFileSync, writeFileSync } from "node:fs";
const n = Number(readFileSync(${JSON.stringify(counter)}, "utf8")) + 1;
writeFileSync(${JSON.stringify(counter)}, String(n));
const info = JSON.parse(process.env.KUBERNETES_EXEC_INFO);
const exp = process.env.EXPIRE === "past" ? new Date(Date.now() - 1000) : new Date(Date.now() + 3600_000);
console.log(JSON.stringify({ apiVersion: info.apiVersion, kind: "ExecCredential", status: { token: "exec-" + n + "-" + info.spec.interactive + "-" + process.env.EXTRA, expirationTimestamp: exp.toISOString() } }));
`);
    chmodSync(plugin, 0o755);
    const yaml = (expire: string): string =>
      kc({ current: "x", clusters: [["c", { server: "https://h:1" }]], users: [["u", { exec: { apiVersion: "client.authentication.k8s.io/v1", command: "./plugin.mjs", args: [], env: [{ name: "EXTRA", value: "yes" }, { name: "EXPIRE", value: expire }] } }]], contexts: [["x", { cluster: "c", user: "u" }]] });
    const cfg = await kubeConfigFromYaml(yaml("future"), { baseDir: d });
    expect((await cfg.credentials()).headers.authorization).toBe("Bearer exec-1-false-yes");
    expect((await cfg.credentials()).headers.authorization).toBe("Bearer exec-1-false-yes");
    expect(readFileSync(counter, "utf8")).toBe("1");
    cfg.invalidateCredentials();
    expect((await cfg.credentials()).headers.authorization).toBe("Bearer exec-2-false-yes");

    const expired = await kubeConfigFromYaml(yaml("past"), { baseDir: d });
    await expired.credentials();
    await expired.credentials();
    expect(readFileSync(counter, "utf8")).toBe("4");
  });

  it("turns a failing exec plugin into a UserError carrying its installHint", async () => {
    const yaml = kc({ current: "x", clusters: [["c", { server: "https://h:1" }]], users: [["u", { exec: { command: "tsop-no-such-plugin", installHint: "install it with: brew install tsop-no-such-plugin" } }]], contexts: [["x", { cluster: "c", user: "u" }]] });
    const err = await (await kubeConfigFromYaml(yaml)).credentials().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UserError);
    expect((err as UserError).format()).toMatch(/^exec credential plugin tsop-no-such-plugin failed: .*\(install it with: brew install tsop-no-such-plugin\)$/);
  });

  it("refuses proxy-url and auth-provider instead of silently ignoring them", async () => {
    const proxied = kc({ current: "x", clusters: [["c", { server: "https://h:1", "proxy-url": "http://proxy:3128" }]], users: [["u", {}]], contexts: [["x", { cluster: "c", user: "u" }]] });
    await expect(kubeConfigFromYaml(proxied)).rejects.toThrow(/proxy-url, which tsop does not support/);
    const legacy = kc({ current: "x", clusters: [["c", { server: "https://h:1" }]], users: [["u", { "auth-provider": { name: "gcp" } }]], contexts: [["x", { cluster: "c", user: "u" }]] });
    await expect(kubeConfigFromYaml(legacy)).rejects.toThrow(/auth-provider/);
  });

  it("reports mistakes as one UserError line naming the file and the fix", async () => {
    const d = dir();
    const file = join(d, "config");
    writeFileSync(file, kc({ current: "nope", clusters: [["c", { server: "https://h:1" }]], users: [], contexts: [["x", { cluster: "c" }]] }));
    const err = await loadKubeConfig({ kubeconfig: file, env: {} }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UserError);
    expect((err as UserError).format()).toBe(`${file}: context "nope" not found in kubeconfig (known contexts: x)`);

    writeFileSync(file, "clusters: [\n  - name: x\n");
    const bad = await loadKubeConfig({ kubeconfig: file, env: {} }).catch((e: unknown) => e);
    expect(bad).toBeInstanceOf(UserError);
    expect((bad as UserError).location?.file).toBe(file);
    expect((bad as UserError).location?.line).toBeGreaterThan(0);

    writeFileSync(file, kc({ current: "x", clusters: [["c", { server: "https://h:1", "certificate-authority": "missing.pem" }]], users: [["u", {}]], contexts: [["x", { cluster: "c", user: "u" }]] }));
    await expect(loadKubeConfig({ kubeconfig: file, env: {} })).rejects.toThrow(/cannot read .*missing\.pem/);
    await expect(loadKubeConfig({ kubeconfig: join(d, "nothing"), env: {} })).rejects.toThrow(/does not exist/);
  });
});
