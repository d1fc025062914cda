/** Warnings: problems that do not stop generation. */
import { expect, test } from "vitest";
import { runFixture } from "./run-fixture.js";

test("number fields and CEL rules under unbounded lists are warned about, with locations", async () => {
  const r = await runFixture("warnings");
  if (!r.ok) throw new Error(r.message);
  expect(r.warnings).toEqual([
    "warnings.ts:10:11: number maps to type: number; Kubernetes API conventions prefer Int32/Int64 or Quantity",
    "warnings.ts:12:19: the rule \"self.all(x, x.size() < 10)\" at spec.entries iterates over a list with no size limit; the apiserver may reject it as too expensive (add @maxItems)",
    "warnings.ts:4:17: the rule \"self.startsWith('a')\" at spec.tags[] runs for every item of the list spec.tags, which has no size limit; the apiserver may reject it as too expensive (add @maxItems/@maxProperties)",
  ]);
});
