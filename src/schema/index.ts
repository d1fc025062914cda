/** Builds each PROJECT resource's root schema and resource tags from its TypeScript declaration. @module */
import { existsSync } from "node:fs";
import { join, relative } from "node:path";
import type { ProjectResource } from "../project/model.js";
import { CORE_TYPE_NAMES, TYPE_META } from "./core-schemas.js";
import type { Diagnostics, SourcePos } from "./diagnostics.js";
import type { JSONSchemaProps } from "./json-schema.js";
import { mergeOverlay } from "./merge.js";
import { createProject, LIB_FILE, tsopTypesFile, isTsopTypesFile } from "./program.js";
import { SchemaConverter } from "./convert.js";
import { readResourceTags, type ResourceTags } from "./resource.js";
import { tagOverlay } from "./tags.js";
import { tagSpec } from "./tag-table.js";
import { checkSchema } from "./checks.js";
import { checkPath } from "./paths.js";
import { parseArgs } from "./tag-values.js";
import { tagPos } from "./tags.js";
import { checkSources } from "./source-checks.js";

export type { JSONSchemaProps, ValidationRule } from "./json-schema.js";
export type { ResourceTags, PrinterColumn } from "./resource.js";

/** The schema of one version of one kind. */
export interface VersionSchema {
  resource: ProjectResource;
  schema: JSONSchemaProps;
  tags: ResourceTags;
  /** The resource interface's name, for version-level errors. */
  at: SourcePos;
  /** Project-relative paths of every file this version's schema was read from. */
  deps: string[];
  /** Warnings found while converting this version. */
  warnings: string[];
}

/** Result of building every resource: schemas plus the project files the compiler read. */
export interface BuildResult {
  versions: VersionSchema[];
  /** Project-relative paths of the user source files involved (for the cache). */
  files: string[];
}

/** Whether a printer column's type can show a field of schema `s`. */
function columnFits(type: string, s: JSONSchemaProps): boolean {
  if (s["x-kubernetes-int-or-string"]) return type === "string" || type === "integer";
  switch (type) {
    case "integer": return s.type === "integer";
    case "number": return s.type === "integer" || s.type === "number";
    case "boolean": return s.type === "boolean";
    case "date": return s.type === "string";
    case "string": return s.type === "string" || s.type === "array" || s.type === "object";
    default: return true;
  }
}

function describe(s: JSONSchemaProps): string {
  return s["x-kubernetes-int-or-string"] ? "an int-or-string" : `a ${s.type ?? "value"}`;
}

function suggestColumn(s: JSONSchemaProps): string {
  if (s.type === "string" && s.format === "date-time") return "date";
  return s.type === "integer" || s.type === "number" || s.type === "boolean" ? s.type : "string";
}

/**
 * Converts every resource's exported interface named after its kind into an openAPIV3Schema.
 * Problems go to `diags`; the caller throws them.
 */
export async function buildSchemas(projectDir: string, resources: ProjectResource[], diags: Diagnostics): Promise<BuildResult> {
  const present = resources.filter((r) => {
    if (existsSync(join(projectDir, r.path))) return true;
    diags.error("missing-api-file", `PROJECT lists ${r.kind} (${r.version}) at ${r.path}, but that file does not exist`, { file: "PROJECT", text: "", pos: 0 }, "restore the file or remove the resource from PROJECT");
    return false;
  });
  if (present.length === 0) return { versions: [], files: [] };
  const { project, tsm } = await createProject(projectDir, present.map((r) => join(projectDir, r.path)), CORE_TYPE_NAMES);
  const ownTypes = tsopTypesFile();
  const sources = project.getSourceFiles().filter((f) => f.getFilePath() !== LIB_FILE && !isTsopTypesFile(f.getFilePath(), ownTypes));
  const projectFiles = (): string[] => sources.map((f) => relative(projectDir, f.getFilePath())).sort();
  const userFiles = sources.filter((f) => !f.getFilePath().includes("/node_modules/"));
  // A file that does not parse, or an import that fails, gives no schema: report those alone.
  if (checkSources(project, userFiles, tsm, projectDir, diags)) return { versions: [], files: projectFiles() };
  const conv = new SchemaConverter({ tsm, projectDir, diags, ownTypes });
  const versions: VersionSchema[] = [];
  for (const r of present) {
    conv.touched.clear();
    const warnedBefore = diags.warnings.length;
    const sf = project.getSourceFileOrThrow(join(projectDir, r.path));
    const decl = sf.getInterface(r.kind);
    if (!decl || !decl.isExported()) {
      diags.error("missing-kind", `${r.path} has no exported interface ${r.kind}`, { file: r.path, text: sf.getFullText(), pos: 0 }, `declare "export interface ${r.kind} { apiVersion?: string; kind?: string; metadata?: ObjectMeta; spec?: ${r.kind}Spec; status?: ${r.kind}Status }"`);
      continue;
    }
    const d = conv.doc(decl, "resource");
    const resourceTags = d.tags.filter((t) => tagSpec(t.name)?.resource);
    const schemaTags = d.tags.filter((t) => !tagSpec(t.name)?.resource);
    const obj = conv.interfaceObject(decl);
    const props: Record<string, JSONSchemaProps> = { ...(obj.properties ?? {}) };
    props.apiVersion = structuredClone(TYPE_META.apiVersion);
    props.kind = structuredClone(TYPE_META.kind);
    props.metadata = { type: "object" };
    obj.properties = Object.fromEntries(Object.entries(props).sort(([a], [b]) => (a < b ? -1 : 1)));
    const req = (obj.required ?? []).filter((k) => !["apiVersion", "kind", "metadata"].includes(k));
    if (req.length) obj.required = req; else delete obj.required;
    const root = mergeOverlay(obj, tagOverlay(d.set, schemaTags, obj, diags));
    if (d.description) root.description = d.description;
    const tags = readResourceTags(d.set, resourceTags, diags);
    for (const t of resourceTags) {
      const at = tagPos(d.set, t, true);
      const args = parseArgs(t.name === "subresource" ? t.value.replace(/^scale\s*/, "") : t.value).args;
      if (t.name === "printColumn" || t.name === "selectableField") {
        const p = args.get("jsonPath");
        if (typeof p !== "string") continue;
        const node = checkPath(obj, p, `@${t.name} jsonPath`, at, diags);
        const colType = args.get("type");
        if (node && t.name === "printColumn" && typeof colType === "string" && !columnFits(colType, node)) {
          diags.error("bad-path", `@printColumn ${p} is ${describe(node)}, not ${colType}`, at, `use type=${suggestColumn(node)}`);
        }
        if (node && t.name === "selectableField" && !["string", "integer", "boolean"].includes(node.type ?? "")) diags.error("bad-path", `@selectableField ${p} must name a string, integer or boolean field`, at);
      } else if (t.name === "subresource" && t.value.startsWith("scale")) {
        for (const k of ["specpath", "statuspath", "selectorpath"]) {
          const p = args.get(k);
          if (typeof p !== "string") continue;
          const node = checkPath(obj, p, `@subresource scale ${k}`, at, diags);
          if (node && k !== "selectorpath" && node.type !== "integer") diags.error("bad-path", `@subresource scale ${k} ${p} must name an integer field`, at);
          if (node && k === "selectorpath" && node.type !== "string") diags.error("bad-path", `@subresource scale selectorpath ${p} must name a string field`, at);
        }
      }
    }
    const at = conv.pos(decl.getNameNode());
    checkSchema(root, { diags, at, status: tags.status });
    const deps = [...new Set([r.path, ...[...conv.touched].map((f) => relative(projectDir, f)).filter((f) => !f.startsWith(".."))])].sort();
    versions.push({ resource: r, schema: root, tags, at, deps, warnings: diags.warnings.slice(warnedBefore) });
  }
  return { versions, files: projectFiles() };
}
