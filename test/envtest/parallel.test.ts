import { afterAll, expect, test } from "vitest";
import { Environment } from "../../src/envtest/index.js";
import { kube } from "./helpers.js";

const a = new Environment();
const b = new Environment();
afterAll(async () => {
  await Promise.all([a.stop(), b.stop()]);
});

test("two control planes started at once are independent", async () => {
  const [sa, sb] = await Promise.all([a.start(), b.start()]);
  expect(sa.server).not.toBe(sb.server);
  expect(sa.kubeconfigPath).not.toBe(sb.kubeconfigPath);
  const path = "/api/v1/namespaces/default/configmaps";
  expect((await kube(sa, "POST", path, { metadata: { name: "only-in-a" } })).status).toBe(201);
  expect((await kube(sb, "POST", path, { metadata: { name: "only-in-b" } })).status).toBe(201);
  expect((await kube(sa, "GET", `${path}/only-in-b`)).status).toBe(404);
  expect((await kube(sb, "GET", `${path}/only-in-a`)).status).toBe(404);
  // Each environment's credentials are its own: A's client certificate means nothing to B.
  const crossed = await kube({ ...sb, tls: { ...sb.tls, cert: sa.tls.cert, key: sa.tls.key } }, "GET", path);
  expect(crossed.status).toBe(401);
});
