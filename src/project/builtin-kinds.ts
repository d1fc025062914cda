/**
 * The built-in Kubernetes kinds a project may write a controller or webhook for without defining
 * them (`create api --group apps --version v1 --kind Deployment --resource=false`): exactly the
 * kinds tsop/runtime/kinds exports, so generated code is typed. PROJECT records them like
 * kubebuilder's core types: the group label (`core`, `apps`, `rbac`), the domain of the API group
 * (`k8s.io`, `authorization.k8s.io`, or empty), `crd: false` and no source `path`.
 * @module
 */
import { didYouMean } from "../did-you-mean.js";
import { UserError } from "../errors.js";
import type { ProjectResource } from "./model.js";

/** One built-in kind. */
export interface BuiltInKind {
  /** The group label used on the command line and in PROJECT: `core`, `apps`, `rbac`. */
  label: string;
  /** The API group: `""`, `apps`, `rbac.authorization.k8s.io`. */
  apiGroup: string;
  version: string;
  kind: string;
  plural: string;
  namespaced: boolean;
}

/** Group labels (kubebuilder's core groups) and their API groups. */
const GROUPS: Record<string, string> = {
  core: "",
  apps: "apps",
  batch: "batch",
  coordination: "coordination.k8s.io",
  rbac: "rbac.authorization.k8s.io",
  networking: "networking.k8s.io",
  apiextensions: "apiextensions.k8s.io",
  // Kubernetes groups without a kind tsop types yet: named so a request for them is refused clearly.
  policy: "policy",
  autoscaling: "autoscaling",
  storage: "storage.k8s.io",
  discovery: "discovery.k8s.io",
  scheduling: "scheduling.k8s.io",
  node: "node.k8s.io",
  admissionregistration: "admissionregistration.k8s.io",
  certificates: "certificates.k8s.io",
  events: "events.k8s.io",
  flowcontrol: "flowcontrol.apiserver.k8s.io",
  resource: "resource.k8s.io",
};

const k = (label: string, kind: string, plural: string, namespaced = true): BuiltInKind => ({ label, apiGroup: GROUPS[label]!, version: "v1", kind, plural, namespaced });

/** Every built-in kind tsop knows (the descriptors of tsop/runtime/kinds). */
export const BUILT_IN_KINDS: readonly BuiltInKind[] = [
  k("core", "Pod", "pods"), k("core", "Service", "services"), k("core", "ConfigMap", "configmaps"), k("core", "Secret", "secrets"),
  k("core", "ServiceAccount", "serviceaccounts"), k("core", "Namespace", "namespaces", false), k("core", "Event", "events"),
  k("core", "PersistentVolumeClaim", "persistentvolumeclaims"),
  k("apps", "Deployment", "deployments"), k("apps", "StatefulSet", "statefulsets"), k("apps", "DaemonSet", "daemonsets"), k("apps", "ReplicaSet", "replicasets"),
  k("batch", "Job", "jobs"), k("batch", "CronJob", "cronjobs"),
  k("coordination", "Lease", "leases"),
  k("rbac", "Role", "roles"), k("rbac", "RoleBinding", "rolebindings"), k("rbac", "ClusterRole", "clusterroles", false), k("rbac", "ClusterRoleBinding", "clusterrolebindings", false),
  k("networking", "Ingress", "ingresses"),
  k("apiextensions", "CustomResourceDefinition", "customresourcedefinitions", false),
];

/** The label of a group given as a label (`apps`), an API group (`rbac.authorization.k8s.io`) or `""` (core); undefined for other groups. */
export function builtInGroupLabel(group: string): string | undefined {
  if (group === "") return "core";
  if (group in GROUPS) return group;
  return Object.entries(GROUPS).find(([, g]) => g === group)?.[0];
}

/** The built-in kind `group/version, Kind=kind`, or undefined (no throw). */
export function findBuiltInKind(group: string, version: string, kind: string): BuiltInKind | undefined {
  const label = builtInGroupLabel(group);
  return BUILT_IN_KINDS.find((b) => b.label === label && b.version === version && b.kind === kind);
}

/**
 * The built-in kind `group/version, Kind=kind`; a `UserError` naming the known kinds (and the
 * nearest one) when tsop does not know it.
 */
export function requireBuiltInKind(group: string, version: string, kind: string): BuiltInKind {
  const found = findBuiltInKind(group, version, kind);
  if (found) return found;
  const label = builtInGroupLabel(group) ?? group;
  const inGroup = BUILT_IN_KINDS.filter((b) => b.label === label);
  const sameKind = BUILT_IN_KINDS.find((b) => b.kind === kind);
  const near = didYouMean(kind, (inGroup.length ? inGroup : BUILT_IN_KINDS).map((b) => b.kind));
  const nearKind = near ? BUILT_IN_KINDS.find((b) => b.kind === near && (inGroup.length === 0 || b.label === label)) : undefined;
  const suggest = sameKind ? sameKind : nearKind;
  const known = BUILT_IN_KINDS.map((b) => `${b.label}/${b.kind}`).join(", ");
  throw new UserError("unknown-built-in-kind", `${label}/${version} ${kind} is not a built-in kind tsop knows`, {
    hint: `${suggest ? `did you mean --group ${suggest.label} --version ${suggest.version} --kind ${suggest.kind}? ` : ""}known (all v1): ${known}; for another kind use tsop create api --external --from-crd FILE`,
  });
}

/** The PROJECT entry of a built-in kind. */
export function builtInResource(b: BuiltInKind, controller: boolean): ProjectResource {
  const domain = b.apiGroup.startsWith(`${b.label}.`) ? b.apiGroup.slice(b.label.length + 1) : "";
  return { group: b.label, domain, version: b.version, kind: b.kind, plural: b.plural, path: "", namespaced: b.namespaced, controller, crd: false };
}

/** Whether a PROJECT entry is a built-in kind (no CRD, no source file of the project). */
export function isBuiltInResource(r: ProjectResource): boolean {
  return r.crd === false && r.path === "";
}
