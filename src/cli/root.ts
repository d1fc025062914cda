/**
 * The `tsop` root command without subcommands, shared by the full program and the fast path of a
 * single command (src/cli/main.ts).
 * @module
 */
import { Command } from "commander";
import { version } from "../index.js";

/** The root command: name, description, `-v/--version`, one-line errors, exceptions instead of exits. */
export function rootProgram(): Command {
  return new Command("tsop")
    .description("The operator SDK for TypeScript")
    .version(version, "-v, --version")
    // Errors stay on one line: commander's "(Did you mean ...?)" joins the message, no help after it.
    .configureOutput({ outputError: (str, write) => write(str.replace(/\n\((Did you mean [^\n]*)\)\n$/, (_, s: string) => ` (${s.charAt(0).toLowerCase()}${s.slice(1)})\n`)) })
    .exitOverride();
}
