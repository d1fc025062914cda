import { expect, test } from "vitest";
import { parseDurationMs } from "../../src/envtest/environment.js";

test("parseDurationMs reads Go durations and plain milliseconds (KUBEBUILDER_CONTROLPLANE_START_TIMEOUT)", () => {
  expect(parseDurationMs("90s")).toBe(90_000);
  expect(parseDurationMs("1m30s")).toBe(90_000);
  expect(parseDurationMs("500ms")).toBe(500);
  expect(parseDurationMs("2500")).toBe(2500);
  expect(parseDurationMs("soon")).toBeUndefined();
  expect(parseDurationMs(undefined)).toBeUndefined();
});
