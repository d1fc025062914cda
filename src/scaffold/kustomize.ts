/**
 * Edits a kustomization.yaml: appends entries to its `resources` list, keeping comments and order.
 * @module
 */
import { isSeq, parseDocument, YAMLSeq } from "yaml";
import { UserError } from "../errors.js";
import { yamlErrorLine } from "../yaml-error.js";

/**
 * Returns the kustomization text with each of `entries` in `resources` (or another list `key`; appended when missing);
 * the text is unchanged when all are already listed. `file` names the file in errors.
 */
export function addKustomizeResources(text: string, entries: readonly string[], file: string, key = "resources"): string {
  const doc = parseDocument(text);
  if (doc.errors.length > 0) {
    const { what, line, col } = yamlErrorLine(doc.errors[0]);
    throw new UserError("bad-kustomization", `not valid YAML: ${what}`, {
      location: { file, line, col },
      hint: "fix the file, it must be a kustomization with a `resources:` list",
    });
  }
  let seq = doc.get(key, true);
  if (seq === undefined || seq === null) {
    seq = new YAMLSeq();
    doc.set(key, seq);
  }
  if (!isSeq(seq)) {
    throw new UserError("bad-kustomization", `\`${key}\` is not a list`, { location: { file }, hint: "make it a YAML list of paths" });
  }
  const list = seq;
  const have = new Set(list.items.map((i) => String((i as { value?: unknown }).value ?? i)));
  const missing = entries.filter((e) => !have.has(e));
  if (missing.length === 0) return text;
  list.flow = false;
  for (const e of missing) list.add(doc.createNode(e));
  return doc.toString({ lineWidth: 0, indentSeq: false });
}
