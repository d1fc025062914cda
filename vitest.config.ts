import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

// Integration tests start real kube-apiservers; on a 2-core machine keep file parallelism low and
// timeouts generous. Timing is never asserted by tests (benchmarks live in bench/).
export default defineConfig({
  // examples/* import "tsop/<entry>" and "tsop/runtime/<subpath>": in tsop's own tests that means
  // the sources, not dist/ (each entry point is the index.ts of the folder of the same name).
  resolve: {
    alias: [
      { find: /^tsop\/runtime\/([a-z-]+)$/, replacement: fileURLToPath(new URL("./src/runtime/$1/index.ts", import.meta.url)) },
      { find: /^tsop\/(runtime|types|envtest)$/, replacement: fileURLToPath(new URL("./src/$1/index.ts", import.meta.url)) },
    ],
  },
  test: {
    include: ["test/**/*.test.ts"],
    exclude: ["**/node_modules/**", "test/**/fixtures/**"],
    pool: "forks",
    maxWorkers: 2,
    testTimeout: 120_000,
    hookTimeout: 600_000,
    globalSetup: ["test/global-setup.ts"],
  },
});
