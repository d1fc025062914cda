/**
 * tsop/runtime/events: the event recorder (core/v1 Events, deduplicated and rate-limited per object).
 * @module
 */
export { EventRecorder, EventKind, type EventRecorderOptions, type CoreEvent } from "./events.js";
