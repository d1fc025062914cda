// Scaffold cases shared by the golden and kustomize tests: each replays tsop commands (through the
// same functions the CLI calls) into a directory.
import { mkdir } from "node:fs/promises";
import { runCreateApi, type CreateApiFlags } from "../../src/cli/create-api.js";
import { runInit, type InitFlags } from "../../src/cli/init.js";

const quiet = (): void => {};
const initDefaults: InitFlags = { domain: "example.com", owner: "", license: "apache2", namespaced: false, force: false, dryRun: false };
const apiDefaults = { namespaced: true, resource: true, controller: true, force: false, dryRun: false };

export interface ScaffoldCase {
  name: string;
  run(dir: string): Promise<void>;
}

async function init(dir: string, flags: Partial<InitFlags>): Promise<void> {
  await mkdir(dir, { recursive: true });
  await runInit(dir, { ...initDefaults, ...flags }, undefined, quiet, 2026);
}

async function api(dir: string, flags: Partial<CreateApiFlags> & Pick<CreateApiFlags, "group" | "version" | "kind">): Promise<void> {
  await runCreateApi(dir, { ...apiDefaults, ...flags }, undefined, quiet);
}

/** The golden cases. Generated package.json files depend on `file:/TSOP` (set TSOP_DEPENDENCY). */
export const cases: ScaffoldCase[] = [
  {
    name: "init",
    run: (d) => init(d, { repo: "github.com/acme/memcached-operator", projectName: "memcached-operator", owner: "Acme Corp" }),
  },
  {
    name: "init-namespaced",
    run: (d) => init(d, { domain: "acme.io", projectName: "scoped-operator", license: "none", namespaced: true }),
  },
  {
    name: "api-namespaced",
    run: async (d) => {
      await init(d, { repo: "github.com/acme/memcached-operator", projectName: "memcached-operator" });
      await api(d, { group: "cache", version: "v1alpha1", kind: "Memcached" });
    },
  },
  {
    name: "api-cluster",
    run: async (d) => {
      await init(d, { domain: "acme.io", projectName: "infra-operator", license: "none" });
      await api(d, { group: "infra", version: "v1", kind: "Cluster", namespaced: false });
      await api(d, { group: "net", version: "v1beta1", kind: "Proxy", namespaced: false });
    },
  },
];
