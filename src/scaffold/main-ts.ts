/**
 * The src/main.ts updater: adds a reconciler to the `reconcilers` array and its import, as an AST
 * edit with ts-morph. Idempotent; a main.ts without the array is a `UserError` naming the shape.
 * @module
 */
import { UserError } from "../errors.js";

/** What to register: `new <className>()` imported from `<moduleSpecifier>`. */
export interface ReconcilerEntry {
  className: string;
  /** Relative to src/main.ts, e.g. `./controllers/memcached.controller.js`. */
  moduleSpecifier: string;
}

const MAIN = "src/main.ts";

function shapeError(what: string): never {
  throw new UserError("main-ts-shape", `cannot add the reconciler: ${what}`, {
    location: { file: MAIN },
    hint: "tsop expects a top-level `const reconcilers = [ new SomeReconciler(), ... ];` array; restore it, or pass --controller=false and register the reconciler by hand",
  });
}

/**
 * Returns main.ts with `new <className>()` in the `reconcilers` array and the import added;
 * the text is unchanged when both are already there.
 */
export async function addReconcilerToMain(text: string, entry: ReconcilerEntry): Promise<string> {
  const { Project, SyntaxKind } = await import("ts-morph");
  const project = new Project({ useInMemoryFileSystem: true });
  const sf = project.createSourceFile("/main.ts", text);
  const decl = sf.getVariableDeclaration("reconcilers");
  if (!decl) shapeError("there is no top-level `const reconcilers = [...]`");
  const init = decl.getInitializer();
  const array = init?.asKind(SyntaxKind.ArrayLiteralExpression);
  if (!array) shapeError("`reconcilers` is not initialized with an array literal `[...]`");

  // Edit the text at AST positions (rather than reprinting) so the user's formatting stays.
  const edits: { pos: number; text: string }[] = [];
  const elements = array.getElements();
  const present = elements.some((el) => el.asKind(SyntaxKind.NewExpression)?.getExpression().getText() === entry.className);
  if (!present) {
    const close = array.getEnd() - 1; // the `]`
    const lineStart = text.lastIndexOf("\n", close - 1) + 1;
    const closeOnOwnLine = text.slice(lineStart, close).trim() === "";
    const last = elements.at(-1);
    const needsComma = last !== undefined && !text.slice(last.getEnd(), close).includes(",");
    if (closeOnOwnLine) {
      const indent = last ? leadingIndent(text, last.getStart()) : text.slice(lineStart, close) + "  ";
      if (needsComma) edits.push({ pos: last!.getEnd(), text: "," });
      edits.push({ pos: lineStart, text: `${indent}new ${entry.className}(),\n` });
    } else {
      edits.push({ pos: close, text: `${needsComma ? ", " : ""}new ${entry.className}()` });
    }
  }
  const imports = sf.getImportDeclarations();
  const existing = imports.find((d) => d.getModuleSpecifierValue() === entry.moduleSpecifier);
  if (!existing) {
    const after = imports.at(-1);
    const line = `import { ${entry.className} } from "${entry.moduleSpecifier}";\n`;
    if (after) {
      const nl = text.indexOf("\n", after.getEnd());
      edits.push(nl < 0 ? { pos: text.length, text: "\n" + line.trimEnd() } : { pos: nl + 1, text: line });
    } else {
      edits.push({ pos: 0, text: line });
    }
  } else if (!existing.getNamedImports().some((n) => n.getName() === entry.className)) {
    shapeError(`${entry.moduleSpecifier} is imported without ${entry.className}`);
  }
  if (edits.length === 0) return text;
  edits.sort((a, b) => b.pos - a.pos);
  let out = text;
  for (const e of edits) out = out.slice(0, e.pos) + e.text + out.slice(e.pos);
  return out;
}

function leadingIndent(text: string, pos: number): string {
  const lineStart = text.lastIndexOf("\n", pos - 1) + 1;
  const m = /^[ \t]*/.exec(text.slice(lineStart, pos));
  return m ? m[0] : "";
}
