// The public surface of tsop/runtime: the root's exact names (growing it is a decision, made here),
// and one subpath entry point per folder of src/runtime, each declared in package.json `exports`.
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { Project } from "ts-morph";
import { describe, expect, it } from "vitest";

const runtimeDir = fileURLToPath(new URL("../../src/runtime/", import.meta.url));
const pkg = JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8")) as { exports: Record<string, unknown> };

/** The root's names, values and types. */
const ROOT_VALUES = [
  "ApiError", "EventRecorder", "FieldError", "Manager", "TerminalError", "UserError", "defineWebhook",
  "createLogger", "ensureFinalizer", "exitOnFatalError", "findStatusCondition", "generationChanged",
  "hasFinalizer", "ignoreNotFound", "isAlreadyExists", "isConflict", "isNotFound", "isStatusConditionTrue",
  "parseManagerFlags", "removeFinalizerAndUpdate", "setControllerReference", "setStatusCondition", "terminal",
];
const ROOT_TYPES = ["Client", "ConversionHooks", "Logger", "ManagerOptions", "Predicate", "ReconcileContext", "Reconciler", "Request", "Result", "Webhook"];

/** Names a module exports, types included, as the type checker sees them. */
function exportedNames(file: string): string[] {
  const project = new Project({ compilerOptions: { strict: true, skipLibCheck: true }, skipFileDependencyResolution: true });
  return [...project.addSourceFileAtPath(file).getExportedDeclarations().keys()].sort();
}

const subpathFolders = readdirSync(runtimeDir, { withFileTypes: true })
  .filter((d) => d.isDirectory() && d.name !== "internal")
  .map((d) => d.name)
  .sort();

describe("tsop/runtime entry points", () => {
  it("the root exports exactly the names a newcomer needs", async () => {
    const root = await import("tsop/runtime");
    expect(Object.keys(root).sort()).toEqual([...ROOT_VALUES].sort());
    expect(exportedNames(`${runtimeDir}index.ts`)).toEqual([...ROOT_VALUES, ...ROOT_TYPES].sort());
  });

  it("every folder but internal/ is a subpath entry point in package.json, and nothing else is", () => {
    const declared = Object.keys(pkg.exports).filter((k) => k.startsWith("./runtime/")).map((k) => k.slice("./runtime/".length)).sort();
    expect(declared).toEqual(subpathFolders);
    for (const name of subpathFolders) {
      expect(existsSync(`${runtimeDir}${name}/index.ts`), `src/runtime/${name}/index.ts`).toBe(true);
      expect(pkg.exports[`./runtime/${name}`]).toEqual({ types: `./dist/runtime/${name}/index.d.ts`, default: `./dist/runtime/${name}/index.js` });
    }
  });

  it("each subpath resolves as tsop/runtime/<folder> and exports only explicit names", async () => {
    for (const name of subpathFolders) {
      const mod = (await import(/* @vite-ignore */ `tsop/runtime/${name}`)) as Record<string, unknown>;
      expect(Object.keys(mod).length, `tsop/runtime/${name} exports values`).toBeGreaterThan(0);
      expect(readFileSync(`${runtimeDir}${name}/index.ts`, "utf8"), `src/runtime/${name}/index.ts`).not.toMatch(/export \*/);
    }
  });

  it("every root value is the same object its subpath exports (the root only selects)", async () => {
    const root = (await import("tsop/runtime")) as Record<string, unknown>;
    const subpaths = await Promise.all(subpathFolders.map(async (n) => (await import(/* @vite-ignore */ `tsop/runtime/${n}`)) as Record<string, unknown>));
    for (const name of ROOT_VALUES) expect(subpaths.some((m) => m[name] === root[name]), name).toBe(true);
  });

  it("the generated project and the examples import only the root and declared subpaths", () => {
    const repo = fileURLToPath(new URL("../../", import.meta.url));
    const files = (dir: string): string[] =>
      readdirSync(dir).flatMap((e) => (e === "node_modules" ? [] : statSync(join(dir, e)).isDirectory() ? files(join(dir, e)) : /\.(ts|hbs)$/.test(e) ? [join(dir, e)] : []));
    const specifiers = [...files(join(repo, "templates")), ...files(join(repo, "examples"))].flatMap((f) =>
      [...readFileSync(f, "utf8").matchAll(/from "(tsop\/[^"]*)"/g)].map((m) => ({ file: f.slice(repo.length), spec: m[1]! })),
    );
    expect(specifiers.some((s) => s.spec === "tsop/runtime/kinds")).toBe(true);
    for (const { file, spec } of specifiers) expect(Object.keys(pkg.exports), `${file} imports ${spec}`).toContain(`./${spec.slice("tsop/".length)}`);
  });
});
