/** Resource-level tags (scope, names, subresources, printer columns, version flags) of a kind's declaration. @module */
import { didYouMean, type Diagnostics } from "./diagnostics.js";
import type { RawTag } from "./jsdoc.js";
import { parseArgs } from "./tag-values.js";
import { tagPos, type TagSet } from "./tags.js";

/** A printer column (`additionalPrinterColumns` entry). */
export interface PrinterColumn {
  name: string;
  type: string;
  jsonPath: string;
  description?: string;
  priority?: number;
  format?: string;
}

/** Scale subresource paths. */
export interface ScaleSubresource { specReplicasPath: string; statusReplicasPath: string; labelSelectorPath?: string }

/** What one version's resource declaration says about the CRD. */
export interface ResourceTags {
  scope?: "Namespaced" | "Cluster";
  plural?: string;
  singular?: string;
  shortNames: string[];
  categories: string[];
  status: boolean;
  scale?: ScaleSubresource;
  printColumns: PrinterColumn[];
  storageVersion: boolean;
  deprecated: boolean;
  deprecationWarning?: string;
  unserved: boolean;
  selectableFields: string[];
  annotations: Record<string, string>;
  /** Where each tag was, for cross-version errors. */
  positions: Map<string, RawTag>;
}

const COLUMN_TYPES = ["integer", "number", "string", "boolean", "date"];
const COLUMN_FORMATS = ["int32", "int64", "float", "double", "byte", "date", "date-time", "password"];
const DNS1035 = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;

/** Reads the resource-level tags; reports malformed ones. */
export function readResourceTags(set: TagSet, tags: RawTag[], diags: Diagnostics): ResourceTags {
  const r: ResourceTags = { shortNames: [], categories: [], status: false, printColumns: [], storageVersion: false, deprecated: false, unserved: false, selectableFields: [], annotations: {}, positions: new Map() };
  for (const t of tags) {
    const vat = tagPos(set, t, true);
    const bad = (msg: string, hint?: string): void => diags.error("tag-value", `@${t.name}: ${msg}`, vat, hint);
    r.positions.set(t.name, t);
    switch (t.name) {
      case "scope":
        if (t.value === "Namespaced" || t.value === "Cluster") r.scope = t.value;
        else bad(`must be Namespaced or Cluster, got "${t.value}"`, didYouMean(t.value, ["Namespaced", "Cluster"]) ? `did you mean ${didYouMean(t.value, ["Namespaced", "Cluster"])}?` : undefined);
        break;
      case "plural": case "singular":
        if (DNS1035.test(t.value)) r[t.name] = t.value; else bad(`"${t.value}" is not a lower-case DNS label`, "use lower-case letters, digits and -");
        break;
      case "shortName": case "category":
        if (DNS1035.test(t.value)) (t.name === "shortName" ? r.shortNames : r.categories).push(t.value);
        else bad(`"${t.value}" is not a lower-case DNS label`, "use lower-case letters, digits and -");
        break;
      case "subresource": readSubresource(t, r, bad); break;
      case "printColumn": readColumn(t.value, r, bad); break;
      case "storageVersion": r.storageVersion = true; break;
      case "unservedVersion": r.unserved = true; break;
      case "deprecatedVersion": {
        r.deprecated = true;
        if (!t.value) break;
        const a = parseArgs(t.value);
        const w = a.args.get("warning");
        if (a.error || typeof w !== "string" || a.args.size !== 1) { bad('expected warning="..."'); break; }
        if (w.length > 256) { bad("the warning must be at most 256 characters"); break; }
        r.deprecationWarning = w;
        break;
      }
      case "selectableField": {
        const a = parseArgs(t.value);
        const p = a.args.get("jsonPath");
        if (a.error || typeof p !== "string") { bad('expected jsonPath=".spec.field"'); break; }
        if (!p.startsWith(".") || p.startsWith(".metadata")) { bad(`jsonPath "${p}" must start with . and not be under metadata`); break; }
        r.selectableFields.push(p);
        break;
      }
      case "annotation": {
        const m = /^([^=\s]+)=(.*)$/s.exec(t.value);
        if (!m) { bad(`"${t.value}" is not key=value`); break; }
        r.annotations[m[1]!] = m[2]!.trim();
        break;
      }
      default: break;
    }
  }
  if (r.selectableFields.length > 8) diags.error("tag-value", "at most 8 @selectableField tags are allowed", tagPos(set, r.positions.get("selectableField")!));
  return r;
}

function readSubresource(t: RawTag, r: ResourceTags, bad: (m: string, h?: string) => void): void {
  const [kind, ...rest] = t.value.split(/\s+/);
  if (kind === "status" && rest.length === 0) { r.status = true; return; }
  if (kind !== "scale") { bad(`expected status or scale, got "${t.value}"`); return; }
  const a = parseArgs(rest.join(" "));
  const spec = a.args.get("specpath");
  const status = a.args.get("statuspath");
  const sel = a.args.get("selectorpath");
  const unknown = [...a.args.keys()].filter((k) => !["specpath", "statuspath", "selectorpath"].includes(k));
  if (a.error || unknown.length) { bad(a.error ?? `unknown argument ${unknown[0]}`, "arguments: specpath= statuspath= [selectorpath=]"); return; }
  if (typeof spec !== "string" || !spec.startsWith(".spec.")) { bad("specpath must be a path under .spec."); return; }
  if (typeof status !== "string" || !status.startsWith(".status.")) { bad("statuspath must be a path under .status."); return; }
  if (sel !== undefined && (typeof sel !== "string" || !/^\.(spec|status)\./.test(sel))) { bad("selectorpath must be under .spec. or .status."); return; }
  r.scale = { specReplicasPath: spec, statusReplicasPath: status, ...(typeof sel === "string" ? { labelSelectorPath: sel } : {}) };
}

function readColumn(text: string, r: ResourceTags, bad: (m: string, h?: string) => void): void {
  const a = parseArgs(text);
  if (a.error) { bad(a.error); return; }
  const known = ["name", "type", "jsonPath", "description", "priority", "format"];
  for (const k of a.args.keys()) if (!known.includes(k)) { const g = didYouMean(k, known); bad(`unknown argument ${k}`, g ? `did you mean ${g}?` : undefined); return; }
  const name = a.args.get("name"), type = a.args.get("type"), jsonPath = a.args.get("jsonPath");
  if (typeof name !== "string" || typeof type !== "string" || typeof jsonPath !== "string") { bad("name=, type= and jsonPath= are required"); return; }
  if (!COLUMN_TYPES.includes(type)) { bad(`type must be one of ${COLUMN_TYPES.join(", ")}`); return; }
  if (!jsonPath.startsWith(".")) { bad(`jsonPath "${jsonPath}" must start with .`); return; }
  const col: PrinterColumn = { name, type, jsonPath };
  const d = a.args.get("description");
  if (typeof d === "string") col.description = d;
  const f = a.args.get("format");
  if (f !== undefined) { if (typeof f !== "string" || !COLUMN_FORMATS.includes(f)) { bad(`format must be one of ${COLUMN_FORMATS.join(", ")}`); return; } col.format = f; }
  const p = a.args.get("priority");
  if (p !== undefined) { const n = Number(p); if (typeof p !== "string" || !Number.isInteger(n) || n < 0) { bad("priority must be a non-negative integer"); return; } col.priority = n; }
  r.printColumns.push(col);
}
