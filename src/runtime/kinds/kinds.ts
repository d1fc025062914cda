/**
 * Built-in kinds as descriptors typed with the `kubernetes-types` package (types only: nothing of
 * it is loaded at run time): `client.get(Deployment, "web", { namespace: "default" })`.
 * @module
 */
import type * as apiextensionsv1 from "kubernetes-types/apiextensions/v1.js";
import type * as appsv1 from "kubernetes-types/apps/v1.js";
import type * as batchv1 from "kubernetes-types/batch/v1.js";
import type * as coordinationv1 from "kubernetes-types/coordination/v1.js";
import type * as corev1 from "kubernetes-types/core/v1.js";
import type * as networkingv1 from "kubernetes-types/networking/v1.js";
import type * as rbacv1 from "kubernetes-types/rbac/v1.js";
import { defineKind } from "../../types/index.js";

/** core/v1 Pod. */
export const Pod = defineKind<corev1.Pod>({ group: "", version: "v1", kind: "Pod", plural: "pods", namespaced: true });
/** core/v1 Service. */
export const Service = defineKind<corev1.Service>({ group: "", version: "v1", kind: "Service", plural: "services", namespaced: true });
/** core/v1 ConfigMap. */
export const ConfigMap = defineKind<corev1.ConfigMap>({ group: "", version: "v1", kind: "ConfigMap", plural: "configmaps", namespaced: true });
/** core/v1 Secret. */
export const Secret = defineKind<corev1.Secret>({ group: "", version: "v1", kind: "Secret", plural: "secrets", namespaced: true });
/** core/v1 ServiceAccount. */
export const ServiceAccount = defineKind<corev1.ServiceAccount>({ group: "", version: "v1", kind: "ServiceAccount", plural: "serviceaccounts", namespaced: true });
/** core/v1 Namespace (cluster-scoped). */
export const Namespace = defineKind<corev1.Namespace>({ group: "", version: "v1", kind: "Namespace", plural: "namespaces", namespaced: false });
/** core/v1 Event. */
export const Event = defineKind<corev1.Event>({ group: "", version: "v1", kind: "Event", plural: "events", namespaced: true });
/** core/v1 PersistentVolumeClaim. */
export const PersistentVolumeClaim = defineKind<corev1.PersistentVolumeClaim>({ group: "", version: "v1", kind: "PersistentVolumeClaim", plural: "persistentvolumeclaims", namespaced: true });
/** apps/v1 Deployment. */
export const Deployment = defineKind<appsv1.Deployment>({ group: "apps", version: "v1", kind: "Deployment", plural: "deployments", namespaced: true });
/** apps/v1 StatefulSet. */
export const StatefulSet = defineKind<appsv1.StatefulSet>({ group: "apps", version: "v1", kind: "StatefulSet", plural: "statefulsets", namespaced: true });
/** apps/v1 DaemonSet. */
export const DaemonSet = defineKind<appsv1.DaemonSet>({ group: "apps", version: "v1", kind: "DaemonSet", plural: "daemonsets", namespaced: true });
/** apps/v1 ReplicaSet. */
export const ReplicaSet = defineKind<appsv1.ReplicaSet>({ group: "apps", version: "v1", kind: "ReplicaSet", plural: "replicasets", namespaced: true });
/** batch/v1 Job. */
export const Job = defineKind<batchv1.Job>({ group: "batch", version: "v1", kind: "Job", plural: "jobs", namespaced: true });
/** batch/v1 CronJob. */
export const CronJob = defineKind<batchv1.CronJob>({ group: "batch", version: "v1", kind: "CronJob", plural: "cronjobs", namespaced: true });
/** coordination.k8s.io/v1 Lease. */
export const Lease = defineKind<coordinationv1.Lease>({ group: "coordination.k8s.io", version: "v1", kind: "Lease", plural: "leases", namespaced: true });
/** rbac.authorization.k8s.io/v1 Role. */
export const Role = defineKind<rbacv1.Role>({ group: "rbac.authorization.k8s.io", version: "v1", kind: "Role", plural: "roles", namespaced: true });
/** rbac.authorization.k8s.io/v1 RoleBinding. */
export const RoleBinding = defineKind<rbacv1.RoleBinding>({ group: "rbac.authorization.k8s.io", version: "v1", kind: "RoleBinding", plural: "rolebindings", namespaced: true });
/** rbac.authorization.k8s.io/v1 ClusterRole (cluster-scoped). */
export const ClusterRole = defineKind<rbacv1.ClusterRole>({ group: "rbac.authorization.k8s.io", version: "v1", kind: "ClusterRole", plural: "clusterroles", namespaced: false });
/** rbac.authorization.k8s.io/v1 ClusterRoleBinding (cluster-scoped). */
export const ClusterRoleBinding = defineKind<rbacv1.ClusterRoleBinding>({ group: "rbac.authorization.k8s.io", version: "v1", kind: "ClusterRoleBinding", plural: "clusterrolebindings", namespaced: false });
/** networking.k8s.io/v1 Ingress. */
export const Ingress = defineKind<networkingv1.Ingress>({ group: "networking.k8s.io", version: "v1", kind: "Ingress", plural: "ingresses", namespaced: true });
/** apiextensions.k8s.io/v1 CustomResourceDefinition (cluster-scoped). */
export const CustomResourceDefinition = defineKind<apiextensionsv1.CustomResourceDefinition>({ group: "apiextensions.k8s.io", version: "v1", kind: "CustomResourceDefinition", plural: "customresourcedefinitions", namespaced: false });
/** Short name of {@link CustomResourceDefinition}. */
export const CRD = CustomResourceDefinition;

/** Object types of the built-in kinds, for annotations: `let d: DeploymentObject`. */
export type { Pod as PodObject, Service as ServiceObject, ConfigMap as ConfigMapObject, Secret as SecretObject } from "kubernetes-types/core/v1.js";
export type { Deployment as DeploymentObject } from "kubernetes-types/apps/v1.js";
