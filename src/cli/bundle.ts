/**
 * `tsop bundle` (operator-sdk's `make bundle`: generate kustomize manifests + generate bundle):
 * scaffolds config/manifests and config/scorecard once, renders config/manifests with kustomize and
 * writes the OLM bundle (bundle/manifests, bundle/metadata, bundle/tests/scorecard,
 * bundle.Dockerfile). `tsop bundle validate [dir]` (and `tsop bundle --validate`) checks a bundle with
 * operator-framework/api's validators, built with Go into tsop's cache.
 * @module
 */
import { cpSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { mkdir, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import * as path from "node:path";
import type { Command } from "commander";
import { projectCrds } from "../deploy/crds.js";
import { parseImage } from "../deploy/image.js";
import { findKustomize, renderKustomization } from "../deploy/kustomize.js";
import { DEFAULT_K8S_VERSION } from "../envtest/versions.js";
import { UserError } from "../errors.js";
import { BUNDLE_DIR, buildBundle, hasConversionWebhook, ownedCrds, type BundleOptions } from "../olm/bundle.js";
import { baseCsvPath, scaffoldFiles } from "../olm/scaffold.js";
import { findValidator, formatFinding, OPTIONAL_VALIDATORS, runValidator, type OptionalValidator } from "../olm/validator.js";
import { nodeFs, type ProjectFs } from "../project/fs.js";
import { fileSteps, runCommand } from "../project/lifecycle.js";
import { SEMVER } from "../project/names.js";
import type { PlannedFile } from "../project/plan.js";
import { loadProject, PROJECT_FILE } from "../project/project-file.js";

/** Flags of `tsop bundle`. */
export interface BundleFlags {
  version?: string;
  channels?: string;
  defaultChannel?: string;
  package?: string;
  img?: string;
  validate?: boolean;
  selectOptional?: string;
  dryRun?: boolean;
}

/** Flags of `tsop bundle validate`. */
export interface ValidateFlags {
  selectOptional?: string;
  k8sVersion?: string;
}

const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const CHANNEL = /^[A-Za-z0-9]([A-Za-z0-9._-]*[A-Za-z0-9])?$/;

/** The oldest Kubernetes minor tsop/envtest tests against (the default and the two before it). */
export function minKubeVersion(): string {
  const [major, minor] = DEFAULT_K8S_VERSION.split(".").map(Number) as [number, number];
  return `${major}.${Math.max(0, minor - 2)}.0`;
}

/** Checks the flags; returns the bundle options. Nothing is read or written before this passes. */
export function bundleOptions(flags: BundleFlags, projectName: string, layout: string, packageVersion: string | undefined): BundleOptions {
  const packageName = flags.package ?? projectName;
  if (!DNS_LABEL.test(packageName) || packageName.length > 63) {
    throw new UserError("invalid-flag", `--package ${packageName} is not a valid package name`, { hint: "use lowercase letters, digits and '-' (at most 63), e.g. memcached-operator" });
  }
  const version = flags.version ?? (packageVersion && SEMVER.test(packageVersion) ? packageVersion : "0.0.1");
  if (!SEMVER.test(version)) throw new UserError("invalid-flag", `--version ${version} is not a semantic version`, { hint: "OLM bundle versions look like 0.1.0 or 1.2.3-rc.1, without a leading v" });
  if (!DNS_SUBDOMAIN.test(`${packageName}.v${version}`) || packageName.length + version.length + 2 > 253) {
    throw new UserError("invalid-flag", `--version ${version} cannot be part of the CSV name ${packageName}.v${version}`, { hint: "Kubernetes names allow lowercase letters, digits, '-' and '.': drop build metadata (+...) and uppercase" });
  }
  const channels = (flags.channels ?? "alpha").split(",").map((c) => c.trim());
  const bad = channels.find((c) => !CHANNEL.test(c));
  if (bad !== undefined) {
    throw new UserError("invalid-flag", `--channels ${flags.channels ?? ""}: ${bad === "" ? "an empty channel name" : `channel name "${bad}" is not valid`}`, { hint: "a comma-separated list of names of letters, digits, '.', '_' and '-', e.g. --channels stable,fast" });
  }
  if (new Set(channels).size !== channels.length) throw new UserError("invalid-flag", `--channels ${flags.channels ?? ""} names a channel twice`, { hint: "list each channel once" });
  const defaultChannel = flags.defaultChannel ?? channels[0]!;
  if (!channels.includes(defaultChannel)) {
    throw new UserError("invalid-flag", `--default-channel ${defaultChannel} is not one of the channels (${channels.join(",")})`, { hint: `add it to --channels, or pick one of ${channels.join(", ")}` });
  }
  return { packageName, version, channels, defaultChannel, layout };
}

/** The optional validators of `--select-optional` (comma-separated names). */
function optionalValidators(list: string | undefined): OptionalValidator[] {
  if (!list) return [];
  return list.split(",").map((n) => n.trim()).map((n) => {
    if (!(OPTIONAL_VALIDATORS as readonly string[]).includes(n)) {
      throw new UserError("invalid-flag", `--select-optional ${list}: unknown validator "${n}"`, { hint: `choose from ${OPTIONAL_VALIDATORS.join(", ")}` });
    }
    return n as OptionalValidator;
  });
}

const stderrLine = (line: string): void => { process.stderr.write(`${line}\n`); };

/** Validates the bundle directory `dir`; prints one line per finding; throws when there are errors. */
export async function validateBundleDir(dir: string, shown: string, flags: ValidateFlags, out: (s: string) => void): Promise<void> {
  const optional = optionalValidators(flags.selectOptional);
  const bin = await findValidator(process.env, stderrLine);
  const findings = await runValidator(bin, dir, { optional, ...(flags.k8sVersion ? { k8sVersion: flags.k8sVersion } : {}) });
  for (const f of findings) out(`${formatFinding(f)}\n`);
  const errors = findings.filter((f) => f.level === "error").length;
  if (errors > 0) {
    throw new UserError("bundle-invalid", `${shown} has ${errors} validation error${errors === 1 ? "" : "s"}`, { hint: "fix them in config/ (the base CSV is config/manifests/bases) and run tsop bundle again" });
  }
  out(`${shown}: valid (${findings.length} warning${findings.length === 1 ? "" : "s"})\n`);
}

interface Loaded { files: PlannedFile[]; skipped: string[] }

/** Reads the project and renders the bundle; writes nothing into the project. */
async function loadBundle(root: string, flags: BundleFlags, fs: ProjectFs): Promise<Loaded> {
  const project = await loadProject((f) => fs.readFile(f), path.join(root, PROJECT_FILE));
  let packageVersion: string | undefined;
  try {
    packageVersion = (JSON.parse((await fs.readFile(path.join(root, "package.json"))) ?? "{}") as { version?: unknown }).version as string | undefined;
  } catch {
    packageVersion = undefined;
  }
  const opts = bundleOptions(flags, project.projectName, project.layout, typeof packageVersion === "string" ? packageVersion : undefined);
  const image = flags.img === undefined ? undefined : parseImage(flags.img);
  const crds = projectCrds(root, project);
  const basePath = baseCsvPath(project.projectName);
  const scaffold = scaffoldFiles(project, { owned: ownedCrds(crds), conversion: hasConversionWebhook(crds) }, minKubeVersion(), await fs.readFile(path.join(root, basePath)));
  const planned: PlannedFile[] = [];
  // Render a copy of config/ with the scaffold in place, so a first run and --dry-run see what a real run writes.
  const tmp = mkdtempSync(path.join(tmpdir(), "tsop-bundle-"));
  try {
    cpSync(path.join(root, "config"), path.join(tmp, "config"), { recursive: true });
    for (const f of scaffold) {
      const exists = (await fs.readFile(path.join(root, f.path))) !== undefined;
      if (f.path !== basePath && exists) continue;
      planned.push({ path: f.path, content: f.content, ifExists: "overwrite" });
      await mkdir(path.dirname(path.join(tmp, f.path)), { recursive: true });
      await writeFile(path.join(tmp, f.path), f.content);
    }
    const rendered = await renderKustomization(tmp, "config/manifests", image, await findKustomize(process.env, stderrLine));
    const built = buildBundle(rendered, opts);
    planned.push(...built.files.map((f) => ({ ...f, ifExists: "overwrite" as const })));
    return { files: planned, skipped: built.skipped };
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

/** Files in bundle/manifests that this run does not write (a kind or object removed since). */
function staleManifests(root: string, files: readonly PlannedFile[]): string[] {
  const keep = new Set(files.map((f) => f.path));
  let names: string[];
  try { names = readdirSync(path.join(root, BUNDLE_DIR, "manifests")); } catch { return []; }
  return names.map((n) => `${BUNDLE_DIR}/manifests/${n}`).filter((p) => /\.ya?ml$/.test(p) && !keep.has(p)).sort();
}

/** Runs `tsop bundle` in the project at `root`. */
export async function runBundle(root: string, flags: BundleFlags, fs: ProjectFs = nodeFs, out: (s: string) => void = (s) => process.stdout.write(s)): Promise<void> {
  optionalValidators(flags.selectOptional); // a bad name is refused before anything is written
  const files = fileSteps(fs, root);
  let stale: string[] = [];
  const loaded = await runCommand({
    load: () => loadBundle(root, flags, fs),
    plan: async (l) => {
      stale = staleManifests(root, l.files);
      return files.plan(l.files);
    },
    describe: (resolved) => files.describe(resolved) + stale.map((p) => `remove    ${p}\n`).join(""),
    apply: async (resolved) => {
      await files.apply(resolved);
      for (const p of stale) rmSync(path.join(root, p), { force: true });
    },
    report: (resolved) => `${files.report(resolved) + stale.map((p) => `remove    ${p}\n`).join("") || `unchanged ${BUNDLE_DIR}/\n`}Build and push the bundle image with:\n  docker build -f bundle.Dockerfile -t <registry>/<name>-bundle:v<version> . && docker push <registry>/<name>-bundle:v<version>\n`,
  }, { dryRun: flags.dryRun ?? false, out });
  if (!flags.validate) return;
  if (!flags.dryRun) {
    await validateBundleDir(path.join(root, BUNDLE_DIR), `${BUNDLE_DIR}/`, flags, out);
    return;
  }
  // --dry-run --validate: validate the bundle as it would be written, in a scratch directory.
  const planned = loaded;
  const tmp = mkdtempSync(path.join(tmpdir(), "tsop-bundle-check-"));
  try {
    for (const f of planned.filter((p) => p.path.startsWith(`${BUNDLE_DIR}/`))) {
      await mkdir(path.dirname(path.join(tmp, f.path)), { recursive: true });
      await writeFile(path.join(tmp, f.path), f.content);
    }
    await validateBundleDir(path.join(tmp, BUNDLE_DIR), `${BUNDLE_DIR}/ (not written)`, flags, out);
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}

/** Registers `tsop bundle` and `tsop bundle validate`. */
export function registerBundle(program: Command): void {
  const bundle = program
    .command("bundle")
    .description("Write the OLM bundle (bundle/manifests with the ClusterServiceVersion, bundle/metadata, bundle.Dockerfile) from config/; scaffolds config/manifests and config/scorecard once")
    .option("--version <version>", "the operator's version in the CSV (semver; default: package.json's version)")
    .option("--channels <list>", "comma-separated channels the bundle is in", "alpha")
    .option("--default-channel <channel>", "the package's default channel (one of --channels; default: the first)")
    .option("--package <name>", "the OLM package name (default: the project name)")
    .option("--img <image>", "the manager's image in the CSV, e.g. quay.io/acme/memcached-operator:v0.1.0 (default: config's, controller:latest)")
    .option("--validate", "validate the bundle with operator-framework's validators after writing it (see tsop bundle validate)", false)
    .option("--select-optional <list>", `with --validate: optional validators to add (${OPTIONAL_VALIDATORS.join(", ")})`)
    .option("--dry-run", "print the files that would be written and write nothing", false)
    .showHelpAfterError(false)
    .addHelpText("after", `
Examples:
  tsop manifests && tsop bundle --version 0.1.0 --img quay.io/acme/memcached-operator:v0.1.0
  tsop bundle --version 0.2.0 --channels stable,fast --default-channel stable --validate
  tsop bundle validate ./bundle --select-optional good-practices,operatorhub`)
    .action(async (flags: BundleFlags) => {
      await runBundle(process.cwd(), flags);
    });
  bundle
    .command("validate")
    .description("Validate an OLM bundle directory with operator-framework/api's validators (built with Go into tsop's cache once); errors exit 1")
    .argument("[dir]", "the bundle directory", BUNDLE_DIR)
    .option("--select-optional <list>", `optional validators to add (${OPTIONAL_VALIDATORS.join(", ")})`)
    .option("--k8s-version <version>", "the Kubernetes version the deprecated-apis and operatorhub validators check against")
    .showHelpAfterError(false)
    .action(async (dir: string, flags: ValidateFlags) => {
      const abs = path.resolve(dir);
      try { readdirSync(abs); } catch {
        throw new UserError("no-bundle", `${dir} is not a directory`, { hint: "run tsop bundle first, or pass the bundle directory" });
      }
      await validateBundleDir(abs, dir, flags, (s) => process.stdout.write(s));
    });
}
