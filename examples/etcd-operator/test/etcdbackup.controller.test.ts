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
import { EtcdBackup } from "../src/api/etcd/v1alpha1/etcdbackup.js";
import { EtcdBackupReconciler } from "../src/controllers/etcdbackup.controller.js";

// Runs the reconciler in a manager against a real local kube-apiserver + etcd, with this
// project's CRDs (run `tsop manifests` after changing the API types).
describe("EtcdBackupReconciler", () => {
  const env = new Environment({ crdDirectoryPaths: ["config/crd/bases"] });
  const stop = new AbortController();
  let mgr: Manager;
  let running: Promise<void> | undefined;

  beforeAll(async () => {
    const started = await env.start();
    mgr = await Manager.create({
      kubeconfig: started.kubeconfigPath,
      metricsBindAddress: "0",
      healthProbeBindAddress: "0",
      leaderElection: false,
    });
    new EtcdBackupReconciler().setupWithManager(mgr);
    running = mgr.start(stop.signal);
  });

  afterAll(async () => {
    stop.abort();
    await running;
    await env.stop();
  });

  it("sets the Available condition on a new EtcdBackup", async () => {
    await mgr.client.create(EtcdBackup, {
      apiVersion: "etcd.example.com/v1alpha1",
      kind: "EtcdBackup",
      metadata: { name: "test-etcdbackup", namespace: "default" },
      spec: {},
    });
    // TODO(user): assert on what your reconciler creates and reports.
    await expect
      .poll(async () => {
        const got = await mgr.client.direct.get(EtcdBackup, "test-etcdbackup", { namespace: "default" });
        return got.status?.conditions?.find((c) => c.type === "Available")?.status;
      }, { timeout: 30_000, interval: 200 })
      .toBe("True");
  });
});
