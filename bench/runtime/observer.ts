// The benchmarks' observer: an unthrottled client that creates the Memcacheds and watches convergence
// through its own cache of Memcacheds and Deployments, separate from the operator under test.
import { InformerCache } from "../../src/runtime/cache/index.js";
import { KubeClient, RestClient, loadKubeConfig } from "../../src/runtime/client/index.js";
import { Deployment } from "../../src/runtime/kinds/index.js";
import type { KindDescriptor, KubeObject } from "../../src/types/index.js";
import { Memcached } from "../../examples/memcached-operator/src/api/cache/v1alpha1/memcached.js";

/** A synced observer; `close()` stops its watches and connections. */
export interface Observer {
  client: KubeClient;
  cache: InformerCache;
  /** The cached object, synchronously (no copy). */
  peek<T extends KubeObject>(kind: KindDescriptor<T>, name: string, namespace: string): T | undefined;
  close(): Promise<void>;
}

/** Starts an observer against `kubeconfigPath` and waits until its cache has synced. */
export async function startObserver(kubeconfigPath: string): Promise<Observer> {
  const rest = new RestClient(await loadKubeConfig({ kubeconfig: kubeconfigPath }), { qps: 0 });
  const cache = new InformerCache(rest, {});
  const client = new KubeClient(rest, cache, {});
  const watch = new AbortController();
  const cacheRun = cache.start(watch.signal);
  cache.informerFor(Memcached);
  cache.informerFor(Deployment);
  await cache.waitForSync();
  return {
    client,
    cache,
    peek: (kind, name, namespace) => cache.informerFor(kind).get(name, namespace),
    async close() {
      watch.abort();
      await cacheRun;
      rest.close();
    },
  };
}
