// Shared fixtures of the webhook tests (not a test file): a kind with two versions whose schemas
// differ (v1 the hub and storage version, v2 a spoke), its CRD with a Webhook conversion, its
// webhook configurations as `tsop manifests` writes them, and its hooks.
import { defineKind, type KubeObject, type ObjectMeta } from "../../../src/types/index.js";
import { FieldError, ValidationError, type AdmissionHooks, type ConversionHooks, type Spoke } from "../../../src/runtime/webhook/index.js";

export interface GadgetV1 extends KubeObject {
  metadata?: ObjectMeta;
  spec?: { size?: number; color?: string };
}
export interface GadgetV2 extends KubeObject {
  metadata?: ObjectMeta;
  spec?: { replicas?: number; paint?: { name?: string }; note?: string };
}
export const GadgetV1 = defineKind<GadgetV1>({ group: "webhook.tsop.io", version: "v1", kind: "Gadget", plural: "gadgets", namespaced: true });
export const GadgetV2 = defineKind<GadgetV2>({ group: "webhook.tsop.io", version: "v2", kind: "Gadget", plural: "gadgets", namespaced: true });

const obj = (properties: Record<string, unknown>): object => ({ type: "object", properties });
export function gadgetCrd(storage: "v1" | "v2" = "v1"): object {
  return {
    apiVersion: "apiextensions.k8s.io/v1", kind: "CustomResourceDefinition",
    metadata: { name: "gadgets.webhook.tsop.io" },
    spec: {
      group: "webhook.tsop.io", scope: "Namespaced",
      names: { kind: "Gadget", listKind: "GadgetList", plural: "gadgets", singular: "gadget" },
      conversion: { strategy: "Webhook", webhook: { clientConfig: { service: { name: "webhook-service", namespace: "system", path: "/convert" } }, conversionReviewVersions: ["v1"] } },
      versions: [
        { name: "v1", served: true, storage: storage === "v1", schema: { openAPIV3Schema: obj({ spec: obj({ size: { type: "integer" }, color: { type: "string" } }) }) } },
        { name: "v2", served: true, storage: storage === "v2", schema: { openAPIV3Schema: obj({ spec: obj({ replicas: { type: "integer" }, paint: obj({ name: { type: "string" } }), note: { type: "string" } }) }) } },
      ],
    },
  };
}

const rule = (operations: string[]): object => ({ apiGroups: ["webhook.tsop.io"], apiVersions: ["v1"], operations, resources: ["gadgets"] });
const service = (path: string): object => ({ service: { name: "webhook-service", namespace: "system", path } });
export const mutatingConfig = {
  apiVersion: "admissionregistration.k8s.io/v1", kind: "MutatingWebhookConfiguration", metadata: { name: "mutating-webhook-configuration" },
  webhooks: [{ name: "mgadget-v1.kb.io", admissionReviewVersions: ["v1"], sideEffects: "None", failurePolicy: "Fail", clientConfig: service("/mutate-webhook-tsop-io-v1-gadget"), rules: [rule(["CREATE", "UPDATE"])] }],
};
export const validatingConfig = {
  apiVersion: "admissionregistration.k8s.io/v1", kind: "ValidatingWebhookConfiguration", metadata: { name: "validating-webhook-configuration" },
  webhooks: [
    { name: "vgadget-v1.kb.io", admissionReviewVersions: ["v1"], sideEffects: "None", failurePolicy: "Fail", clientConfig: service("/validate-webhook-tsop-io-v1-gadget"), rules: [rule(["CREATE", "UPDATE", "DELETE"])] },
    // Denies every labelled ConfigMap, but with failurePolicy Ignore: while the server is down they pass.
    {
      name: "vconfigmap.kb.io", admissionReviewVersions: ["v1"], sideEffects: "None", failurePolicy: "Ignore", clientConfig: service("/validate--v1-configmap"),
      rules: [{ apiGroups: [""], apiVersions: ["v1"], operations: ["CREATE"], resources: ["configmaps"] }],
      objectSelector: { matchLabels: { "webhook-test": "ignore" } },
    },
  ],
};

export const MAX_SIZE = 10;
/** Defaults color and size; bounds size (with a warning near the top); color is immutable; deleting a "keep" gadget is refused. */
export const gadgetHooks: AdmissionHooks<GadgetV1> = {
  kind: GadgetV1,
  default(g) {
    g.spec ??= {};
    g.spec.color ??= "blue";
    g.spec.size ??= 1;
  },
  validateCreate(g) {
    return checkSize(g);
  },
  validateUpdate(old, g) {
    if (old.spec?.color !== g.spec?.color) throw new FieldError("spec.color", `is immutable (was ${old.spec?.color ?? "unset"})`, { value: g.spec?.color });
    return checkSize(g);
  },
  validateDelete(g) {
    if (g.metadata?.labels?.keep === "true") throw new Error("this gadget is labelled keep=true");
  },
};

function checkSize(g: GadgetV1): string[] {
  const size = g.spec?.size ?? 0;
  const errs: FieldError[] = [];
  if (size > MAX_SIZE) errs.push(new FieldError("spec.size", `must be at most ${MAX_SIZE}`, { value: size }));
  if (size < 1) errs.push(new FieldError("spec.size", "must be at least 1", { value: size }));
  if (errs.length) throw new ValidationError(errs);
  return size > MAX_SIZE - 2 ? [`spec.size ${size} is close to the limit of ${MAX_SIZE}`] : [];
}

export const NOTE = "webhook.tsop.io/v2-note";
/** v2 keeps `note`, which v1 has no field for, in an annotation of the hub so a round trip is lossless. */
const v2: Spoke<GadgetV1, GadgetV2> = {
  kind: GadgetV2,
  toHub(g) {
    const annotations = { ...g.metadata?.annotations };
    if (g.spec?.note !== undefined) annotations[NOTE] = g.spec.note;
    else delete annotations[NOTE];
    return {
      metadata: { ...g.metadata, annotations },
      spec: { ...(g.spec?.replicas !== undefined ? { size: g.spec.replicas } : {}), ...(g.spec?.paint?.name !== undefined ? { color: g.spec.paint.name } : {}) },
    };
  },
  fromHub(h) {
    const { [NOTE]: note, ...annotations } = h.metadata?.annotations ?? {};
    return {
      metadata: { ...h.metadata, annotations },
      spec: {
        ...(h.spec?.size !== undefined ? { replicas: h.spec.size } : {}),
        ...(h.spec?.color !== undefined ? { paint: { name: h.spec.color } } : {}),
        ...(note !== undefined ? { note } : {}),
      },
    };
  },
};
export const gadgetConversion: ConversionHooks<GadgetV1> = { hub: GadgetV1, spokes: [v2] };

/** Denies every ConfigMap it sees (it only sees labelled ones). */
export const configMapHooks: AdmissionHooks = {
  kind: { group: "", version: "v1", kind: "ConfigMap", plural: "configmaps", namespaced: true, apiVersion: "v1" },
  validateCreate() {
    throw new Error("labelled ConfigMaps are refused while the webhook runs");
  },
};
