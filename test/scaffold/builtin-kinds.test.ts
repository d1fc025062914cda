// Controllers for built-in kinds (`create api --group apps --version v1 --kind Deployment --resource=false`):
// the kind table matches tsop/runtime/kinds, every kind's test sample is accepted by a real
// kube-apiserver, and the controllers and tests generated for every kind type-check together.
import { spawnSync } from "node:child_process";
import { mkdir, mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCreateApi } from "../../src/cli/create-api.js";
import { runInit } from "../../src/cli/init.js";
import { Environment, type StartedEnvironment } from "../../src/envtest/index.js";
import { BUILT_IN_KINDS } from "../../src/project/builtin-kinds.js";
import * as kinds from "../../src/runtime/kinds/index.js";
import { builtInSampleObject } from "../../src/scaffold/builtin-samples.js";
import { linkProjectDeps, repoRoot } from "../cli/built-cli.js";
import { kube } from "../envtest/helpers.js";

const quiet = (): void => {};

describe("built-in kinds", () => {
  it("are exactly the descriptors tsop/runtime/kinds exports", () => {
    const descriptors = Object.entries(kinds).filter(([name]) => name !== "CRD");
    expect(BUILT_IN_KINDS.map((b) => b.kind).sort()).toEqual(descriptors.map(([name]) => name).sort());
    for (const b of BUILT_IN_KINDS) {
      const d = (kinds as Record<string, { group: string; version: string; plural: string; namespaced: boolean }>)[b.kind]!;
      expect({ group: d.group, version: d.version, plural: d.plural, namespaced: d.namespaced }, b.kind).toEqual({ group: b.apiGroup, version: b.version, plural: b.plural, namespaced: b.namespaced });
    }
  });
});

describe("built-in kinds' test samples on a real kube-apiserver", () => {
  const env = new Environment();
  let started: StartedEnvironment;
  beforeAll(async () => {
    started = await env.start();
  });
  afterAll(async () => {
    await env.stop();
  });

  it("creates the sample of every kind", async () => {
    for (const b of BUILT_IN_KINDS) {
      const obj = builtInSampleObject(b);
      const base = b.apiGroup ? `/apis/${b.apiGroup}/${b.version}` : `/api/${b.version}`;
      const res = await kube(started, "POST", `${base}${b.namespaced ? "/namespaces/default" : ""}/${b.plural}`, obj);
      expect(res.status, `${b.kind}: ${JSON.stringify(res.body)}`).toBe(201);
    }
  });
});

describe("controllers generated for every built-in kind", () => {
  let tmp: string;
  let dir: string;
  beforeAll(async () => {
    tmp = await mkdtemp(path.join(tmpdir(), "tsop-builtin-"));
    dir = path.join(tmp, "p");
    await mkdir(dir);
    await runInit(dir, { domain: "example.com", owner: "", license: "none", namespaced: false, force: false, dryRun: false }, undefined, quiet, 2026);
    for (const b of BUILT_IN_KINDS) {
      const group = b.label === "core" ? (b.kind === "Pod" ? "" : "core") : b.label; // `--group ""` is core too
      await runCreateApi(dir, { group, version: b.version, kind: b.kind, namespaced: true, resource: false, controller: true, force: false, dryRun: false }, undefined, quiet);
    }
    // The project resolves tsop (this checkout's dist/), vitest and @types/node from here.
    await linkProjectDeps(dir);
  });
  afterAll(async () => {
    if (tmp) await rm(tmp, { recursive: true, force: true });
  });

  it("records them in PROJECT without CRDs and registers every reconciler in main.ts", async () => {
    const project = await readFile(path.join(dir, "PROJECT"), "utf8");
    expect(project).toContain("kind: Pod\n    plural: pods\n    path: \"\"\n    namespaced: true\n    controller: true\n    crd: false");
    expect(project.match(/crd: false/g)).toHaveLength(BUILT_IN_KINDS.length);
    const main = await readFile(path.join(dir, "src/main.ts"), "utf8");
    for (const b of BUILT_IN_KINDS) expect(main).toContain(`new ${b.kind}Reconciler()`);
  });

  it("type-check (controllers typed by tsop/runtime/kinds, tests creating each kind's sample)", () => {
    const r = spawnSync(process.execPath, [path.join(repoRoot, "node_modules/typescript/bin/tsc"), "-p", "tsconfig.json", "--noEmit"], { cwd: dir, encoding: "utf8" });
    expect(r.status, `${r.stdout}\n${r.stderr}`).toBe(0);
  });
});
