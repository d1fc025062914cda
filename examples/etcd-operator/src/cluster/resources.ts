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
 * The Kubernetes objects of an etcd cluster: member pods, the headless peer Service (stable pod DNS
 * names), the client Service and a PodDisruptionBudget that keeps a quorum. Each is controlled by
 * its EtcdCluster (owner reference), so deleting the cluster deletes them.
 * @module
 */
import { setControllerReference } from "tsop/runtime";
import type { PodObject, ServiceObject } from "tsop/runtime/kinds";
import { defineKind } from "tsop/types";
import type { PodDisruptionBudget as PdbObject } from "kubernetes-types/policy/v1.js";
import { EtcdCluster } from "../api/etcd/v1alpha1/etcdcluster.js";
import { CLIENT_PORT, PEER_PORT, type MemberResolver } from "../etcd/resolver.js";

/** policy/v1 PodDisruptionBudget. */
export const PodDisruptionBudget = defineKind<PdbObject>({ group: "policy", version: "v1", kind: "PodDisruptionBudget", plural: "poddisruptionbudgets", namespaced: true });
export type { PdbObject, PodObject };

/** Label naming the EtcdCluster a member pod belongs to. */
export const CLUSTER_LABEL = "etcd.example.com/cluster";
/** Default image repository of etcd. */
export const DEFAULT_REPOSITORY = "gcr.io/etcd-development/etcd";

/** Labels of every object of `cluster`; `component` tells members from backups. */
export function labelsFor(cluster: EtcdCluster, component: "member" | "backup" | "service" = "member"): Record<string, string> {
  return {
    "app.kubernetes.io/name": "etcd",
    "app.kubernetes.io/instance": cluster.metadata?.name ?? "",
    "app.kubernetes.io/component": component,
    "app.kubernetes.io/managed-by": "etcd-operator",
    [CLUSTER_LABEL]: cluster.metadata?.name ?? "",
  };
}

/** The etcd image of `version` for `cluster`. */
export function imageFor(cluster: EtcdCluster, version: string): string {
  return `${cluster.spec?.repository ?? DEFAULT_REPOSITORY}:v${version}`;
}

/** How a member pod joins: the first member starts a new cluster, the others join an existing one. */
export interface MemberPodInput {
  member: string;
  version: string;
  /** `name=peerURL` of every member the new one must know, itself included. */
  initialCluster: string;
  state: "new" | "existing";
}

/**
 * A member pod. Its command is exactly the etcd command line; `restartPolicy: Never` as in the seed
 * operator, so a crashed member shows as a Failed pod and is replaced (its data was an emptyDir).
 */
export function memberPod(cluster: EtcdCluster, resolver: MemberResolver, input: MemberPodInput): PodObject {
  const ns = cluster.metadata?.namespace ?? "";
  const name = cluster.metadata?.name ?? "";
  const ref = { namespace: ns, cluster: name, name: input.member };
  const pod: PodObject = {
    apiVersion: "v1",
    kind: "Pod",
    metadata: { name: input.member, namespace: ns, labels: labelsFor(cluster), annotations: { "etcd.example.com/version": input.version } },
    spec: {
      hostname: input.member,
      subdomain: name,
      restartPolicy: "Never",
      securityContext: { runAsNonRoot: true, runAsUser: 65532, fsGroup: 65532, seccompProfile: { type: "RuntimeDefault" } },
      containers: [
        {
          name: "etcd",
          image: imageFor(cluster, input.version),
          command: [
            "/usr/local/bin/etcd",
            `--name=${input.member}`,
            "--data-dir=/var/etcd/data",
            `--listen-client-urls=http://0.0.0.0:${CLIENT_PORT}`,
            `--advertise-client-urls=${resolver.clientURL(ref)}`,
            `--listen-peer-urls=http://0.0.0.0:${PEER_PORT}`,
            `--initial-advertise-peer-urls=${resolver.peerURL(ref)}`,
            `--initial-cluster=${input.initialCluster}`,
            `--initial-cluster-state=${input.state}`,
            `--initial-cluster-token=${cluster.metadata?.uid ?? name}`,
          ],
          ports: [
            { name: "client", containerPort: CLIENT_PORT },
            { name: "peer", containerPort: PEER_PORT },
          ],
          readinessProbe: { httpGet: { path: "/readyz", port: CLIENT_PORT }, periodSeconds: 5, failureThreshold: 3 },
          livenessProbe: { httpGet: { path: "/livez", port: CLIENT_PORT }, initialDelaySeconds: 10, periodSeconds: 10, failureThreshold: 6 },
          ...(cluster.spec?.resources ? { resources: cluster.spec.resources as NonNullable<PodObject["spec"]>["containers"][number]["resources"] } : {}),
          volumeMounts: [{ name: "data", mountPath: "/var/etcd" }],
          securityContext: { allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ["ALL"] } },
        },
      ],
      volumes: [{ name: "data", emptyDir: {} }],
    },
  };
  setControllerReference(cluster, pod, EtcdCluster);
  return pod;
}

/** A Service over the member pods of `cluster`, controlled by it. */
function memberService(cluster: EtcdCluster, name: string, spec: NonNullable<ServiceObject["spec"]>): ServiceObject {
  const svc: ServiceObject = {
    apiVersion: "v1",
    kind: "Service",
    metadata: { name, namespace: cluster.metadata?.namespace ?? "", labels: labelsFor(cluster, "service") },
    spec: { ...spec, selector: { [CLUSTER_LABEL]: cluster.metadata?.name ?? "", "app.kubernetes.io/component": "member" } },
  };
  setControllerReference(cluster, svc, EtcdCluster);
  return svc;
}

/** The headless Service behind the members' DNS names (`<member>.<cluster>.<ns>.svc`). */
export function peerService(cluster: EtcdCluster): ServiceObject {
  return memberService(cluster, cluster.metadata?.name ?? "", {
    clusterIP: "None",
    // Members must resolve each other before they are ready: a joining member is not ready yet.
    publishNotReadyAddresses: true,
    ports: [
      { name: "client", port: CLIENT_PORT, targetPort: CLIENT_PORT },
      { name: "peer", port: PEER_PORT, targetPort: PEER_PORT },
    ],
  });
}

/** The client Service `<cluster>-client` on port 2379, over ready members. */
export function clientService(cluster: EtcdCluster): ServiceObject {
  return memberService(cluster, `${cluster.metadata?.name ?? ""}-client`, { ports: [{ name: "client", port: CLIENT_PORT, targetPort: CLIENT_PORT }] });
}

/** Quorum of a cluster of `size` voting members. */
export function quorum(size: number): number {
  return Math.floor(size / 2) + 1;
}

/** Keeps a quorum of members through voluntary disruptions (drains): minAvailable = quorum. */
export function disruptionBudget(cluster: EtcdCluster): PdbObject {
  const pdb: PdbObject = {
    apiVersion: "policy/v1",
    kind: "PodDisruptionBudget",
    metadata: { name: cluster.metadata?.name ?? "", namespace: cluster.metadata?.namespace ?? "", labels: labelsFor(cluster, "service") },
    spec: {
      minAvailable: quorum(cluster.spec?.size ?? 1),
      selector: { matchLabels: { [CLUSTER_LABEL]: cluster.metadata?.name ?? "", "app.kubernetes.io/component": "member" } },
    },
  };
  setControllerReference(cluster, pdb, EtcdCluster);
  return pdb;
}
