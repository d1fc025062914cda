/**
 * CLI entry: runs the program and maps errors to exit codes (0 ok, 1 user error, 2 internal).
 * @module
 */
import { CommanderError, type Command } from "commander";
import { UserError } from "../errors.js";
import { currentDir, fsUserError } from "../fs-error.js";
import { rootProgram } from "./root.js";

/**
 * Commands whose own module serves them alone: `tsop manifests` is timed against controller-gen,
 * so it does not load the other commands' modules (handlebars, the scaffolder, the kube client...).
 * Help, completion and unknown commands go through the full program.
 */
const SOLO: Record<string, () => Promise<(program: Command) => void>> = {
  manifests: async () => (await import("./manifests.js")).registerManifests,
};

/** The program for `argv`: the root with only the named command when it is a SOLO one, else every command. */
async function programFor(argv: string[]): Promise<Command> {
  const solo = argv[0] === undefined ? undefined : SOLO[argv[0]];
  if (solo) {
    const program = rootProgram();
    (await solo())(program);
    return program;
  }
  return (await import("./program.js")).buildProgram();
}

/** Runs tsop with `argv` (without node and script) and returns the exit code. */
export async function main(argv: string[]): Promise<number> {
  const program = await programFor(argv);
  try {
    currentDir(); // a deleted working directory is the user's to fix, before any command runs
    await program.parseAsync(argv, { from: "user" });
    return 0;
  } catch (err) {
    if (err instanceof CommanderError) {
      // commander already printed its message (unknown option, missing argument, help, version).
      return err.exitCode === 0 ? 0 : 1;
    }
    const user = err instanceof UserError ? err : fsUserError(err);
    if (user !== undefined) {
      process.stderr.write(`error: ${user.format()}\n`);
      return 1;
    }
    const e = err instanceof Error ? err : new Error(String(err));
    process.stderr.write(`internal error: ${e.stack ?? e.message}\nThis is a bug in tsop; please report it with the command you ran.\n`);
    return 2;
  }
}
