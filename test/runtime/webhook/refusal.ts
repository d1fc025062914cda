// Shared by the webhook tests (not a test file): the ApiError a refused request ends with.
import { ApiError } from "../../../src/runtime/client/index.js";

/** Awaits a request that must be refused and returns its ApiError; fails when it is admitted. */
export async function refusal(p: Promise<unknown>): Promise<ApiError> {
  try {
    await p;
  } catch (e) {
    if (e instanceof ApiError) return e;
    throw e;
  }
  throw new Error("the request was admitted");
}
