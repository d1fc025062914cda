import { describe, expect, it } from "vitest";
import { runManifests, type ManifestsModule } from "../../src/cli/manifests.js";
import { UserError } from "../../src/errors.js";
import { MemoryFs } from "../../src/project/fs.js";
import { serializeProject } from "../../src/project/project-file.js";

// The command's pipeline (load PROJECT, engine, atomic writes, --check) with a stand-in engine;
// the real engine runs in test/scaffold/e2e.test.ts.
const root = "/p";

function setup(outputs: { path: string; content: string }[], warnings: string[] = []): { fs: MemoryFs; engine: ManifestsModule; calls: unknown[] } {
  const fs = new MemoryFs();
  fs.files.set(`${root}/PROJECT`, serializeProject({ version: "3", layout: "tsop.dev/v1", domain: "example.com", repo: "r", projectName: "op", namespaced: false, resources: [] }));
  const calls: unknown[] = [];
  const engine: ManifestsModule = {
    async generateManifests(opts) {
      calls.push(opts);
      return { files: outputs, warnings };
    },
  };
  return { fs, engine, calls };
}

const files = [
  { path: "config/rbac/role.yaml", content: "role\n" },
  { path: "config/crd/bases/cache.example.com_memcacheds.yaml", content: "crd\n" },
];

describe("tsop manifests", () => {
  it("writes the engine's files, passes options through, and prints warnings", async () => {
    const { fs, engine, calls } = setup(files, ["number field"]);
    let out = "";
    let err = "";
    await runManifests(root, { check: false, dryRun: false, maxDescriptionLength: 40 }, fs, (s) => (out += s), (s) => (err += s), engine);
    expect(fs.files.get(`${root}/config/rbac/role.yaml`)).toBe("role\n");
    expect(fs.files.get(`${root}/config/crd/bases/cache.example.com_memcacheds.yaml`)).toBe("crd\n");
    expect(calls).toEqual([{ projectDir: root, project: expect.objectContaining({ projectName: "op" }), maxDescriptionLength: 40 }]);
    expect(err).toBe("warning: number field\n");
    expect(out).toBe("create    config/crd/bases/cache.example.com_memcacheds.yaml\ncreate    config/rbac/role.yaml\n");
  });

  it("is quiet and writes nothing when up to date", async () => {
    const { fs, engine } = setup(files);
    await runManifests(root, { check: false, dryRun: false }, fs, () => {}, () => {}, engine);
    let writes = 0;
    const write = fs.writeFile.bind(fs);
    fs.writeFile = async (f, c) => {
      writes++;
      await write(f, c);
    };
    let out = "";
    await runManifests(root, { check: false, dryRun: false }, fs, (s) => (out += s), () => {}, engine);
    expect(writes).toBe(0);
    expect(out).toBe("manifests are up to date\n");
  });

  it("--check lists out-of-date files, exits with a user error, and writes nothing", async () => {
    const { fs, engine } = setup(files);
    fs.files.set(`${root}/config/rbac/role.yaml`, "old\n");
    const before = new Map(fs.files);
    const e = await runManifests(root, { check: true, dryRun: false }, fs, () => {}, () => {}, engine).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(UserError);
    expect((e as UserError).format()).toBe("out of date: config/crd/bases/cache.example.com_memcacheds.yaml, config/rbac/role.yaml (run tsop manifests and commit the result)");
    expect(fs.files).toEqual(before);
  });

  it("refuses to run outside a project", async () => {
    const { engine } = setup(files);
    await expect(runManifests(root, { check: false, dryRun: false }, new MemoryFs(), () => {}, () => {}, engine)).rejects.toThrow(/not a tsop project/);
  });
});
