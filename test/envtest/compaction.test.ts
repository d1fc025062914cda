import { afterAll, beforeAll, expect, test } from "vitest";
import { Environment, type StartedEnvironment } from "../../src/envtest/index.js";
import { eventually, kube, uniqueName, watch } from "./helpers.js";

// Without the watch cache, watches are served by etcd itself, so this shows that compactEtcd()
// really compacts etcd (no apiserver restart involved).
const env = new Environment({ apiServerArgs: ["--watch-cache=false"] });
let s: StartedEnvironment;
beforeAll(async () => {
  s = await env.start();
});
afterAll(() => env.stop());

test("compactEtcd: a watch from a resourceVersion older than the compaction gets 410 Gone", async () => {
  const CM = "/api/v1/namespaces/default/configmaps";
  const list = await kube<{ metadata: { resourceVersion: string } }>(s, "GET", CM);
  const oldRv = list.body.metadata.resourceVersion;
  for (let i = 0; i < 3; i++) expect((await kube(s, "POST", CM, { metadata: { name: uniqueName("c") } })).status).toBe(201);

  // Before compaction the old resourceVersion is still watchable: the first event is a normal one.
  const before = watch(s, `${CM}?watch=true&resourceVersion=${oldRv}`);
  expect(await eventually(() => before.events.length > 0, 10_000)).toBe(true);
  before.close();
  expect(before.events[0]?.type).toBe("ADDED");

  await env.compactEtcd();
  const after = watch(s, `${CM}?watch=true&resourceVersion=${oldRv}`);
  expect(await eventually(() => after.events.length > 0, 10_000)).toBe(true);
  after.close();
  expect(after.events[0]?.type).toBe("ERROR");
  expect(after.events[0]?.object.code).toBe(410);
});
