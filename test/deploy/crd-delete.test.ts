import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Environment, type StartedEnvironment } from "../../src/envtest/index.js";
import { UserError } from "../../src/errors.js";
import { connect, type Cluster } from "../../src/kube/connect.js";
import { applyCrds, deleteCrds, type CrdObject } from "../../src/kube/crds.js";

// `tsop uninstall`'s CRD deletion on a real apiserver: a CRD whose custom resources nobody had
// listed is deleted without the apiserver's CRD finalizer failing on a watch cache that is still
// initializing (KEP-4568; the finalizer then backs off exponentially), and a CRD held by a custom
// resource's finalizer fails the wait with its Terminating condition in the one-line error.

const NAME = "widgets.probe.example.com";
const manifest = {
  apiVersion: "apiextensions.k8s.io/v1", kind: "CustomResourceDefinition", metadata: { name: NAME },
  spec: {
    group: "probe.example.com", scope: "Namespaced", names: { plural: "widgets", singular: "widget", kind: "Widget", listKind: "WidgetList" },
    versions: [{ name: "v1", served: true, storage: true, schema: { openAPIV3Schema: { type: "object", "x-kubernetes-preserve-unknown-fields": true } } }],
  },
};
const crd: CrdObject = manifest;
const WIDGETS = "/apis/probe.example.com/v1/namespaces/default/widgets";

let env: Environment;
let started: StartedEnvironment;
let cluster: Cluster;

beforeAll(async () => {
  env = new Environment();
  started = await env.start();
  cluster = await connect({ kubeconfig: started.kubeconfigPath });
}, 120_000);

afterAll(async () => {
  cluster?.close();
  await env?.stop();
});

/** The kube-apiserver's log lines that say the CRD finalizer failed on this CRD. */
function finalizerFailures(): string[] {
  // The environment writes each component's log next to its kubeconfig.
  const log = readFileSync(join(dirname(started.kubeconfigPath), "kube-apiserver.log"), "utf8");
  return log.split("\n").filter((l) => l.includes("crd_finalizer") && l.includes(`${NAME} failed with`));
}

describe("deleteCrds", () => {
  it("deletes a CRD nobody used, three times over, with no failed list by the apiserver's CRD finalizer", async () => {
    for (let round = 0; round < 3; round++) {
      await applyCrds(cluster.send, [crd], { fieldManager: "tsop-test" });
      const deleted: string[] = [];
      await deleteCrds(cluster.send, [crd], { ignoreNotFound: false, onDeleted: (n) => deleted.push(n) });
      expect(deleted).toEqual([NAME]);
      expect((await cluster.send({ method: "GET", path: `/apis/apiextensions.k8s.io/v1/customresourcedefinitions/${NAME}` })).status).toBe(404);
    }
    expect(finalizerFailures()).toEqual([]);
  }, 120_000);

  it("names the CRD's Terminating condition when a custom resource's finalizer holds it past the timeout", async () => {
    await applyCrds(cluster.send, [crd], { fieldManager: "tsop-test", holdForCreates: true });
    const created = await cluster.send({ method: "POST", path: WIDGETS, body: JSON.stringify({ apiVersion: "probe.example.com/v1", kind: "Widget", metadata: { name: "held", finalizers: ["example.com/nobody-removes-this"] } }), contentType: "application/json" });
    expect(created.status, created.body).toBe(200);
    const err = await deleteCrds(cluster.send, [crd], { ignoreNotFound: false, timeoutMs: 3_000 }).then(() => undefined, (e: unknown) => e);
    expect(err).toBeInstanceOf(UserError);
    expect((err as UserError).message).toMatch(new RegExp(`^CRD ${NAME.replaceAll(".", "\\.")} is still there after 3 s \\(Terminating: InstanceDeletion\\w+: `));
    // Let it go: take the finalizer off, and the CRD follows.
    const patched = await cluster.send({ method: "PATCH", path: `${WIDGETS}/held`, body: JSON.stringify({ metadata: { finalizers: null } }), contentType: "application/merge-patch+json" });
    expect(patched.status, patched.body).toBe(200);
    await deleteCrds(cluster.send, [crd], { ignoreNotFound: true, timeoutMs: 90_000 });
    expect((await cluster.send({ method: "GET", path: `/apis/apiextensions.k8s.io/v1/customresourcedefinitions/${NAME}` })).status).toBe(404);
  }, 150_000);
});
