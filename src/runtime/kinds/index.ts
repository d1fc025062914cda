/**
 * tsop/runtime/kinds: descriptors of the built-in kinds (typed by kubernetes-types, types only),
 * for `get(Deployment, ...)`, `owns(Deployment)` and friends.
 * @module
 */
export { Pod, Service, ConfigMap, Secret, ServiceAccount, Namespace, Event, PersistentVolumeClaim, Deployment, StatefulSet, DaemonSet, ReplicaSet, Job, CronJob, Lease, Role, RoleBinding, ClusterRole, ClusterRoleBinding, Ingress, CustomResourceDefinition, CRD } from "./kinds.js";
export type { PodObject, ServiceObject, ConfigMapObject, SecretObject, DeploymentObject } from "./kinds.js";
