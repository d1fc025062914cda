/**
 * tsop/runtime/controller: controllers and their machinery — the builder, event handlers,
 * predicates, the work queue and its rate limiters, the clock they run on, and the contracts
 * between a controller and the manager that runs it.
 * @module
 */
export { Controller, ReconcileTimeoutError, watchSource, type ControllerOptions, type WatchSource } from "./controller.js";
export { ControllerBuilder, type BuilderOptions, type WatchOptions } from "./builder.js";
export { type Runnable, type ControllerHost, type ControllerDefaults } from "./types.js";
export { type EventHandler, type MapFunc, enqueueForObject, enqueueForOwner, enqueueFromMap } from "./handlers.js";
export { type Predicate, predicate, generationChanged, labelsChanged, annotationsChanged, resourceVersionChanged, and, or, not } from "./predicates.js";
export { LOW_PRIORITY, WorkQueue, type AddOptions, type WorkQueueOptions } from "./queue.js";
export { type RateLimiter, ExponentialFailureRateLimiter, BucketRateLimiter, MaxOfRateLimiter, defaultControllerRateLimiter } from "./rate-limiter.js";
export { type Clock, type TimerHandle, FakeClock } from "./clock.js";
