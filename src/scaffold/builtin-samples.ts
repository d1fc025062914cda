/**
 * The smallest valid object of each built-in kind, which a generated controller's test creates so
 * the reconciler has something to reconcile (the kube-apiserver validates built-in kinds' specs).
 * @module
 */
import type { BuiltInKind } from "../project/builtin-kinds.js";

const container = { name: "app", image: "registry.k8s.io/pause:3.10" };
const podTemplate = { metadata: { labels: { app: "test" } }, spec: { containers: [container] } };
const workload = { selector: { matchLabels: { app: "test" } }, template: podTemplate };
const roleRef = { apiGroup: "rbac.authorization.k8s.io", kind: "ClusterRole", name: "view" };
const subjects = [{ kind: "ServiceAccount", name: "default", namespace: "default" }];

/** The fields beside apiVersion/kind/metadata, per kind. */
const BODIES: Record<string, Record<string, unknown>> = {
  Pod: { spec: { containers: [container] } },
  Service: { spec: { ports: [{ port: 80 }] } },
  ConfigMap: { data: { key: "value" } },
  Secret: { stringData: { key: "value" } },
  ServiceAccount: {},
  Namespace: {},
  Event: { involvedObject: { kind: "Pod", name: "test", namespace: "default" }, reason: "Test", message: "created by the test" },
  PersistentVolumeClaim: { spec: { accessModes: ["ReadWriteOnce"], resources: { requests: { storage: "1Gi" } } } },
  Deployment: { spec: workload },
  StatefulSet: { spec: { ...workload, serviceName: "test" } },
  DaemonSet: { spec: workload },
  ReplicaSet: { spec: workload },
  Job: { spec: { template: { spec: { containers: [container], restartPolicy: "Never" } } } },
  CronJob: { spec: { schedule: "*/5 * * * *", jobTemplate: { spec: { template: { spec: { containers: [container], restartPolicy: "Never" } } } } } },
  Lease: { spec: {} },
  Role: { rules: [] },
  RoleBinding: { roleRef, subjects },
  ClusterRole: { rules: [] },
  ClusterRoleBinding: { roleRef, subjects },
  Ingress: { spec: { defaultBackend: { service: { name: "test", port: { number: 80 } } } } },
  CustomResourceDefinition: {
    spec: {
      group: "test.example.com",
      names: { kind: "Sample", listKind: "SampleList", plural: "samples", singular: "sample" },
      scope: "Namespaced",
      versions: [{ name: "v1", served: true, storage: true, schema: { openAPIV3Schema: { type: "object" } } }],
    },
  },
};

/** The sample object of `b` (in namespace default when namespaced). */
export function builtInSampleObject(b: BuiltInKind): { apiVersion: string; kind: string; metadata: { name: string; namespace?: string } } {
  // A CRD's name must be <plural>.<group>.
  const name = b.kind === "CustomResourceDefinition" ? "samples.test.example.com" : `test-${b.kind.toLowerCase()}`;
  const metadata = b.namespaced ? { name, namespace: "default" } : { name };
  return { apiVersion: b.apiGroup ? `${b.apiGroup}/${b.version}` : b.version, kind: b.kind, metadata, ...BODIES[b.kind] };
}

/** The sample object of `b` as a TypeScript object literal (indented for the test template), and its reconcile key. */
export function builtInSample(b: BuiltInKind, indent: string): { literal: string; key: string } {
  const obj = builtInSampleObject(b);
  const name = obj.metadata.name;
  const literal = JSON.stringify(obj, null, 2)
    .replace(/"([A-Za-z_$][\w$]*)":/g, "$1:")
    .split("\n")
    .map((l, i) => (i === 0 ? l : indent + l))
    .join("\n");
  return { literal, key: b.namespaced ? `default/${name}` : name };
}
