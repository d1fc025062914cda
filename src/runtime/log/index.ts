/**
 * tsop/runtime/log: the logger contract and its JSON-lines implementation.
 * @module
 */
export { type Logger } from "./types.js";
export { createLogger, silentLogger, type LoggerOptions, type LogLevel } from "./log.js";
