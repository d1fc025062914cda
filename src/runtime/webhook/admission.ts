/**
 * Admission (AdmissionReview v1): the hooks a user writes for a kind ({@link AdmissionHooks}) and
 * the pure functions that turn one request into a response — mutating (a JSON patch computed from
 * the defaulted object) and validating (allowed, or denied with a Status; warnings either way).
 * @module
 */
import type { KindDescriptor, KubeObject } from "../../types/index.js";
import { AdmissionDenied, FieldError, ValidationError } from "./errors.js";
import { createJsonPatch } from "./json-patch.js";

/** Warnings returned to the client (kubectl prints each as `Warning: ...`). */
export type Warnings = string[];

/** A Kubernetes Status as carried in an admission response. */
export interface AdmissionStatus {
  status?: "Success" | "Failure";
  code?: number;
  reason?: string;
  message?: string;
  details?: { name?: string; group?: string; kind?: string; causes?: { reason?: string; message?: string; field?: string }[] };
}

/** The `request` of an AdmissionReview v1 (the fields webhooks use). */
export interface AdmissionRequest<T extends KubeObject = KubeObject> {
  uid: string;
  kind: { group: string; version: string; kind: string };
  resource: { group: string; version: string; resource: string };
  subResource?: string;
  name?: string;
  namespace?: string;
  operation: "CREATE" | "UPDATE" | "DELETE" | "CONNECT";
  userInfo?: { username?: string; uid?: string; groups?: string[]; extra?: Record<string, string[]> };
  /** The object as sent (CREATE, UPDATE), absent on DELETE. */
  object?: T;
  /** The stored object (UPDATE, DELETE). */
  oldObject?: T;
  dryRun?: boolean;
  options?: Record<string, unknown>;
}

/** The `response` of an AdmissionReview v1. */
export interface AdmissionResponse {
  uid: string;
  allowed: boolean;
  status?: AdmissionStatus;
  patch?: string;
  patchType?: "JSONPatch";
  warnings?: Warnings;
}

/** An AdmissionReview v1 as sent and answered. */
export interface AdmissionReview {
  apiVersion: "admission.k8s.io/v1";
  kind: "AdmissionReview";
  request?: AdmissionRequest;
  response?: AdmissionResponse;
}

type Maybe<T> = T | Promise<T>;

/**
 * The webhooks of one kind, like controller-runtime's CustomDefaulter and CustomValidator. A
 * validate hook returns warnings (or nothing) to allow, and throws {@link FieldError},
 * {@link ValidationError} or {@link AdmissionDenied} to deny; any other thrown error denies with
 * its message. `default` changes `obj` in place (or returns a new object); a thrown error answers
 * 500. Objects are plain copies: changing them affects nothing but the answer.
 */
export interface AdmissionHooks<T extends KubeObject = KubeObject> {
  /** The kind these hooks serve; also names the paths (`/mutate-<group>-<version>-<kind>`). */
  kind: KindDescriptor<T>;
  /** Fills in defaults (mutating webhook). */
  default?(obj: T, req: AdmissionRequest<T>): Maybe<void | T>;
  /** Checks a new object. */
  validateCreate?(obj: T, req: AdmissionRequest<T>): Maybe<void | Warnings>;
  /** Checks a change; `old` is the stored object. */
  validateUpdate?(old: T, obj: T, req: AdmissionRequest<T>): Maybe<void | Warnings>;
  /** Checks a deletion; `obj` is the stored object. */
  validateDelete?(obj: T, req: AdmissionRequest<T>): Maybe<void | Warnings>;
}

/**
 * Declares a kind's admission hooks with the object type taken from `kind`, so hook parameters are
 * typed without annotations: `defineWebhook({ kind: Memcached, default(m) { m.spec.size ??= 1; } })`.
 */
export function defineWebhook<T extends KubeObject>(hooks: AdmissionHooks<T>): AdmissionHooks<T> {
  return hooks;
}

/** `/mutate-<group with dots as dashes>-<version>-<lower-case kind>`, as kubebuilder names it (core group: `/mutate--v1-pod`). */
export function admissionPath(type: "mutate" | "validate", kind: KindDescriptor): string {
  return `/${type}-${kind.group.replaceAll(".", "-")}-${kind.version}-${kind.kind.toLowerCase()}`;
}

/** An allowed response. */
export function allowed(uid: string, warnings?: Warnings): AdmissionResponse {
  return { uid, allowed: true, ...(warnings?.length ? { warnings } : {}) };
}

/** A response for a request that could not be handled (controller-runtime's `admission.Errored`). */
export function errored(uid: string, code: number, message: string): AdmissionResponse {
  return { uid, allowed: false, status: { status: "Failure", code, message } };
}

const messageOf = (err: unknown): string => (err instanceof Error ? err.message : String(err));

/** The Status a thrown validation error becomes. */
export function deniedStatus(err: unknown, req: AdmissionRequest): AdmissionStatus {
  const fields = err instanceof ValidationError ? err.errors : err instanceof FieldError ? [err] : undefined;
  if (fields) {
    const qualified = req.kind.group ? `${req.kind.kind}.${req.kind.group}` : req.kind.kind;
    const name = req.name ?? req.object?.metadata?.name ?? req.object?.metadata?.generateName ?? "";
    const list = fields.length === 1 ? (fields[0] as FieldError).message : `[${fields.map((f) => f.message).join(", ")}]`;
    return {
      status: "Failure", code: 422, reason: "Invalid",
      message: `${qualified} "${name}" is invalid: ${list}`,
      details: { name, group: req.kind.group, kind: req.kind.kind, causes: fields.map((f) => ({ reason: f.reason, message: f.detail, field: f.field })) },
    };
  }
  if (err instanceof AdmissionDenied) return { status: "Failure", code: err.code, reason: err.reason, message: err.message };
  return { status: "Failure", code: 403, reason: "Forbidden", message: messageOf(err) };
}

/** Answers a mutating request: a JSON patch from the object as sent to the defaulted one. */
export async function mutate<T extends KubeObject>(hooks: AdmissionHooks<T>, req: AdmissionRequest<T>): Promise<AdmissionResponse> {
  if (!hooks.default || req.operation === "DELETE" || req.operation === "CONNECT" || !req.object) return allowed(req.uid);
  const original = req.object;
  const copy = structuredClone(original);
  let result: void | T;
  try {
    result = await hooks.default(copy, { ...req, object: structuredClone(original) });
  } catch (err) {
    return errored(req.uid, 500, `defaulting failed: ${messageOf(err)}`);
  }
  const ops = createJsonPatch(original, result ?? copy);
  if (ops.length === 0) return allowed(req.uid);
  return { uid: req.uid, allowed: true, patchType: "JSONPatch", patch: Buffer.from(JSON.stringify(ops)).toString("base64") };
}

/** Answers a validating request by calling validateCreate/Update/Delete for its operation. */
export async function validate<T extends KubeObject>(hooks: AdmissionHooks<T>, req: AdmissionRequest<T>): Promise<AdmissionResponse> {
  let warnings: void | Warnings = undefined;
  try {
    switch (req.operation) {
      case "CREATE":
        if (req.object) warnings = await hooks.validateCreate?.(req.object, req);
        break;
      case "UPDATE":
        if (req.object && req.oldObject) warnings = await hooks.validateUpdate?.(req.oldObject, req.object, req);
        break;
      case "DELETE":
        if (req.oldObject) warnings = await hooks.validateDelete?.(req.oldObject, req);
        break;
      default:
        break;
    }
  } catch (err) {
    return { uid: req.uid, allowed: false, status: deniedStatus(err, req) };
  }
  return allowed(req.uid, warnings ?? undefined);
}
