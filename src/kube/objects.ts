/**
 * Server-side apply and delete of a list of Kubernetes objects in dependency order (Namespaces,
 * CRDs, RBAC, the rest; deletion in reverse), resolving each kind's resource and scope through
 * discovery, as `kubectl apply --server-side` / `kubectl delete` do.
 * @module
 */
import { setTimeout as sleep } from "node:timers/promises";
import { UserError } from "../errors.js";
import { applyCrds, awaitCustomResourceCache, type CrdObject } from "./crds.js";
import { statusMessage, type KubeTransport } from "./transport.js";

/** The parts of an object this module reads. */
export interface KubeObjectLike {
  apiVersion?: string;
  kind?: string;
  metadata?: { name?: string; namespace?: string };
  [key: string]: unknown;
}

const RBAC = new Set(["ServiceAccount", "Role", "ClusterRole", "RoleBinding", "ClusterRoleBinding"]);

/** 0 Namespace, 1 CustomResourceDefinition, 2 RBAC, 3 everything else. */
function rank(o: KubeObjectLike): number {
  if (o.kind === "Namespace") return 0;
  if (o.kind === "CustomResourceDefinition") return 1;
  if (RBAC.has(o.kind ?? "")) return 2;
  return 3;
}

/** The objects in apply order; the order within a rank is kept (stable). */
export function applyOrder<T extends KubeObjectLike>(objects: readonly T[]): T[] {
  return objects.map((o, i) => ({ o, i })).sort((a, b) => rank(a.o) - rank(b.o) || a.i - b.i).map((x) => x.o);
}

/** `Kind namespace/name` for messages. */
export function describeObject(o: KubeObjectLike): string {
  const ns = o.metadata?.namespace;
  return `${o.kind} ${ns ? `${ns}/` : ""}${o.metadata?.name ?? "(unnamed)"}`;
}

interface ApiResource { name: string; kind: string; namespaced: boolean }

/** Maps apiVersion + kind to the REST path of an object, asking discovery once per group version. */
export class ResourcePaths {
  private readonly byGv = new Map<string, ApiResource[]>();
  constructor(private readonly send: KubeTransport, private readonly defaultNamespace = "default") {}

  /** Forgets what discovery said (after CRDs were installed). */
  reset(): void {
    this.byGv.clear();
  }

  /** The object's path (collection path when `collection`), or undefined when its kind is not served. */
  async pathOf(o: KubeObjectLike, collection = false): Promise<string | undefined> {
    const gv = o.apiVersion ?? "";
    let list = this.byGv.get(gv);
    if (!list) {
      const res = await this.send({ method: "GET", path: gv.includes("/") ? `/apis/${gv}` : `/api/${gv}` });
      list = res.status === 200 ? ((JSON.parse(res.body) as { resources?: ApiResource[] }).resources ?? []).filter((r) => !r.name.includes("/")) : [];
      if (res.status !== 200 && res.status !== 404) throw new UserError("discovery-failed", `discovery of ${gv} failed (HTTP ${res.status}): ${statusMessage(res.body)}`, { hint: "check that you may read the API (kubectl api-resources)" });
      this.byGv.set(gv, list);
    }
    const r = list.find((x) => x.kind === o.kind);
    if (!r) return undefined;
    const base = gv.includes("/") ? `/apis/${gv}` : `/api/${gv}`;
    const ns = r.namespaced ? `/namespaces/${encodeURIComponent(o.metadata?.namespace ?? this.defaultNamespace)}` : "";
    return `${base}${ns}/${r.name}${collection ? "" : `/${encodeURIComponent(o.metadata?.name ?? "")}`}`;
  }
}

/** Options of {@link applyObjects}. */
export interface ApplyObjectsOptions {
  fieldManager: string;
  /** Told about each object once applied. */
  onApplied?: (o: KubeObjectLike) => void;
}

function refused(what: string, o: KubeObjectLike, status: number, body: string): UserError {
  return new UserError("apply-rejected", `the apiserver refused to ${what} ${describeObject(o)} (HTTP ${status}): ${statusMessage(body)}`, {
    hint: status === 403 ? "your kubeconfig's user lacks the permission; use an admin context (--context)" : "fix the manifest under config/ and run again",
  });
}

/**
 * Server-side applies (forced) every object in dependency order. CRDs are applied and waited for
 * (Established, served) before the objects after them, whose kinds may come from those CRDs.
 * Re-applying the same objects changes nothing.
 */
export async function applyObjects(send: KubeTransport, objects: readonly KubeObjectLike[], opts: ApplyObjectsOptions): Promise<void> {
  const paths = new ResourcePaths(send);
  const ordered = applyOrder(objects);
  for (const o of ordered.filter((x) => rank(x) === 0)) await applyOne(send, paths, o, opts);
  const crds = ordered.filter((x) => rank(x) === 1) as CrdObject[];
  if (crds.length > 0) {
    await applyCrds(send, crds, { fieldManager: opts.fieldManager, onApplied: (name) => opts.onApplied?.({ apiVersion: "apiextensions.k8s.io/v1", kind: "CustomResourceDefinition", metadata: { name } }) });
    paths.reset();
  }
  for (const o of ordered.filter((x) => rank(x) >= 2)) await applyOne(send, paths, o, opts);
}

async function applyOne(send: KubeTransport, paths: ResourcePaths, o: KubeObjectLike, opts: ApplyObjectsOptions): Promise<void> {
  const path = await paths.pathOf(o);
  if (!path) throw new UserError("unknown-kind", `the cluster does not serve ${o.kind} (${o.apiVersion}) of ${describeObject(o)}`, { hint: "install the CRD that defines it first (tsop install), or fix apiVersion/kind" });
  const res = await send({ method: "PATCH", path, query: { fieldManager: opts.fieldManager, force: true }, body: JSON.stringify(o), contentType: "application/apply-patch+yaml" });
  if (res.status >= 300) throw refused("apply", o, res.status, res.body);
  opts.onApplied?.(o);
}

/** Options of {@link deleteObjects}. */
export interface DeleteObjectsOptions {
  /** An object (or kind) that is not there is fine; else a one-line error after deleting the rest. */
  ignoreNotFound: boolean;
  /** How long to wait until every deleted object is gone. Default: 120 s. */
  timeoutMs?: number;
  /** Told about each object whose deletion was accepted. */
  onDeleted?: (o: KubeObjectLike) => void;
}

/**
 * Deletes the objects (given in any order) in reverse dependency order (background propagation, as kubectl does) and
 * waits until each is gone (a Namespace only goes once its namespace controller emptied it).
 */
export async function deleteObjects(send: KubeTransport, objects: readonly KubeObjectLike[], opts: DeleteObjectsOptions): Promise<void> {
  const paths = new ResourcePaths(send);
  const ordered = applyOrder(objects).reverse();
  const missing: string[] = [];
  const pending: { o: KubeObjectLike; path: string }[] = [];
  for (const o of ordered) {
    const path = await paths.pathOf(o);
    if (!path) {
      missing.push(describeObject(o));
      continue;
    }
    if (o.kind === "CustomResourceDefinition") await awaitCustomResourceCache(send, o as CrdObject);
    const res = await send({ method: "DELETE", path, query: { propagationPolicy: "Background" } });
    if (res.status === 404) missing.push(describeObject(o));
    else if (res.status >= 300) throw refused("delete", o, res.status, res.body);
    else {
      pending.push({ o, path });
      opts.onDeleted?.(o);
    }
  }
  const timeoutMs = opts.timeoutMs ?? 120_000;
  const deadline = Date.now() + timeoutMs;
  for (const { o, path } of pending) {
    while ((await send({ method: "GET", path })).status !== 404) {
      if (Date.now() > deadline) throw new UserError("delete-timeout", `${describeObject(o)} is still there after ${Math.round(timeoutMs / 1000)} s`, { hint: "it may be held by a finalizer (a Namespace needs the cluster's namespace controller); run again to keep waiting" });
      await sleep(200);
    }
  }
  if (missing.length > 0 && !opts.ignoreNotFound) {
    throw new UserError("not-found", `not found: ${missing.join(", ")}`, { hint: "nothing to delete there; pass --ignore-not-found to treat that as success" });
  }
}
