import { describe, expect, it } from "vitest";
import { addKustomizeResources } from "../../src/scaffold/kustomize.js";

describe("addKustomizeResources", () => {
  it("turns an empty flow list into a block list and keeps comments", () => {
    const text = "# CRDs\nresources: []\n";
    expect(addKustomizeResources(text, ["bases/a.yaml"], "k.yaml")).toBe("# CRDs\nresources:\n- bases/a.yaml\n");
  });
  it("appends missing entries only, and returns the text unchanged when nothing is missing", () => {
    const text = "resources:\n# keep me\n- a.yaml\n";
    const out = addKustomizeResources(text, ["a.yaml", "b.yaml"], "k.yaml");
    expect(out).toBe("resources:\n# keep me\n- a.yaml\n- b.yaml\n");
    expect(addKustomizeResources(out, ["b.yaml", "a.yaml"], "k.yaml")).toBe(out);
  });
  it("refuses a kustomization whose resources is not a list", () => {
    expect(() => addKustomizeResources("resources: x\n", ["a.yaml"], "config/crd/kustomization.yaml")).toThrow(/`resources` is not a list/);
  });
});
