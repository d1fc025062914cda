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
 * Where the operator reaches an etcd member: the seam between the membership logic and the network.
 * In a cluster, members are pods with stable DNS names behind the headless peer Service
 * (`<member>.<cluster>.<namespace>.svc`); a test maps each member to an etcd process it started
 * on loopback instead. The URLs end up in the member pods' flags (advertised peer and client URLs)
 * and in etcd's member list, so the mapping must be a bijection per cluster.
 * @module
 */

/** Identifies a member: its pod name, in a cluster, in a namespace. */
export interface MemberRef {
  namespace: string;
  cluster: string;
  /** The member's name, which is also its pod's name. */
  name: string;
}

/** Resolves members to URLs and back. */
export interface MemberResolver {
  /** Client URL the operator (and backup Jobs) use to talk to the member. */
  clientURL(m: MemberRef): string;
  /** Peer URL the member advertises to the other members. */
  peerURL(m: MemberRef): string;
  /** The member name a peer URL belongs to in this cluster, or undefined when it is not one of ours. */
  memberForPeerURL(namespace: string, cluster: string, peerURL: string): string | undefined;
}

/** Port of etcd's client API in member pods. */
export const CLIENT_PORT = 2379;
/** Port of etcd's peer (raft) API in member pods. */
export const PEER_PORT = 2380;

/**
 * The in-cluster resolver: pod DNS names through the headless Service named after the cluster
 * (pods set `hostname: <member>` and `subdomain: <cluster>`).
 */
export class DnsResolver implements MemberResolver {
  /** @param clusterDomain the cluster's DNS domain. Default: `svc` relative names (resolv.conf search). */
  constructor(private readonly clusterDomain = "") {}

  private host(m: MemberRef): string {
    return `${m.name}.${m.cluster}.${m.namespace}.svc${this.clusterDomain ? `.${this.clusterDomain}` : ""}`;
  }

  clientURL(m: MemberRef): string {
    return `http://${this.host(m)}:${CLIENT_PORT}`;
  }

  peerURL(m: MemberRef): string {
    return `http://${this.host(m)}:${PEER_PORT}`;
  }

  memberForPeerURL(namespace: string, cluster: string, peerURL: string): string | undefined {
    let url: URL;
    try {
      url = new URL(peerURL);
    } catch {
      return undefined;
    }
    const suffix = `.${cluster}.${namespace}.svc${this.clusterDomain ? `.${this.clusterDomain}` : ""}`;
    if (!url.hostname.endsWith(suffix)) return undefined;
    const name = url.hostname.slice(0, -suffix.length);
    return name && !name.includes(".") ? name : undefined;
  }
}
