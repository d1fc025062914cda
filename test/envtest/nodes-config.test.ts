// Pure logic of the nodes/controllers options: controller selection, --nodes parsing, kwok's stage
// files read from a kustomization tree (a fixture laid out like the kwok module's).
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, test } from "vitest";
import { parseAllDocuments } from "yaml";
import { parseNodesFlag } from "../../src/cli/envtest.js";
import { controllerManagerArgs } from "../../src/envtest/control-plane.js";
import { KNOWN_CONTROLLERS, WORKLOAD_CONTROLLERS, resolveControllers } from "../../src/envtest/controllers.js";
import { Environment } from "../../src/envtest/index.js";
import { fastStagesYaml } from "../../src/envtest/kwok-stages.js";
import { kwokArgs, nodeObject } from "../../src/envtest/nodes.js";
import { UserError } from "../../src/errors.js";

const work = mkdtempSync(join(tmpdir(), "tsop-nodes-config-"));
afterAll(() => rmSync(work, { recursive: true, force: true }));

function userError(fn: () => unknown): UserError {
  try {
    fn();
  } catch (e) {
    if (e instanceof UserError) return e;
    throw e;
  }
  throw new Error("no error thrown");
}

describe("controller selection", () => {
  test("true is the workload set; a list keeps its order, accepts -controller names and drops repeats", () => {
    expect(resolveControllers(true)).toEqual([...WORKLOAD_CONTROLLERS]);
    expect(resolveControllers(false)).toEqual([]);
    expect(resolveControllers(undefined)).toEqual([]);
    expect(resolveControllers("job,deployment-controller, replicaset,job")).toEqual(["job", "deployment", "replicaset"]);
    expect(resolveControllers(["cronjob", "disruption"])).toEqual(["cronjob", "disruption"]);
    expect(KNOWN_CONTROLLERS).toEqual(expect.arrayContaining([...WORKLOAD_CONTROLLERS]));
  });

  test("an unknown name is one line naming the flag, a suggestion and every valid name", () => {
    const e = userError(() => resolveControllers("deploymnet,job", "--with-controllers"));
    expect(e.format()).toMatch(/^--with-controllers: kube-controller-manager has no controller "deploymnet" \(did you mean "deployment"\?\) \(valid names: .*\)$/);
    expect(e.format()).not.toContain("\n");
    for (const name of KNOWN_CONTROLLERS) expect(e.format()).toContain(name);
    expect(userError(() => resolveControllers(" , ", "--with-controllers")).format()).toContain("--with-controllers names no controller");
  });

  test("kube-controller-manager gets <name>-controller and the service-account key and root CA", () => {
    const args = controllerManagerArgs("/kc", "/kcm", 1234, ["deployment", "serviceaccount-token"], "/certs");
    expect(args).toContain("--controllers=deployment-controller,serviceaccount-token-controller");
    expect(args).toContain("--service-account-private-key-file=/certs/sa-signer.key");
    expect(args).toContain("--root-ca-file=/certs/apiserver-ca.crt");
  });

  test("Environment refuses a bad nodes count and an unknown controller before starting anything", () => {
    expect(userError(() => new Environment({ nodes: -1 })).format()).toContain("nodes must be a whole number >= 0, not -1");
    expect(userError(() => new Environment({ nodes: 1.5 })).format()).toContain("not 1.5");
    expect(userError(() => new Environment({ withControllers: ["replicaset", "nope"] })).format()).toContain('no controller "nope"');
  });
});

describe("--nodes", () => {
  test("a whole number >= 1; anything else is one line", () => {
    expect(parseNodesFlag(undefined)).toBeUndefined();
    expect(parseNodesFlag("3")).toBe(3);
    for (const bad of ["0", "-1", "abc", "1.5", "", "1e3"]) {
      expect(userError(() => parseNodesFlag(bad)).format()).toBe(`--nodes must be a whole number >= 1, not "${bad}" (e.g. --nodes 3; leave --nodes out for a control plane without nodes)`);
    }
  });
});

describe("kwok", () => {
  test("stages: the YAML files of the fast kustomization, nested ones followed, in order", () => {
    const mod = join(work, "kwok@v9.9.9");
    const stage = (dir: string, file: string, name: string): void => {
      mkdirSync(join(mod, dir), { recursive: true });
      writeFileSync(join(mod, dir, file), `apiVersion: kwok.x-k8s.io/v1alpha1\nkind: Stage\nmetadata:\n  name: ${name}\nspec: {}\n`);
    };
    const kustomization = (dir: string, resources: string[]): void => {
      mkdirSync(join(mod, dir), { recursive: true });
      writeFileSync(join(mod, dir, "kustomization.yaml"), `resources:\n${resources.map((r) => `- ${r}\n`).join("")}`);
    };
    kustomization("kustomize/stage/fast", ["../node/fast", "../pod/fast"]);
    kustomization("kustomize/stage/node/fast", ["node-initialize.yaml"]);
    stage("kustomize/stage/node/fast", "node-initialize.yaml", "node-initialize");
    kustomization("kustomize/stage/pod/fast", ["pod-ready.yaml", "pod-delete.yaml"]);
    stage("kustomize/stage/pod/fast", "pod-ready.yaml", "pod-ready");
    stage("kustomize/stage/pod/fast", "pod-delete.yaml", "pod-delete");
    const yaml = fastStagesYaml(mod, "9.9.9");
    expect(yaml).toContain("sigs.k8s.io/kwok v9.9.9");
    const docs = parseAllDocuments(yaml).map((d) => d.toJS() as { kind: string; metadata: { name: string } });
    expect(docs.map((d) => d.metadata.name)).toEqual(["node-initialize", "pod-ready", "pod-delete"]);
    expect(fastStagesYaml(mod, "9.9.9")).toBe(yaml);
    // A file that is not a Stage means the module changed shape: refuse rather than run kwok without it.
    writeFileSync(join(mod, "kustomize/stage/pod/fast/pod-delete.yaml"), "kind: ConfigMap\n");
    expect(() => fastStagesYaml(mod, "9.9.9")).toThrow(/pod-delete\.yaml is not a kwok Stage/);
  });

  test("nodes carry kwok's annotation and no taints; kwok manages exactly those", () => {
    const node = nodeObject("kwok-node-0") as { metadata: { annotations: Record<string, string>; labels: Record<string, string> }; spec: { taints?: unknown } };
    expect(node.metadata.annotations["kwok.x-k8s.io/node"]).toBe("fake");
    expect(node.metadata.labels["kubernetes.io/hostname"]).toBe("kwok-node-0");
    expect(node.spec.taints).toBeUndefined();
    const args = kwokArgs("/kc", "/stages.yaml");
    expect(args).toContain("--manage-nodes-with-annotation-selector=kwok.x-k8s.io/node=fake");
    expect(args).toContain("--config=/stages.yaml");
  });
});
