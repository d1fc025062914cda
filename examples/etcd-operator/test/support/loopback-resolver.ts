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
 * The test's member resolver: each member (pod) gets its own pair of loopback ports, so the etcd
 * process the test starts for a member pod listens where the operator and the other members look
 * for it. The in-cluster twin is `DnsResolver` (pod DNS names); nothing else in the operator changes.
 * @module
 */
import type { MemberRef, MemberResolver } from "../../src/etcd/resolver.js";
import { freePort } from "./etcd-process.js";

export class LoopbackResolver implements MemberResolver {
  private readonly byMember = new Map<string, { client: string; peer: string }>();
  private readonly byPeer = new Map<string, string>();

  private constructor(private readonly pool: number[]) {}

  /** Reserves `n` free ports up front (clientURL/peerURL are synchronous; two per member). */
  static async create(n = 48): Promise<LoopbackResolver> {
    const ports = new Set<number>();
    while (ports.size < n) ports.add(await freePort());
    return new LoopbackResolver([...ports]);
  }

  private urls(m: MemberRef): { client: string; peer: string } {
    const key = `${m.namespace}/${m.cluster}/${m.name}`;
    let u = this.byMember.get(key);
    if (!u) {
      const c = this.pool.shift();
      const p = this.pool.shift();
      if (c === undefined || p === undefined) throw new Error("LoopbackResolver: out of reserved ports; create it with more");
      u = { client: `http://127.0.0.1:${c}`, peer: `http://127.0.0.1:${p}` };
      this.byMember.set(key, u);
      this.byPeer.set(`${m.namespace}/${m.cluster}/${u.peer}`, m.name);
    }
    return u;
  }

  clientURL(m: MemberRef): string {
    return this.urls(m).client;
  }

  peerURL(m: MemberRef): string {
    return this.urls(m).peer;
  }

  memberForPeerURL(namespace: string, cluster: string, peerURL: string): string | undefined {
    return this.byPeer.get(`${namespace}/${cluster}/${peerURL}`);
  }
}
