import { describe, expect, it } from "vitest";
import { SelectorError, parseFieldSelector, parseLabelSelector } from "../../src/runtime/cache/selectors.js";

describe("parseLabelSelector", () => {
  const labels = { app: "web", tier: "front", "example.com/team": "a", version: "3" };
  const cases: [string, boolean][] = [
    ["", true],
    ["app=web", true],
    ["app==web", true],
    ["app=db", false],
    ["app!=db", true],
    ["missing!=x", true],
    ["tier in (front, back)", true],
    ["tier in (back)", false],
    ["missing in (x)", false],
    ["tier notin (back,middle)", true],
    ["tier notin (front)", false],
    ["missing notin (x)", true],
    ["example.com/team", true],
    ["missing", false],
    ["!missing", true],
    ["!app", false],
    ["app=web,tier in (front,back),!legacy", true],
    ["app=web,tier in (back)", false],
    ["version>2", true],
    ["version<2", false],
    ["app=", false],
  ];
  for (const [sel, want] of cases) {
    it(`"${sel}" -> ${want}`, () => {
      expect(parseLabelSelector(sel).matches(labels)).toBe(want);
    });
  }

  it("treats missing labels as empty", () => {
    expect(parseLabelSelector("!app").matches(undefined)).toBe(true);
    expect(parseLabelSelector("app").matches(undefined)).toBe(false);
  });

  it("rejects what the apiserver rejects", () => {
    for (const bad of ["app=a b", "a,,b", "-bad=x", "x in (a b)", "v>x"]) expect(() => parseLabelSelector(bad), bad).toThrow(SelectorError);
  });
});

describe("parseFieldSelector", () => {
  const obj = { metadata: { name: "a", namespace: "ns1" }, status: { phase: "Running" } };
  it("matches metadata.name/namespace and other dotted paths with =, == and !=", () => {
    expect(parseFieldSelector("metadata.name=a").matches(obj)).toBe(true);
    expect(parseFieldSelector("metadata.name==b").matches(obj)).toBe(false);
    expect(parseFieldSelector("metadata.namespace!=ns2,metadata.name=a").matches(obj)).toBe(true);
    expect(parseFieldSelector("status.phase=Running").matches(obj)).toBe(true);
    expect(parseFieldSelector("metadata.namespace=ns1").exact("metadata.namespace")).toBe("ns1");
    expect(parseFieldSelector("metadata.namespace!=ns1").exact("metadata.namespace")).toBeUndefined();
    expect(() => parseFieldSelector("metadata.name")).toThrow(SelectorError);
  });
});
