/*
 * Copyright 2026.
 *
 * Licensed under the Apache License, Version 2.0 (the "License");
 * you may not use this file except in compliance with the License.
 * You may obtain a copy of the License at
 *
 *     http://www.apache.org/licenses/LICENSE-2.0
 *
 * Unless required by applicable law or agreed to in writing, software
 * distributed under the License is distributed on an "AS IS" BASIS,
 * WITHOUT WARRANTIES OR CONDITIONS OF ANY KIND, either express or implied.
 * See the License for the specific language governing permissions and
 * limitations under the License.
 */

import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Environment } from "tsop/envtest";
import { Manager } from "tsop/runtime";
import { Memcached } from "../src/api/cache/v1alpha1/memcached.js";
import { DEFAULT_PORT, memcachedWebhook } from "../src/webhooks/cache/v1alpha1/memcached.webhook.js";

// Runs this kind's webhooks in a manager's webhook server, called by a real local kube-apiserver:
// tsop/envtest installs config/webhook/manifests.yaml pointed at
// the local server (run `tsop manifests` after changing the `@webhook` tags or the API types).
describe("Memcached webhooks", () => {
  const env = new Environment({ crdDirectoryPaths: ["config/crd/bases"], webhookInstallOptions: { paths: ["config/webhook"] } });
  const stop = new AbortController();
  let mgr: Manager;
  let running: Promise<void> | undefined;

  beforeAll(async () => {
    const started = await env.start();
    mgr = await Manager.create({
      kubeconfig: started.kubeconfigPath,
      ...started.webhook?.managerOptions,
      metricsBindAddress: "0",
      healthProbeBindAddress: "0",
      leaderElection: false,
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

  it("defaults the port and the app label", async () => {
    const created = await mgr.client.create(Memcached, {
      apiVersion: "cache.example.com/v1alpha1",
      kind: "Memcached",
      metadata: { name: "test-memcached-webhook", namespace: "default" },
      spec: { size: 2 },
    });
    expect(created.spec?.containerPort).toBe(DEFAULT_PORT);
    expect(created.metadata?.labels?.["app.kubernetes.io/name"]).toBe("memcached");
  });

  it("refuses a large size without approval, naming the field and the reason", async () => {
    const create = mgr.client.create(Memcached, {
      apiVersion: "cache.example.com/v1alpha1",
      kind: "Memcached",
      metadata: { name: "too-big", namespace: "default" },
      spec: { size: 4 },
    });
    await expect(create).rejects.toThrow(/spec\.size: Invalid value: 4: must be at most 3 unless annotated cache\.example\.com\/approved-large=true/);
  });
});
