import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";
import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseAllDocuments } from "yaml";
import { fullGroup } from "../../src/project/model.js";
import { parseProject } from "../../src/project/project-file.js";
import { resourcePaths } from "../../src/scaffold/create-api.js";
import { cases } from "./cases.js";

// Renders the generated kustomize trees with the real kubectl. The CRD bases are written by
// `tsop manifests` (tested in the e2e); here minimal CRDs stand in for them.
const KUBECTL = "/usr/bin/kubectl";

interface Obj { kind: string; metadata: { name: string; namespace?: string }; spec?: Record<string, unknown> }

function kustomize(dir: string): Obj[] {
  const out = execFileSync(KUBECTL, ["kustomize", dir], { encoding: "utf8" });
  return parseAllDocuments(out).map((d) => d.toJS() as Obj);
}

async function writeStandInCrds(dir: string): Promise<void> {
  const project = parseProject(await readFile(path.join(dir, "PROJECT"), "utf8"));
  for (const r of project.resources) {
    const crd = {
      apiVersion: "apiextensions.k8s.io/v1",
      kind: "CustomResourceDefinition",
      metadata: { name: `${r.plural}.${fullGroup(r)}` },
      spec: {
        group: fullGroup(r),
        names: { kind: r.kind, plural: r.plural },
        scope: r.namespaced ? "Namespaced" : "Cluster",
        versions: [{ name: r.version, served: true, storage: true, schema: { openAPIV3Schema: { type: "object" } } }],
      },
    };
    const file = path.join(dir, resourcePaths(r).crd);
    await mkdir(path.dirname(file), { recursive: true });
    await writeFile(file, JSON.stringify(crd));
  }
}

describe("kubectl kustomize renders the generated config/", () => {
  let tmp: string;
  beforeAll(async () => {
    expect(existsSync(KUBECTL), "kubectl is needed at /usr/bin/kubectl").toBe(true);
    tmp = await mkdtemp(path.join(tmpdir(), "tsop-kustomize-"));
  });
  afterAll(async () => {
    await rm(tmp, { recursive: true, force: true });
  });

  it("init: namespace, name prefix, restricted pod security, probes, metrics", async () => {
    const dir = path.join(tmp, "init");
    await cases.find((c) => c.name === "init")!.run(dir);
    const objs = kustomize(path.join(dir, "config/default"));
    const byKind = (k: string) => objs.filter((o) => o.kind === k).map((o) => o.metadata.name).sort();
    expect(byKind("Namespace")).toEqual(["memcached-operator-system"]);
    expect(byKind("ClusterRole")).toEqual(["memcached-operator-manager-role", "memcached-operator-metrics-auth-role", "memcached-operator-metrics-reader"]);
    expect(byKind("Role")).toEqual(["memcached-operator-leader-election-role"]);
    expect(byKind("Service")).toEqual(["memcached-operator-controller-manager-metrics-service"]);
    const dep = objs.find((o) => o.kind === "Deployment")!;
    expect(dep.metadata).toMatchObject({ name: "memcached-operator-controller-manager", namespace: "memcached-operator-system" });
    const pod = (dep.spec as { template: { spec: Record<string, any> } }).template.spec;
    expect(pod["securityContext"]).toEqual({ runAsNonRoot: true, seccompProfile: { type: "RuntimeDefault" } });
    const c = pod["containers"][0];
    expect(c.securityContext).toEqual({ readOnlyRootFilesystem: true, allowPrivilegeEscalation: false, capabilities: { drop: ["ALL"] } });
    expect(c.args).toEqual(["--leader-elect", "--health-probe-bind-address=:8081", "--metrics-bind-address=:8443"]);
    expect(c.livenessProbe.httpGet).toEqual({ path: "/healthz", port: 8081 });
    expect(c.readinessProbe.httpGet).toEqual({ path: "/readyz", port: 8081 });
    expect(pod["serviceAccountName"]).toBe("memcached-operator-controller-manager");
    for (const extra of ["prometheus", "network-policy", "samples"]) kustomize(path.join(dir, "config", extra));
  });

  it("init --namespaced: Role and RoleBinding for the manager, WATCH_NAMESPACE set", async () => {
    const dir = path.join(tmp, "init-namespaced");
    await cases.find((c) => c.name === "init-namespaced")!.run(dir);
    const objs = kustomize(path.join(dir, "config/default"));
    expect(objs.find((o) => o.metadata.name === "scoped-operator-manager-role")).toMatchObject({ kind: "Role", metadata: { namespace: "scoped-operator-system" } });
    expect(objs.find((o) => o.metadata.name === "scoped-operator-manager-rolebinding")?.kind).toBe("RoleBinding");
    const dep = objs.find((o) => o.kind === "Deployment")!;
    expect(JSON.stringify(dep)).toContain('"name":"WATCH_NAMESPACE"');
  });

  it.each(["api-namespaced", "api-cluster"])("%s: CRDs, admin/editor/viewer roles and samples render", async (name) => {
    const dir = path.join(tmp, name);
    await cases.find((c) => c.name === name)!.run(dir);
    await writeStandInCrds(dir);
    const project = parseProject(await readFile(path.join(dir, "PROJECT"), "utf8"));
    const objs = kustomize(path.join(dir, "config/default"));
    const crds = objs.filter((o) => o.kind === "CustomResourceDefinition").map((o) => o.metadata.name).sort();
    expect(crds).toEqual(project.resources.map((r) => `${r.plural}.${fullGroup(r)}`).sort());
    for (const r of project.resources) {
      for (const role of ["admin", "editor", "viewer"]) {
        expect(objs.some((o) => o.kind === "ClusterRole" && o.metadata.name === `${project.projectName}-${r.kind.toLowerCase()}-${role}-role`)).toBe(true);
      }
    }
    const samples = kustomize(path.join(dir, "config/samples"));
    expect(samples.map((s) => s.kind).sort()).toEqual(project.resources.map((r) => r.kind).sort());
  });
});
