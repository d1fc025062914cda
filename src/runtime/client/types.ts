/**
 * The client contracts: cached reads (Reader), writes to the apiserver (Writer), and their options.
 * @module
 */
import type { KindDescriptor, KubeObject } from "../../types/index.js";

/** Options of list calls, on the apiserver and on the cache. */
export interface ListOptions {
  /** Only this namespace; all namespaces when unset. */
  namespace?: string;
  /** Label selector in the apiserver's string syntax (`app=x,tier in (a,b)`). */
  labelSelector?: string;
  /** Field selector (`metadata.name=x`). */
  fieldSelector?: string;
}

/** Options of a server-side apply. */
export interface ApplyOptions {
  /** The field manager that owns the applied fields, e.g. the controller's name. */
  fieldManager: string;
  /** Take over fields other managers own instead of failing with a 409 conflict. */
  force?: boolean;
}

/**
 * What server-side apply takes: the object with every field optional at any depth (send only the
 * fields you own). `apiVersion`/`kind` are filled from the kind descriptor.
 */
export type ApplyConfiguration<T> = T extends readonly (infer U)[] ? ApplyConfiguration<U>[] : T extends object ? { [K in keyof T]?: ApplyConfiguration<T[K]> } : T;

/** Read access: served from the informer cache when the kind is cached. */
export interface Reader {
  /** One object by name; rejects with a 404 `ApiError` (see `isNotFound`) when it does not exist. */
  get<T extends KubeObject>(kind: KindDescriptor<T>, name: string, opts?: { namespace?: string }): Promise<T>;
  /** Every object of a kind matching `opts`. */
  list<T extends KubeObject>(kind: KindDescriptor<T>, opts?: ListOptions): Promise<T[]>;
}

/** Write access to the apiserver. Every write result is fed back to the cache (read-your-own-writes). */
export interface Writer {
  /** Creates `obj`; returns it as stored. */
  create<T extends KubeObject>(kind: KindDescriptor<T>, obj: T): Promise<T>;
  /** Replaces `obj` (its resourceVersion guards against lost updates: 409 on conflict). */
  update<T extends KubeObject>(kind: KindDescriptor<T>, obj: T): Promise<T>;
  /** `type` defaults to `merge` (RFC 7386); `json` takes an RFC 6902 array. */
  patch<T extends KubeObject>(kind: KindDescriptor<T>, name: string, patch: unknown, opts?: { namespace?: string; type?: "merge" | "json" | "strategic" }): Promise<T>;
  /** Server-side apply of the fields in `obj`, owned by `opts.fieldManager`. */
  apply<T extends KubeObject>(kind: KindDescriptor<T>, obj: ApplyConfiguration<T>, opts: ApplyOptions): Promise<T>;
  /** Deletes by name (finalizers may keep the object until they are removed). */
  delete<T extends KubeObject>(kind: KindDescriptor<T>, name: string, opts?: { namespace?: string; propagationPolicy?: "Background" | "Foreground" | "Orphan" }): Promise<void>;
  /** Replaces the status subresource of `obj`. */
  updateStatus<T extends KubeObject>(kind: KindDescriptor<T>, obj: T): Promise<T>;
  /** Patches the status subresource (`type` as in {@link Writer.patch}). */
  patchStatus<T extends KubeObject>(kind: KindDescriptor<T>, name: string, patch: unknown, opts?: { namespace?: string; type?: "merge" | "json" }): Promise<T>;
  /** Server-side apply of the status subresource. */
  applyStatus<T extends KubeObject>(kind: KindDescriptor<T>, obj: ApplyConfiguration<T>, opts: ApplyOptions): Promise<T>;
}

/**
 * The cache as the client sees it: reads of cached kinds, and the write-back that lets the client
 * read its own writes. Every {@link Cache} is one: the contract is part of the cache's type, so a
 * cache cannot leave it out and have reads after a write silently return the older object.
 */
export interface CacheReader extends Reader {
  /** True when `kind` is served from memory; the client reads other kinds from the apiserver. */
  has(kind: KindDescriptor<KubeObject>): boolean;
  /** Stores `obj`, the result of a write, when it is newer than the cached copy; true when stored. */
  observeWrite<T extends KubeObject>(kind: KindDescriptor<T>, obj: T): boolean;
}

/** The client operators use: cached reads, direct writes. */
export interface Client extends Reader, Writer {
  /** A reader that always goes to the apiserver. */
  readonly direct: Reader;
}
