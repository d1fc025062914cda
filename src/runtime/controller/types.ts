/**
 * What the manager runs (Runnable) and what the controller builder needs from it (ControllerHost).
 * @module
 */
import type { KindDescriptor } from "../../types/index.js";
import type { Cache } from "../cache/types.js";
import type { Client } from "../client/types.js";
import type { Logger } from "../log/types.js";
import type { MetricsSink } from "../metrics/sink.js";

/** Something the manager runs: started after caches sync, stopped by aborting the signal. */
export interface Runnable {
  /** Runs until `signal` aborts, then finishes in-flight work and resolves. */
  start(signal: AbortSignal): Promise<void>;
  /** True when it must run only on the elected leader (controllers). */
  readonly needsLeaderElection: boolean;
  /**
   * Optional: the kinds it watches, primary (`for`) kind first, then owned kinds. The manager's
   * RBAC self-check asks for list/watch on all, update/patch on the primary and
   * create/update/patch/delete on `ownedKinds`.
   */
  readonly watchedKinds?: readonly KindDescriptor[];
  /** Optional: the kinds it creates and deletes (a controller's `owns` kinds). */
  readonly ownedKinds?: readonly KindDescriptor[];
  /** Optional: a controller's name; the manager refuses two controllers with the same one. */
  readonly controllerName?: string;
  /** Optional: true when {@link Runnable.warmUp} should run before the Lease is won (warm replicas). */
  readonly warmsUp?: boolean;
  /** Optional: prepares (informers started and synced, initial lists queued) without doing work. */
  warmUp?(signal: AbortSignal): Promise<void>;
}

/** Defaults a host gives the controllers built on it (each builder's `withOptions` overrides them). */
export interface ControllerDefaults {
  maxConcurrentReconciles?: number;
  reconcileTimeoutMs?: number;
  warmUp?: boolean;
}

/** What the controller builder needs from the manager (implemented by Manager). */
export interface ControllerHost {
  /** The client controllers read and write with. */
  readonly client: Client;
  /** The shared informer cache controllers watch through. */
  readonly cache: Cache;
  /** The manager's logger; controllers log through children of it. */
  readonly logger: Logger;
  /** Where controllers and queues report metrics. */
  readonly metrics: MetricsSink;
  /** Register a runnable (a built controller) to start with the manager. */
  add(runnable: Runnable): void;
  /**
   * Optional: aborts when a graceful shutdown runs past its timeout; controllers pass it on as
   * `ReconcileContext.signal`.
   */
  readonly reconcileSignal?: AbortSignal;
  /** Optional: defaults for the controllers built on this host. */
  readonly controllerDefaults?: ControllerDefaults;
}
