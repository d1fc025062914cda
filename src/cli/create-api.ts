// PLACEHOLDER: replaced by the module that implements this command.
import type { Command } from "commander";
export function registerCreate(_program: Command): void {}
