// The reflector's streaming list (a watch with sendInitialEvents, client-go's WatchList) against a
// real kube-apiserver: the initial list arrives on one watch, with no LIST request, the same stream
// carries later changes; an apiserver that refuses it gets paginated LISTs instead.
import { afterAll, describe, expect, it } from "vitest";
import { Environment } from "../../src/envtest/index.js";
import { InformerCache } from "../../src/runtime/cache/cache.js";
import { KubeClient } from "../../src/runtime/client/client.js";
import { ConfigMap, Namespace } from "../../src/runtime/kinds/kinds.js";
import { kubeConfigFromYaml } from "../../src/runtime/client/kubeconfig.js";
import { RestClient, type RequestOptions, type WatchQuery } from "../../src/runtime/client/rest.js";
import type { WatchEvent } from "../../src/runtime/client/watch.js";
import type { KubeObject } from "../../src/types/index.js";
import { eventually } from "./cluster.js";

/** A RestClient that records the ConfigMap requests it sends: "LIST" for a list, "WATCH ..." with the query's flags. */
class Recording extends RestClient {
  readonly sent: string[] = [];

  override requestList<T>(req: RequestOptions, onItem: (item: T) => void, opts?: { dropManagedFields?: boolean }): ReturnType<RestClient["requestList"]> {
    if (req.method === "GET" && req.path.endsWith("/configmaps")) this.sent.push(`LIST limit=${req.query?.limit}`);
    return super.requestList<T>(req, onItem, opts);
  }

  override watch<T extends KubeObject>(path: string, query: WatchQuery, signal?: AbortSignal, opts?: Parameters<RestClient["watch"]>[3]): AsyncGenerator<WatchEvent<T>> {
    if (path.endsWith("/configmaps")) this.sent.push(query.sendInitialEvents ? "WATCH sendInitialEvents" : `WATCH from ${query.resourceVersion === undefined ? "?" : "rv"}`);
    return super.watch<T>(path, query, signal, opts);
  }
}

const envs: Environment[] = [];
const stops: AbortController[] = [];
afterAll(async () => {
  for (const s of stops) s.abort();
  for (const e of envs) await e.stop();
});

async function cluster(apiServerArgs: string[] = []): Promise<{ direct: KubeClient; recording: Recording }> {
  const env = new Environment({ apiServerArgs });
  envs.push(env);
  const config = await kubeConfigFromYaml((await env.start()).kubeconfig);
  const rest = new RestClient(config, { qps: 0 });
  const direct = new KubeClient(rest, new InformerCache(rest));
  await direct.create(Namespace, { metadata: { name: "wl" } });
  for (let i = 0; i < 7; i++) await direct.create(ConfigMap, { metadata: { name: `cm-${i}`, namespace: "wl" }, data: { i: String(i) } });
  return { direct, recording: new Recording(config, { qps: 0 }) };
}

function start(rest: RestClient, reflector: { pageSize?: number; watchList?: boolean } = {}): InformerCache {
  const cache = new InformerCache(rest, { namespaces: ["wl"], reflector: { backoff: { initialMs: 100, maxMs: 1000 }, ...reflector } });
  const stop = new AbortController();
  stops.push(stop);
  cache.informerFor(ConfigMap);
  void cache.start(stop.signal);
  return cache;
}

describe("streaming initial list (WatchList)", () => {
  it("lists through one watch with sendInitialEvents, no LIST, and keeps watching on it", async () => {
    const { direct, recording } = await cluster();
    const cache = start(recording, { watchList: true });
    await cache.waitForSync();
    const inf = cache.informerFor(ConfigMap);
    expect(inf.list().map((o) => o.metadata?.name).sort()).toEqual(["cm-0", "cm-1", "cm-2", "cm-3", "cm-4", "cm-5", "cm-6"]);
    expect(inf.list().every((o) => o.kind === "ConfigMap" && o.apiVersion === "v1")).toBe(true);
    await direct.patch(ConfigMap, "cm-3", { data: { i: "changed" } }, { namespace: "wl" });
    await direct.delete(ConfigMap, "cm-5", { namespace: "wl" });
    await eventually(() => inf.get("cm-3", "wl")?.data?.i === "changed" && inf.get("cm-5", "wl") === undefined, "later changes on the same stream");
    expect(recording.sent).toEqual(["WATCH sendInitialEvents"]);
    expect(inf.lists).toBe(1);
  });

  it("falls back to paginated LISTs when the apiserver refuses streaming lists", async () => {
    const { direct, recording } = await cluster(["--feature-gates=WatchList=false"]);
    const cache = start(recording, { pageSize: 3, watchList: true });
    await cache.waitForSync();
    const inf = cache.informerFor(ConfigMap);
    expect(inf.list().map((o) => o.metadata?.name).sort()).toEqual(["cm-0", "cm-1", "cm-2", "cm-3", "cm-4", "cm-5", "cm-6"]);
    await direct.patch(ConfigMap, "cm-0", { data: { i: "changed" } }, { namespace: "wl" });
    await eventually(() => inf.get("cm-0", "wl")?.data?.i === "changed", "a change through the watch after the list");
    // Refused once, then 7 objects in pages of 3, then a watch from the list's resourceVersion.
    expect(recording.sent).toEqual(["WATCH sendInitialEvents", "LIST limit=3", "LIST limit=3", "LIST limit=3", "WATCH from rv"]);
  });

  it("by default lists in one LIST (no limit; decoded as it streams in, without managedFields), then watches from its resourceVersion", async () => {
    const { direct, recording } = await cluster();
    const cache = start(recording);
    await cache.waitForSync();
    const inf = cache.informerFor(ConfigMap);
    expect(inf.list().map((o) => o.metadata?.name).sort()).toEqual(["cm-0", "cm-1", "cm-2", "cm-3", "cm-4", "cm-5", "cm-6"]);
    expect(inf.list().every((o) => o.kind === "ConfigMap" && o.apiVersion === "v1" && o.metadata?.managedFields === undefined && o.metadata?.uid !== undefined)).toBe(true);
    await direct.patch(ConfigMap, "cm-2", { data: { i: "changed" } }, { namespace: "wl" });
    await eventually(() => inf.get("cm-2", "wl")?.data?.i === "changed", "a change through the watch after the list");
    expect(recording.sent).toEqual(["LIST limit=undefined", "WATCH from rv"]);
  });
});
