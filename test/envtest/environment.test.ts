import { execFileSync } from "node:child_process";
import { X509Certificate } from "node:crypto";
import { existsSync, readFileSync, statSync } from "node:fs";
import { dirname, join } from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { parse } from "yaml";
import { Environment, type StartedEnvironment } from "../../src/envtest/index.js";
import { isListening } from "../../src/envtest/ports.js";
import { eventually, kube, pidsMentioning, uniqueName, watch } from "./helpers.js";

const CRD_DIR = join(import.meta.dirname, "fixtures", "crds");
const W = "/apis/test.tsop.dev/v1/namespaces/default/widgets";
const CM = "/api/v1/namespaces/default/configmaps";

describe("Environment", () => {
  const env = new Environment({ crdDirectoryPaths: [CRD_DIR] });
  let s: StartedEnvironment;

  beforeAll(async () => {
    s = await env.start();
  });
  afterAll(async () => {
    await env.stop();
  });

  test("writes an admin kubeconfig (context envtest, CN=admin, O=system:masters, inlined CA)", () => {
    const cfg = parse(s.kubeconfig) as {
      "current-context": string;
      clusters: { name: string; cluster: { server: string; "certificate-authority-data": string } }[];
      users: { name: string; user: { "client-certificate-data": string } }[];
      contexts: { name: string; context: { cluster: string; user: string } }[];
    };
    expect(cfg["current-context"]).toBe("envtest");
    expect(cfg.clusters[0]?.name).toBe("envtest");
    expect(cfg.clusters[0]?.cluster.server).toBe(s.server);
    expect(s.server).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
    expect(cfg.contexts[0]).toEqual({ name: "envtest", context: { cluster: "envtest", user: "envtest" } });
    const cert = new X509Certificate(Buffer.from(cfg.users[0]?.user["client-certificate-data"] ?? "", "base64"));
    expect(cert.subject).toContain("CN=admin");
    expect(cert.subject).toContain("O=system:masters");
    const ca = new X509Certificate(Buffer.from(cfg.clusters[0]?.cluster["certificate-authority-data"] ?? "", "base64"));
    expect(cert.checkIssued(ca)).toBe(false); // the client cert comes from the separate client CA
    expect(readFileSync(s.kubeconfigPath, "utf8")).toBe(s.kubeconfig);
    expect(statSync(s.kubeconfigPath).mode & 0o777).toBe(0o600);
  });

  test("kubectl works with the written kubeconfig", () => {
    const out = execFileSync("kubectl", ["--kubeconfig", s.kubeconfigPath, "get", "ns", "-o", "name"], { encoding: "utf8" });
    expect(out.split("\n")).toContain("namespace/default");
    expect(out.split("\n")).toContain("namespace/kube-system");
  });

  test("create, read, update, delete a ConfigMap", async () => {
    const name = uniqueName("crud");
    const created = await kube(s, "POST", CM, { metadata: { name }, data: { a: "1" } });
    expect(created.status).toBe(201);
    const got = await kube<{ data: Record<string, string>; metadata: { resourceVersion: string } }>(s, "GET", `${CM}/${name}`);
    expect(got.body.data).toEqual({ a: "1" });
    const updated = await kube(s, "PUT", `${CM}/${name}`, { metadata: { name, resourceVersion: got.body.metadata.resourceVersion }, data: { a: "2" } });
    expect(updated.status).toBe(200);
    expect((await kube<{ data: Record<string, string> }>(s, "GET", `${CM}/${name}`)).body.data).toEqual({ a: "2" });
    expect((await kube(s, "DELETE", `${CM}/${name}`)).status).toBe(200);
    expect((await kube(s, "GET", `${CM}/${name}`)).status).toBe(404);
  });

  test("watch delivers ADDED, MODIFIED and DELETED events", async () => {
    const list = await kube<{ metadata: { resourceVersion: string } }>(s, "GET", CM);
    const w = watch(s, `${CM}?watch=true&resourceVersion=${list.body.metadata.resourceVersion}`);
    const name = uniqueName("watched");
    expect((await kube(s, "POST", CM, { metadata: { name }, data: { x: "1" } })).status).toBe(201);
    expect((await kube(s, "PATCH", `${CM}/${name}`, { data: { x: "2" } }, "application/merge-patch+json")).status).toBe(200);
    expect((await kube(s, "DELETE", `${CM}/${name}`)).status).toBe(200);
    const seen = () => w.events.filter((e) => e.object.metadata?.name === name).map((e) => e.type);
    expect(await eventually(() => seen().length >= 3, 10_000)).toBe(true);
    w.close();
    expect(seen()).toEqual(["ADDED", "MODIFIED", "DELETED"]);
  });

  test("server-side apply tracks field managers and conflicts", async () => {
    const name = uniqueName("ssa");
    const path = (manager: string, force = false) => `${CM}/${name}?fieldManager=${manager}${force ? "&force=true" : ""}`;
    const doc = (v: string) => ({ apiVersion: "v1", kind: "ConfigMap", metadata: { name }, data: { k: v } });
    const APPLY = "application/apply-patch+yaml";
    expect((await kube(s, "PATCH", path("alice"), doc("1"), APPLY)).status).toBe(201);
    const conflict = await kube<{ reason: string }>(s, "PATCH", path("bob"), doc("2"), APPLY);
    expect(conflict.status).toBe(409);
    expect(conflict.body.reason).toBe("Conflict");
    const forced = await kube<{ data: { k: string }; metadata: { managedFields: { manager: string }[] } }>(s, "PATCH", path("bob", true), doc("2"), APPLY);
    expect(forced.status).toBe(200);
    expect(forced.body.data.k).toBe("2");
    expect(forced.body.metadata.managedFields.map((f) => f.manager)).toContain("bob");
  });

  test("CRDs from crdDirectoryPaths are established and usable at once; status is a subresource", async () => {
    const disc = await kube<{ resources: { name: string }[] }>(s, "GET", "/apis/test.tsop.dev/v1");
    expect(disc.body.resources.map((r) => r.name)).toContain("widgets");
    const name = uniqueName("w");
    const created = await kube(s, "POST", W, { apiVersion: "test.tsop.dev/v1", kind: "Widget", metadata: { name }, spec: { size: 2 } });
    expect(created.status).toBe(201);
    const invalid = await kube(s, "POST", W, { apiVersion: "test.tsop.dev/v1", kind: "Widget", metadata: { name: `${name}-bad` }, spec: { size: 0 } });
    expect(invalid.status).toBe(422);
    type Widget = { metadata: { name: string; resourceVersion: string }; spec: { size: number }; status?: { ready?: boolean } };
    const cur = (await kube<Widget>(s, "GET", `${W}/${name}`)).body;
    // Writing /status changes only status; writing the main resource ignores status.
    const viaStatus = await kube<Widget>(s, "PUT", `${W}/${name}/status`, { ...cur, spec: { size: 5 }, status: { ready: true } });
    expect(viaStatus.status).toBe(200);
    expect(viaStatus.body.spec.size).toBe(2);
    expect(viaStatus.body.status?.ready).toBe(true);
    const viaMain = await kube<Widget>(s, "PUT", `${W}/${name}`, { ...viaStatus.body, spec: { size: 3 }, status: { ready: false } });
    expect(viaMain.status).toBe(200);
    expect(viaMain.body.spec.size).toBe(3);
    expect(viaMain.body.status?.ready).toBe(true);
  });

  test("installCRDs takes objects and waits until they are discoverable", async () => {
    await env.installCRDs([
      {
        apiVersion: "apiextensions.k8s.io/v1",
        kind: "CustomResourceDefinition",
        metadata: { name: "gadgets.test.tsop.dev" },
        spec: {
          group: "test.tsop.dev",
          names: { kind: "Gadget", plural: "gadgets", singular: "gadget", listKind: "GadgetList" },
          scope: "Cluster",
          versions: [{ name: "v1", served: true, storage: true, schema: { openAPIV3Schema: { type: "object", "x-kubernetes-preserve-unknown-fields": true } } }],
        },
      },
    ]);
    const created = await kube(s, "POST", "/apis/test.tsop.dev/v1/gadgets", { apiVersion: "test.tsop.dev/v1", kind: "Gadget", metadata: { name: "g1" } });
    expect(created.status).toBe(201);
  });

  test("restartApiServer keeps the data, the address and the credentials", async () => {
    const name = uniqueName("survivor");
    expect((await kube(s, "POST", CM, { metadata: { name } })).status).toBe(201);
    await env.restartApiServer();
    expect((await kube(s, "GET", `${CM}/${name}`)).status).toBe(200);
  });

  test("compactEtcd + restartApiServer make a watch from an old resourceVersion fail with 410 Gone", async () => {
    const list = await kube<{ metadata: { resourceVersion: string } }>(s, "GET", CM);
    const oldRv = list.body.metadata.resourceVersion;
    for (let i = 0; i < 3; i++) expect((await kube(s, "POST", CM, { metadata: { name: uniqueName("churn") } })).status).toBe(201);
    const rev = await env.compactEtcd();
    expect(rev).toBeGreaterThan(Number(oldRv));
    await env.restartApiServer();
    const w = watch(s, `${CM}?watch=true&resourceVersion=${oldRv}`);
    expect(await eventually(() => w.events.length > 0, 10_000)).toBe(true);
    w.close();
    expect(w.events[0]?.type).toBe("ERROR");
    expect(w.events[0]?.object.code).toBe(410);
  });

  test("addUser: a certificate user with its groups and only the rights RBAC gives it", async () => {
    const alice = await env.addUser("alice", ["team-a", "team-b"]);
    const as = { ...s, tls: alice.tls };
    const review = await kube<{ status: { userInfo: { username: string; groups: string[] } } }>(
      as, "POST", "/apis/authentication.k8s.io/v1/selfsubjectreviews", { apiVersion: "authentication.k8s.io/v1", kind: "SelfSubjectReview" },
    );
    expect(review.body.status.userInfo.username).toBe("alice");
    expect(review.body.status.userInfo.groups).toEqual(expect.arrayContaining(["team-a", "team-b", "system:authenticated"]));
    expect((await kube(as, "GET", CM)).status).toBe(403);
    // Not the bootstrap "view" ClusterRole: it is aggregated by kube-controller-manager, which is not running.
    const role = {
      apiVersion: "rbac.authorization.k8s.io/v1", kind: "Role", metadata: { name: "cm-reader" },
      rules: [{ apiGroups: [""], resources: ["configmaps"], verbs: ["get", "list"] }],
    };
    expect((await kube(s, "POST", "/apis/rbac.authorization.k8s.io/v1/namespaces/default/roles", role)).status).toBe(201);
    const binding = {
      apiVersion: "rbac.authorization.k8s.io/v1", kind: "RoleBinding", metadata: { name: "team-a-reads" },
      roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "Role", name: "cm-reader" },
      subjects: [{ apiGroup: "rbac.authorization.k8s.io", kind: "Group", name: "team-a" }],
    };
    expect((await kube(s, "POST", "/apis/rbac.authorization.k8s.io/v1/namespaces/default/rolebindings", binding)).status).toBe(201);
    expect(await eventually(async () => (await kube(as, "GET", CM)).status === 200, 10_000)).toBe(true);
    expect((await kube(as, "POST", CM, { metadata: { name: uniqueName("denied") } })).status).toBe(403);
    const out = execFileSync("kubectl", ["--kubeconfig", alice.kubeconfigPath, "get", "configmaps", "-n", "default", "-o", "name"], { encoding: "utf8" });
    expect(out).toMatch(/^configmap\/survivor-/m); // created by the restart test above
    await expect(env.addUser("bad, name")).rejects.toThrow(/cannot be used as a user or group name/);
  });

  test("stop() kills the processes, frees the port, removes the temp dir, and is idempotent", async () => {
    const dir = dirname(s.kubeconfigPath);
    expect(pidsMentioning(dir).length).toBeGreaterThanOrEqual(2);
    const port = Number(new URL(s.server).port);
    await env.stop();
    await env.stop();
    expect(pidsMentioning(dir)).toEqual([]);
    expect(await isListening(port)).toBe(false);
    expect(existsSync(dir)).toBe(false);
  });
});
