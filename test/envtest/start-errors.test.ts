import { chmodSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, expect, test } from "vitest";
import { UserError } from "../../src/errors.js";
import { Environment } from "../../src/envtest/index.js";

const work = mkdtempSync(join(tmpdir(), "tsop-start-errors-"));
afterAll(() => rmSync(work, { recursive: true, force: true }));

test("a component that dies at start fails start() with the end of its output", async () => {
  const fake = join(work, "etcd");
  writeFileSync(fake, "#!/bin/sh\necho \"fake etcd: refusing to start with $1\" >&2\nexit 3\n");
  chmodSync(fake, 0o755);
  const saved = process.env["TEST_ASSET_ETCD"];
  process.env["TEST_ASSET_ETCD"] = fake;
  const env = new Environment({ startTimeoutMs: 20_000 });
  try {
    const err = await env.start().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(Error);
    expect((err as Error).message).toContain("etcd exited early");
    expect((err as Error).message).toContain("fake etcd: refusing to start with --data-dir=");
  } finally {
    if (saved === undefined) delete process.env["TEST_ASSET_ETCD"];
    else process.env["TEST_ASSET_ETCD"] = saved;
    await env.stop();
  }
});

test("a missing CRD path fails start() before anything runs", async () => {
  const env = new Environment({ crdDirectoryPaths: [join(work, "no-such-dir")] });
  const err = await env.start().catch((e: unknown) => e);
  expect(err).toBeInstanceOf(UserError);
  expect((err as UserError).format()).toContain(`CRD path ${join(work, "no-such-dir")} does not exist`);
});

test("a CRD the apiserver rejects fails start() with its reason and stops the control plane", async () => {
  const bad = {
    apiVersion: "apiextensions.k8s.io/v1", kind: "CustomResourceDefinition", metadata: { name: "wrongs.test.tsop.dev" },
    spec: { group: "other.tsop.dev", scope: "Namespaced", names: { kind: "Wrong", plural: "wrongs" },
      versions: [{ name: "v1", served: true, storage: true, schema: { openAPIV3Schema: { type: "object" } } }] },
  };
  const env = new Environment({ crds: [bad] });
  const err = await env.start().catch((e: unknown) => e);
  expect(err).toBeInstanceOf(UserError);
  expect((err as UserError).code).toBe("crd-rejected");
  expect((err as UserError).message).toContain('metadata.name: Invalid value: "wrongs.test.tsop.dev": must be spec.names.plural+"."+spec.group');
  await expect(env.installCRDs([])).rejects.toThrow(/not started/);
});
