/**
 * Bundles a project's src/main.ts with esbuild for `tsop run`: the project's own esbuild when it
 * has one, else tsop's; dependencies stay external (resolved from the project's node_modules).
 * @module
 */
import { createRequire } from "node:module";
import * as path from "node:path";
import { pathToFileURL } from "node:url";
import type * as esbuild from "esbuild";

/** Where `tsop run` puts its bundle, relative to the project root. */
export const RUN_BUNDLE = ".tsop/run/main.mjs";

async function loadEsbuild(root: string): Promise<typeof esbuild> {
  try {
    const resolved = createRequire(path.join(root, "package.json")).resolve("esbuild");
    return (await import(pathToFileURL(resolved).href)) as typeof esbuild;
  } catch {
    return await import("esbuild");
  }
}

/** esbuild options of the run bundle. */
export function runBuildOptions(root: string): esbuild.BuildOptions {
  return {
    absWorkingDir: root,
    entryPoints: ["src/main.ts"],
    outfile: RUN_BUNDLE,
    bundle: true,
    packages: "external",
    platform: "node",
    format: "esm",
    target: "node20",
    sourcemap: "linked",
    logLevel: "warning",
  };
}

/** A build context whose `rebuild()` returns true when the bundle was written without errors. */
export interface Bundler {
  rebuild(): Promise<boolean>;
  dispose(): Promise<void>;
}

/** Creates an incremental bundler for the project at `root`. */
export async function createBundler(root: string): Promise<Bundler> {
  const lib = await loadEsbuild(root);
  const ctx = await lib.context(runBuildOptions(root));
  return {
    async rebuild() {
      try {
        const r = await ctx.rebuild();
        return r.errors.length === 0;
      } catch {
        return false; // esbuild already printed the errors
      }
    },
    dispose: () => ctx.dispose(),
  };
}
