/**
 * tsop/runtime/manager: the manager — options and flags, leader election, health probes, and the
 * one-line exit for bad input.
 * @module
 */
export { Manager, LeaderElectionLostError } from "./manager.js";
export { type ManagerOptions, namespacesFromEnv } from "./options.js";
export { parseManagerFlags } from "./flags.js";
export { exitOnFatalError } from "./fatal.js";
export { UserError } from "../../errors.js";
export { LeaderElector, type LeaderElectorOptions } from "./leader-election.js";
export { type HealthCheck } from "./health.js";
