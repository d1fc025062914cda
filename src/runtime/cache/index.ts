/**
 * tsop/runtime/cache: the shared informer cache — one list+watch per kind, indexes, and the
 * label/field selectors it filters lists with.
 * @module
 */
export { InformerCache, indexControllerOwner, CONTROLLER_OWNER_INDEX, type InformerCacheOptions } from "./cache.js";
export { type Cache, type Informer, type InformerEvent } from "./types.js";
export { SharedInformer } from "./informer.js";
export { parseLabelSelector, parseFieldSelector, SelectorError } from "./selectors.js";
