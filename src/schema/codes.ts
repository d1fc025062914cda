/** Every error code the schema and manifests engines report (`UserError.code`). @module */

/** A stable, machine-readable code for one kind of problem. */
export type SchemaErrorCode =
  // tag names
  | "unknown-tag" | "misplaced-tag" | "unsupported-tag" | "duplicate-tag"
  // a tag's target or value
  | "tag-target" | "tag-value" | "tag-bounds" | "tag-default" | "number" | "list-map" | "one-of" | "validation-args"
  | "resource-tag"
  // CEL and paths
  | "cel" | "bad-path"
  // the source files: syntax errors, imports of missing files or names
  | "syntax" | "import"
  // types
  | "structural" | "unsupported-type" | "recursive-type" | "required-optional"
  // the project and the CRD as a whole
  | "missing-api-file" | "missing-kind" | "no-served-version" | "storage-version" | "version-mismatch"
  // controller tags
  | "rbac"
  // webhook tags
  | "webhook";
