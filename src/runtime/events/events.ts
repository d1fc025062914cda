/**
 * An event recorder writing core/v1 Events: identical events within a window become one Event with
 * a growing `count`; many similar ones (same reason, different messages) are aggregated, like
 * client-go's event correlator. Writes are asynchronous and never throw into the caller.
 * @module
 */
import { hostname } from "node:os";
import { defineKind, type KindDescriptor, type KubeObject, type ObjectMeta } from "../../types/index.js";
import { realClock, type Clock } from "../controller/clock.js";
import { rfc3339 } from "../conditions/conditions.js";
import { isNotFound } from "../client/errors.js";
import { TokenBucket } from "../internal/token-bucket.js";
import type { Logger } from "../log/types.js";
import type { Writer } from "../client/types.js";

/** A core/v1 Event, the fields the recorder writes. */
export interface CoreEvent extends KubeObject {
  involvedObject: { apiVersion?: string; kind?: string; name?: string; namespace?: string; uid?: string; resourceVersion?: string };
  reason: string;
  message: string;
  type: "Normal" | "Warning";
  source: { component: string; host?: string };
  firstTimestamp: string;
  lastTimestamp: string;
  count: number;
  reportingComponent: string;
  reportingInstance: string;
}

/** The core/v1 Event kind. */
export const EventKind: KindDescriptor<CoreEvent> = defineKind<CoreEvent>({ group: "", version: "v1", kind: "Event", plural: "events", namespaced: true });

/** Options of an {@link EventRecorder}. */
export interface EventRecorderOptions {
  /** Where Events are written (a Client). */
  client: Pick<Writer, "create" | "patch">;
  /** `source.component` and `reportingComponent`, e.g. the controller name. */
  component: string;
  /** `source.host` and `reportingInstance`. Default: the host name. */
  host?: string;
  /** Where write failures are logged (at debug level; events are best effort). Default: none. */
  logger?: Logger;
  /** Default: the real clock. */
  clock?: Clock;
  /** How long identical events are merged into one. Default: 10 minutes. */
  windowMs?: number;
  /** Distinct messages with one reason before they are aggregated. Default: 10. */
  maxSimilar?: number;
  /** Most events remembered for merging (oldest dropped first). Default: 4096. */
  cacheSize?: number;
  /** Events per object allowed in a burst before the spam filter drops them. Default: 25. */
  spamBurst?: number;
  /** One more event per object is allowed every this many ms. Default: 300000 (5 minutes). */
  spamRefillMs?: number;
}

interface Seen {
  name: string;
  namespace: string;
  count: number;
  first: string;
  at: number;
}

/** Records Events about objects. `event` returns at once; `flush` waits for pending writes. */
export class EventRecorder {
  private readonly opts: EventRecorderOptions;
  private readonly clock: Clock;
  private readonly host: string;
  private readonly seen = new Map<string, Seen>();
  private readonly similar = new Map<string, { messages: Set<string>; at: number }>();
  private readonly budgets = new Map<string, TokenBucket>();
  private chain: Promise<void> = Promise.resolve();
  private seq = 0;

  constructor(opts: EventRecorderOptions) {
    this.opts = opts;
    this.clock = opts.clock ?? realClock;
    this.host = opts.host ?? hostname();
  }

  /**
   * Records an event about `obj`. `kind` names the object's kind when `obj` lacks apiVersion/kind
   * (objects from lists often do). Never throws; write failures are logged at debug level.
   */
  event(obj: KubeObject, type: "Normal" | "Warning", reason: string, message: string, kind?: KindDescriptor): void {
    try {
      this.record(obj, type, reason, message, kind);
    } catch (err) {
      this.opts.logger?.debug({ err }, "event not recorded");
    }
  }

  /** Resolves when every event recorded so far has been written (or failed). */
  flush(): Promise<void> {
    return this.chain;
  }

  private record(obj: KubeObject, type: "Normal" | "Warning", reason: string, message: string, kind?: KindDescriptor): void {
    const m: ObjectMeta = obj.metadata ?? {};
    const involved = {
      apiVersion: obj.apiVersion ?? kind?.apiVersion,
      kind: obj.kind ?? kind?.kind,
      name: m.name,
      namespace: m.namespace,
      uid: m.uid,
      resourceVersion: m.resourceVersion,
    };
    const now = this.clock.now();
    if (!this.allow([this.opts.component, involved.apiVersion, involved.kind, m.namespace, m.name, m.uid].join("\u0000"))) {
      this.opts.logger?.debug({ reason, object: m.name }, "event dropped by the spam filter");
      return;
    }
    const window = this.opts.windowMs ?? 600_000;
    const objKey = [this.opts.component, involved.apiVersion, involved.kind, m.namespace, m.name, m.uid, type, reason].join("\u0000");
    let msg = message;
    const sim = this.similar.get(objKey);
    const group = sim && now - sim.at <= window ? sim : { messages: new Set<string>(), at: now };
    group.messages.add(message);
    this.remember(this.similar, objKey, group);
    if (group.messages.size >= (this.opts.maxSimilar ?? 10)) msg = "(combined from similar events): " + message;
    const key = group.messages.size >= (this.opts.maxSimilar ?? 10) ? objKey + "\u0000*" : objKey + "\u0000" + message;
    const ts = rfc3339(new Date());
    const prev = this.seen.get(key);
    const namespace = m.namespace || "default";
    if (prev && now - prev.at <= window) {
      prev.count++;
      prev.at = now;
      this.remember(this.seen, key, prev);
      const count = prev.count;
      this.enqueue(async () => {
        try {
          await this.opts.client.patch(EventKind, prev.name, { count, lastTimestamp: ts, message: msg }, { namespace: prev.namespace, type: "merge" });
        } catch (err) {
          if (!isNotFound(err)) throw err;
          await this.opts.client.create(EventKind, this.build(prev.name, namespace, involved, type, reason, msg, prev.first, ts, count));
        }
      });
      return;
    }
    const name = `${m.name ?? "unknown"}.${(BigInt(Date.now()) * 1_000_000n + BigInt(this.seq++ % 1_000_000)).toString(16)}`;
    this.remember(this.seen, key, { name, namespace, count: 1, first: ts, at: now });
    this.enqueue(() => this.opts.client.create(EventKind, this.build(name, namespace, involved, type, reason, msg, ts, ts, 1)).then(() => undefined));
  }

  private build(name: string, namespace: string, involved: CoreEvent["involvedObject"], type: CoreEvent["type"], reason: string, message: string, first: string, last: string, count: number): CoreEvent {
    const involvedObject = Object.fromEntries(Object.entries(involved).filter(([, v]) => v !== undefined)) as CoreEvent["involvedObject"];
    return {
      apiVersion: "v1",
      kind: "Event",
      metadata: { name, namespace },
      involvedObject,
      reason,
      message,
      type,
      source: { component: this.opts.component, host: this.host },
      firstTimestamp: first,
      lastTimestamp: last,
      count,
      reportingComponent: this.opts.component,
      reportingInstance: this.host,
    };
  }

  /** Per-object token bucket, like client-go's spam filter. */
  private allow(key: string): boolean {
    const b = this.budgets.get(key) ?? new TokenBucket(1000 / (this.opts.spamRefillMs ?? 300_000), this.opts.spamBurst ?? 25, () => this.clock.now());
    const ok = b.tryTake();
    this.remember(this.budgets, key, b);
    return ok;
  }

  private remember<V>(map: Map<string, V>, key: string, value: V): void {
    map.delete(key);
    map.set(key, value);
    const max = this.opts.cacheSize ?? 4096;
    while (map.size > max) {
      const oldest = map.keys().next();
      if (oldest.done) break;
      map.delete(oldest.value);
    }
  }

  private enqueue(write: () => Promise<void>): void {
    this.chain = this.chain.then(write).catch((err: unknown) => this.opts.logger?.debug({ err }, "event write failed"));
  }
}
