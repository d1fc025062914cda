import * as path from "node:path";
import { fileURLToPath } from "node:url";
import { afterEach, describe, expect, it } from "vitest";
import { specForRoot, tsopDependencySpec, tsopRoot, tsopVersion } from "../../src/project/tsop-package.js";

const checkout = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");

describe("tsop dependency of generated projects", () => {
  const saved = process.env["TSOP_DEPENDENCY"];
  afterEach(() => {
    if (saved === undefined) delete process.env["TSOP_DEPENDENCY"];
    else process.env["TSOP_DEPENDENCY"] = saved;
  });

  it("points at this checkout with file: when tsop runs from a checkout", () => {
    delete process.env["TSOP_DEPENDENCY"];
    expect(tsopRoot()).toBe(checkout);
    expect(tsopDependencySpec()).toBe(`file:${checkout}`);
    expect(tsopVersion()).toMatch(/^\d+\.\d+\.\d+/);
  });

  it("uses ^version when tsop is an installed package", () => {
    expect(specForRoot(path.join(path.sep, "home", "u", "app", "node_modules", "tsop"), "1.2.3")).toBe("^1.2.3");
    expect(specForRoot(path.join(path.sep, "src", "tsop"), "1.2.3")).toBe(`file:${path.join(path.sep, "src", "tsop")}`);
  });

  it("can be overridden with TSOP_DEPENDENCY", () => {
    process.env["TSOP_DEPENDENCY"] = "^9.9.9";
    expect(tsopDependencySpec()).toBe("^9.9.9");
  });
});
