/**
 * Leader election on a coordination.k8s.io/v1 Lease, with client-go's timing rules.
 *
 * Flow: `run()` campaigns every retry period until it holds the Lease, calls `onStartedLeading`
 * with a signal, then renews every retry period. A renewal that has not succeeded within the renew
 * deadline means the Lease is lost: the signal aborts and `onStoppedLeading` runs.
 * Guarantees: a holder is only displaced after the Lease went unrenewed for a whole lease duration
 * as seen on the candidate's own clock (observed time, so clock skew between nodes does not matter);
 * updates are optimistic (resourceVersion), so two candidates never both win.
 * Caveats: the old leader learns of its loss only at its renew deadline; keep renewDeadline well under
 * leaseDuration (defaults 10 s vs 15 s) so it stops before another can take over.
 * On `release()` (shutdown) the holder is cleared and the duration set to 1 s, so a standby takes over
 * at its next retry.
 * @module
 */
import { randomUUID } from "node:crypto";
import { hostname } from "node:os";
import { UserError } from "../../errors.js";
import { ApiError } from "../client/errors.js";
import type { Logger } from "../log/types.js";
import type { MetricsSink } from "../metrics/sink.js";
import type { ApiRequester } from "../client/rest.js";

/** Options of {@link LeaderElector}. */
export interface LeaderElectorOptions {
  /** Lease name. */
  name: string;
  /** Lease namespace. */
  namespace: string;
  /** This candidate. Default: `<hostname>_<uuid>`. */
  identity?: string;
  /** Default: 15000. */
  leaseDurationMs?: number;
  /** Default: 10000. */
  renewDeadlineMs?: number;
  /** Default: 2000. */
  retryPeriodMs?: number;
  /** Default: silent. */
  logger?: Logger;
  /** Receives `leader_election_master_status{name}`. Default: none. */
  metrics?: MetricsSink;
}

/** The Lease object, as far as election needs it. */
export interface Lease {
  apiVersion?: string;
  kind?: string;
  metadata: { name: string; namespace: string; resourceVersion?: string };
  spec?: {
    holderIdentity?: string | null;
    leaseDurationSeconds?: number;
    acquireTime?: string | null;
    renewTime?: string | null;
    leaseTransitions?: number;
  };
}

/** MicroTime as the apiserver writes it: `2006-01-02T15:04:05.000000Z`. */
const microTime = (ms: number): string => new Date(ms).toISOString().replace(/\.(\d{3})Z$/, ".$1000Z");
const sleep = (ms: number, signal: AbortSignal): Promise<void> =>
  new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const t = setTimeout(done, ms);
    function done(): void {
      clearTimeout(t);
      signal.removeEventListener("abort", done);
      resolve();
    }
    signal.addEventListener("abort", done, { once: true });
  });
const jitter = (ms: number): number => ms * (1 + Math.random() * 0.2);

/** Campaigns for, holds and releases one Lease. */
export class LeaderElector {
  /** This candidate's identity (written as holderIdentity). */
  readonly identity: string;
  private readonly o: Required<Omit<LeaderElectorOptions, "logger" | "metrics">>;
  private readonly log: Logger | undefined;
  private readonly metricsSink: MetricsSink | undefined;
  private observed: { record: string; at: number } | undefined;
  private lease: Lease | undefined;
  private leading = false;
  private seenHolder: string | undefined;

  constructor(private readonly api: ApiRequester, opts: LeaderElectorOptions) {
    this.identity = opts.identity ?? `${hostname()}_${randomUUID()}`;
    this.o = {
      name: opts.name, namespace: opts.namespace, identity: this.identity,
      leaseDurationMs: opts.leaseDurationMs ?? 15_000, renewDeadlineMs: opts.renewDeadlineMs ?? 10_000, retryPeriodMs: opts.retryPeriodMs ?? 2_000,
    };
    this.log = opts.logger;
    this.metricsSink = opts.metrics;
    if (this.o.renewDeadlineMs >= this.o.leaseDurationMs) {
      throw new UserError("leader-election-timing", `leader election: renewDeadline (${this.o.renewDeadlineMs} ms) must be shorter than leaseDuration (${this.o.leaseDurationMs} ms)`, { hint: "defaults: lease 15 s, renew deadline 10 s, retry 2 s" });
    }
    if (this.o.retryPeriodMs >= this.o.renewDeadlineMs) {
      throw new UserError("leader-election-timing", `leader election: retryPeriod (${this.o.retryPeriodMs} ms) must be shorter than renewDeadline (${this.o.renewDeadlineMs} ms)`, { hint: "defaults: lease 15 s, renew deadline 10 s, retry 2 s" });
    }
    this.gauge(0);
  }

  /** True while this candidate holds the Lease. */
  isLeader(): boolean {
    return this.leading;
  }

  private get path(): string {
    return `/apis/coordination.k8s.io/v1/namespaces/${this.o.namespace}/leases`;
  }

  /**
   * Campaigns until leading (or `signal` aborts: resolves false), then returns a signal that aborts
   * when the Lease is lost or `signal` aborts. Renewal runs in the background until then.
   */
  async acquire(signal: AbortSignal): Promise<{ lost: AbortSignal; renewing: Promise<void> } | false> {
    this.log?.info({ lease: `${this.o.namespace}/${this.o.name}`, identity: this.identity }, "attempting to acquire leader lease");
    while (!signal.aborted) {
      if (await this.tryAcquireOrRenew(this.o.renewDeadlineMs)) break;
      await sleep(jitter(this.o.retryPeriodMs), signal);
    }
    if (signal.aborted) return false;
    this.leading = true;
    this.gauge(1);
    this.log?.info({ lease: `${this.o.namespace}/${this.o.name}`, identity: this.identity }, "successfully acquired lease");
    const lost = new AbortController();
    const renewing = this.renewLoop(signal, lost);
    return { lost: lost.signal, renewing };
  }

  private async renewLoop(signal: AbortSignal, lost: AbortController): Promise<void> {
    let lastRenew = Date.now();
    while (!signal.aborted) {
      await sleep(this.o.retryPeriodMs, signal);
      if (signal.aborted) break;
      // A renewal that hangs must not outlive the renew deadline (a hung request would otherwise let
      // this process act as leader after the Lease expired).
      if (await this.tryAcquireOrRenew(Math.max(1, lastRenew + this.o.renewDeadlineMs - Date.now()))) {
        lastRenew = Date.now();
        continue;
      }
      if (Date.now() - lastRenew >= this.o.renewDeadlineMs || !this.holdsRecord()) {
        this.leading = false;
        this.gauge(0);
        this.log?.error({ lease: `${this.o.namespace}/${this.o.name}`, identity: this.identity }, "leader election lost");
        lost.abort(new Error("leader election lost"));
        return;
      }
    }
  }

  /** One attempt, abandoned after `timeoutMs`; true when this candidate holds the Lease afterwards. */
  async tryAcquireOrRenew(timeoutMs = this.o.renewDeadlineMs): Promise<boolean> {
    const now = Date.now();
    const signal = AbortSignal.timeout(timeoutMs);
    let current: Lease | undefined;
    try {
      current = await this.api.request<Lease>({ method: "GET", path: `${this.path}/${this.o.name}`, signal });
    } catch (err) {
      if (!(err instanceof ApiError && err.code === 404)) return this.failed(err);
      try {
        this.lease = await this.api.request<Lease>({ method: "POST", path: this.path, body: this.newLease(now), signal });
        this.seenHolder = this.identity;
        this.observe(this.lease, now);
        return true;
      } catch (createErr) {
        return this.failed(createErr);
      }
    }
    this.observe(current, now);
    const spec = current.spec ?? {};
    const holder = spec.holderIdentity ?? "";
    this.seenHolder = holder;
    const mine = holder === this.identity;
    const observedAt = this.observed?.at ?? now;
    const durationMs = (spec.leaseDurationSeconds ?? 0) * 1000;
    if (!mine && holder !== "" && observedAt + durationMs > now) return false;
    const next: Lease = {
      ...current,
      spec: {
        ...spec,
        holderIdentity: this.identity,
        leaseDurationSeconds: Math.ceil(this.o.leaseDurationMs / 1000),
        renewTime: microTime(now),
        acquireTime: mine ? spec.acquireTime ?? microTime(now) : microTime(now),
        leaseTransitions: mine ? spec.leaseTransitions ?? 0 : (spec.leaseTransitions ?? 0) + 1,
      },
    };
    try {
      this.lease = await this.api.request<Lease>({ method: "PUT", path: `${this.path}/${this.o.name}`, body: next, signal });
      this.seenHolder = this.identity;
      this.observe(this.lease, now);
      return true;
    } catch (err) {
      return this.failed(err);
    }
  }

  /**
   * Gives the Lease up if held: clears holderIdentity and sets a 1 s duration so a standby takes
   * over at its next retry. Never throws (logs instead).
   */
  async release(): Promise<void> {
    const held = this.lease;
    const wasLeading = this.leading;
    this.leading = false;
    this.gauge(0);
    if (!held || !wasLeading || held.spec?.holderIdentity !== this.identity) return;
    const now = Date.now();
    try {
      await this.api.request<Lease>({
        method: "PUT", path: `${this.path}/${this.o.name}`,
        body: { ...held, spec: { ...held.spec, holderIdentity: null, leaseDurationSeconds: 1, renewTime: microTime(now), acquireTime: microTime(now) } },
        signal: AbortSignal.timeout(this.o.renewDeadlineMs),
      });
      this.log?.info({ lease: `${this.o.namespace}/${this.o.name}` }, "released leader lease");
    } catch (err) {
      this.log?.warn({ err: String(err) }, "could not release the leader lease");
    }
  }

  private holdsRecord(): boolean {
    return this.seenHolder === undefined || this.seenHolder === "" || this.seenHolder === this.identity;
  }

  private observe(lease: Lease, now: number): void {
    const record = JSON.stringify(lease.spec ?? {});
    if (this.observed?.record !== record) this.observed = { record, at: now };
  }

  private failed(err: unknown): false {
    if (!(err instanceof ApiError && err.code === 409)) {
      this.log?.warn({ err: err instanceof Error ? err.message : String(err) }, "error acquiring or renewing the leader lease");
    }
    return false;
  }

  private newLease(now: number): Lease {
    return {
      apiVersion: "coordination.k8s.io/v1", kind: "Lease",
      metadata: { name: this.o.name, namespace: this.o.namespace },
      spec: {
        holderIdentity: this.identity, leaseDurationSeconds: Math.ceil(this.o.leaseDurationMs / 1000),
        acquireTime: microTime(now), renewTime: microTime(now), leaseTransitions: 0,
      },
    };
  }

  private gauge(v: number): void {
    this.metricsSink?.set("leader_election_master_status", { name: this.o.name }, v);
  }
}
