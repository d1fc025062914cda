/**
 * CLI entry: runs the program and maps errors to exit codes (0 ok, 1 user error, 2 internal).
 * @module
 */
import { CommanderError } from "commander";
import { UserError } from "../errors.js";
import { currentDir, fsUserError } from "../fs-error.js";
import { buildProgram } from "./program.js";

/** Runs tsop with `argv` (without node and script) and returns the exit code. */
export async function main(argv: string[]): Promise<number> {
  const program = buildProgram();
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
