/**
 * tsop/runtime: what operators import — the manager, controllers, client, cache and helpers.
 * Explicit named exports only; each area adds its own lines.
 * @module
 */
// manager/operations
export { Manager, LeaderElectionLostError } from "./manager.js";
export { type ManagerOptions, namespacesFromEnv } from "./manager-options.js";
export { parseManagerFlags } from "./flags.js";
export { createLogger, silentLogger, type LoggerOptions, type LogLevel } from "./log.js";
export { PromMetrics, CONTROLLER_RUNTIME_METRICS } from "./metrics.js";
export { LeaderElector, type LeaderElectorOptions } from "./leader-election.js";
export { type HealthCheck } from "./health.js";
