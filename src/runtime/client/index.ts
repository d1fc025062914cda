/**
 * tsop/runtime/client: talking to the apiserver — kubeconfig loading, the REST transport (watch
 * streams included), the cached client and its contracts, and API errors.
 * @module
 */
export { KubeClient, type KubeClientOptions } from "./client.js";
export { type Client, type Reader, type Writer, type CacheReader, type ListOptions, type ApplyOptions, type ApplyConfiguration } from "./types.js";
export { RestClient, type RestClientOptions, type RequestOptions } from "./rest.js";
export { type WatchEvent } from "./watch.js";
export { loadKubeConfig, kubeConfigFromYaml, type ClusterConfig, type Credentials, type LoadKubeConfigOptions } from "./kubeconfig.js";
export { ApiError, isNotFound, isConflict, isAlreadyExists, isGone, ignoreNotFound, type Status } from "./errors.js";
