/**
 * The apiserver's view of a schema node for CEL cost estimation (k8s.io/apiserver's SchemaDeclType):
 * each node's maximum size (string length in bytes, list items, map entries) and its smallest JSON
 * form, both bounded by the 3 MiB request limit where the schema sets no maxLength/maxItems/
 * maxProperties. Nodes CEL cannot see (untyped preserve-unknown-fields) have no declaration. @module
 */
import type { JSONSchemaProps } from "./json-schema.js";
import { celName } from "./rules.js";

/** The apiserver's request size limit, the bound of every unbounded size. */
export const MAX_REQUEST_BYTES = 3 * 1024 * 1024;

/** One node as the cost estimator sees it. */
export interface Decl {
  /** Largest size: string length (bytes, 4 per maxLength character), list items or map entries; 0 for scalars and objects. */
  maxElements: number;
  /** Smallest serialized JSON size of a value. */
  minSize: number;
  /** List items or map values. */
  elem?: Decl;
  /** Map keys. */
  key?: Decl;
  /** Object fields by their CEL (escaped) name. */
  fields?: Map<string, Decl>;
  /** The tag that would bound this node, when its size is only bounded by the request size. */
  unbounded?: "maxLength" | "maxItems" | "maxProperties";
}

const MIN_STRING = 2;
const STRING_KEY: Decl = { maxElements: 0, minSize: MIN_STRING };
const cache = new WeakMap<JSONSchemaProps, Decl | null>();
const rootCache = new WeakMap<JSONSchemaProps, Decl | null>();

function stringMax(s: JSONSchemaProps): number {
  if (s.maxLength !== undefined) return Math.max(0, s.maxLength) * 4;
  if (s.enum?.length) return Math.max(0, ...s.enum.map((v) => (typeof v === "string" ? v.length : 0)));
  return MAX_REQUEST_BYTES - 2;
}

/** The declaration of `s`; `root` for the resource root and embedded resources (apiVersion, kind, metadata.name/generateName added). */
export function declOf(s: JSONSchemaProps, root = false): Decl | undefined {
  const memo = root ? rootCache : cache;
  const hit = memo.get(s);
  if (hit !== undefined) return hit ?? undefined;
  const d = compute(s, root);
  memo.set(s, d ?? null);
  return d;
}

function compute(s: JSONSchemaProps, root: boolean): Decl | undefined {
  if (s["x-kubernetes-int-or-string"]) return s.maxLength !== undefined ? { maxElements: Math.max(0, s.maxLength) * 4, minSize: 1 } : { maxElements: MAX_REQUEST_BYTES - 2, minSize: 1, unbounded: "maxLength" };
  switch (s.type) {
    case "array": {
      const el = s.items ? declOf(s.items, !!s.items["x-kubernetes-embedded-resource"]) : undefined;
      if (!el) return undefined;
      if (s.maxItems !== undefined) return { maxElements: Math.max(0, s.maxItems), minSize: 2, elem: el };
      return { maxElements: Math.floor((MAX_REQUEST_BYTES - 2) / (el.minSize + 1)), minSize: 2, elem: el, unbounded: "maxItems" };
    }
    case "object": {
      const ap = s.additionalProperties;
      if (ap && typeof ap === "object") {
        const v = declOf(ap, !!ap["x-kubernetes-embedded-resource"]);
        if (!v) return undefined;
        if (s.maxProperties !== undefined) return { maxElements: Math.max(0, s.maxProperties), minSize: 2, elem: v, key: STRING_KEY };
        return { maxElements: Math.floor((MAX_REQUEST_BYTES - 2) / (v.minSize + 6)), minSize: 2, elem: v, key: STRING_KEY, unbounded: "maxProperties" };
      }
      const props: Record<string, JSONSchemaProps> = { ...(s.properties ?? {}) };
      if (root && !hasResourceFields(props)) {
        // As the apiserver's WithTypeAndObjectMeta: metadata.name is at most 253 characters (a DNS
        // subdomain), generateName 252, or the schema's own shorter maxLength.
        const meta = props.metadata?.properties ?? {};
        const capped = (p: JSONSchemaProps | undefined, max: number): JSONSchemaProps => ({ type: "string", maxLength: Math.min(p?.maxLength ?? max, max) });
        props.kind = { type: "string" };
        props.apiVersion = { type: "string" };
        props.metadata = { type: "object", properties: { name: capped(meta.name, 253), generateName: capped(meta.generateName, 252) } };
      }
      const required = new Set(s.required ?? []);
      const fields = new Map<string, Decl>();
      let minSize = 2;
      for (const [name, p] of Object.entries(props)) {
        const f = declOf(p, !!p["x-kubernetes-embedded-resource"]);
        if (!f) continue;
        fields.set(celName(name), f);
        if (required.has(name) && p.default === undefined) minSize += name.length + f.minSize + 4;
      }
      return { maxElements: 0, minSize, fields };
    }
    case "string":
      switch (s.format) {
        case "byte": return s.maxLength !== undefined ? { maxElements: Math.max(0, s.maxLength), minSize: MIN_STRING } : { maxElements: MAX_REQUEST_BYTES - 2, minSize: MIN_STRING, unbounded: "maxLength" };
        case "duration": return { maxElements: 32, minSize: 3 };
        case "date": return { maxElements: 12, minSize: 12 };
        case "date-time": return { maxElements: 32, minSize: 21 };
        default: return { maxElements: stringMax(s), minSize: MIN_STRING, ...(s.maxLength === undefined && !s.enum?.length ? { unbounded: "maxLength" as const } : {}) };
      }
    case "boolean": return { maxElements: 0, minSize: 4 };
    case "number": case "integer": return { maxElements: 0, minSize: 1 };
    default: return undefined;
  }
}

/** Whether a root already declares kind, apiVersion and metadata.name/generateName as strings (then the apiserver adds nothing). */
function hasResourceFields(props: Record<string, JSONSchemaProps>): boolean {
  const m = props.metadata?.properties;
  return props.kind?.type === "string" && props.apiVersion?.type === "string" && props.metadata?.type === "object" && m?.name?.type === "string" && m.generateName?.type === "string";
}

/**
 * How many times a rule on a node can run for one object, as the apiserver counts it: the product of
 * the enclosing lists' maxItems and maps' maxProperties when all are set (`enclosing`), otherwise as
 * many values of the node as fit into one request.
 */
export function ruleCardinality(enclosing: number | undefined, node: JSONSchemaProps, root = false): number {
  if (enclosing !== undefined) return enclosing;
  const d = declOf(node, root);
  return Math.floor(MAX_REQUEST_BYTES / ((d?.minSize ?? 1) + 1));
}

/** The bound a list or map contributes to the cardinality of rules below it (undefined: unbounded). */
export function elementBound(s: JSONSchemaProps): number | undefined {
  if (s.type === "array") return s.maxItems !== undefined ? Math.max(0, s.maxItems) : undefined;
  if (s.type === "object" && s.additionalProperties !== undefined && s.additionalProperties !== false) return s.maxProperties !== undefined ? Math.max(0, s.maxProperties) : undefined;
  return 1;
}
