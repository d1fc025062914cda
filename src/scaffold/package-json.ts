/**
 * The generated project's package.json: scripts (build = esbuild bundle, typecheck, manifests,
 * lint, run, test, and the ship path: install, uninstall, deploy, undeploy, build-installer), tsop as a
 * dependency, and the dev tools at the majors tsop is tested with.
 * @module
 */

/** Inputs of `renderPackageJson`. */
export interface PackageJsonOptions {
  projectName: string;
  /** `file:<checkout>` or `^<version>` (see tsopDependencySpec). */
  tsopSpec: string;
  /** `Apache-2.0` or `UNLICENSED`. */
  license: string;
}

/** The bundle command: one ESM file that runs on Node 20+ (CommonJS dependencies get a `require`). */
export const BUILD_SCRIPT =
  "esbuild src/main.ts --bundle --platform=node --format=esm --target=node20 --outfile=dist/main.js " +
  "--banner:js=\"import { createRequire as __tsopCreateRequire } from 'node:module'; const require = __tsopCreateRequire(import.meta.url);\"";

/** Renders package.json text (2-space JSON, trailing newline). */
export function renderPackageJson(o: PackageJsonOptions): string {
  const pkg = {
    name: o.projectName,
    version: "0.0.1",
    private: true,
    license: o.license,
    type: "module",
    engines: { node: ">=20" },
    scripts: {
      build: BUILD_SCRIPT,
      typecheck: "tsc --noEmit",
      lint: "eslint .",
      manifests: "tsop manifests",
      run: "tsop run",
      test: "vitest run",
      "docker-build": "tsop docker-build",
      "docker-push": "tsop docker-build --push",
      // kubebuilder's make targets: `npm run deploy -- --img ...` reads like `make deploy IMG=...`.
      // (npm also runs `install` during `npm install`; `tsop install` then skips itself.)
      install: "tsop install",
      uninstall: "tsop uninstall",
      deploy: "tsop deploy",
      undeploy: "tsop undeploy",
      "build-installer": "tsop build-installer",
      // operator-sdk's `make bundle`: `npm run bundle -- --version 0.1.0 --img ...`.
      bundle: "tsop bundle",
    },
    dependencies: { tsop: o.tsopSpec },
    devDependencies: {
      "@eslint/js": "^10.0.1",
      "@types/node": "^20.19.0",
      esbuild: "^0.28.2",
      eslint: "^10.16.0",
      // 6.0, not 7: typescript-eslint needs TypeScript's JavaScript API, which 7 does not ship (its
      // peer range is <6.1). See docs/cli.md, "Linting".
      typescript: "~6.0.3",
      "typescript-eslint": "^8.74.0",
      vitest: "^4.1.12",
    },
  };
  return JSON.stringify(pkg, null, 2) + "\n";
}
