/**
 * Checks the API source files before any schema is read from them: the compiler's syntax errors,
 * and imports that name a missing file or a name the file does not export. A schema built from what
 * the parser recovered, or an error at the use of a name whose import failed, would mislead.
 * @module
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { basename, dirname, extname, join, relative } from "node:path";
import type { ImportDeclaration, ExportDeclaration, Project, SourceFile } from "ts-morph";
import { didYouMean, type Diagnostics } from "./diagnostics.js";
import type { TsMorph } from "./program.js";

/** Reports syntax and import problems of `files`; true when any was found (the schemas are then not built). */
export function checkSources(project: Project, files: readonly SourceFile[], tsm: TsMorph, projectDir: string, diags: Diagnostics): boolean {
  const before = diags.errors.length;
  const program = project.getProgram();
  for (const sf of files) {
    const file = relative(projectDir, sf.getFilePath()) || sf.getFilePath();
    const text = sf.getFullText();
    // The first syntax error of a file only: the parser's later ones mostly follow from it.
    const syntax = program.getSyntacticDiagnostics(sf);
    const first = syntax[0];
    if (first) {
      const msg = tsm.ts.flattenDiagnosticMessageText(first.compilerObject.messageText, " ");
      const more = syntax.length > 1 ? `; ${syntax.length - 1} more in this file may follow from it` : "";
      diags.error("syntax", `TypeScript syntax error: ${msg} (TS${first.getCode()})`, { file, text, pos: first.getStart() ?? 0 }, `fix the syntax${more}; tsop reads no schema from a file that does not parse`);
      continue;
    }
    for (const decl of [...sf.getImportDeclarations(), ...sf.getExportDeclarations()]) checkImport(decl, sf, file, text, tsm, diags);
  }
  return diags.errors.length > before;
}

function checkImport(decl: ImportDeclaration | ExportDeclaration, sf: SourceFile, file: string, text: string, tsm: TsMorph, diags: Diagnostics): void {
  const specNode = decl.getModuleSpecifier();
  if (!specNode) return;
  const spec = specNode.getLiteralValue();
  if (!spec.startsWith("./") && !spec.startsWith("../")) return; // packages resolve through node_modules or tsop/types
  const at = { file, text, pos: specNode.getStart() };
  const target = decl.getModuleSpecifierSourceFile();
  if (!target) {
    diags.error("import", `cannot find module '${spec}'`, at, missingHint(spec, sf));
    return;
  }
  if (/\.(m|c)?tsx?$/.test(spec)) {
    diags.error("import", `the import '${spec}' names the .ts file`, at, `write '${withJs(spec, target)}'; tsc resolves './x.js' to x.ts and refuses a .ts path`);
    return;
  }
  if (isEsm(sf.getFilePath()) && !/\.(m|c)?js$|\.json$/.test(spec)) {
    diags.error("import", `the import '${spec}' needs a file extension in an ES module`, at, `write '${withJs(spec, target)}'; tsc resolves './x.js' to x.ts`);
    return;
  }
  const exported = [...target.getExportedDeclarations().keys()];
  const names = tsm.Node.isImportDeclaration(decl)
    ? [...decl.getNamedImports().map((n) => n.getNameNode()), ...(decl.getDefaultImport() ? [decl.getDefaultImport()!] : [])]
    : decl.getNamedExports().map((n) => n.getNameNode());
  for (const n of names) {
    const isDefault = tsm.Node.isImportDeclaration(decl) && n === decl.getDefaultImport();
    const name = isDefault ? "default" : n.getText();
    if (exported.includes(name)) continue;
    const g = didYouMean(name, exported.filter((e) => e !== "default"));
    diags.error("import", isDefault ? `'${spec}' has no default export` : `'${spec}' has no exported member '${name}'`, { file, text, pos: n.getStart() },
      g ? `did you mean '${g}'?` : exported.length ? `it exports: ${exported.join(", ")}` : `export ${name} from ${relative(dirname(sf.getFilePath()), target.getFilePath())}`);
  }
}

/** './x.js' for a resolved extensionless or .ts specifier. */
function withJs(spec: string, target: SourceFile): string {
  const stem = spec.replace(/\.(ts|tsx|mts|cts)$/, "");
  return basename(stem) === basename(target.getFilePath()).replace(/\.(d\.)?(ts|tsx|mts|cts)$/, "") ? `${stem}.js` : `${stem}/index.js`;
}

/** How to fix an import whose file does not exist: the sibling file it probably means, or create it. */
function missingHint(spec: string, sf: SourceFile): string {
  const dir = dirname(join(dirname(sf.getFilePath()), spec));
  const want = basename(spec).replace(/\.(m|c)?js$|\.(m|c)?ts$/, "");
  if (!existsSync(dir)) return `the directory ${relative(dirname(sf.getFilePath()), dir) || "."} does not exist; fix the path`;
  const stems = readdirSync(dir).filter((f) => /\.(m|c)?ts$/.test(f) && !f.endsWith(".d.ts")).map((f) => f.slice(0, -extname(f).length));
  const g = stems.includes(want) ? want : didYouMean(want, stems);
  const prefix = spec.slice(0, spec.length - basename(spec).length);
  if (g) return `did you mean '${prefix}${g}.js'?`;
  return `create ${relative(dirname(sf.getFilePath()), join(dir, want + ".ts"))} or fix the path; imports name the .js of a .ts file`;
}

/** Whether Node.js treats a .ts file as an ES module: .mts, or the nearest package.json says "type": "module". */
function isEsm(file: string): boolean {
  if (file.endsWith(".mts")) return true;
  if (file.endsWith(".cts")) return false;
  for (let dir = dirname(file); ; dir = dirname(dir)) {
    const pj = join(dir, "package.json");
    if (existsSync(pj)) {
      try { return (JSON.parse(readFileSync(pj, "utf8")) as { type?: unknown }).type === "module"; } catch { return false; }
    }
    if (dirname(dir) === dir) return false;
  }
}
