/** Schemas of tsop/types' names: scalar aliases as controller-gen emits the Go types, core types from the generated table. @module */
import { coreSchema } from "./core-schemas.js";
import type { JSONSchemaProps } from "./json-schema.js";

/** resource.Quantity's pattern as controller-gen emits it. */
export const QUANTITY_PATTERN = "^(\\+|-)?(([0-9]+(\\.[0-9]*)?)|(\\.[0-9]+))(([KMGTPE]i)|[numkMGTPE]|([eE](\\+|-)?(([0-9]+(\\.[0-9]*)?)|(\\.[0-9]+))))?$";

/** The int-or-string schema (intstr.IntOrString). */
export function intOrStringSchema(): JSONSchemaProps {
  return { anyOf: [{ type: "integer" }, { type: "string" }], "x-kubernetes-int-or-string": true };
}

const SCALARS: Record<string, () => JSONSchemaProps> = {
  Int32: () => ({ type: "integer", format: "int32" }),
  Int64: () => ({ type: "integer", format: "int64" }),
  Int: () => ({ type: "integer" }),
  IntOrString: intOrStringSchema,
  Quantity: () => ({ ...intOrStringSchema(), pattern: QUANTITY_PATTERN }),
  DateTime: () => ({ type: "string", format: "date-time" }),
  Duration: () => ({ type: "string" }),
  Bytes: () => ({ type: "string", format: "byte" }),
  ObjectMeta: () => ({ type: "object" }),
};

/** Names of tsop/types that have no schema (runtime helpers, not data). */
const NOT_DATA = new Set(["KindDescriptor", "KubeObject", "defineKind"]);

/** The schema for a tsop/types name, or undefined when that name is not usable in a schema. */
export function builtinSchema(name: string): JSONSchemaProps | undefined {
  if (NOT_DATA.has(name)) return undefined;
  const scalar = SCALARS[name];
  return scalar ? scalar() : coreSchema(name);
}
