/**
 * tsop/runtime: what operators import — the manager, controllers, client, cache and helpers.
 * Explicit named exports only, grouped by area.
 * @module
 */
// manager/operations
export { Manager, LeaderElectionLostError } from "./manager.js";
export { type ManagerOptions, namespacesFromEnv } from "./manager-options.js";
export { parseManagerFlags } from "./flags.js";
export { exitOnFatalError } from "./fatal.js";
export { UserError } from "../errors.js";
export { createLogger, silentLogger, type LoggerOptions, type LogLevel } from "./log.js";
export { PromMetrics, CONTROLLER_RUNTIME_METRICS } from "./metrics.js";
export { LeaderElector, type LeaderElectorOptions } from "./leader-election.js";
export { type HealthCheck } from "./health.js";
// webhooks (the rest is in tsop/runtime/webhook)
export { type AdmissionHooks, type ConversionHooks, type Spoke, type Warnings, FieldError, ValidationError, AdmissionDenied } from "./webhook/index.js";
// shared seams (interfaces.ts)
export { noopMetrics, type Request, type Result, type Reconciler, type ReconcileContext, type Client, type Reader, type Writer, type Cache, type Informer, type InformerEvent, type Logger, type MetricsSink, type Runnable, type ControllerHost, type ListOptions, type ApplyOptions, type ApplyConfiguration } from "./interfaces.js";
// controllers and helpers
export { Controller, watchSource, type ControllerOptions, type WatchSource } from "./controller.js";
export { ControllerBuilder, type BuilderOptions, type WatchOptions } from "./builder.js";
export { WorkQueue, type WorkQueueOptions } from "./queue.js";
export { type RateLimiter, ExponentialFailureRateLimiter, BucketRateLimiter, MaxOfRateLimiter, defaultControllerRateLimiter } from "./rate-limiter.js";
export { type Clock, FakeClock } from "./clock.js";
export { type Predicate, predicate, generationChanged, labelsChanged, annotationsChanged, resourceVersionChanged, and, or, not } from "./predicates.js";
export { type EventHandler, type MapFunc, enqueueForObject, enqueueForOwner, enqueueFromMap } from "./handlers.js";
export { TerminalError, terminal, isTerminal } from "./terminal.js";
export { setStatusCondition, removeStatusCondition, findStatusCondition, isStatusConditionTrue, isStatusConditionFalse, isStatusConditionPresentAndEqual, type ConditionInput } from "./conditions.js";
export { hasFinalizer, addFinalizer, removeFinalizer, ensureFinalizer, removeFinalizerAndUpdate } from "./finalizers.js";
export { setControllerReference, setOwnerReference, getControllerOf, isControlledBy, OwnerReferenceError } from "./owner.js";
export { EventRecorder, EventKind, type EventRecorderOptions, type CoreEvent } from "./events.js";
// client/cache
export { loadKubeConfig, kubeConfigFromYaml, type ClusterConfig, type Credentials, type LoadKubeConfigOptions } from "./kubeconfig.js";
export { RestClient, type RestClientOptions, type RequestOptions } from "./rest.js";
export { type WatchEvent } from "./watch.js";
export { ApiError, isNotFound, isConflict, isAlreadyExists, isGone, ignoreNotFound, type Status } from "./errors.js";
export { InformerCache, indexControllerOwner, CONTROLLER_OWNER_INDEX, type InformerCacheOptions } from "./cache.js";
export { SharedInformer } from "./informer.js";
export { KubeClient, type KubeClientOptions } from "./client.js";
export { parseLabelSelector, parseFieldSelector, SelectorError } from "./selectors.js";
export { Pod, Service, ConfigMap, Secret, ServiceAccount, Namespace, Event, PersistentVolumeClaim, Deployment, StatefulSet, DaemonSet, ReplicaSet, Job, CronJob, Lease, Role, RoleBinding, ClusterRole, ClusterRoleBinding, Ingress, CustomResourceDefinition, CRD } from "./kinds.js";
