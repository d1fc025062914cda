import { describe, expect, it } from "vitest";
import { UserError } from "../../src/errors.js";
import { parseImage } from "../../src/deploy/image.js";
import { kustomizeMessage } from "../../src/deploy/kustomize.js";
import { applyOrder } from "../../src/kube/objects.js";

describe("parseImage (--img)", () => {
  it.each([
    ["controller", { name: "controller" }],
    ["controller:latest", { name: "controller", tag: "latest" }],
    ["quay.io/acme/memcached-operator:v0.1.0", { name: "quay.io/acme/memcached-operator", tag: "v0.1.0" }],
    ["localhost:5000/op", { name: "localhost:5000/op" }],
    ["localhost:5000/op:dev", { name: "localhost:5000/op", tag: "dev" }],
    ["ghcr.io/a/b/c@sha256:" + "a".repeat(64), { name: "ghcr.io/a/b/c", digest: "sha256:" + "a".repeat(64) }],
    ["reg.io/op:v1@sha256:" + "b".repeat(64), { name: "reg.io/op", tag: "v1", digest: "sha256:" + "b".repeat(64) }],
    ["my_org/my-op__x", { name: "my_org/my-op__x" }],
  ])("accepts %s", (img, want) => {
    expect(parseImage(img)).toEqual(want);
  });

  it.each([
    ["", /it is empty/],
    ["Quay.io/ACME/op:v1", /"ACME" must be lower-case/],
    ["quay.io/acme/op:", /"" is not a tag/],
    ["quay.io/acme/op:v1:v2", /is not a registry host|is not a tag|must be lower-case/],
    ["op@sha256:xyz", /is not a digest/],
    ["quay.io//op", /empty path component/],
    ["-op", /must be lower-case/],
    ["quay.io/acme/op:" + "t".repeat(129), /is not a tag/],
  ])("refuses %j in one line naming --img", (img, why) => {
    const err = (() => {
      try {
        parseImage(img);
      } catch (e) {
        return e;
      }
      return undefined;
    })();
    expect(err).toBeInstanceOf(UserError);
    const line = (err as UserError).format();
    expect(line).toMatch(/^--img ".*" is not a valid image reference: /);
    expect(line).toMatch(why);
    expect(line).not.toContain("\n");
  });
});

describe("kustomizeMessage", () => {
  it("takes kustomize's err=\"...\" out of kubectl's klog line", () => {
    const stderr = `E1203 18:03:39.806195   22852 run.go:72] "command failed" err="accumulating resources: accumulation err='accumulating resources from '../crd': \\"x\\" must resolve to a file'"\n`;
    expect(kustomizeMessage(stderr)).toBe(`accumulating resources: accumulation err='accumulating resources from '../crd': "x" must resolve to a file'`);
  });
  it("keeps a plain error line, without its error: prefix", () => {
    expect(kustomizeMessage("Error: invalid Kustomization: json: unknown field \"resourcez\"\n")).toBe('invalid Kustomization: json: unknown field "resourcez"');
  });
});

describe("applyOrder", () => {
  it("puts Namespaces, then CRDs, then RBAC, then the rest, keeping the order within each", () => {
    const objs = ["Deployment/a", "ClusterRole/b", "CustomResourceDefinition/c", "Service/d", "Namespace/e", "ServiceAccount/f", "RoleBinding/g", "CustomResourceDefinition/h"].map((s) => {
      const [kind, name] = s.split("/");
      return { kind, metadata: { name } };
    });
    expect(applyOrder(objs).map((o) => `${o.kind}/${o.metadata.name}`)).toEqual([
      "Namespace/e", "CustomResourceDefinition/c", "CustomResourceDefinition/h", "ClusterRole/b", "ServiceAccount/f", "RoleBinding/g", "Deployment/a", "Service/d",
    ]);
  });
});

describe("findKustomize", () => {
  it("prefers kubectl kustomize when kubectl is on PATH", async () => {
    const { findKustomize } = await import("../../src/deploy/kustomize.js");
    const k = await findKustomize({ PATH: "/usr/bin" });
    expect(k).toEqual({ command: "/usr/bin/kubectl", args: ["kustomize"] });
  });

  it("without kubectl, kustomize or Go: one line saying what to install", async () => {
    const { mkdtempSync, rmSync } = await import("node:fs");
    const { tmpdir } = await import("node:os");
    const { join } = await import("node:path");
    const { findKustomize } = await import("../../src/deploy/kustomize.js");
    const empty = mkdtempSync(join(tmpdir(), "tsop-nokustomize-"));
    try {
      const err = await findKustomize({ PATH: empty, XDG_CACHE_HOME: empty }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(UserError);
      expect((err as UserError).format()).toMatch(/^neither kubectl nor kustomize is on PATH, and there is no Go to build kustomize \(install kubectl .* or kustomize v5 .*\)$/);
    } finally {
      rmSync(empty, { recursive: true, force: true });
    }
  });
});
