#!/usr/bin/env node
// Starts the compiled CLI. Run `npm run build` in a checkout first.
import { main } from "../dist/cli/main.js";

process.exitCode = await main(process.argv.slice(2));
