/** Checks the JSONPaths of printer columns, selectable fields and the scale subresource against the schema. @module */
import { didYouMean, type Diagnostics, type SourcePos } from "./diagnostics.js";
import type { JSONSchemaProps } from "./json-schema.js";

/** The schema node a simple `.a.b.c` path reaches, or the name that was not found. */
export function resolvePath(root: JSONSchemaProps, path: string): { node?: JSONSchemaProps; missing?: string; options?: string[] } {
  let cur: JSONSchemaProps | undefined = root;
  const parts = path.replace(/^\./, "").split(".");
  for (let i = 0; i < parts.length; i++) {
    const raw = parts[i]!;
    const name = raw.replace(/\[.*\]$/, "");
    if (!cur || cur["x-kubernetes-preserve-unknown-fields"]) return {};
    if (i === 1 && parts[0] === "metadata") return {};
    if (cur.properties) {
      const next: JSONSchemaProps | undefined = cur.properties[name];
      if (!next) return { missing: parts.slice(0, i + 1).join("."), options: Object.keys(cur.properties) };
      cur = raw.endsWith("]") ? next.items : next;
    } else if (cur.additionalProperties && typeof cur.additionalProperties === "object") {
      cur = cur.additionalProperties;
    } else {
      return {};
    }
  }
  return { node: cur };
}

/** Reports a path that names no field, with a suggestion; returns the node when found. */
export function checkPath(root: JSONSchemaProps, path: string, what: string, at: SourcePos, diags: Diagnostics): JSONSchemaProps | undefined {
  if (/[*?@()]/.test(path)) return undefined;
  const r = resolvePath(root, path);
  if (r.missing) {
    const last = r.missing.split(".").pop()!;
    const g = didYouMean(last, r.options ?? []);
    diags.error("bad-path", `${what} ${path} names no field (.${r.missing} does not exist)`, at, g ? `did you mean ${g}?` : `fields here: ${(r.options ?? []).join(", ")}`);
  }
  return r.node;
}
