// Command-line flags of the bench scripts (`--name value`, repeatable, or a bare `--name`), read
// from process.argv. One small parser for every script in bench/runtime.
const argv = process.argv.slice(2);

/** The value after `--name`, or undefined when the flag is absent. */
export function flag(name: string): string | undefined {
  const i = argv.indexOf(`--${name}`);
  return i >= 0 ? (argv[i + 1] as string) : undefined;
}

/** The value after `--name`, or `def`. */
export const opt = (name: string, def: string): string => flag(name) ?? def;

/** Every value of a repeated `--name`. */
export const all = (name: string): string[] => argv.flatMap((a, i) => (a === `--${name}` ? [argv[i + 1] as string] : []));

/** Whether the bare `--name` is present. */
export const has = (name: string): boolean => argv.includes(`--${name}`);
