/**
 * The src/main.ts updater: adds a reconciler to the `reconcilers` array, or a webhook to the
 * `webhooks` array, with its import, as an AST edit with ts-morph. Idempotent; a main.ts without the
 * shape it needs is a `UserError` naming that shape.
 * @module
 */
import { UserError } from "../errors.js";

/** What to register: `new <className>()` imported from `<moduleSpecifier>`. */
export interface ReconcilerEntry {
  className: string;
  /** Relative to src/main.ts, e.g. `./controllers/memcached.controller.js`. */
  moduleSpecifier: string;
}

/** One element of a top-level array in main.ts and the import it needs. */
interface ArrayEntry {
  array: string;
  /** The element's source text, e.g. `new MemcachedReconciler()` or `memcachedWebhook`. */
  element: string;
  importName: string;
  moduleSpecifier: string;
  /** Declared before `await mgr.start()` when main.ts has no such array yet; undefined: the array must exist. */
  declaration?: string;
  what: string;
  hint: string;
}

const MAIN = "src/main.ts";

function shapeError(e: ArrayEntry, what: string): never {
  throw new UserError("main-ts-shape", `cannot add the ${e.what}: ${what}`, { location: { file: MAIN }, hint: e.hint });
}

/**
 * Returns main.ts with `new <className>()` in the `reconcilers` array and the import added;
 * the text is unchanged when both are already there.
 */
export function addReconcilerToMain(text: string, entry: ReconcilerEntry): Promise<string> {
  return addToMainArray(text, {
    array: "reconcilers", element: `new ${entry.className}()`, importName: entry.className, moduleSpecifier: entry.moduleSpecifier, what: "reconciler",
    hint: "tsop expects a top-level `const reconcilers = [ new SomeReconciler(), ... ];` array; restore it, or pass --controller=false and register the reconciler by hand",
  });
}

/**
 * Returns main.ts with `<name>` in the `webhooks` array (registered on the manager's webhook
 * server) and its import; adds the array before `await mgr.start()` when main.ts predates webhooks.
 */
export function addWebhookToMain(text: string, entry: { name: string; moduleSpecifier: string }): Promise<string> {
  return addToMainArray(text, {
    array: "webhooks", element: entry.name, importName: entry.name, moduleSpecifier: entry.moduleSpecifier, what: "webhook",
    declaration: "/** Every webhook this operator serves; `tsop create webhook` adds new ones here. */\nconst webhooks: Webhook[] = [\n];\n\nfor (const w of webhooks) mgr.webhookServer.register(w);\n\n",
    hint: "tsop expects a top-level `const webhooks: Webhook[] = [...]` array (or `await mgr.start()` to add one before); restore it, or register the webhook by hand with mgr.webhookServer.register(...)",
  });
}

async function addToMainArray(original: string, e: ArrayEntry): Promise<string> {
  const { Project, SyntaxKind } = await import("ts-morph");
  let text = original;
  let sf = new Project({ useInMemoryFileSystem: true }).createSourceFile("/main.ts", text);
  if (!sf.getVariableDeclaration(e.array) && e.declaration !== undefined) {
    const start = sf.getStatements().find((s) => /^await\s+mgr\.start\(/.test(s.getText()));
    if (!start) shapeError(e, `there is no top-level \`const ${e.array} = [...]\` and no \`await mgr.start()\` to add it before`);
    text = text.slice(0, start.getStart()) + e.declaration + text.slice(start.getStart());
    text = ensureImport(text, sf, "Webhook", "tsop/runtime", e, true, "type ");
    sf = new Project({ useInMemoryFileSystem: true }).createSourceFile("/main.ts", text);
  }
  const decl = sf.getVariableDeclaration(e.array);
  if (!decl) shapeError(e, `there is no top-level \`const ${e.array} = [...]\``);
  const array = decl.getInitializer()?.asKind(SyntaxKind.ArrayLiteralExpression);
  if (!array) shapeError(e, `\`${e.array}\` is not initialized with an array literal \`[...]\``);

  // Edit the text at AST positions (rather than reprinting) so the user's formatting stays.
  const edits: { pos: number; text: string }[] = [];
  const elements = array.getElements();
  if (!elements.some((el) => el.getText().replace(/\s+/g, "") === e.element.replace(/\s+/g, ""))) {
    const close = array.getEnd() - 1; // the `]`
    const lineStart = text.lastIndexOf("\n", close - 1) + 1;
    const closeOnOwnLine = text.slice(lineStart, close).trim() === "";
    const last = elements.at(-1);
    const needsComma = last !== undefined && !text.slice(last.getEnd(), close).includes(",");
    if (closeOnOwnLine) {
      const indent = last ? leadingIndent(text, last.getStart()) : text.slice(lineStart, close) + "  ";
      if (needsComma) edits.push({ pos: last!.getEnd(), text: "," });
      edits.push({ pos: lineStart, text: `${indent}${e.element},\n` });
    } else {
      edits.push({ pos: close, text: `${needsComma ? ", " : ""}${e.element}` });
    }
  }
  if (edits.length) {
    edits.sort((a, b) => b.pos - a.pos);
    for (const ed of edits) text = text.slice(0, ed.pos) + ed.text + text.slice(ed.pos);
    sf = new Project({ useInMemoryFileSystem: true }).createSourceFile("/main.ts", text);
  }
  // Several exports of one webhook file share its import; a reconciler's import must be its own.
  return ensureImport(text, sf, e.importName, e.moduleSpecifier, e, e.array === "webhooks");
}

type SourceFile = import("ts-morph").SourceFile;

/** Adds `import { name } from "spec"` (or the name to an existing import of `spec` when `merge`); `modifier` is `"type "` for a type. */
function ensureImport(text: string, sf: SourceFile, name: string, spec: string, e: ArrayEntry, merge: boolean, modifier = ""): string {
  const imports = sf.getImportDeclarations();
  const existing = imports.find((d) => d.getModuleSpecifierValue() === spec && !d.isTypeOnly());
  if (existing) {
    const named = existing.getNamedImports();
    if (named.some((n) => n.getName() === name)) return text;
    if (!merge || named.length === 0) shapeError(e, `${spec} is imported without ${name}`);
    const last = named.at(-1)!;
    return text.slice(0, last.getEnd()) + `, ${modifier}${name}` + text.slice(last.getEnd());
  }
  const after = imports.at(-1);
  const line = `import { ${modifier}${name} } from "${spec}";\n`;
  if (!after) return line + text;
  const nl = text.indexOf("\n", after.getEnd());
  return nl < 0 ? text + "\n" + line.trimEnd() : text.slice(0, nl + 1) + line + text.slice(nl + 1);
}

function leadingIndent(text: string, pos: number): string {
  const lineStart = text.lastIndexOf("\n", pos - 1) + 1;
  const m = /^[ \t]*/.exec(text.slice(lineStart, pos));
  return m ? m[0] : "";
}
