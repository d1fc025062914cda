import { afterAll, beforeAll, expect, test } from "vitest";
import { Environment, type StartedEnvironment } from "../../src/envtest/index.js";
import { eventually, kube, uniqueName } from "./helpers.js";

// kube-controller-manager is built on first use (about 2 minutes with a warm Go build cache).
const env = new Environment({ withControllers: true });
let s: StartedEnvironment;
beforeAll(async () => {
  s = await env.start();
}, 600_000);
afterAll(async () => {
  await env.stop();
});

test("withControllers: deleting an owner deletes its dependents (garbage collector)", async () => {
  const path = "/api/v1/namespaces/default/configmaps";
  const owner = await kube<{ metadata: { uid: string; name: string } }>(s, "POST", path, { metadata: { name: uniqueName("owner") } });
  expect(owner.status).toBe(201);
  const ref = { apiVersion: "v1", kind: "ConfigMap", name: owner.body.metadata.name, uid: owner.body.metadata.uid };
  const dep = uniqueName("dependent");
  expect((await kube(s, "POST", path, { metadata: { name: dep, ownerReferences: [ref] } })).status).toBe(201);
  expect((await kube(s, "DELETE", `${path}/${owner.body.metadata.name}`)).status).toBe(200);
  expect(await eventually(async () => (await kube(s, "GET", `${path}/${dep}`)).status === 404, 60_000)).toBe(true);
});

test("withControllers: a deleted namespace is emptied and goes away (namespace controller)", async () => {
  const ns = uniqueName("doomed");
  expect((await kube(s, "POST", "/api/v1/namespaces", { metadata: { name: ns } })).status).toBe(201);
  expect((await kube(s, "POST", `/api/v1/namespaces/${ns}/configmaps`, { metadata: { name: "inside" } })).status).toBe(201);
  expect((await kube(s, "DELETE", `/api/v1/namespaces/${ns}`)).status).toBe(200);
  expect(await eventually(async () => (await kube(s, "GET", `/api/v1/namespaces/${ns}`)).status === 404, 60_000)).toBe(true);
});
