/**
 * tsop/envtest: a real etcd + kube-apiserver on loopback for tests and `tsop run --local`.
 * @module
 */
export { Environment, type EnvironmentOptions, type EnvironmentUser, type StartedEnvironment } from "./environment.js";
export { ensureBinaries, type Binaries, type EnsureBinariesOptions } from "./binaries.js";
export { DEFAULT_K8S_VERSION, cacheRoot } from "./versions.js";
export type { TlsMaterial } from "./http.js";
export type { WebhookInstallOptions, LocalWebhookServing } from "./webhooks.js";
