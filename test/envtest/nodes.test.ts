// Simulated nodes (kwok + kube-scheduler) and the workload controllers of kube-controller-manager on
// the real apiserver: one control plane with two nodes, shared by every test in this file.
import { readFileSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { Environment, ensureBinaries, type StartedEnvironment } from "../../src/envtest/index.js";
import { eventually, kube, uniqueName, watch, type WatchEvent } from "./helpers.js";

const NODES = 2;
const env = new Environment({ nodes: NODES });
let s: StartedEnvironment;
let ns: string;

beforeAll(async () => {
  s = await env.start();
  ns = uniqueName("nodes");
  expect((await kube(s, "POST", "/api/v1/namespaces", { metadata: { name: ns } })).status).toBe(201);
}, 900_000);
afterAll(async () => {
  await env.stop();
});

interface Condition { type: string; status: string }
interface Pod {
  metadata: { name: string; deletionTimestamp?: string; ownerReferences?: { kind: string }[] };
  spec: { nodeName?: string };
  status: { phase?: string; podIP?: string; conditions?: Condition[] };
}
const isReady = (p: Pod): boolean => p.status.conditions?.some((c) => c.type === "Ready" && c.status === "True") ?? false;
const container = { name: "app", image: "registry.example/app:1" };
const template = (labels: Record<string, string>) => ({ metadata: { labels }, spec: { containers: [container] } });

async function get<T>(path: string): Promise<T> {
  const res = await kube<T>(s, "GET", path);
  if (res.status !== 200) throw new Error(`GET ${path}: HTTP ${res.status}`);
  return res.body;
}

async function podsWith(selector: string): Promise<Pod[]> {
  return (await get<{ items: Pod[] }>(`/api/v1/namespaces/${ns}/pods?labelSelector=${encodeURIComponent(selector)}`)).items;
}

describe("simulated nodes", () => {
  test("the nodes are registered and Ready, with kwok's fast stages from the kwok module", async () => {
    const nodes = await get<{ items: { metadata: { name: string; annotations: Record<string, string> }; status: { conditions: Condition[] } }[] }>("/api/v1/nodes");
    expect(nodes.items.map((n) => n.metadata.name).sort()).toEqual(["kwok-node-0", "kwok-node-1"]);
    for (const n of nodes.items) {
      expect(n.metadata.annotations["kwok.x-k8s.io/node"]).toBe("fake");
      expect(n.status.conditions.find((c) => c.type === "Ready")?.status).toBe("True");
    }
    const bins = await ensureBinaries({ withKwok: true });
    const stages = readFileSync(bins.kwokStages ?? "", "utf8");
    for (const name of ["node-initialize", "node-heartbeat-with-lease", "pod-ready", "pod-complete", "pod-delete"]) expect(stages).toContain(`name: ${name}\n`);
  });

  test("a pod without nodeName is scheduled, Running and Ready; deleted, it goes away", async () => {
    const name = uniqueName("bare");
    expect((await kube(s, "POST", `/api/v1/namespaces/${ns}/pods`, { metadata: { name, labels: { bare: name } }, spec: { containers: [container] } })).status).toBe(201);
    let pod: Pod | undefined;
    expect(await eventually(async () => {
      pod = await get<Pod>(`/api/v1/namespaces/${ns}/pods/${name}`);
      return pod.status.phase === "Running" && isReady(pod);
    }, 60_000)).toBe(true);
    expect(pod?.spec.nodeName).toMatch(/^kwok-node-[01]$/);
    expect(pod?.status.podIP).toMatch(/^10\.244\./);
    // A graceful delete only sets deletionTimestamp; kwok's pod-delete stage finishes it, as a kubelet would.
    expect((await kube(s, "DELETE", `/api/v1/namespaces/${ns}/pods/${name}`)).status).toBe(200);
    expect(await eventually(async () => (await kube(s, "GET", `/api/v1/namespaces/${ns}/pods/${name}`)).status === 404, 60_000)).toBe(true);
  });
});

describe("workload controllers", () => {
  test("a Deployment reaches availableReplicas == replicas", async () => {
    const name = uniqueName("web");
    const labels = { app: name };
    const dep = { metadata: { name }, spec: { replicas: 5, selector: { matchLabels: labels }, template: template(labels) } };
    expect((await kube(s, "POST", `/apis/apps/v1/namespaces/${ns}/deployments`, dep)).status).toBe(201);
    type Dep = { spec: { replicas: number }; status: { availableReplicas?: number; readyReplicas?: number; conditions?: Condition[] } };
    let got: Dep | undefined;
    expect(await eventually(async () => {
      got = await get<Dep>(`/apis/apps/v1/namespaces/${ns}/deployments/${name}`);
      return got.status.availableReplicas === 5;
    }, 90_000)).toBe(true);
    expect(got?.status.readyReplicas).toBe(5);
    expect(got?.status.conditions?.find((c) => c.type === "Available")?.status).toBe("True");
    const pods = await podsWith(`app=${name}`);
    expect(pods).toHaveLength(5);
    expect(pods.every((p) => p.status.phase === "Running" && isReady(p))).toBe(true);
    // Spread over both nodes by the scheduler's default spreading.
    expect(new Set(pods.map((p) => p.spec.nodeName)).size).toBe(NODES);
  });

  test("a StatefulSet rolls out in order: pod N is created only once pod N-1 is Ready", async () => {
    const name = uniqueName("db");
    const labels = { app: name };
    const events = watch(s, `/api/v1/namespaces/${ns}/pods?watch=true&labelSelector=${encodeURIComponent(`app=${name}`)}`);
    try {
      const sts = { metadata: { name }, spec: { replicas: 3, serviceName: name, selector: { matchLabels: labels }, template: template(labels) } };
      expect((await kube(s, "POST", `/apis/apps/v1/namespaces/${ns}/statefulsets`, sts)).status).toBe(201);
      type Sts = { status: { readyReplicas?: number; currentReplicas?: number } };
      expect(await eventually(async () => (await get<Sts>(`/apis/apps/v1/namespaces/${ns}/statefulsets/${name}`)).status.readyReplicas === 3, 90_000)).toBe(true);
    } finally {
      events.close();
      await events.ended;
    }
    const seen = events.events as (WatchEvent & { object: Pod })[];
    const added = seen.filter((e) => e.type === "ADDED").map((e) => e.object.metadata.name);
    expect(added).toEqual([`${name}-0`, `${name}-1`, `${name}-2`]);
    for (let i = 1; i < 3; i++) {
      const createdAt = seen.findIndex((e) => e.type === "ADDED" && e.object.metadata.name === `${name}-${i}`);
      const readyBefore = seen.slice(0, createdAt).some((e) => e.object.metadata.name === `${name}-${i - 1}` && isReady(e.object));
      expect(readyBefore, `${name}-${i - 1} Ready before ${name}-${i} was created`).toBe(true);
    }
  });

  test("a Job completes: its pods Succeed and the Job gets Complete", async () => {
    const name = uniqueName("batch");
    const job = {
      metadata: { name },
      spec: { completions: 3, parallelism: 2, template: { spec: { restartPolicy: "Never", containers: [container] } } },
    };
    expect((await kube(s, "POST", `/apis/batch/v1/namespaces/${ns}/jobs`, job)).status).toBe(201);
    type Job = { status: { succeeded?: number; conditions?: Condition[] } };
    let got: Job | undefined;
    expect(await eventually(async () => {
      got = await get<Job>(`/apis/batch/v1/namespaces/${ns}/jobs/${name}`);
      return got.status.conditions?.some((c) => c.type === "Complete" && c.status === "True") ?? false;
    }, 90_000)).toBe(true);
    expect(got?.status.succeeded).toBe(3);
    const pods = await podsWith(`job-name=${name}`);
    expect(pods.filter((p) => p.status.phase === "Succeeded")).toHaveLength(3);
  });

  test("a Service gets an EndpointSlice with its ready pods' IPs", async () => {
    const name = uniqueName("svc");
    const labels = { app: name };
    const dep = { metadata: { name }, spec: { replicas: 2, selector: { matchLabels: labels }, template: template(labels) } };
    expect((await kube(s, "POST", `/apis/apps/v1/namespaces/${ns}/deployments`, dep)).status).toBe(201);
    const svc = { metadata: { name }, spec: { selector: labels, ports: [{ port: 80, targetPort: 8080 }] } };
    expect((await kube(s, "POST", `/api/v1/namespaces/${ns}/services`, svc)).status).toBe(201);
    type Slice = { endpoints?: { addresses: string[]; conditions?: { ready?: boolean }; nodeName?: string }[]; ports?: { port: number }[] };
    let slices: Slice[] = [];
    expect(await eventually(async () => {
      slices = (await get<{ items: Slice[] }>(`/apis/discovery.k8s.io/v1/namespaces/${ns}/endpointslices?labelSelector=kubernetes.io%2Fservice-name%3D${name}`)).items;
      return slices.flatMap((sl) => sl.endpoints ?? []).filter((e) => e.conditions?.ready).length === 2;
    }, 90_000)).toBe(true);
    const ips = slices.flatMap((sl) => sl.endpoints ?? []).flatMap((e) => e.addresses).sort();
    const podIPs = (await podsWith(`app=${name}`)).map((p) => p.status.podIP).sort();
    expect(ips).toEqual(podIPs);
    expect(slices[0]?.ports?.[0]?.port).toBe(8080);
  });

  test("a DaemonSet runs one ready pod on each node", async () => {
    const name = uniqueName("agent");
    const labels = { app: name };
    const ds = { metadata: { name }, spec: { selector: { matchLabels: labels }, template: template(labels) } };
    expect((await kube(s, "POST", `/apis/apps/v1/namespaces/${ns}/daemonsets`, ds)).status).toBe(201);
    type Ds = { status: { desiredNumberScheduled?: number; numberReady?: number } };
    expect(await eventually(async () => {
      const d = await get<Ds>(`/apis/apps/v1/namespaces/${ns}/daemonsets/${name}`);
      return d.status.desiredNumberScheduled === NODES && d.status.numberReady === NODES;
    }, 90_000)).toBe(true);
    const nodes = (await podsWith(`app=${name}`)).map((p) => p.spec.nodeName).sort();
    expect(nodes).toEqual(["kwok-node-0", "kwok-node-1"]);
  });

  test("service accounts: a namespace gets its default ServiceAccount, and a token Secret a token the apiserver accepts", async () => {
    const other = uniqueName("sa");
    expect((await kube(s, "POST", "/api/v1/namespaces", { metadata: { name: other } })).status).toBe(201);
    expect(await eventually(async () => (await kube(s, "GET", `/api/v1/namespaces/${other}/serviceaccounts/default`)).status === 200, 60_000)).toBe(true);
    const secret = { metadata: { name: "legacy-token", annotations: { "kubernetes.io/service-account.name": "default" } }, type: "kubernetes.io/service-account-token" };
    expect((await kube(s, "POST", `/api/v1/namespaces/${other}/secrets`, secret)).status).toBe(201);
    let token = "";
    expect(await eventually(async () => {
      const got = await get<{ data?: Record<string, string> }>(`/api/v1/namespaces/${other}/secrets/legacy-token`);
      token = Buffer.from(got.data?.["token"] ?? "", "base64").toString();
      return token !== "";
    }, 60_000)).toBe(true);
    const review = await kube<{ status: { authenticated?: boolean; user?: { username?: string } } }>(s, "POST", "/apis/authentication.k8s.io/v1/tokenreviews", { spec: { token } });
    expect(review.status).toBe(201);
    expect(review.body.status.authenticated).toBe(true);
    expect(review.body.status.user?.username).toBe(`system:serviceaccount:${other}:default`);
  });
});
