/**
 * The commander program: one module per command registers itself here.
 * @module
 */
import { Command } from "commander";
import { version } from "../index.js";
import { registerInit } from "./init.js";
import { registerCreate } from "./create-api.js";
import { registerManifests } from "./manifests.js";
import { registerRun } from "./run.js";
import { registerEnvtest } from "./envtest.js";

/** Builds the `tsop` program with every command registered. */
export function buildProgram(): Command {
  const program = new Command("tsop")
    .description("The operator SDK for TypeScript")
    .version(version, "-v, --version")
    .showHelpAfterError()
    .exitOverride();
  registerInit(program);
  registerCreate(program);
  registerManifests(program);
  registerRun(program);
  registerEnvtest(program);
  return program;
}
