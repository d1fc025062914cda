/*
 * Copyright 2026.
 *
 * Licensed under the Apache License, Version 2.0 (the "License");
 * you may not use this file except in compliance with the License.
 * You may obtain a copy of the License at
 *
 *     http://www.apache.org/licenses/LICENSE-2.0
 *
 * Unless required by applicable law or agreed to in writing, software
 * distributed under the License is distributed on an "AS IS" BASIS,
 * WITHOUT WARRANTIES OR CONDITIONS OF ANY KIND, either express or implied.
 * See the License for the specific language governing permissions and
 * limitations under the License.
 */

/**
 * A small client for etcd's cluster API: member list/add/remove/promote, status, health and
 * snapshot, over etcd's v3 JSON gateway (`POST /v3/...` on a member's client URL) with plain
 * `fetch`. No gRPC stack in the operator's bundle; the same calls etcdctl makes over gRPC.
 * @module
 */
import { createHash } from "node:crypto";

/** A member as etcd's member list reports it. IDs are uint64, kept as decimal strings. */
export interface EtcdMember {
  /** Member ID (decimal string of the uint64). */
  id: string;
  /** Empty until the member has started and published its name. */
  name: string;
  peerURLs: string[];
  clientURLs: string[];
  /** A learner replicates but does not vote until promoted. */
  isLearner: boolean;
}

/** What `/v3/maintenance/status` says about one member. */
export interface EtcdMemberStatus {
  /** Server version, e.g. `3.7.0`. */
  version: string;
  /** ID of the member answering. */
  memberId: string;
  /** ID of the leader it follows; "0" when it has none. */
  leader: string;
  revision: number;
  raftIndex: number;
  raftAppliedIndex: number;
  dbSize: number;
  isLearner: boolean;
  /** Alarms and errors the member reports (e.g. `NOSPACE`). */
  errors: string[];
}

/** An error the etcd server returned (gRPC status code and message), or a transport failure. */
export class EtcdError extends Error {
  /** gRPC status code from the gateway (e.g. 9 FailedPrecondition), or undefined for transport errors. */
  readonly code: number | undefined;
  constructor(message: string, code?: number, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "EtcdError";
    this.code = code;
  }
}

/** Options for {@link EtcdClient}. */
export interface EtcdClientOptions {
  /** Per-request timeout in ms. Default: 5000. */
  timeoutMs?: number;
}

interface RawMember {
  ID?: string;
  name?: string;
  peerURLs?: string[];
  clientURLs?: string[];
  isLearner?: boolean;
}

/**
 * Talks to one etcd member's client URL. Membership calls go through that member to the leader, so
 * any healthy member can serve them.
 */
export class EtcdClient {
  readonly endpoint: string;
  private readonly timeoutMs: number;

  constructor(endpoint: string, opts: EtcdClientOptions = {}) {
    this.endpoint = endpoint.replace(/\/+$/, "");
    this.timeoutMs = opts.timeoutMs ?? 5000;
  }

  /** The cluster's members, learners included. */
  async memberList(): Promise<EtcdMember[]> {
    const res = await this.call<{ members?: RawMember[] }>("/v3/cluster/member/list", { linearizable: true });
    return (res.members ?? []).map(toMember);
  }

  /** Adds a member (as a learner by default) and returns it with the cluster's members after the change. */
  async memberAdd(peerURLs: string[], opts: { learner?: boolean } = {}): Promise<{ member: EtcdMember; members: EtcdMember[] }> {
    const res = await this.call<{ member?: RawMember; members?: RawMember[] }>("/v3/cluster/member/add", { peerURLs, isLearner: opts.learner ?? true });
    if (!res.member) throw new EtcdError(`${this.endpoint}: member add returned no member`);
    return { member: toMember(res.member), members: (res.members ?? []).map(toMember) };
  }

  /** Removes a member by ID. */
  async memberRemove(id: string): Promise<void> {
    await this.call("/v3/cluster/member/remove", { ID: id });
  }

  /** Promotes a learner that has caught up with the leader to a voting member. */
  async memberPromote(id: string): Promise<void> {
    await this.call("/v3/cluster/member/promote", { ID: id });
  }

  /** The answering member's status (version, leader, revision, raft indexes, errors). */
  async status(): Promise<EtcdMemberStatus> {
    const s = await this.call<{
      header?: { member_id?: string; revision?: string };
      version?: string;
      leader?: string;
      raftIndex?: string;
      raftAppliedIndex?: string;
      dbSize?: string;
      isLearner?: boolean;
      errors?: string[];
    }>("/v3/maintenance/status", {});
    return {
      version: s.version ?? "",
      memberId: s.header?.member_id ?? "0",
      leader: s.leader ?? "0",
      revision: Number(s.header?.revision ?? 0),
      raftIndex: Number(s.raftIndex ?? 0),
      raftAppliedIndex: Number(s.raftAppliedIndex ?? 0),
      dbSize: Number(s.dbSize ?? 0),
      isLearner: s.isLearner ?? false,
      errors: s.errors ?? [],
    };
  }

  /**
   * Whether the member serves requests: etcd's own `/health` check (it has a leader and no alarm,
   * and a quorum read succeeds). Never throws.
   */
  async healthy(): Promise<boolean> {
    try {
      const res = await fetch(`${this.endpoint}/health`, { signal: AbortSignal.timeout(this.timeoutMs) });
      if (!res.ok) return false;
      const body = (await res.json()) as { health?: string };
      return body.health === "true";
    } catch {
      return false;
    }
  }

  /** Writes a key (used by tests and the demo to show data surviving membership changes). */
  async put(key: string, value: string): Promise<void> {
    await this.call("/v3/kv/put", { key: b64(key), value: b64(value) });
  }

  /** Reads a key; undefined when it does not exist. */
  async get(key: string): Promise<string | undefined> {
    const res = await this.call<{ kvs?: { value?: string }[] }>("/v3/kv/range", { key: b64(key) });
    const v = res.kvs?.[0]?.value;
    return v === undefined ? undefined : Buffer.from(v, "base64").toString("utf8");
  }

  /**
   * Streams a snapshot of the member's backend (what `etcdctl snapshot save` receives): the chunks in
   * order. etcd appends a SHA-256 of the data as the last 32 bytes; {@link verifySnapshot} checks it.
   */
  async snapshot(): Promise<Buffer> {
    const res = await this.post("/v3/maintenance/snapshot", {}, 120_000);
    const text = await res.text();
    const chunks: Buffer[] = [];
    // The gateway streams one JSON object per chunk: {"result":{"blob":"<base64>",...}} or {"error":{...}}.
    for (const line of text.split("\n")) {
      if (!line.trim()) continue;
      const msg = JSON.parse(line) as { result?: { blob?: string }; error?: { code?: number; message?: string } };
      if (msg.error) throw new EtcdError(`${this.endpoint}: snapshot: ${msg.error.message ?? "error"}`, msg.error.code);
      if (msg.result?.blob) chunks.push(Buffer.from(msg.result.blob, "base64"));
    }
    return Buffer.concat(chunks);
  }

  private async post(path: string, body: unknown, timeoutMs = this.timeoutMs): Promise<Response> {
    try {
      return await fetch(`${this.endpoint}${path}`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify(body),
        signal: AbortSignal.timeout(timeoutMs),
      });
    } catch (e) {
      throw new EtcdError(`${this.endpoint}${path}: ${e instanceof Error ? e.message : String(e)}`, undefined, { cause: e });
    }
  }

  private async call<T = unknown>(path: string, body: unknown): Promise<T> {
    const res = await this.post(path, body);
    const text = await res.text();
    let parsed: unknown;
    try {
      parsed = text ? JSON.parse(text) : {};
    } catch {
      throw new EtcdError(`${this.endpoint}${path}: HTTP ${res.status}: ${text.slice(0, 200)}`);
    }
    if (!res.ok) {
      const err = parsed as { code?: number; message?: string; error?: string };
      throw new EtcdError(`${this.endpoint}${path}: ${err.message ?? err.error ?? `HTTP ${res.status}`}`, err.code);
    }
    return parsed as T;
  }
}

/** Checks the SHA-256 etcd appends to a snapshot. Returns the size of the data without it. */
export function verifySnapshot(data: Buffer): { ok: boolean; size: number } {
  if (data.length <= 32) return { ok: false, size: 0 };
  const body = data.subarray(0, data.length - 32);
  const want = data.subarray(data.length - 32);
  const got = createHash("sha256").update(body).digest();
  return { ok: got.equals(want), size: body.length };
}

function toMember(m: RawMember): EtcdMember {
  return { id: m.ID ?? "0", name: m.name ?? "", peerURLs: m.peerURLs ?? [], clientURLs: m.clientURLs ?? [], isLearner: m.isLearner ?? false };
}

function b64(s: string): string {
  return Buffer.from(s, "utf8").toString("base64");
}
