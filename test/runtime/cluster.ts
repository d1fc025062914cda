// Shared fixtures of the client/cache integration tests (not a test file): a test CRD and kind,
// and a polling helper.
import { defineKind, type KubeObject, type ObjectMeta } from "../../src/types/index.js";

/** A test custom resource with a status subresource. */
export interface Widget extends KubeObject {
  apiVersion?: "test.tsop.io/v1";
  kind?: "Widget";
  metadata?: ObjectMeta;
  spec?: { size?: number; color?: string; tags?: string[] };
  status?: { ready?: boolean; observedGeneration?: number; note?: string };
}

export const Widget = defineKind<Widget>({ group: "test.tsop.io", version: "v1", kind: "Widget", plural: "widgets", namespaced: true });

export const widgetCrd = {
  apiVersion: "apiextensions.k8s.io/v1",
  kind: "CustomResourceDefinition",
  metadata: { name: "widgets.test.tsop.io" },
  spec: {
    group: "test.tsop.io",
    scope: "Namespaced",
    names: { kind: "Widget", listKind: "WidgetList", plural: "widgets", singular: "widget" },
    versions: [
      {
        name: "v1",
        served: true,
        storage: true,
        subresources: { status: {} },
        schema: {
          openAPIV3Schema: {
            type: "object",
            properties: {
              spec: { type: "object", properties: { size: { type: "integer" }, color: { type: "string" }, tags: { type: "array", items: { type: "string" } } } },
              status: { type: "object", properties: { ready: { type: "boolean" }, observedGeneration: { type: "integer" }, note: { type: "string" } } },
            },
          },
        },
      },
    ],
  },
};

/** Polls `cond` every 25 ms until it holds (exceptions count as "not yet"); throws naming `what` after `timeoutMs`. */
export async function eventually<T>(cond: () => T | undefined | false | Promise<T | undefined | false>, what: string, timeoutMs = 30_000): Promise<T> {
  const t0 = Date.now();
  let last: unknown;
  for (;;) {
    try {
      const v = await cond();
      if (v !== undefined && v !== false) return v;
    } catch (e) {
      last = e;
    }
    if (Date.now() - t0 > timeoutMs) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}${last ? ` (last error: ${(last as Error).message})` : ""}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}
