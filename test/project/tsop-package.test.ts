import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { fileURLToPath } from "node:url";
import { gunzipSync } from "node:zlib";
import { afterAll, afterEach, describe, expect, it } from "vitest";
import { UserError } from "../../src/errors.js";
import { nodeFs } from "../../src/project/fs.js";
import { packEntries, packTarball } from "../../src/project/pack.js";
import { resolvePlan } from "../../src/project/plan.js";
import { writePlan } from "../../src/project/writer.js";
import { assertBuilt, exportTargets, tsopDependency, tsopOrigin, tsopRoot, tsopVersion } from "../../src/project/tsop-package.js";

const checkout = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const tmp = mkdtempSync(path.join(tmpdir(), "tsop-pkg-"));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

/** `path size mode` of every regular file in a .tgz, read with tar(1). */
function tarListing(tgz: Buffer): string[] {
  const file = path.join(tmp, `l-${Math.random().toString(36).slice(2)}.tgz`);
  writeFileSync(file, tgz);
  const out = execFileSync("tar", ["-tzvf", file, "--numeric-owner"], { encoding: "utf8" });
  return out
    .trim()
    .split("\n")
    .map((l) => {
      const [mode, owner, size, , , name] = l.split(/\s+/);
      return `${name} ${size} ${mode} ${owner}`;
    });
}

describe("tsop dependency of generated projects", () => {
  const saved = process.env["TSOP_DEPENDENCY"];
  afterEach(() => {
    if (saved === undefined) delete process.env["TSOP_DEPENDENCY"];
    else process.env["TSOP_DEPENDENCY"] = saved;
  });

  it("vendors a packed copy when tsop runs from a checkout", () => {
    delete process.env["TSOP_DEPENDENCY"];
    expect(tsopRoot()).toBe(checkout);
    expect(tsopOrigin(checkout)).toBe("checkout");
    const dep = tsopDependency();
    expect(tsopVersion()).toMatch(/^\d+\.\d+\.\d+/);
    expect(dep.spec).toBe(`file:vendor/tsop-${tsopVersion()}.tgz`);
    expect(dep.vendored?.path).toBe(`vendor/tsop-${tsopVersion()}.tgz`);
    const names = tarListing(dep.vendored!.content).map((l) => l.split(" ")[0]);
    expect(names).toContain("package/package.json");
    expect(names).toContain("package/dist/runtime/index.js");
    expect(names).toContain("package/dist/cli/main.js");
  });

  it("tells a registry install from a tarball install by the lockfile that recorded it", () => {
    const project = path.join(tmp, "app");
    const root = path.join(project, "node_modules", "tsop");
    mkdirSync(root, { recursive: true });
    expect(tsopOrigin(root)).toBe("tarball"); // no record (a global install): vendor
    const lock = (resolved: string) => JSON.stringify({ lockfileVersion: 3, packages: { "node_modules/tsop": { version: "1.2.3", resolved } } });
    writeFileSync(path.join(project, "package-lock.json"), lock("https://registry.npmjs.org/tsop/-/tsop-1.2.3.tgz"));
    expect(tsopOrigin(root)).toBe("registry");
    writeFileSync(path.join(project, "node_modules", ".package-lock.json"), lock("file:../tsop-1.2.3.tgz"));
    expect(tsopOrigin(root)).toBe("tarball"); // the hidden lockfile describes node_modules as installed
  });

  it("can be overridden with TSOP_DEPENDENCY (nothing vendored)", () => {
    process.env["TSOP_DEPENDENCY"] = "^9.9.9";
    expect(tsopDependency()).toEqual({ spec: "^9.9.9" });
  });

  it("refuses to pack a checkout whose dist/ is not built, saying how to fix it", () => {
    const dir = path.join(tmp, "unbuilt");
    mkdirSync(dir);
    writeFileSync(path.join(dir, "package.json"), JSON.stringify({ name: "tsop", exports: { ".": { types: "./dist/index.d.ts", default: "./dist/index.js" } } }));
    let err: unknown;
    try {
      assertBuilt(dir);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(UserError);
    expect((err as UserError).format()).toBe(`tsop at ${dir} is not built (missing ./dist/index.d.ts), so it cannot be packed into vendor/ (run npm run build in ${dir}, then run tsop init again)`);
  });

  it("lists every target of an exports map", () => {
    expect(exportTargets({ ".": { types: "./a.d.ts", default: "./a.js" }, "./x": { import: { types: "./x.d.ts", default: "./x.js" } }, "./package.json": "./package.json" })).toEqual([
      "./a.d.ts",
      "./a.js",
      "./x.d.ts",
      "./x.js",
      "./package.json",
    ]);
  });
});

describe("packTarball", () => {
  it("packs exactly the files, sizes and modes npm pack does, byte-identically every time", () => {
    const npm = JSON.parse(execFileSync("npm", ["pack", "--dry-run", "--json", "--ignore-scripts"], { cwd: checkout, encoding: "utf8" })) as { files: { path: string; size: number; mode: number }[] }[];
    const expected = npm[0]!.files.map((f) => `package/${f.path} ${f.size} ${f.mode === 0o755 ? "-rwxr-xr-x" : "-rw-r--r--"} 0/0`).sort();
    const tgz = packTarball(checkout);
    expect(tarListing(tgz).sort()).toEqual(expected);
    expect(packTarball(checkout).equals(tgz)).toBe(true);
    expect(packEntries(checkout).map((e) => e.path)).toEqual(npm[0]!.files.map((f) => f.path).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)));
    // npm's fixed mtime, so the tarball does not change with checkout or build times
    expect(execFileSync("tar", ["-tzvf", "-", "--utc", "package/package.json"], { input: tgz, encoding: "utf8" })).toContain("1985-10-26 08:15");
  });

  it("splits a path over 100 bytes into the ustar prefix, and tar reads it back", () => {
    const dir = path.join(tmp, "long");
    const deep = ["a".repeat(60), "b".repeat(60), "c".repeat(60)].join("/");
    mkdirSync(path.join(dir, "lib", deep), { recursive: true });
    writeFileSync(path.join(dir, "package.json"), JSON.stringify({ name: "x", version: "1.0.0", files: ["lib"] }));
    writeFileSync(path.join(dir, "lib", deep, "file.js"), "export {};\n");
    const tgz = packTarball(dir);
    expect(gunzipSync(tgz).length % 512).toBe(0);
    expect(tarListing(tgz).map((l) => l.split(" ")[0])).toEqual([`package/lib/${deep}/file.js`, "package/package.json"]);
  });
});

describe("binary files in a plan", () => {
  it("writes base64 content as bytes, and finds the same bytes unchanged on the next run", async () => {
    const root = path.join(tmp, "binary-plan");
    mkdirSync(root);
    const bytes = Buffer.from([0x1f, 0x8b, 0x08, 0x00, 0xff, 0x00, 0x80, 0x7f]);
    const planned = [{ path: "vendor/x.tgz", content: bytes.toString("base64"), encoding: "base64" as const, ifExists: "error" as const }];
    const first = await resolvePlan(nodeFs, root, planned);
    expect(first.map((f) => f.action)).toEqual(["create"]);
    await writePlan(nodeFs, root, first);
    expect(readFileSync(path.join(root, "vendor/x.tgz")).equals(bytes)).toBe(true);
    expect((await resolvePlan(nodeFs, root, planned)).map((f) => f.action)).toEqual(["unchanged"]);
    const other = [{ ...planned[0]!, content: Buffer.from([1, 2, 3]).toString("base64") }];
    await expect(resolvePlan(nodeFs, root, other)).rejects.toThrow("file exists with other content");
  });
});
