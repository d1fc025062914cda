/**
 * Boolean flags in one shape for every command, as kubebuilder's (pflag) accept them: `--flag`,
 * `--flag=true|false` (or `--flag true|false`) and `--no-flag`; any other value is refused with one
 * line that lists the accepted forms. Add both options: `.addOption(boolFlag(...)).addOption(noFlag(...))`.
 * @module
 */
import { InvalidArgumentError, Option } from "commander";

/** `--<name> [bool]` with its default. */
export function boolFlag(name: string, description: string, defaultValue: boolean): Option {
  return new Option(`--${name} [bool]`, description).argParser((v: string) => {
    if (v === "true") return true;
    if (v === "false") return false;
    throw new InvalidArgumentError(`must be true or false (write --${name}, --${name}=true, --${name}=false or --no-${name}).`);
  }).default(defaultValue);
}

/** `--no-<name>`, hidden from help (it is `--<name>=false`). */
export function noFlag(name: string): Option {
  return new Option(`--no-${name}`, `same as --${name}=false`).hideHelp();
}
