/** The subset of apiextensions.k8s.io/v1 JSONSchemaProps that tsop emits. @module */

/** One CEL rule in `x-kubernetes-validations`. */
export interface ValidationRule {
  rule: string;
  message?: string;
  messageExpression?: string;
  reason?: string;
  fieldPath?: string;
  optionalOldSelf?: boolean;
}

/** A structural OpenAPI v3 schema node as the apiserver reads it. */
export interface JSONSchemaProps {
  type?: string;
  format?: string;
  description?: string;
  title?: string;
  enum?: unknown[];
  default?: unknown;
  example?: unknown;
  nullable?: boolean;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: boolean;
  exclusiveMaximum?: boolean;
  multipleOf?: number;
  minLength?: number;
  maxLength?: number;
  pattern?: string;
  minItems?: number;
  maxItems?: number;
  minProperties?: number;
  maxProperties?: number;
  items?: JSONSchemaProps;
  properties?: Record<string, JSONSchemaProps>;
  additionalProperties?: JSONSchemaProps | boolean;
  required?: string[];
  allOf?: JSONSchemaProps[];
  anyOf?: JSONSchemaProps[];
  oneOf?: JSONSchemaProps[];
  "x-kubernetes-preserve-unknown-fields"?: boolean;
  "x-kubernetes-embedded-resource"?: boolean;
  "x-kubernetes-int-or-string"?: boolean;
  "x-kubernetes-list-type"?: string;
  "x-kubernetes-list-map-keys"?: string[];
  "x-kubernetes-map-type"?: string;
  "x-kubernetes-validations"?: ValidationRule[];
}

/** Deep copy of a schema (schemas are plain JSON). */
export function cloneSchema<T>(s: T): T {
  return structuredClone(s);
}

/** The kind of value a schema describes, for tag target checks. */
export function schemaKind(s: JSONSchemaProps): "string" | "number" | "integer" | "boolean" | "array" | "object" | "int-or-string" | "unknown" {
  if (s["x-kubernetes-int-or-string"]) return "int-or-string";
  switch (s.type) {
    case "string": case "number": case "integer": case "boolean": case "array": case "object":
      return s.type;
    default:
      return "unknown";
  }
}
