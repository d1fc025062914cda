/**
 * The client operators use: reads from the shared cache for cached kinds (direct otherwise),
 * writes through REST, and every write result fed back into the cache (read-your-own-writes).
 * @module
 */
import type { KindDescriptor, KubeObject } from "../../types/index.js";
import { isConflict } from "./errors.js";
import type { ApplyConfiguration, ApplyOptions, CacheReader, Client, ListOptions, Reader } from "./types.js";
import { collectionPath, objectPath } from "./paths.js";
import type { RequestOptions, RestClient } from "./rest.js";

/** Options of {@link KubeClient}. */
export interface KubeClientOptions {
  /** `fieldManager` sent with create/update/patch (apply takes its own). Default: none (the server derives one from the user agent). */
  fieldManager?: string;
  /** Page size of direct lists. Default: 500. */
  pageSize?: number;
}

const PATCH_TYPES = {
  merge: "application/merge-patch+json",
  json: "application/json-patch+json",
  strategic: "application/strategic-merge-patch+json",
  apply: "application/apply-patch+yaml",
} as const;

/** A Reader that always asks the apiserver. */
class DirectReader implements Reader {
  constructor(private readonly rest: RestClient, private readonly pageSize: number) {}

  async get<T extends KubeObject>(kind: KindDescriptor<T>, name: string, opts: { namespace?: string } = {}): Promise<T> {
    return withKind(kind, await this.rest.request<T>({ method: "GET", path: objectPath(kind, name, opts.namespace) }));
  }

  async list<T extends KubeObject>(kind: KindDescriptor<T>, opts: ListOptions = {}): Promise<T[]> {
    const out: T[] = [];
    let cont: string | undefined;
    do {
      const page = await this.rest.request<{ items?: T[]; metadata?: { continue?: string } }>({
        method: "GET",
        path: collectionPath(kind, opts.namespace),
        query: { labelSelector: opts.labelSelector || undefined, fieldSelector: opts.fieldSelector || undefined, limit: this.pageSize, continue: cont },
      });
      for (const item of page.items ?? []) out.push(withKind(kind, item));
      cont = page.metadata?.continue || undefined;
    } while (cont);
    return out;
  }
}

/**
 * Implements {@link Client}. Reads of a kind that has an informer in `cache` are served from memory;
 * reads of other kinds go to the apiserver (no informer is started behind your back: the manager
 * caches the kinds controllers watch). Objects read from the cache are frozen: `structuredClone`
 * before changing. After a write, the returned object is stored in the cache when it is newer than
 * the cached one, so a following cached get returns at least that version. After a 409 Conflict
 * the client refreshes the object in the cache with a direct get, then rethrows.
 */
export class KubeClient implements Client {
  readonly direct: Reader;

  constructor(private readonly rest: RestClient, private readonly cache: CacheReader, private readonly opts: KubeClientOptions = {}) {
    this.direct = new DirectReader(rest, opts.pageSize ?? 500);
  }

  get<T extends KubeObject>(kind: KindDescriptor<T>, name: string, opts?: { namespace?: string }): Promise<T> {
    return this.cached(kind) ? this.cache.get(kind, name, opts) : this.direct.get(kind, name, opts);
  }

  list<T extends KubeObject>(kind: KindDescriptor<T>, opts?: ListOptions): Promise<T[]> {
    return this.cached(kind) ? this.cache.list(kind, opts) : this.direct.list(kind, opts);
  }

  async create<T extends KubeObject>(kind: KindDescriptor<T>, obj: T): Promise<T> {
    const ns = namespaceOf(kind, obj);
    return this.write(kind, { method: "POST", path: collectionPath(kind, ns), body: withKind(kind, { ...obj }), query: this.fm() });
  }

  async update<T extends KubeObject>(kind: KindDescriptor<T>, obj: T): Promise<T> {
    return this.write(kind, { method: "PUT", path: objectPath(kind, nameOf(kind, obj), namespaceOf(kind, obj)), body: withKind(kind, { ...obj }), query: this.fm() });
  }

  async patch<T extends KubeObject>(kind: KindDescriptor<T>, name: string, patch: unknown, opts: { namespace?: string; type?: "merge" | "json" | "strategic" } = {}): Promise<T> {
    return this.write(kind, { method: "PATCH", path: objectPath(kind, name, opts.namespace), body: patch, contentType: PATCH_TYPES[opts.type ?? "merge"], query: this.fm() });
  }

  async apply<T extends KubeObject>(kind: KindDescriptor<T>, obj: ApplyConfiguration<T>, opts: ApplyOptions): Promise<T> {
    return this.write(kind, this.applyRequest(kind, obj as T, opts));
  }

  async delete<T extends KubeObject>(kind: KindDescriptor<T>, name: string, opts: { namespace?: string; propagationPolicy?: "Background" | "Foreground" | "Orphan" } = {}): Promise<void> {
    const body = { apiVersion: "v1", kind: "DeleteOptions", ...(opts.propagationPolicy ? { propagationPolicy: opts.propagationPolicy } : {}) };
    const res = await this.rest.request<KubeObject>({ method: "DELETE", path: objectPath(kind, name, opts.namespace), body });
    // With finalizers the object lives on with a deletionTimestamp: reflect that at once.
    if (res && res.kind === kind.kind && res.metadata?.name) this.feed(kind, withKind(kind, res as T));
  }

  async updateStatus<T extends KubeObject>(kind: KindDescriptor<T>, obj: T): Promise<T> {
    return this.write(kind, { method: "PUT", path: objectPath(kind, nameOf(kind, obj), namespaceOf(kind, obj), "status"), body: withKind(kind, { ...obj }), query: this.fm() });
  }

  async patchStatus<T extends KubeObject>(kind: KindDescriptor<T>, name: string, patch: unknown, opts: { namespace?: string; type?: "merge" | "json" } = {}): Promise<T> {
    return this.write(kind, { method: "PATCH", path: objectPath(kind, name, opts.namespace, "status"), body: patch, contentType: PATCH_TYPES[opts.type ?? "merge"], query: this.fm() });
  }

  async applyStatus<T extends KubeObject>(kind: KindDescriptor<T>, obj: ApplyConfiguration<T>, opts: ApplyOptions): Promise<T> {
    return this.write(kind, this.applyRequest(kind, obj as T, opts, "status"));
  }

  private applyRequest<T extends KubeObject>(kind: KindDescriptor<T>, obj: T, opts: ApplyOptions, sub?: string): RequestOptions {
    const body = withKind(kind, { ...obj });
    return { method: "PATCH", path: objectPath(kind, nameOf(kind, obj), namespaceOf(kind, obj), sub), body, contentType: PATCH_TYPES.apply, query: { fieldManager: opts.fieldManager, force: opts.force || undefined } };
  }

  private async write<T extends KubeObject>(kind: KindDescriptor<T>, req: RequestOptions): Promise<T> {
    try {
      const res = withKind(kind, await this.rest.request<T>(req));
      this.feed(kind, res);
      return res;
    } catch (err) {
      if (isConflict(err) && req.method !== "POST") await this.refresh(kind, req.path);
      throw err;
    }
  }

  /** After a conflict our cached copy is likely stale: fetch the current one into the cache. */
  private async refresh<T extends KubeObject>(kind: KindDescriptor<T>, path: string): Promise<void> {
    if (!this.cached(kind)) return;
    try {
      const current = await this.rest.request<T>({ method: "GET", path: path.replace(/\/status$/, "") });
      this.feed(kind, withKind(kind, current));
    } catch {
      // best effort: the watch will catch up
    }
  }

  private feed<T extends KubeObject>(kind: KindDescriptor<T>, obj: T): void {
    this.cache.observeWrite(kind, obj);
  }

  private cached(kind: KindDescriptor<KubeObject>): boolean {
    return this.cache.has(kind);
  }

  private fm(): Record<string, string> | undefined {
    return this.opts.fieldManager ? { fieldManager: this.opts.fieldManager } : undefined;
  }
}

function withKind<T extends KubeObject>(kind: KindDescriptor<T>, obj: T): T {
  if (obj && typeof obj === "object") {
    obj.apiVersion ??= kind.apiVersion;
    obj.kind ??= kind.kind;
  }
  return obj;
}

function nameOf(kind: KindDescriptor<KubeObject>, obj: KubeObject): string {
  const name = obj.metadata?.name;
  if (!name) throw new Error(`${kind.kind}: object has no metadata.name`);
  return name;
}

function namespaceOf(kind: KindDescriptor<KubeObject>, obj: KubeObject): string | undefined {
  if (!kind.namespaced) return undefined;
  const ns = obj.metadata?.namespace;
  if (!ns) throw new Error(`${kind.kind} ${obj.metadata?.name ?? obj.metadata?.generateName ?? ""}: metadata.namespace is required for a namespaced kind`);
  return ns;
}
