/**
 * Owner references: the controller reference that makes garbage collection and `owns()` work,
 * and plain owner references.
 * @module
 */
import type { KindDescriptor, KubeObject, OwnerReference } from "../../types/index.js";
import { groupOf } from "../internal/objects.js";

/** Why an owner reference could not be set. */
export class OwnerReferenceError extends Error {
  override readonly name = "OwnerReferenceError";
  /** `already-owned`: another controller owns the object; `cross-namespace`/`invalid-owner`: cannot own it. */
  readonly code: "already-owned" | "cross-namespace" | "invalid-owner";
  constructor(code: OwnerReferenceError["code"], message: string) {
    super(message);
    this.code = code;
  }
}

function sameOwner(a: OwnerReference, b: OwnerReference): boolean {
  return a.kind === b.kind && a.name === b.name && groupOf(a.apiVersion) === groupOf(b.apiVersion);
}

function refFor(owner: KubeObject, obj: KubeObject, kind: KindDescriptor): OwnerReference {
  const m = owner.metadata;
  if (!m?.name || !m.uid) throw new OwnerReferenceError("invalid-owner", `owner ${kind.kind} needs metadata.name and metadata.uid (read it from the API first)`);
  if (kind.namespaced) {
    const ns = obj.metadata?.namespace;
    if (!ns) throw new OwnerReferenceError("cross-namespace", `cluster-scoped object ${obj.metadata?.name ?? ""} cannot have a namespaced owner ${kind.kind}/${m.name}`);
    if (m.namespace && ns !== m.namespace) {
      throw new OwnerReferenceError("cross-namespace", `${kind.kind} ${m.namespace}/${m.name} cannot own an object in namespace ${ns}`);
    }
  }
  return { apiVersion: kind.apiVersion, kind: kind.kind, name: m.name, uid: m.uid };
}

function upsert(obj: KubeObject, ref: OwnerReference): void {
  const refs = obj.metadata?.ownerReferences ?? [];
  const i = refs.findIndex((r) => sameOwner(r, ref));
  const next = i < 0 ? [...refs, ref] : refs.map((r, j) => (j === i ? ref : r));
  obj.metadata = { ...obj.metadata, ownerReferences: next };
}

/**
 * Makes `owner` the controller of `obj` (`controller: true`, `blockOwnerDeletion: true`), replacing
 * an existing reference to the same owner. Throws {@link OwnerReferenceError} `already-owned` when
 * another object is the controller. Copy-on-write: `obj.metadata` is replaced, not mutated.
 */
export function setControllerReference(owner: KubeObject, obj: KubeObject, ownerKind: KindDescriptor): void {
  const ref: OwnerReference = { ...refFor(owner, obj, ownerKind), controller: true, blockOwnerDeletion: true };
  const current = getControllerOf(obj);
  if (current && !sameOwner(current, ref)) {
    throw new OwnerReferenceError("already-owned", `${obj.metadata?.name ?? "object"} is already controlled by ${current.kind} ${current.name}`);
  }
  upsert(obj, ref);
}

/** Adds (or updates) a non-controller owner reference to `owner` on `obj`. */
export function setOwnerReference(owner: KubeObject, obj: KubeObject, ownerKind: KindDescriptor): void {
  const existing = obj.metadata?.ownerReferences?.find((r) => sameOwner(r, { ...refFor(owner, obj, ownerKind) }));
  const ref: OwnerReference = refFor(owner, obj, ownerKind);
  if (existing?.controller !== undefined) ref.controller = existing.controller;
  if (existing?.blockOwnerDeletion !== undefined) ref.blockOwnerDeletion = existing.blockOwnerDeletion;
  upsert(obj, ref);
}

/** The controller owner reference of `obj`, if any. */
export function getControllerOf(obj: KubeObject): OwnerReference | undefined {
  return obj.metadata?.ownerReferences?.find((r) => r.controller === true);
}

/** True when `owner` (by uid) is the controller of `obj`. */
export function isControlledBy(obj: KubeObject, owner: KubeObject): boolean {
  const c = getControllerOf(obj);
  return c !== undefined && c.uid === owner.metadata?.uid;
}
