/** TypeScript interfaces from an existing CRD's schema (for `create api --external --from-crd`), via json-schema-to-typescript. @module */
import { parseAllDocuments } from "yaml";
import { UserError } from "../errors.js";
import type { JSONSchemaProps } from "./json-schema.js";
import { ITEM_TAGS } from "./tags.js";

/** Options of `typesFromCrd`. */
export interface TypesFromCrdOptions {
  /** Version to generate types for. Default: the storage version. */
  version?: string;
  /** Module the generated file imports tsop's types from. Default: `"tsop/types"`. */
  typesModule?: string;
}

interface Crd {
  kind?: string;
  spec?: {
    group?: string;
    scope?: string;
    names?: { kind?: string; plural?: string };
    versions?: { name: string; storage?: boolean; schema?: { openAPIV3Schema?: JSONSchemaProps } }[];
  };
}

type JsonSchema = Record<string, unknown>;

const TAGGED = ["minimum", "maximum", "multipleOf", "minLength", "maxLength", "pattern", "minItems", "maxItems", "minProperties", "maxProperties"] as const;

/** The JSDoc tags that carry a node's validation back into tsop (so the types round-trip). */
function tagsOf(s: JSONSchemaProps): string[] {
  const out: string[] = [];
  for (const k of TAGGED) if (s[k] !== undefined && !String(s[k]).includes("*/")) out.push(`@${k} ${String(s[k])}`);
  if (s.exclusiveMinimum) out.push("@exclusiveMinimum");
  if (s.exclusiveMaximum) out.push("@exclusiveMaximum");
  if (s.default !== undefined) out.push(`@default ${JSON.stringify(s.default)}`);
  if (s.example !== undefined) out.push(`@example ${JSON.stringify(s.example)}`);
  if (s.title) out.push(`@title ${s.title}`);
  if (s.format && s.type === "string" && !["date-time", "byte"].includes(s.format)) out.push(`@format ${s.format}`);
  if (s["x-kubernetes-preserve-unknown-fields"]) out.push("@preserveUnknownFields");
  if (s["x-kubernetes-embedded-resource"]) out.push("@embeddedResource");
  if (s["x-kubernetes-list-type"]) out.push(`@listType ${s["x-kubernetes-list-type"]}`);
  for (const k of s["x-kubernetes-list-map-keys"] ?? []) out.push(`@listMapKey ${k}`);
  if (s["x-kubernetes-map-type"]) out.push(`@mapType ${s["x-kubernetes-map-type"]}`);
  for (const r of s["x-kubernetes-validations"] ?? []) {
    if (r.rule.includes("*/") || r.rule.includes("\n")) continue;
    const extra = [r.message ? ` message=${JSON.stringify(r.message)}` : "", r.messageExpression ? ` messageExpression=${JSON.stringify(r.messageExpression)}` : "", r.reason ? ` reason=${r.reason}` : "", r.fieldPath ? ` fieldPath=${JSON.stringify(r.fieldPath)}` : "", r.optionalOldSelf ? " optionalOldSelf" : ""].join("");
    out.push(`@validation rule=${JSON.stringify(r.rule)}${extra}`);
  }
  return out;
}

/** Rewrites a CRD schema node into JSON Schema with tsop/types names as `tsType`s. */
function toJsonSchema(node: JSONSchemaProps, used: Set<string>): JsonSchema {
  const tags = tagsOf(node);
  const s: JSONSchemaProps = tags.length ? { ...node, description: [node.description ?? "", ...tags].filter(Boolean).join("\n") } : node;
  const use = (n: string): JsonSchema => { used.add(n); return { tsType: n, ...(s.description ? { description: s.description } : {}) }; };
  if (s["x-kubernetes-int-or-string"]) return use(s.pattern?.includes("[KMGTPE]i") ? "Quantity" : "IntOrString");
  const out: JsonSchema = {};
  if (s.description) out.description = s.description;
  if (s.enum) out.enum = s.enum;
  switch (s.type) {
    case "integer":
      if (!s.enum) return use(s.format === "int32" ? "Int32" : s.format === "int64" ? "Int64" : "Int");
      out.type = "integer";
      break;
    case "string":
      if (s.format === "date-time" && !s.enum) return use("DateTime");
      if (s.format === "byte" && !s.enum) return use("Bytes");
      out.type = "string";
      break;
    case "number": case "boolean": out.type = s.type; break;
    case "array": {
      // T[] has no place for item docs; item constraints become @items:<tag> on the array field.
      const items = s.items ? toJsonSchema(s.items, used) : {};
      delete items.description;
      out.type = "array";
      out.items = items;
      const itemTags = s.items ? tagsOf(s.items).filter((t) => (ITEM_TAGS as readonly string[]).includes(t.slice(1).split(" ")[0]!)) : [];
      if (itemTags.length) out.description = [s.description ?? "", ...itemTags.map((t) => `@items:${t.slice(1)}`)].filter(Boolean).join("\n");
      break;
    }
    case "object": {
      out.type = "object";
      if (s.properties) {
        out.properties = Object.fromEntries(Object.entries(s.properties).map(([k, v]) => [k, toJsonSchema(v, used)]));
        out.additionalProperties = s["x-kubernetes-preserve-unknown-fields"] ? { tsType: "unknown" } : false;
      } else if (s.additionalProperties && typeof s.additionalProperties === "object") {
        out.additionalProperties = toJsonSchema(s.additionalProperties, used);
      } else {
        out.additionalProperties = { tsType: "unknown" };
        if (!s["x-kubernetes-preserve-unknown-fields"]) out.description = [s.description ?? "", "@preserveUnknownFields"].filter(Boolean).join("\n");
      }
      if (s.required?.length) out.required = s.required;
      break;
    }
    default:
      return { tsType: "unknown", ...(s.description ? { description: s.description } : {}) };
  }
  if (s.nullable) return { anyOf: [out, { type: "null" }], ...(s.description ? { description: s.description } : {}) };
  return out;
}

/**
 * Generates a TypeScript API file for the kind in `crdYamlText`: interfaces for its schema (using
 * tsop/types' Int32, Quantity, ObjectMeta...) and the `defineKind` descriptor. Throws a UserError
 * when the text is not a CRD or the version is missing.
 */
export async function typesFromCrd(crdYamlText: string, opts: TypesFromCrdOptions = {}): Promise<string> {
  const docs = parseAllDocuments(crdYamlText);
  const crd = docs.map((d) => d.toJS() as Crd).find((d) => d?.kind === "CustomResourceDefinition");
  const kind = crd?.spec?.names?.kind;
  if (!crd?.spec?.versions?.length || !kind || !crd.spec.group || !crd.spec.names?.plural) {
    throw new UserError("from-crd", "the file holds no apiextensions.k8s.io/v1 CustomResourceDefinition", { hint: "pass a CRD YAML file (kind: CustomResourceDefinition)" });
  }
  const v = opts.version ? crd.spec.versions.find((x) => x.name === opts.version) : (crd.spec.versions.find((x) => x.storage) ?? crd.spec.versions[0]);
  if (!v) throw new UserError("from-crd", `the CRD has no version ${opts.version}`, { hint: `versions: ${crd.spec.versions.map((x) => x.name).join(", ")}` });
  const root = v.schema?.openAPIV3Schema;
  if (!root) throw new UserError("from-crd", `version ${v.name} of the CRD has no schema`);
  const used = new Set<string>(["ObjectMeta"]);
  const schema = toJsonSchema(root, used);
  const props = (schema.properties ?? {}) as Record<string, JsonSchema>;
  props.apiVersion = { tsType: JSON.stringify(`${crd.spec.group}/${v.name}`) };
  props.kind = { tsType: JSON.stringify(kind) };
  props.metadata = { tsType: "ObjectMeta" };
  schema.properties = props;
  schema.title = kind;
  const { compile } = await import("json-schema-to-typescript");
  const body = await compile(schema as Parameters<typeof compile>[0], kind, {
    bannerComment: "", format: true, additionalProperties: false, strictIndexSignatures: false, unknownAny: true, declareExternallyReferenced: true,
  });
  const names = [...used].sort();
  const module = opts.typesModule ?? "tsop/types";
  return [
    `// Generated by tsop from the CRD ${crd.spec.names.plural}.${crd.spec.group} (version ${v.name}). tsop emits no CRD for this kind.`,
    `import { defineKind, ${names.map((n) => `type ${n}`).join(", ")} } from ${JSON.stringify(module)};`,
    "",
    body.trim(),
    "",
    `export const ${kind} = defineKind<${kind}>({ group: ${JSON.stringify(crd.spec.group)}, version: ${JSON.stringify(v.name)}, kind: ${JSON.stringify(kind)}, plural: ${JSON.stringify(crd.spec.names.plural)}, namespaced: ${crd.spec.scope !== "Cluster"} });`,
    "",
  ].join("\n");
}
