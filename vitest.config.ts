import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

// Integration tests start real kube-apiservers; on a 2-core machine keep file parallelism low and
// timeouts generous. Timing is never asserted by tests (benchmarks live in bench/).
export default defineConfig({
  // examples/* import "tsop/<entry>": in tsop's own tests that means the sources, not dist/.
  resolve: { alias: [{ find: /^tsop\/runtime\/webhook$/, replacement: fileURLToPath(new URL("./src/runtime/webhook/index.ts", import.meta.url)) }, { find: /^tsop\/(runtime|types|envtest)$/, replacement: fileURLToPath(new URL("./src/$1/index.ts", import.meta.url)) }] },
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
