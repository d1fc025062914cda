/**
 * Simulated nodes: kwok's command line, the Node objects tsop registers for it, and the wait until
 * kwok has marked them Ready.
 * @module
 */
import { exitReason } from "./control-plane.js";
import { httpRequest, pollUntil, type TlsMaterial } from "./http.js";
import type { SupervisedProcess } from "./process.js";

/** The annotation kwok selects the nodes it manages by (kwokctl's convention). */
export const KWOK_NODE_ANNOTATION = "kwok.x-k8s.io/node";

/** Pod IPs kwok hands out; apart from the apiserver's service range (10.0.0.0/24). */
export const POD_CIDR = "10.244.0.0/16";

/** Name of the `index`th simulated node. */
export function nodeName(index: number): string {
  return `kwok-node-${index}`;
}

/**
 * A Node the way kwokctl registers one: no taints (every pod may land on it), the well-known labels,
 * no status (kwok's node-initialize stage fills it: Ready, addresses, 1k CPUs, 1 Ti, 1M pods).
 */
export function nodeObject(name: string): object {
  return {
    apiVersion: "v1",
    kind: "Node",
    metadata: {
      name,
      annotations: { [KWOK_NODE_ANNOTATION]: "fake", "node.alpha.kubernetes.io/ttl": "0" },
      labels: {
        "beta.kubernetes.io/arch": "amd64",
        "beta.kubernetes.io/os": "linux",
        "kubernetes.io/arch": "amd64",
        "kubernetes.io/hostname": name,
        "kubernetes.io/os": "linux",
        "kubernetes.io/role": "agent",
        "node-role.kubernetes.io/agent": "",
        type: "kwok",
      },
    },
    spec: {},
  };
}

/** kwok as a controller of the annotated nodes, with the given Stage configs and no server of its own. */
export function kwokArgs(kubeconfigPath: string, stagesFile: string): string[] {
  return [
    `--kubeconfig=${kubeconfigPath}`,
    `--config=${stagesFile}`,
    `--manage-nodes-with-annotation-selector=${KWOK_NODE_ANNOTATION}=fake`,
    `--cidr=${POD_CIDR}`,
    "--node-ip=10.240.0.1",
    "--node-lease-duration-seconds=40",
  ];
}

/** Creates nodes `kwok-node-0` … `kwok-node-{count-1}` (an existing one is left as it is). */
export async function registerNodes(server: string, tls: TlsMaterial, count: number): Promise<void> {
  await Promise.all(
    Array.from({ length: count }, async (_, i) => {
      const res = await httpRequest({ method: "POST", url: `${server}/api/v1/nodes`, tls, body: JSON.stringify(nodeObject(nodeName(i))) });
      if (res.status !== 201 && res.status !== 409) throw new Error(`registering node ${nodeName(i)} failed (HTTP ${res.status}): ${res.body}`);
    }),
  );
}

interface NodeList {
  items?: { metadata?: { name?: string }; status?: { conditions?: { type?: string; status?: string }[] } }[];
}

/**
 * Removes the `node.kubernetes.io/not-ready` taint the apiserver's TaintNodesByCondition admission
 * puts on every new Node. In a cluster kube-controller-manager's node-lifecycle controller lifts it
 * once the node reports Ready; tsop does that itself after {@link waitNodesReady}, so nodes take pods
 * whichever controllers run.
 */
export async function untaintReadyNodes(server: string, tls: TlsMaterial, count: number): Promise<void> {
  await Promise.all(
    Array.from({ length: count }, async (_, i) => {
      const url = `${server}/api/v1/nodes/${nodeName(i)}`;
      const res = await httpRequest({ url, tls });
      const node = JSON.parse(res.body) as { spec?: { taints?: { key?: string }[] } };
      const taints = node.spec?.taints ?? [];
      const kept = taints.filter((t) => t.key !== "node.kubernetes.io/not-ready");
      if (kept.length === taints.length) return;
      const patch = await httpRequest({ method: "PATCH", url, tls, contentType: "application/merge-patch+json", body: JSON.stringify({ spec: { taints: kept.length ? kept : null } }) });
      if (patch.status !== 200) throw new Error(`removing the not-ready taint of ${nodeName(i)} failed (HTTP ${patch.status}): ${patch.body}`);
    }),
  );
}

/** Waits until every registered node reports Ready=True (kwok's node-initialize stage). */
export async function waitNodesReady(kwok: SupervisedProcess, server: string, tls: TlsMaterial, count: number, timeoutMs: number): Promise<void> {
  const wanted = new Set(Array.from({ length: count }, (_, i) => nodeName(i)));
  await pollUntil(
    async () => {
      const res = await httpRequest({ url: `${server}/api/v1/nodes`, tls, timeoutMs: 5000 });
      if (res.status !== 200) return false;
      const ready = ((JSON.parse(res.body) as NodeList).items ?? []).filter(
        (n) => wanted.has(n.metadata?.name ?? "") && n.status?.conditions?.some((c) => c.type === "Ready" && c.status === "True"),
      );
      return ready.length === wanted.size;
    },
    {
      timeoutMs,
      intervalMs: 100,
      what: `${count} kwok node(s) Ready`,
      abort: () => exitReason(kwok),
    },
  );
}
