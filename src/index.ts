/** tsop: the operator SDK for TypeScript. The CLI lives in src/cli; operators import tsop/runtime. */
export const version = "0.1.0";
