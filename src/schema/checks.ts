/** Checks a finished schema the way the apiserver will (structural rules, defaults, patterns, CEL). @module */
import type { Diagnostics, SourcePos } from "./diagnostics.js";
import type { JSONSchemaProps } from "./json-schema.js";

/** Context of a check run. */
export interface CheckContext {
  diags: Diagnostics;
  /** Where to report problems found after conversion (the resource declaration). */
  at: SourcePos;
  /** Whether the status subresource is on (restricts root keywords). */
  status: boolean;
}

/** Runs every post-conversion check on a root schema. */
export function checkSchema(_root: JSONSchemaProps, _ctx: CheckContext): void {
  // Filled in by the structural/default/pattern/CEL checks.
}
