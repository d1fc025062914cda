/**
 * The plan of `tsop init`: every file of a new project, rendered from templates/init, plus
 * package.json and PROJECT.
 * @module
 */
import { createHash } from "node:crypto";
import { DEFAULT_K8S_VERSION } from "../envtest/versions.js";
import type { ProjectConfig } from "../project/model.js";
import type { PlannedFile } from "../project/plan.js";
import { LAYOUT, PROJECT_FILE, serializeProject } from "../project/project-file.js";
import { renderPackageJson } from "./package-json.js";
import { renderFile, renderTree } from "./render.js";

/** Where the license header of generated TypeScript files is kept (read again by `create api`). */
export const BOILERPLATE_FILE = "hack/boilerplate.ts.txt";

/** Validated inputs of `tsop init`. */
export interface InitOptions {
  domain: string;
  repo: string;
  projectName: string;
  /** Copyright holder in the license header. Default: none. */
  owner: string;
  license: "apache2" | "none";
  namespaced: boolean;
  /** The `tsop` dependency spec for package.json. */
  tsopSpec: string;
  /** A packed tsop to write into the project (its `tsopSpec` is `file:<path>`); see tsopDependency. */
  tsopVendored?: { path: string; content: Buffer };
  /** Year in license headers. Default: the current year. */
  year?: number;
}

/** `<8 hex>.<domain>`, stable for a project: the Lease name used for leader election. */
export function leaderElectionID(repo: string, domain: string): string {
  return `${createHash("sha256").update(repo).digest("hex").slice(0, 8)}.${domain}`;
}

/** The license header for generated TypeScript files ("" without a license). */
export async function renderBoilerplate(license: "apache2" | "none", owner: string, year: number): Promise<string> {
  if (license === "none") return "";
  return renderFile("partials/header.hbs", { apache2: true, owner, year });
}

/** Plans every file of a new project; PROJECT comes last so it is saved last. */
export async function planInit(o: InitOptions): Promise<{ files: PlannedFile[]; project: ProjectConfig }> {
  const year = o.year ?? new Date().getFullYear();
  const header = await renderBoilerplate(o.license, o.owner, year);
  const ctx = {
    projectName: o.projectName,
    domain: o.domain,
    repo: o.repo,
    owner: o.owner,
    apache2: o.license === "apache2",
    year,
    namespaced: o.namespaced,
    leaderElectionID: leaderElectionID(o.repo, o.domain),
    header,
    // The CI workflow's control plane and its cache key.
    k8sVersion: DEFAULT_K8S_VERSION,
    vendored: o.tsopVendored !== undefined,
  };
  const rendered = await renderTree("init", ctx);
  const files: PlannedFile[] = rendered.map((f) => ({ ...f, ifExists: "error" }));
  files.push({
    path: "package.json",
    content: renderPackageJson({ projectName: o.projectName, tsopSpec: o.tsopSpec, license: o.license === "apache2" ? "Apache-2.0" : "UNLICENSED" }),
    ifExists: "error",
  });
  if (header) files.push({ path: BOILERPLATE_FILE, content: header, ifExists: "error" });
  if (o.tsopVendored) files.push({ path: o.tsopVendored.path, content: o.tsopVendored.content.toString("base64"), encoding: "base64", ifExists: "error" });
  const project: ProjectConfig = {
    version: "3",
    layout: LAYOUT,
    domain: o.domain,
    repo: o.repo,
    projectName: o.projectName,
    namespaced: o.namespaced,
    resources: [],
  };
  files.sort((a, b) => a.path.localeCompare(b.path));
  files.push({ path: PROJECT_FILE, content: serializeProject(project), ifExists: "error" });
  return { files, project };
}
