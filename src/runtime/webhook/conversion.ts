/**
 * Conversion (ConversionReview v1, served on /convert) in hub-and-spoke form, like
 * controller-runtime's Hub/Convertible: the hub is one version of a kind (usually the storage
 * version); every other version (a spoke) converts to and from the hub, so n versions need 2(n-1)
 * functions instead of n(n-1). A spoke keeps what the hub cannot hold (e.g. in an annotation) so a
 * round trip is lossless.
 * @module
 */
import type { KindDescriptor, KubeObject } from "../../types/index.js";

/** One non-hub version of a kind: converts to and from the hub. */
export interface Spoke<H extends KubeObject, S extends KubeObject = KubeObject> {
  /** The spoke's version (same group and kind as the hub). */
  kind: KindDescriptor<S>;
  /** The hub form of `obj`. apiVersion, kind and (when not set) metadata are filled in. */
  toHub(obj: S): H;
  /** The spoke form of `hub`. apiVersion, kind and (when not set) metadata are filled in. */
  fromHub(hub: H): S;
}

/** The versions of one kind: its hub and its spokes. */
export interface ConversionHooks<H extends KubeObject = KubeObject> {
  /** The hub version. */
  hub: KindDescriptor<H>;
  /** Every other served version. */
  spokes: Spoke<H, KubeObject>[];
}

/** The `request` of a ConversionReview v1. */
export interface ConversionRequest {
  uid: string;
  desiredAPIVersion: string;
  objects: KubeObject[];
}

/** The `response` of a ConversionReview v1. */
export interface ConversionResponse {
  uid: string;
  convertedObjects: KubeObject[];
  result: { status: "Success" | "Failure"; message?: string };
}

/** A ConversionReview v1 as sent and answered. */
export interface ConversionReview {
  apiVersion: "apiextensions.k8s.io/v1";
  kind: "ConversionReview";
  request?: ConversionRequest;
  response?: ConversionResponse;
}

const splitApiVersion = (av: string): { group: string; version: string } => {
  const i = av.lastIndexOf("/");
  return i < 0 ? { group: "", version: av } : { group: av.slice(0, i), version: av.slice(i + 1) };
};

/** Checks that every spoke is a version of the hub's kind, once, and not the hub's version. */
export function checkConversion(c: ConversionHooks): void {
  const seen = new Set([c.hub.version]);
  for (const s of c.spokes) {
    if (s.kind.group !== c.hub.group || s.kind.kind !== c.hub.kind) {
      throw new Error(`conversion of ${c.hub.kind}.${c.hub.group}: spoke ${s.kind.kind}.${s.kind.group}/${s.kind.version} is another kind`);
    }
    if (seen.has(s.kind.version)) throw new Error(`conversion of ${c.hub.kind}.${c.hub.group}: version ${s.kind.version} is registered twice (or is the hub)`);
    seen.add(s.kind.version);
  }
}

function convertOne(c: ConversionHooks, obj: KubeObject, desired: string): KubeObject {
  const from = splitApiVersion(obj.apiVersion ?? "");
  const to = splitApiVersion(desired);
  if (from.version === to.version) return obj;
  const spokeOf = (version: string): Spoke<KubeObject> => {
    const s = c.spokes.find((x) => x.kind.version === version);
    if (!s) throw new Error(`${c.hub.kind}.${c.hub.group} has no conversion for version ${version} (hub ${c.hub.version}; spokes ${c.spokes.map((x) => x.kind.version).join(", ") || "none"})`);
    return s;
  };
  const stamp = (o: KubeObject, kind: KindDescriptor): KubeObject => ({ ...o, apiVersion: kind.apiVersion, kind: kind.kind, metadata: o.metadata ?? obj.metadata });
  const hub = from.version === c.hub.version ? obj : stamp(spokeOf(from.version).toHub(structuredClone(obj)), c.hub);
  if (to.version === c.hub.version) return hub;
  const spoke = spokeOf(to.version);
  return stamp(spoke.fromHub(structuredClone(hub)), spoke.kind);
}

/**
 * Answers a ConversionReview request with the registered conversions (keyed by `group/kind`).
 * Any failure fails the whole review with its message, as the apiserver expects.
 */
export function convertReview(registry: ReadonlyMap<string, ConversionHooks>, req: ConversionRequest): ConversionResponse {
  try {
    const to = splitApiVersion(req.desiredAPIVersion);
    const convertedObjects = req.objects.map((obj) => {
      const from = splitApiVersion(obj.apiVersion ?? "");
      if (from.group !== to.group) throw new Error(`cannot convert ${obj.apiVersion} to ${req.desiredAPIVersion}: the groups differ`);
      const c = registry.get(`${from.group}/${obj.kind ?? ""}`);
      if (!c) throw new Error(`no conversion is registered for kind ${obj.kind ?? "(none)"} in group ${from.group}`);
      return convertOne(c, obj, req.desiredAPIVersion);
    });
    return { uid: req.uid, convertedObjects, result: { status: "Success" } };
  } catch (err) {
    return { uid: req.uid, convertedObjects: [], result: { status: "Failure", message: err instanceof Error ? err.message : String(err) } };
  }
}
