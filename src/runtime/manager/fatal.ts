/**
 * One-line exits for an operator's start-up mistakes (a mistyped flag, a broken kubeconfig).
 * @module
 */
import { UserError } from "../../errors.js";

/**
 * Makes an uncaught error end the process with exit code 1: a `UserError` (bad flags, kubeconfig
 * problems) as one line `error: what (how to fix)`, anything else with its stack. The generated
 * src/main.ts calls it first, so `await Manager.create(...)` needs no try/catch.
 */
export function exitOnFatalError(proc: NodeJS.Process = process): void {
  proc.on("uncaughtException", (err: unknown) => {
    const line = err instanceof UserError ? `error: ${err.format()}` : err instanceof Error ? (err.stack ?? err.message) : String(err);
    proc.stderr.write(`${line}\n`);
    proc.exit(1);
  });
}
