/** Runs one schema fixture (test/schema/fixtures/<case>.ts) through generateManifests. */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { generateManifests } from "../../src/cli/manifests-engine.js";
import type { ProjectConfig, ProjectResource } from "../../src/project/model.js";
import { UserError } from "../../src/errors.js";

/** Directory holding the fixtures (the fake project root). */
export const FIXTURES = fileURLToPath(new URL("./fixtures/", import.meta.url));
/** Directory holding golden CRDs. */
export const GOLDEN = fileURLToPath(new URL("./golden/", import.meta.url));

/** Reads `// fixture: kind=X version=v1 ...` from a fixture's first line. */
export function fixtureResource(name: string): ProjectResource {
  const first = readFileSync(join(FIXTURES, `${name}.ts`), "utf8").split("\n")[0] ?? "";
  const args = Object.fromEntries([...first.matchAll(/(\w+)=(\S+)/g)].map((m) => [m[1]!, m[2]!]));
  const kind = args.kind ?? "Widget";
  return {
    group: args.group ?? "fixtures", domain: "tsop.dev", version: args.version ?? "v1", kind,
    plural: args.plural ?? `${kind.toLowerCase()}s`, path: `${name}.ts`, namespaced: args.scope !== "Cluster",
    controller: false, crd: true,
  };
}

/** A project over the given fixtures. */
export function fixtureProject(names: string[]): ProjectConfig {
  return { version: "3", layout: "tsop.dev/v1", domain: "tsop.dev", repo: "example.com/fixtures", projectName: "fixtures", namespaced: false, resources: names.map(fixtureResource) };
}

/** The CRD text, or the one-line-per-error text of the UserError. */
export async function runFixture(name: string): Promise<{ ok: true; crd: string; warnings: string[] } | { ok: false; message: string }> {
  try {
    const r = await generateManifests({ projectDir: FIXTURES, project: fixtureProject([name]), cache: false });
    return { ok: true, crd: r.files.find((f) => f.path.startsWith("config/crd/"))!.content, warnings: r.warnings };
  } catch (e) {
    if (e instanceof UserError) return { ok: false, message: e.format() };
    throw e;
  }
}
