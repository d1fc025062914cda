// Admission and conversion webhooks served by the manager's WebhookServer and called by a real
// kube-apiserver (tsop/envtest installs the configurations, pointed at the local server).
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Environment, type StartedEnvironment } from "../../../src/envtest/index.js";
import { Manager } from "../../../src/runtime/manager/manager.js";
import { RestClient } from "../../../src/runtime/client/rest.js";
import { loadKubeConfig } from "../../../src/runtime/client/kubeconfig.js";
import { silentLogger } from "../../../src/runtime/log/log.js";
import { eventually } from "../cluster.js";
import { refusal } from "./refusal.js";
import { NOTE, configMapHooks, gadgetConversion, gadgetCrd, gadgetHooks, mutatingConfig, validatingConfig } from "./gadget.js";

const run = promisify(execFile);
const env = new Environment({ crds: [gadgetCrd("v1")], webhookInstallOptions: { mutatingWebhooks: [mutatingConfig], validatingWebhooks: [validatingConfig] } });
let started: StartedEnvironment;
let rest: RestClient;
let operator: { mgr: Manager; stop: () => Promise<void> } | undefined;

const path = (v: string, name = ""): string => `/apis/webhook.tsop.io/${v}/namespaces/default/gadgets${name ? `/${name}` : ""}`;
const gadget = (name: string, spec: object, extra: object = {}): object => ({ apiVersion: "webhook.tsop.io/v1", kind: "Gadget", metadata: { name, ...extra }, spec });

async function startOperator(): Promise<void> {
  const mgr = await Manager.create({
    kubeconfig: started.kubeconfigPath, ...started.webhook?.managerOptions,
    metricsBindAddress: "0", healthProbeBindAddress: "127.0.0.1:0", rbacSelfCheck: false, handleSignals: false, logger: silentLogger,
  });
  mgr.webhookServer.registerAdmission(gadgetHooks);
  mgr.webhookServer.registerAdmission(configMapHooks);
  mgr.webhookServer.registerConversion(gadgetConversion);
  const ac = new AbortController();
  const done = mgr.start(ac.signal);
  operator = { mgr, stop: async () => { ac.abort(); await done; operator = undefined; } };
  await env.waitForWebhooks();
}

async function kubectl(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const r = await run("kubectl", ["--kubeconfig", started.kubeconfigPath, ...args]);
    return { code: 0, stdout: r.stdout, stderr: r.stderr };
  } catch (e) {
    const err = e as { code?: number; stdout?: string; stderr?: string };
    return { code: err.code ?? 1, stdout: err.stdout ?? "", stderr: err.stderr ?? "" };
  }
}

async function kubectlApply(doc: object): Promise<{ code: number; stdout: string; stderr: string }> {
  const { writeFileSync, mkdtempSync } = await import("node:fs");
  const { join } = await import("node:path");
  const { tmpdir } = await import("node:os");
  const file = join(mkdtempSync(join(tmpdir(), "tsop-webhook-")), "obj.json");
  writeFileSync(file, JSON.stringify(doc));
  return kubectl("apply", "-f", file);
}


beforeAll(async () => {
  started = await env.start();
  rest = new RestClient(await loadKubeConfig({ kubeconfig: started.kubeconfigPath }), { qps: 0 });
  await startOperator();
});
afterAll(async () => {
  await operator?.stop();
  rest?.close();
  await env.stop();
});

describe("admission webhooks on the apiserver", () => {
  it("defaulting is visible on the created object", async () => {
    const created = await rest.request<{ spec: { size: number; color: string } }>({ method: "POST", path: path("v1"), body: gadget("plain", {}) });
    expect(created.spec).toEqual({ size: 1, color: "blue" });
    const read = await rest.request<{ spec: object }>({ method: "GET", path: path("v1", "plain") });
    expect(read.spec).toEqual({ size: 1, color: "blue" });
  });

  it("a validation error reaches the client with its message and field path (kubectl shows it)", async () => {
    const err = await refusal(rest.request({ method: "POST", path: path("v1"), body: gadget("huge", { size: 12 }) }));
    expect(err.code).toBe(422);
    expect(err.message).toContain('admission webhook "vgadget-v1.kb.io" denied the request: Gadget.webhook.tsop.io "huge" is invalid: spec.size: Invalid value: 12: must be at most 10');
    expect(err.status?.details?.causes).toEqual([{ reason: "FieldValueInvalid", message: "Invalid value: 12: must be at most 10", field: "spec.size" }]);
    const k = await kubectlApply(gadget("huge", { size: 0 }));
    expect(k.code).not.toBe(0);
    expect(k.stderr).toContain('The Gadget "huge" is invalid: spec.size: Invalid value: 0: must be at least 1');
  });

  it("warnings reach the client", async () => {
    const k = await kubectlApply(gadget("near-limit", { size: 9 }));
    expect(k.code).toBe(0);
    expect(k.stderr).toContain("Warning: spec.size 9 is close to the limit of 10");
  });

  it("update validation sees the old object", async () => {
    await rest.request({ method: "POST", path: path("v1"), body: gadget("red", { size: 2, color: "red" }) });
    const err = await refusal(rest.request({ method: "PATCH", path: path("v1", "red"), body: { spec: { color: "green" } }, contentType: "application/merge-patch+json" }));
    expect(err.message).toContain('spec.color: Invalid value: "green": is immutable (was red)');
    const ok = await rest.request<{ spec: { size: number } }>({ method: "PATCH", path: path("v1", "red"), body: { spec: { size: 3 } }, contentType: "application/merge-patch+json" });
    expect(ok.spec.size).toBe(3);
  });

  it("delete validation can refuse, with its message", async () => {
    await rest.request({ method: "POST", path: path("v1"), body: gadget("kept", { size: 2 }, { labels: { keep: "true" } }) });
    const err = await refusal(rest.request({ method: "DELETE", path: path("v1", "kept") }));
    expect(err.code).toBe(403);
    expect(err.message).toContain("this gadget is labelled keep=true");
  });

  it("counts requests in controller-runtime's webhook metrics and reports readiness", async () => {
    const mgr = (operator as { mgr: Manager }).mgr;
    const text = await mgr.metrics.text();
    expect(text).toMatch(/controller_runtime_webhook_requests_total\{webhook="\/validate-webhook-tsop-io-v1-gadget",code="200"\} [1-9]/);
    expect(text).toMatch(/controller_runtime_webhook_requests_in_flight\{webhook="\/mutate-webhook-tsop-io-v1-gadget"\} 0/);
    expect(text).toMatch(/controller_runtime_webhook_latency_seconds_count\{webhook="\/mutate-webhook-tsop-io-v1-gadget"\} [1-9]/);
    const ready = await fetch(`http://127.0.0.1:${mgr.probePort}/readyz?verbose`);
    expect(await ready.text()).toContain("[+]webhook ok");
  });
});

describe("conversion webhook on the apiserver", () => {
  it("an object stored at v1 reads at v2 and back losslessly; a v2-only field survives the hub", async () => {
    await rest.request({ method: "POST", path: path("v1"), body: gadget("conv", { size: 4, color: "teal" }) });
    const asV2 = await rest.request<{ apiVersion: string; spec: object }>({ method: "GET", path: path("v2", "conv") });
    expect(asV2.apiVersion).toBe("webhook.tsop.io/v2");
    expect(asV2.spec).toEqual({ replicas: 4, paint: { name: "teal" } });
    await rest.request({ method: "POST", path: path("v2"), body: { apiVersion: "webhook.tsop.io/v2", kind: "Gadget", metadata: { name: "noted" }, spec: { replicas: 2, paint: { name: "red" }, note: "keep me" } } });
    const asV1 = await rest.request<{ spec: object; metadata: { annotations: Record<string, string> } }>({ method: "GET", path: path("v1", "noted") });
    expect(asV1.spec).toEqual({ size: 2, color: "red" });
    expect(asV1.metadata.annotations[NOTE]).toBe("keep me");
    const back = await rest.request<{ spec: object; metadata: { annotations?: Record<string, string> } }>({ method: "GET", path: path("v2", "noted") });
    expect(back.spec).toEqual({ replicas: 2, paint: { name: "red" }, note: "keep me" });
    expect(back.metadata.annotations?.[NOTE]).toBeUndefined();
  });

  it("defaulting applies to requests made at v2 (converted for the v1 webhook and back)", async () => {
    const created = await rest.request<{ spec: object }>({ method: "POST", path: path("v2"), body: { apiVersion: "webhook.tsop.io/v2", kind: "Gadget", metadata: { name: "v2-defaults" }, spec: {} } });
    expect(created.spec).toEqual({ replicas: 1, paint: { name: "blue" } });
  });

  it("list and watch work at both versions", async () => {
    for (const v of ["v1", "v2"]) {
      const list = await rest.request<{ items: { apiVersion: string; metadata: { name: string } }[] }>({ method: "GET", path: path(v) });
      expect(list.items.map((i) => i.metadata.name)).toEqual(expect.arrayContaining(["conv", "noted"]));
      expect(new Set(list.items.map((i) => i.apiVersion))).toEqual(new Set([`webhook.tsop.io/${v}`]));
    }
    const ac = new AbortController();
    const seen: { v: string; events: { type: string; object: { apiVersion?: string; metadata?: { name?: string }; spec?: Record<string, unknown> } }[] }[] = [];
    const watchers = ["v1", "v2"].map(async (v) => {
      const mine = { v, events: [] as (typeof seen)[number]["events"] };
      seen.push(mine);
      for await (const ev of rest.watch(path(v), { resourceVersion: "0" }, ac.signal)) mine.events.push(ev as never);
    });
    await rest.request({ method: "POST", path: path("v1"), body: gadget("watched", { size: 5, color: "gold" }) });
    await eventually(() => seen.length === 2 && seen.every((s) => s.events.some((e) => e.object.metadata?.name === "watched")), "a watch event at each version");
    ac.abort();
    await Promise.allSettled(watchers);
    const of = (v: string) => seen.find((s) => s.v === v)?.events.find((e) => e.object.metadata?.name === "watched")?.object;
    expect(of("v1")).toMatchObject({ apiVersion: "webhook.tsop.io/v1", spec: { size: 5, color: "gold" } });
    expect(of("v2")).toMatchObject({ apiVersion: "webhook.tsop.io/v2", spec: { replicas: 5, paint: { name: "gold" } } });
  });
});

describe("when the webhook server is down", () => {
  it("failurePolicy Fail refuses, Ignore lets requests through; storage version migration rewrites old objects", async () => {
    const labelled = (name: string): object => ({ apiVersion: "v1", kind: "ConfigMap", metadata: { name, labels: { "webhook-test": "ignore" } } });
    const denied = await refusal(rest.request({ method: "POST", path: "/api/v1/namespaces/default/configmaps", body: labelled("while-up") }));
    expect(denied.message).toContain("labelled ConfigMaps are refused while the webhook runs");

    // Switch the storage version to v2: "conv" stays stored at v1 until it is rewritten.
    await env.installCRDs([gadgetCrd("v2")]);
    await eventually(async () => (await rest.request<{ spec: { versions: { name: string; storage: boolean }[] } }>({ method: "GET", path: "/apis/apiextensions.k8s.io/v1/customresourcedefinitions/gadgets.webhook.tsop.io" })).spec.versions.find((v) => v.storage)?.name === "v2", "v2 as storage version");
    await rest.request({ method: "POST", path: path("v2"), body: { apiVersion: "webhook.tsop.io/v2", kind: "Gadget", metadata: { name: "born-v2" }, spec: { replicas: 3, paint: { name: "blue" } } } });

    await (operator as { stop: () => Promise<void> }).stop();
    const failed = await refusal(rest.request({ method: "POST", path: path("v1"), body: gadget("while-down", { size: 2 }) }));
    expect(failed.message).toMatch(/failed calling webhook "mgadget-v1\.kb\.io"/);
    const passed = await rest.request<{ metadata: { name: string } }>({ method: "POST", path: "/api/v1/namespaces/default/configmaps", body: labelled("while-down") });
    expect(passed.metadata.name).toBe("while-down");
    // Stored at v2, read at v2: no conversion needed. Stored at v1: the conversion webhook is needed and down.
    expect((await rest.request<{ spec: object }>({ method: "GET", path: path("v2", "born-v2") })).spec).toEqual({ replicas: 3, paint: { name: "blue" } });
    const unconverted = await refusal(rest.request({ method: "GET", path: path("v2", "conv") }));
    expect(unconverted.message).toContain("conversion webhook");

    // Migrate (what kube-storage-version-migrator does): rewrite every object unchanged at the new storage version.
    await startOperator();
    const list = await rest.request<{ items: { metadata: { name: string } }[] }>({ method: "GET", path: path("v2") });
    for (const item of list.items) await rest.request({ method: "PUT", path: path("v2", item.metadata.name), body: item });
    await rest.request({
      method: "PATCH", path: "/apis/apiextensions.k8s.io/v1/customresourcedefinitions/gadgets.webhook.tsop.io/status",
      body: { status: { storedVersions: ["v2"] } }, contentType: "application/merge-patch+json",
    });
    await (operator as { stop: () => Promise<void> }).stop();
    expect((await rest.request<{ spec: object }>({ method: "GET", path: path("v2", "conv") })).spec).toEqual({ replicas: 4, paint: { name: "teal" } });
    const all = await rest.request<{ items: unknown[] }>({ method: "GET", path: path("v2") });
    expect(all.items.length).toBe(list.items.length);
  });
});
