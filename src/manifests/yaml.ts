/** Deterministic YAML for generated manifests: sorted keys, block lists at the parent's indent, `---` starts. @module */
import { stringify } from "yaml";

/** Serialises one document the way controller-gen's output reads (keys sorted), starting with `---`. */
export function toYamlDocument(value: unknown): string {
  return "---\n" + stringify(value, { sortMapEntries: true, indentSeq: false, lineWidth: 0, aliasDuplicateObjects: false });
}
