/**
 * `tsop create api`: adds a kind (types, sample, roles, CRD entry) and its controller to a project.
 * @module
 */
import * as path from "node:path";
import { readFile } from "node:fs/promises";
import type { Command } from "commander";
import { boolFlag, noFlag } from "./bool-flag.js";
import { parseAllDocuments } from "yaml";
import { didYouMean } from "../did-you-mean.js";
import { UserError } from "../errors.js";
import { fileSteps, runCommand } from "../project/lifecycle.js";
import { nodeFs, type ProjectFs } from "../project/fs.js";
import { validateDomain, validateGroup, validateKind, validateNotProtected, validatePlural, validateVersion } from "../project/names.js";
import { builtInGroupLabel, isBuiltInResource, requireBuiltInKind, type BuiltInKind } from "../project/builtin-kinds.js";
import type { ProjectConfig } from "../project/model.js";
import { pluralize } from "../project/plural.js";
import { loadProject, PROJECT_FILE } from "../project/project-file.js";
import { planCreateApi, type ExternalKind } from "../scaffold/create-api.js";
import { registerCreateWebhook } from "./create-webhook.js";

/** Flags of `tsop create api` as commander parses them. */
export interface CreateApiFlags {
  group?: string;
  version?: string;
  kind?: string;
  plural?: string;
  namespaced: boolean;
  resource: boolean;
  controller: boolean;
  force: boolean;
  dryRun: boolean;
  /** With `fromCrd`: a kind whose CRD is owned elsewhere. */
  external?: boolean;
  /** The CRD file of an external kind. */
  fromCrd?: string;
}

function required(value: string | undefined, flag: string): string {
  if (value === undefined) throw new UserError("missing-flag", `required option '${flag}' not specified`, { hint: "see tsop create api --help" });
  return value;
}

interface ExternalApi {
  group: string;
  version: string;
  kind: string;
  plural: string;
  namespaced: boolean;
  external: ExternalKind;
}

/** What `load` and `validate` settle: an external kind, a built-in kind, or the project's own. */
type RequestedApi = ExternalApi | (Omit<ExternalApi, "external"> & { builtIn?: BuiltInKind });

/**
 * The built-in kind a `--resource=false` request in a built-in group (`core`, `""`, `apps`, ...)
 * names, unless PROJECT has its own kind there; refuses a kind tsop does not know.
 */
function builtInRequest(project: ProjectConfig, resource: boolean, group: string, version: string, kind: string): BuiltInKind | undefined {
  if (resource || builtInGroupLabel(group) === undefined) return undefined;
  if (project.resources.some((r) => !isBuiltInResource(r) && r.group === group && r.version === version && r.kind === kind)) return undefined;
  return requireBuiltInKind(group, version, kind);
}

/** Reads an external kind's CRD and generates its types (`--external --from-crd FILE`). */
async function externalFromCrd(root: string, flags: CreateApiFlags): Promise<ExternalApi> {
  if (!flags.external || !flags.fromCrd) {
    throw new UserError("from-crd", flags.external ? "--external needs --from-crd FILE" : "--from-crd needs --external", { hint: "tsop create api --external --from-crd crd.yaml" });
  }
  const file = path.resolve(root, flags.fromCrd);
  const text = await readFile(file, "utf8").catch(() => {
    throw new UserError("from-crd", `cannot read the CRD file ${flags.fromCrd}`, { hint: "pass the path of a CRD YAML file" });
  });
  const { typesFromCrd } = await import("../schema/from-crd.js");
  const apiSource = await typesFromCrd(text, flags.version ? { version: flags.version } : {});
  const crd = parseAllDocuments(text).map((d) => d.toJS() as { kind?: string; spec?: { group: string; scope?: string; names: { kind: string; plural: string }; versions: { name: string; storage?: boolean }[] } } | null).find((d) => d?.kind === "CustomResourceDefinition")!;
  const spec = crd.spec!;
  const version = flags.version ?? (spec.versions.find((v) => v.storage) ?? spec.versions[0]!).name;
  if (flags.kind !== undefined && flags.kind !== spec.names.kind) {
    throw new UserError("from-crd", `--kind ${flags.kind} does not match the CRD's kind ${spec.names.kind}`, { hint: "drop --kind; it comes from the CRD" });
  }
  const dot = spec.group.indexOf(".");
  const group = dot < 0 ? "" : spec.group.slice(0, dot);
  if (flags.group !== undefined && flags.group !== group && flags.group !== spec.group) {
    throw new UserError("from-crd", `--group ${flags.group} does not match the CRD's group ${spec.group}`, { hint: "drop --group; it comes from the CRD" });
  }
  return {
    group,
    version,
    kind: spec.names.kind,
    plural: spec.names.plural,
    namespaced: spec.scope !== "Cluster",
    external: { domain: dot < 0 ? spec.group : spec.group.slice(dot + 1), apiSource, crdText: text },
  };
}

/**
 * The names an external CRD brings land in file paths, PROJECT and generated code: they are checked
 * like the flags they replace, and an error names the CRD file and field.
 */
function validateExternal(api: ExternalApi, crdFile: string): void {
  const full = api.group ? `${api.group}.${api.external.domain}` : api.external.domain;
  const checks: [string, string, () => void][] = [
    ["spec.names.kind", "Memcached", () => validateKind(api.kind)],
    ["spec.group", "cache.example.com", () => {
      validateDomain(full);
      if (!full.includes(".")) throw new UserError("invalid-group", `invalid group "${full}": a CRD's group needs a dot`, { hint: "e.g. cache.example.com" });
    }],
    ["spec.versions[].name", "v1alpha1", () => validateVersion(api.version)],
    ["spec.names.plural", "memcacheds", () => validatePlural(api.plural)],
  ];
  for (const [field, example, check] of checks) {
    try {
      check();
    } catch (e) {
      if (!(e instanceof UserError)) throw e;
      throw new UserError(e.code, `${field}: ${e.message.replace(/^invalid domain/, "invalid group")}`, { location: { file: crdFile }, hint: `fix ${field} in the CRD, e.g. ${example}`, cause: e });
    }
  }
}

/** Runs `create api` in the project at `root`: load PROJECT, validate, plan, write (PROJECT last), report. */
export async function runCreateApi(root: string, flags: CreateApiFlags, fs: ProjectFs = nodeFs, out: (s: string) => void = (s) => process.stdout.write(s)): Promise<void> {
  const files = fileSteps(fs, root, flags.force);
  await runCommand({
    load: async () => {
      const project = await loadProject((f) => fs.readFile(f), path.join(root, PROJECT_FILE));
      const api: RequestedApi | undefined = flags.external || flags.fromCrd ? await externalFromCrd(root, flags) : undefined;
      return { project, api };
    },
    validate: (loaded) => {
      if (loaded.api) {
        if ("external" in loaded.api) validateExternal(loaded.api, flags.fromCrd ?? "");
        return;
      }
      const group = required(flags.group, "--group <group>");
      const version = required(flags.version, "--version <version>");
      const kind = required(flags.kind, "--kind <kind>");
      validateKind(kind);
      const builtIn = builtInRequest(loaded.project, flags.resource, group, version, kind);
      if (builtIn) {
        loaded.api = { group: builtIn.label, version: builtIn.version, kind: builtIn.kind, plural: builtIn.plural, namespaced: builtIn.namespaced, builtIn };
        return;
      }
      validateGroup(group, loaded.project.domain);
      validateNotProtected(`${group}.${loaded.project.domain}`);
      validateVersion(version);
      const plural = flags.plural ?? pluralize(kind);
      validatePlural(plural);
      loaded.api = { group, version, kind, plural, namespaced: flags.namespaced };
    },
    plan: async ({ project, api }) => {
      const planned = await planCreateApi(fs, root, project, { ...api!, resource: flags.resource, controller: flags.controller, force: flags.force });
      return files.plan(planned.files);
    },
    describe: files.describe,
    apply: files.apply,
    report: (resolved, { api }) => {
      const edit = [flags.resource ? "the API types" : "", flags.controller ? `the reconciler in src/controllers/${api!.kind.toLowerCase()}.controller.ts` : ""].filter(Boolean).join(" and ");
      return `${files.report(resolved)}\nNext: edit ${edit}, then:\n  tsop manifests\n`;
    },
  }, { dryRun: flags.dryRun, out });
}

function createHint(what: string | undefined): string {
  const near = what === undefined ? undefined : didYouMean(what, ["api", "webhook"]);
  return near ? `did you mean tsop create ${near}? see tsop create --help` : "the subcommands are tsop create api and tsop create webhook; see tsop create --help";
}

/** Registers `tsop create` and its `api` and `webhook` subcommands. */
export function registerCreate(program: Command): void {
  // `create api --version v1` must reach the subcommand, not the program's own --version.
  program.enablePositionalOptions();
  const create = program
    .command("create")
    .description("Scaffold new parts of a project")
    .argument("[what]", "what to create: api or webhook")
    .allowExcessArguments(true)
    // `create apis --group g` should say the command is wrong, not that --group is unknown.
    .allowUnknownOption(true)
    .showHelpAfterError(false)
    .action((what: string | undefined) => {
      throw new UserError("unknown-command", what === undefined || what.startsWith("-") ? "tsop create needs a subcommand" : `unknown command 'create ${what}'`, { hint: createHint(what) });
    });
  create
    .command("api")
    .description("Scaffold a kind (API types) and its controller")
    .option("--group <group>", "API group without the domain, e.g. cache (required)")
    .option("--version <version>", "API version, e.g. v1alpha1 (required)")
    .option("--kind <kind>", "kind, PascalCase, e.g. Memcached (required)")
    .option("--plural <plural>", "plural resource name (default: the English plural of the kind, lower-case)")
    .addOption(boolFlag("namespaced", "true for a namespaced kind, false for cluster-scoped", true)).addOption(noFlag("namespaced"))
    .addOption(boolFlag("resource", "scaffold the API types; false with a built-in group (core, apps, batch, rbac, ...) scaffolds a controller for the built-in kind", true)).addOption(noFlag("resource"))
    .addOption(boolFlag("controller", "scaffold the controller", true)).addOption(noFlag("controller"))
    .option("--force", "scaffold an existing kind again, overwriting its files", false)
    .option("--external", "a kind whose CRD is owned elsewhere (with --from-crd): types and a controller, no CRD", false)
    .option("--from-crd <file>", "the external kind's CRD YAML; group, kind and plural come from it, --version picks a version")
    .option("--dry-run", "print the files that would be written and write nothing", false)
    .showHelpAfterError(false)
    .addHelpText("after", `
Examples:
  tsop create api --group cache --version v1alpha1 --kind Memcached
  tsop create api --group infra --version v1 --kind Cluster --namespaced=false
  tsop create api --group net --version v1beta1 --kind Proxy --plural proxies --controller=false
  tsop create api --external --from-crd vendor/certificates.yaml   # a controller for someone else's kind
  tsop create api --group apps --version v1 --kind Deployment --resource=false   # a controller for a built-in kind
  tsop create api --group core --version v1 --kind ConfigMap --resource=false`)
    .action(async (flags: CreateApiFlags) => {
      await runCreateApi(process.cwd(), flags);
    });
  registerCreateWebhook(create);
}
