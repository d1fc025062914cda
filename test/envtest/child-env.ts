/**
 * Child process for the orphan test: starts an Environment, prints its details as one JSON line,
 * then waits to be killed.
 * @module
 */
import { dirname } from "node:path";
import { Environment } from "../../src/envtest/index.js";

const started = await new Environment().start();
process.stdout.write(`${JSON.stringify({ server: started.server, dir: dirname(started.kubeconfigPath) })}\n`);
setInterval(() => {}, 1 << 30);
