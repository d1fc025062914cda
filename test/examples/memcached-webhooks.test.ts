// The memcached example's defaulting and validating webhooks in a Manager's webhook server, called by
// a real kube-apiserver (tsop/envtest installs the example's config/webhook/manifests.yaml).
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Environment } from "../../src/envtest/index.js";
import { Manager, createLogger } from "../../src/runtime/index.js";
import { Memcached } from "../../examples/memcached-operator/src/api/cache/v1alpha1/memcached.js";
import { refusal } from "../runtime/webhook/refusal.js";
import { DEFAULT_PORT, LARGE_APPROVAL, memcachedWebhook } from "../../examples/memcached-operator/src/webhooks/cache/v1alpha1/memcached.webhook.js";

const example = (rel: string): string => fileURLToPath(new URL(`../../examples/memcached-operator/${rel}`, import.meta.url));
const env = new Environment({ crdDirectoryPaths: [example("config/crd/bases")], webhookInstallOptions: { paths: [example("config/webhook")] } });
let mgr: Manager;
const stop = new AbortController();
let running: Promise<void>;

const memcached = (name: string, size: number, annotations?: Record<string, string>): Memcached => ({
  apiVersion: "cache.example.com/v1alpha1", kind: "Memcached", metadata: { name, namespace: "default", ...(annotations ? { annotations } : {}) }, spec: { size },
});


beforeAll(async () => {
  const started = await env.start();
  mgr = await Manager.create({
    kubeconfig: started.kubeconfigPath, ...started.webhook?.managerOptions,
    metricsBindAddress: "0", healthProbeBindAddress: "0", leaderElection: false, rbacSelfCheck: false,
    logger: createLogger({ level: "warn" }),
  });
  mgr.webhookServer.register(memcachedWebhook);
  running = mgr.start(stop.signal);
  await env.waitForWebhooks();
});
afterAll(async () => {
  stop.abort();
  await running;
  await env.stop();
});

describe("memcached example webhooks", () => {
  it("defaulting fills in the port and the app label, keeping the user's labels", async () => {
    const created = await mgr.client.create(Memcached, { ...memcached("defaulted", 2), metadata: { name: "defaulted", namespace: "default", labels: { team: "cache" } } });
    expect(created.spec?.containerPort).toBe(DEFAULT_PORT);
    expect(created.metadata?.labels).toEqual({ team: "cache", "app.kubernetes.io/name": "memcached" });
    const explicit = await mgr.client.create(Memcached, { ...memcached("explicit-port", 2), spec: { size: 2, containerPort: 12345 } });
    expect(explicit.spec?.containerPort).toBe(12345);
  });

  it("validation refuses a size above 3 without approval, with the field and the reason; approval admits it", async () => {
    const err = await refusal(mgr.client.create(Memcached, memcached("big", 4)));
    expect(err.code).toBe(422);
    expect(err.message).toContain('Memcached.cache.example.com "big" is invalid: spec.size: Invalid value: 4: must be at most 3 unless annotated cache.example.com/approved-large=true');
    const approved = await mgr.client.create(Memcached, memcached("big", 4, { [LARGE_APPROVAL]: "true" }));
    expect(approved.spec?.size).toBe(4);
  });

  it("update validation compares with the old object: at most 2 pods per step", async () => {
    await mgr.client.create(Memcached, memcached("stepper", 1, { [LARGE_APPROVAL]: "true" }));
    const current = await mgr.client.direct.get(Memcached, "stepper", { namespace: "default" });
    const err = await refusal(mgr.client.update(Memcached, { ...current, spec: { ...current.spec, size: 5 } }));
    expect(err.message).toContain("spec.size: Invalid value: 5: may change by at most 2 per update (from 1); scale in steps");
    const stepped = await mgr.client.update(Memcached, { ...current, spec: { ...current.spec, size: 3 } });
    expect(stepped.spec?.size).toBe(3);
  });
});
