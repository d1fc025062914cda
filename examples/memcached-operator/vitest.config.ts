import { defineConfig } from "vitest/config";

// The controller tests start a real kube-apiserver + etcd (tsop/envtest): generous timeouts.
export default defineConfig({
  test: { include: ["test/**/*.test.ts"], testTimeout: 120_000, hookTimeout: 600_000, pool: "forks" },
});
