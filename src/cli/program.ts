/**
 * The commander program: one module per command registers itself here.
 * @module
 */
import type { Command } from "commander";
import { rootProgram } from "./root.js";
import { registerInit } from "./init.js";
import { registerCreate } from "./create-api.js";
import { registerManifests } from "./manifests.js";
import { registerRun } from "./run.js";
import { registerBuildInstaller } from "./build-installer.js";
import { registerHelm } from "./helm.js";
import { registerBundle } from "./bundle.js";
import { registerDeploy } from "./deploy.js";
import { registerInstall } from "./install.js";
import { registerEnvtest } from "./envtest.js";
import { registerCompletion } from "./completion.js";
import { registerVersion } from "./version.js";
import { registerDockerBuild } from "./docker-build.js";
import { registerAlpha } from "./alpha-generate.js";

/** Builds the `tsop` program with every command registered. */
export function buildProgram(): Command {
  const program = rootProgram();
  registerInit(program);
  registerCreate(program);
  registerManifests(program);
  registerRun(program);
  registerInstall(program);
  registerDeploy(program);
  registerBuildInstaller(program);
  registerHelm(program);
  registerBundle(program);
  registerEnvtest(program);
  registerVersion(program);
  registerDockerBuild(program);
  registerAlpha(program);
  // Last: its script lists every command registered above.
  registerCompletion(program);
  return program;
}
