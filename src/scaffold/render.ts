/**
 * Renders a tree of handlebars templates (`templates/<name>/**.hbs`) into planned files: both the
 * path and the content are templates, and a leading `dot-` in a file name becomes `.` (npm does
 * not publish files named `.gitignore`).
 * @module
 */
import { promises as fsp } from "node:fs";
import * as path from "node:path";
import Handlebars from "handlebars";
import { tsopRoot } from "../project/tsop-package.js";

/** A rendered file: its path relative to the project root (with `/`) and its content. */
export interface RenderedFile {
  path: string;
  content: string;
}

/** The directory holding tsop's templates. */
export function templatesDir(): string {
  return path.join(tsopRoot(), "templates");
}

const hbs = Handlebars.create();

// Values reach templates unescaped (noEscape: the targets are TypeScript, YAML, Dockerfiles, not
// HTML). Names (project, domain, repo, group, version, kind, plural) are validated to characters
// that are inert in every target; free text (the owner) goes through the helper of its target.
/** Inside a TypeScript block comment: a star-slash would end the comment, so it is written star-backslash-slash. */
export function escapeTsComment(text: string): string {
  return text.replace(/\*\//g, "*\\/");
}
/** Markdown text: characters that start markup or HTML are backslash-escaped. */
export function escapeMarkdown(text: string): string {
  return text.replace(/[\\`*_{}[\]()<>#+!|~]/g, (c) => `\\${c}`);
}
hbs.registerHelper("tsComment", (v: unknown) => escapeTsComment(String(v)));
hbs.registerHelper("markdown", (v: unknown) => escapeMarkdown(String(v)));

function compile(source: string): Handlebars.TemplateDelegate {
  return hbs.compile(source, { noEscape: true, strict: true });
}

async function walk(dir: string, rel = ""): Promise<string[]> {
  const out: string[] = [];
  const entries = await fsp.readdir(path.join(dir, rel), { withFileTypes: true });
  for (const e of entries.sort((a, b) => a.name.localeCompare(b.name))) {
    const r = rel ? `${rel}/${e.name}` : e.name;
    if (e.isDirectory()) out.push(...(await walk(dir, r)));
    else if (e.name.endsWith(".hbs")) out.push(r);
  }
  return out;
}

function outputPath(rel: string, ctx: object): string {
  const rendered = compile(rel.slice(0, -".hbs".length))(ctx);
  return rendered
    .split("/")
    .map((seg) => (seg.startsWith("dot-") ? "." + seg.slice(4) : seg))
    .join("/");
}

/** Renders every template under `templates/<tree>` with `ctx`, in a stable (sorted) order. */
export async function renderTree(tree: string, ctx: object): Promise<RenderedFile[]> {
  const dir = path.join(templatesDir(), tree);
  const files: RenderedFile[] = [];
  for (const rel of await walk(dir)) {
    const source = await fsp.readFile(path.join(dir, rel), "utf8");
    files.push({ path: outputPath(rel, ctx), content: compile(source)(ctx) });
  }
  return files;
}

/** Renders one template file (`templates/<rel>`) with `ctx`. */
export async function renderFile(rel: string, ctx: object): Promise<string> {
  return compile(await fsp.readFile(path.join(templatesDir(), rel), "utf8"))(ctx);
}
