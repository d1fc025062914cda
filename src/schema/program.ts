/** Loads ts-morph lazily and builds a project over a user's API files with tsop's minimal lib. @module */
import { existsSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve, sep } from "node:path";
import { requireTsMorph } from "./code-cache.js";
import { fileURLToPath } from "node:url";
import type { Project } from "ts-morph";

/** The ts-morph module, loaded on first use (importing it costs most of a cold run). */
export type TsMorph = typeof import("ts-morph");

let loaded: TsMorph | undefined;

/** Directory of the V8 code cache for the compiler (node_modules/.cache/tsop or the temp dir). */
function codeCacheDir(): string {
  const here = dirname(fileURLToPath(import.meta.url));
  const nm = here.includes(`${sep}node_modules${sep}`) ? here.slice(0, here.lastIndexOf(`${sep}node_modules${sep}`) + 13) : resolve(here, "../../node_modules");
  return existsSync(nm) ? join(nm, ".cache", "tsop", "v8") : join(tmpdir(), "tsop-cache", "v8");
}

/** Loads ts-morph once, with TypeScript and ts-morph compiled from a persistent V8 code cache. */
export async function loadTsMorph(): Promise<TsMorph> {
  loaded ??= requireTsMorph<TsMorph>(codeCacheDir());
  return loaded;
}

/** Virtual path of tsop's minimal lib inside the project. */
export const LIB_FILE = "/__tsop__/lib.schema.d.ts";

/**
 * The few globals a schema type may use. Anything else (`Date`, `Map`, `Promise`...) is unknown to
 * the checker and reported with the fix.
 */
const LIB_TEXT = `
interface Array<T> { length: number; [n: number]: T; }
interface ReadonlyArray<T> { readonly length: number; readonly [n: number]: T; }
interface Boolean {}
interface Function {}
interface CallableFunction extends Function {}
interface NewableFunction extends Function {}
interface IArguments {}
interface Number {}
interface Object {}
interface RegExp {}
interface String {}
interface Symbol {}
interface TemplateStringsArray extends ReadonlyArray<string> {}
interface ImportMeta {}
type PropertyKey = string | number | symbol;
type Partial<T> = { [P in keyof T]?: T[P] };
type Required<T> = { [P in keyof T]-?: T[P] };
type Readonly<T> = { readonly [P in keyof T]: T[P] };
type Pick<T, K extends keyof T> = { [P in K]: T[P] };
type Record<K extends keyof any, T> = { [P in K]: T };
type Exclude<T, U> = T extends U ? never : T;
type Extract<T, U> = T extends U ? T : never;
type Omit<T, K extends keyof any> = Pick<T, Exclude<keyof T, K>>;
type NonNullable<T> = T & {};
declare var Object: { freeze<T>(o: T): Readonly<T> };
`;

/** Virtual declaration file that stands in for tsop/types: names only (schemas come from tables). */
export const TYPES_STUB = "/__tsop__/types/index.d.ts";

/** The stub's text: every tsop/types name, with scalar aliases kept so literal types still check. */
function typesStub(coreNames: readonly string[]): string {
  const core = coreNames.map((n) => `export interface ${n} { [k: string]: unknown }`).join("\n");
  return `export type Int32 = number;
export type Int64 = number;
export type Int = number;
export type IntOrString = number | string;
export type Quantity = string | number;
export type DateTime = string;
export type Duration = string;
export type Bytes = string;
export interface ObjectMeta { [k: string]: unknown }
export interface KubeObject { apiVersion?: string; kind?: string; metadata?: ObjectMeta }
export interface KindDescriptor<T = unknown> { readonly __object?: T }
export declare function defineKind<T>(d: unknown): KindDescriptor<T>;
${core}
`;
}

/** Where tsop/types lives for this copy of tsop (src when running from source, dist when built). */
export function tsopTypesFile(): string {
  const here = dirname(fileURLToPath(import.meta.url));
  for (const cand of ["../types/index.ts", "../types/index.d.ts"]) {
    const p = resolve(here, cand);
    if (existsSync(p)) return p;
  }
  return resolve(here, "../types/index.d.ts");
}

/** True when `path` is a declaration file of tsop/types (ours, or a project's installed copy). */
export function isTsopTypesFile(path: string, ownTypes: string): boolean {
  const p = path.replace(/\\/g, "/");
  return p === TYPES_STUB || p === ownTypes.replace(/\\/g, "/") || p.startsWith(dirname(ownTypes).replace(/\\/g, "/") + "/") || /\/node_modules\/tsop\/dist\/types\//.test(p);
}

/**
 * Creates a project over `files` (absolute paths). `tsop/types` maps to a small in-memory stub with
 * the same names (parsing the real declarations, with their long docs, costs more than the rest).
 */
export async function createProject(projectDir: string, files: string[], coreNames: readonly string[]): Promise<{ project: Project; tsm: TsMorph }> {
  const tsm = await loadTsMorph();
  const project = new tsm.Project({
    compilerOptions: {
      noLib: true,
      types: [],
      strict: true,
      target: tsm.ts.ScriptTarget.ES2022,
      module: tsm.ts.ModuleKind.NodeNext,
      moduleResolution: tsm.ts.ModuleResolutionKind.NodeNext,
      allowJs: false,
      skipLibCheck: true,
      noEmit: true,
      baseUrl: projectDir,
      paths: { "tsop/types": [TYPES_STUB] },
    },
    skipAddingFilesFromTsConfig: true,
    skipFileDependencyResolution: false,
  });
  project.createSourceFile(LIB_FILE, LIB_TEXT, { overwrite: true });
  project.createSourceFile(TYPES_STUB, typesStub(coreNames), { overwrite: true });
  for (const f of files) project.addSourceFileAtPath(f);
  project.resolveSourceFileDependencies();
  return { project, tsm };
}
