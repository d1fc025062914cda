/**
 * The Manager: builds the client stack from a kubeconfig, registers controllers, and runs
 * everything an operator process needs (caches, controllers, leader election, metrics, probes,
 * graceful shutdown).
 *
 * Flow of `start()`: probe and metrics servers up, caches started; runnables that need no election
 * start at once; controllers start once the Lease is held (or at once without leader election);
 * the RBAC self-check runs once the caches synced (or after a second). On a stop signal: controllers stop taking keys, in-flight reconciles get
 * `gracefulShutdownTimeoutMs`, the Lease is released, caches and servers stop, `start()` resolves.
 * Leader lost: controllers stop at once; with `onLeaderLost: "exit"` (default, like
 * controller-runtime) `start()` rejects with {@link LeaderElectionLostError}, which ends a generated
 * main.ts with exit code 1 so Kubernetes restarts the pod; with `"reelect"` the manager campaigns again.
 * @module
 */
import { UserError } from "../../errors.js";
import type { KindDescriptor } from "../../types/index.js";
import { ControllerBuilder } from "../controller/builder.js";
import { InformerCache } from "../cache/cache.js";
import { KubeClient } from "../client/client.js";
import { EventRecorder } from "../events/events.js";
import { HealthProbeServer, ping, type HealthCheck } from "./health.js";
import type { Cache } from "../cache/types.js";
import type { Client } from "../client/types.js";
import type { ControllerDefaults, ControllerHost, Runnable } from "../controller/types.js";
import type { Logger } from "../log/types.js";
import { loadKubeConfig, type ClusterConfig } from "../client/kubeconfig.js";
import { LeaderElector } from "./leader-election.js";
import { createLogger } from "../log/log.js";
import { applyManagerDefaults, type ManagerOptions, type ResolvedManagerOptions } from "./options.js";
import { PromMetrics } from "../metrics/metrics.js";
import { MetricsServer } from "../metrics/server.js";
import { describePermission, formatMissing, missingPermissions, permissionsFor } from "./rbac-check.js";
import { RestClient } from "../client/rest.js";
import { handleStopSignals, withTimeout } from "./shutdown.js";
import { abortAfter, untilAborted } from "../internal/abort.js";
import { WebhookServer } from "../webhook/server.js";

/** How long the RBAC self-check waits for the caches to sync before it runs anyway. */
const RBAC_CHECK_DELAY_MS = 1_000;

/** `start()` rejects with this when the Lease was lost and `onLeaderLost` is `"exit"`. */
export class LeaderElectionLostError extends Error {
  override readonly name = "LeaderElectionLostError";
  constructor(lease: string) {
    super(`leader election lost (lease ${lease}); exiting so the pod restarts as a standby`);
  }
}

/** Runs controllers and the operator's operational endpoints. Create with {@link Manager.create}. */
export class Manager implements ControllerHost {
  /** Cached reads, direct writes (read-your-own-writes); what reconcilers use. */
  readonly client: Client;
  /** The shared informer cache (one watch per kind). */
  readonly cache: Cache;
  /** The manager's structured logger. */
  readonly logger: Logger;
  /** The metrics sink served on /metrics, with controller-runtime's names (`promRegistry()` for prom-client metrics of your own). */
  readonly metrics: PromMetrics;
  /** The transport, for requests the typed client does not cover. */
  readonly rest: RestClient;
  /** The cluster this manager talks to. */
  readonly config: ClusterConfig;
  /** The options with defaults applied. */
  readonly options: ResolvedManagerOptions;
  /** The webhook server: register admission and conversion hooks on it before `start()`; it runs only when some are registered. */
  readonly webhookServer: WebhookServer;
  /** The leader elector, when leader election is on. */
  readonly elector: LeaderElector | undefined;
  private readonly runnables: Runnable[] = [];
  private readonly recorders = new Map<string, EventRecorder>();
  private readonly graceExpired = new AbortController();
  private readonly probes: HealthProbeServer | undefined;
  private readonly metricsServer: MetricsServer | undefined;
  private started = false;

  private constructor(config: ClusterConfig, options: ResolvedManagerOptions) {
    this.config = config;
    this.options = options;
    this.logger = options.logger ?? createLogger({ level: options.logLevel, development: options.development });
    this.metrics = new PromMetrics();
    this.rest = new RestClient(config, { qps: options.qps, burst: options.burst, metrics: this.metrics, logger: this.logger.child({ component: "rest" }) });
    this.cache = new InformerCache(this.rest, { namespaces: options.namespaces, logger: this.logger.child({ component: "cache" }), metrics: this.metrics });
    this.client = new KubeClient(this.rest, this.cache, {});
    if (options.healthProbeBindAddress !== "0") {
      this.probes = new HealthProbeServer({ bindAddress: options.healthProbeBindAddress, logger: this.logger });
      this.probes.addHealthzCheck("ping", ping);
      this.probes.addReadyzCheck("informers", () => {
        if (!this.cache.isReady()) throw new Error("caches not synced or a watch is failing");
      });
    }
    this.webhookServer = new WebhookServer({
      host: options.webhookHost, port: options.webhookPort, certDir: options.webhookCertPath, certName: options.webhookCertName,
      keyName: options.webhookCertKey, metrics: this.metrics, logger: this.logger.child({ component: "webhook" }),
    });
    if (options.metricsBindAddress !== "0") {
      this.metricsServer = new MetricsServer(this.metrics, {
        bindAddress: options.metricsBindAddress, secure: options.metricsSecure, api: this.rest,
        certDir: options.metricsCertPath, certName: options.metricsCertName, keyName: options.metricsCertKey,
        enableHTTP2: options.enableHTTP2, logger: this.logger,
      });
    }
    if (options.leaderElection) {
      if (!options.leaderElectionID) {
        throw new UserError("leader-election-id", "leader election is on but no leaderElectionID is set", { hint: "pass leaderElectionID to Manager.create (kubebuilder uses <hash>.<domain>) or --leader-election-id" });
      }
      this.elector = new LeaderElector(this.rest, {
        name: options.leaderElectionID,
        namespace: options.leaderElectionNamespace ?? config.namespace ?? "default",
        leaseDurationMs: options.leaseDurationMs, renewDeadlineMs: options.renewDeadlineMs, retryPeriodMs: options.retryPeriodMs,
        logger: this.logger.child({ component: "leader-election" }), metrics: this.metrics,
      });
    }
  }

  /** Loads the kubeconfig and builds the manager; nothing runs until {@link Manager.start}. */
  static async create(opts: ManagerOptions = {}): Promise<Manager> {
    const options = applyManagerDefaults(opts);
    const config = await loadKubeConfig({ kubeconfig: options.kubeconfig, context: options.context });
    return new Manager(config, options);
  }

  /** A builder for a controller registered with this manager: `.for(K).owns(D).complete(r)`. */
  controller(name: string): ControllerBuilder {
    return new ControllerBuilder(this, name);
  }

  /** The event recorder of a component (one per name, deduplicating): `recorder.event(obj, "Normal", reason, msg)`. */
  eventRecorder(name: string): EventRecorder {
    let r = this.recorders.get(name);
    if (!r) {
      r = new EventRecorder({ client: this.client, component: name, logger: this.logger.child({ component: "events" }) });
      this.recorders.set(name, r);
    }
    return r;
  }

  /** Registers a runnable; must be called before {@link Manager.start}. Controller names must be unique. */
  add(runnable: Runnable): void {
    if (this.started) throw new Error("Manager.add: the manager has already started; register controllers before start()");
    const name = runnable.controllerName;
    if (name !== undefined && this.runnables.some((r) => r.controllerName === name)) {
      throw new UserError("controller-name", `controller "${name}" is registered twice: controller names must be unique (they label logs and metrics)`, { hint: `give one of them another name, e.g. mgr.controller("${name}-2") or .named("${name}-2")` });
    }
    this.runnables.push(runnable);
  }

  /** Defaults for the controllers built on this manager (workers, reconcile timeout, warm-up). */
  get controllerDefaults(): ControllerDefaults {
    const o = this.options;
    return {
      ...(o.maxConcurrentReconciles !== undefined ? { maxConcurrentReconciles: o.maxConcurrentReconciles } : {}),
      ...(o.reconcileTimeoutMs !== undefined ? { reconcileTimeoutMs: o.reconcileTimeoutMs } : {}),
      warmUp: o.warmUp,
    };
  }

  /** Adds a liveness check to /healthz. */
  addHealthzCheck(name: string, check: HealthCheck): void {
    this.probes?.addHealthzCheck(name, check);
  }

  /** Adds a readiness check to /readyz. */
  addReadyzCheck(name: string, check: HealthCheck): void {
    this.probes?.addReadyzCheck(name, check);
  }

  /** Aborts when a graceful shutdown runs past `gracefulShutdownTimeoutMs` (reconciles see it as `ctx.signal`). */
  get reconcileSignal(): AbortSignal {
    return this.graceExpired.signal;
  }

  /** Bound port of the probe server once started (useful with `:0`); 0 when disabled. */
  get probePort(): number {
    return this.probes?.port ?? 0;
  }

  /** Bound port of the webhook server once started; 0 when not running. */
  get webhookPort(): number {
    return this.webhookServer.port;
  }

  /** Bound port of the metrics server once started; 0 when disabled. */
  get metricsPort(): number {
    return this.metricsServer?.port ?? 0;
  }

  /**
   * Runs until `signal` aborts (or, without a signal, until SIGTERM/SIGINT), then stops gracefully
   * and resolves. Rejects with {@link LeaderElectionLostError} when the Lease is lost and
   * `onLeaderLost` is `"exit"`.
   */
  async start(signal?: AbortSignal): Promise<void> {
    if (this.started) throw new Error("Manager.start: already started");
    this.started = true;
    const log = this.logger;
    const signals = signal || !this.options.handleSignals ? undefined : handleStopSignals({ logger: log });
    const stop = signal ?? signals?.signal ?? new AbortController().signal;
    const cacheStop = new AbortController();
    const runners: Promise<void>[] = [];
    let lostError: Error | undefined;
    const fail = new AbortController();
    // A running manager keeps the process alive even with no server listening (probes and metrics
    // off, "0") while its watches back off on unref'd timers; otherwise Node exits with 13 mid-run.
    const keepAlive = setInterval(() => {}, 1 << 30);
    try {
      await this.probes?.start();
      await this.metricsServer?.start();
      if (this.webhookServer.hasHandlers) {
        await this.webhookServer.start();
        this.probes?.addReadyzCheck("webhook", () => {
          if (!this.webhookServer.serving) throw new Error("webhook server not serving");
        });
      }
      const cacheRun = this.cache.start(cacheStop.signal).catch((err: unknown) => log.error({ err }, "cache stopped with an error"));
      const runStop = AbortSignal.any([stop, fail.signal]);
      for (const r of this.runnables.filter((x) => !x.needsLeaderElection)) runners.push(this.run(r, runStop));
      const leaders = this.runnables.filter((x) => x.needsLeaderElection);
      if (this.elector) {
        // Warm replicas: informers sync and initial lists queue while campaigning.
        for (const r of leaders) if (r.warmsUp && r.warmUp) r.warmUp(runStop).catch((err: unknown) => { if (!runStop.aborted) log.error({ err }, "warm-up failed"); });
      }
      // Advisory, and off the critical path: its reviews would open connections next to the
      // caches' first lists and watches and delay the first reconcile (by ~30 ms on loopback). It
      // starts once the caches synced, or after RBAC_CHECK_DELAY_MS when they do not (a forbidden
      // list never syncs: that is when the check's message matters most).
      if (!this.elector) for (const r of leaders) runners.push(this.run(r, runStop));
      const rbac = this.options.rbacSelfCheck ? this.checkPermissionsSoon(stop).catch((err: unknown) => log.warn({ err }, "RBAC self-check failed")) : undefined;
      if (!this.elector) {
        await untilAborted(runStop);
      } else {
        lostError = await this.lead(leaders, runStop);
        if (lostError) fail.abort(lostError);
      }
      log.info({}, "stopping: waiting for runnables to finish");
      await this.drain(runners);
      await rbac;
      await withTimeout(Promise.all([...this.recorders.values()].map((r) => r.flush())), 2_000);
      cacheStop.abort();
      await withTimeout(cacheRun, 2_000);
    } finally {
      clearInterval(keepAlive);
      cacheStop.abort();
      await this.elector?.release();
      await this.metricsServer?.stop();
      await this.webhookServer.stop();
      await this.probes?.stop();
      this.rest.close();
      signals?.uninstall();
    }
    if (lostError) throw lostError;
    log.info({}, "manager stopped");
    if (signals) {
      // Like a Go main returning: once the caller's code after start() had a moment, leave even if a
      // stray handle (a timer, a socket) would keep Node alive. The timer itself keeps nothing alive.
      setTimeout(() => process.exit(process.exitCode ?? 0), 2_000).unref();
    }
  }

  /**
   * Campaigns, runs the leader-only runnables while leading, and returns when `stop` aborts
   * (undefined) or, with `onLeaderLost: "exit"`, when the Lease is lost (the error).
   */
  private async lead(leaders: Runnable[], stop: AbortSignal): Promise<Error | undefined> {
    const elector = this.elector as LeaderElector;
    for (;;) {
      const held = await elector.acquire(stop);
      if (!held) return undefined;
      const term = AbortSignal.any([stop, held.lost]);
      const running = leaders.map((r) => this.run(r, term));
      await untilAborted(term);
      if (stop.aborted) {
        await this.drain(running);
        await held.renewing;
        return undefined;
      }
      this.logger.error({ lease: this.options.leaderElectionID }, "leader election lost: controllers stopped");
      await this.drain(running);
      if (this.options.onLeaderLost === "exit") {
        return new LeaderElectionLostError(`${this.options.leaderElectionNamespace ?? this.config.namespace}/${this.options.leaderElectionID}`);
      }
    }
  }

  /** Waits for stopping runnables up to the graceful shutdown timeout; past it, aborts reconciles. */
  private async drain(running: Promise<void>[]): Promise<void> {
    if (running.length === 0) return;
    const finished = await withTimeout(Promise.all(running), this.options.gracefulShutdownTimeoutMs);
    if (!finished) {
      this.logger.warn({ timeoutMs: this.options.gracefulShutdownTimeoutMs }, "graceful shutdown timed out; in-flight reconciles abandoned");
      this.graceExpired.abort(new Error("graceful shutdown timed out"));
    }
  }

  private run(r: Runnable, signal: AbortSignal): Promise<void> {
    return r.start(signal).catch((err: unknown) => {
      this.logger.error({ err: err instanceof Error ? err.message : String(err) }, "runnable failed");
    });
  }

  /** The RBAC self-check, once the caches synced (their informers exist by now) or after {@link RBAC_CHECK_DELAY_MS}. */
  private async checkPermissionsSoon(signal: AbortSignal): Promise<void> {
    const waited = abortAfter(signal, RBAC_CHECK_DELAY_MS);
    try {
      await this.cache.waitForSync(waited.signal);
    } finally {
      waited.cancel();
    }
    if (!signal.aborted) await this.checkPermissions(signal);
  }

  private async checkPermissions(signal: AbortSignal): Promise<void> {
    const watched = new Map<string, KindDescriptor>();
    const written = new Map<string, KindDescriptor>();
    const updated = new Map<string, KindDescriptor>();
    const key = (k: KindDescriptor): string => `${k.group}/${k.plural}`;
    for (const r of this.runnables) {
      for (const k of r.watchedKinds ?? []) watched.set(key(k), k);
      for (const k of r.ownedKinds ?? []) written.set(key(k), k);
      const primary = r.watchedKinds?.[0];
      if (primary) updated.set(key(primary), primary);
    }
    const perms = permissionsFor({
      watched: [...watched.values()], written: [...written.values()], updated: [...updated.values()], namespaces: this.options.namespaces,
      ...(this.elector ? { leaseNamespace: this.options.leaderElectionNamespace ?? this.config.namespace ?? "default" } : {}),
    });
    // Advisory: never hold the start for long (many namespaces × kinds can mean hundreds of reviews).
    const budget = abortAfter(signal, 10_000);
    const { missing, unchecked } = await missingPermissions(this.rest, perms, budget.signal).finally(budget.cancel);
    if (budget.signal.aborted && !signal.aborted) this.logger.warn({ checked: perms.length }, "RBAC self-check did not finish within 10 s; its result is partial");
    if (unchecked.length) this.logger.warn({ unchecked: unchecked.length, err: unchecked[0]?.error }, `RBAC self-check could not check ${unchecked.length} permission(s), e.g. ${describePermission(unchecked[0]!.permission)}`);
    if (missing.length) this.logger.error({ missing: missing.length }, formatMissing(missing));
    else if (!unchecked.length) this.logger.debug({ checked: perms.length }, "RBAC self-check passed");
  }
}
