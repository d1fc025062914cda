// `tsop run` falls back to a local control plane only when no kubeconfig can be found at all.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { hasAnyKubeConfig } from "../../src/cli/run.js";

const home = mkdtempSync(path.join(tmpdir(), "tsop-home-"));
afterAll(() => rmSync(home, { recursive: true, force: true }));

describe("hasAnyKubeConfig", () => {
  it("is false with no $KUBECONFIG, no in-cluster env and no ~/.kube/config", () => {
    expect(hasAnyKubeConfig([], {}, home)).toBe(false);
  });
  it("is true for each way kubectl finds one", () => {
    expect(hasAnyKubeConfig(["--kubeconfig=/x"], {}, home)).toBe(true);
    expect(hasAnyKubeConfig(["--kubeconfig", "/x"], {}, home)).toBe(true);
    expect(hasAnyKubeConfig([], { KUBECONFIG: "/x" }, home)).toBe(true);
    expect(hasAnyKubeConfig([], { KUBERNETES_SERVICE_HOST: "10.0.0.1" }, home)).toBe(true);
    mkdirSync(path.join(home, ".kube"));
    writeFileSync(path.join(home, ".kube", "config"), "apiVersion: v1\n");
    expect(hasAnyKubeConfig([], {}, home)).toBe(true);
  });
});
