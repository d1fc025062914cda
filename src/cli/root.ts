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
    // Errors stay on one line: commander's "(Did you mean ...?)" joins the message, no help after it;
    // a message without a hint gets one.
    .configureOutput({ outputError: (str, write) => write(withHint(str.replace(/\n\((Did you mean [^\n]*)\)\n$/, (_, s: string) => ` (${s.charAt(0).toLowerCase()}${s.slice(1)})\n`))) })
    .exitOverride();
}

/** Commander's one-line `error: ...` with a how-to-fix hint when it has none (one in parentheses at the end). */
export function withHint(line: string): string {
  const text = line.replace(/\n$/, "");
  // " is invalid. <why>": the option's parser already says what the value must be.
  if (!text.startsWith("error: ") || text.includes("\n") || text.includes(" is invalid. ") || /\)\.?$/.test(text)) return line;
  return `${text.replace(/\.$/, "")} (run the command with --help to see its options and arguments)\n`;
}
