import { describe, expect, it } from "vitest";
import { ListStreamDecoder } from "../../src/runtime/client/list-stream.js";

const managed = [{ manager: "m", fieldsV1: { "f:data": { "f:]}{[\"": {} } } }];
const items = [
  { metadata: { name: "a", namespace: "ns", managedFields: managed }, data: { k: "}]\\\"{[", "é": "ü" } },
  { metadata: { managedFields: managed, name: "b" }, spec: { managedFields: [1], nested: [[{}], []] } },
  { metadata: { name: "c" } },
];

function decode(text: string, size: number, drop: boolean): { got: unknown[]; envelope: unknown } {
  const got: unknown[] = [];
  const d = new ListStreamDecoder<unknown>((o) => got.push(o), drop);
  const bytes = Buffer.from(text);
  for (let i = 0; i < bytes.length; i += size) d.push(bytes.subarray(i, i + size));
  return { got, envelope: d.end() };
}

function withoutManaged(o: (typeof items)[number]): unknown {
  const c = structuredClone(o) as { metadata: Record<string, unknown> };
  delete c.metadata.managedFields;
  return c;
}

describe("ListStreamDecoder", () => {
  const lists: Record<string, string> = {
    "metadata first (built-in kinds)": JSON.stringify({ kind: "ConfigMapList", apiVersion: "v1", metadata: { resourceVersion: "42", continue: "abc" }, items }),
    "metadata last (custom resources: sorted keys)": JSON.stringify({ apiVersion: "x/v1", items, kind: "XList", metadata: { resourceVersion: "42", continue: "abc" } }),
    "pretty-printed": JSON.stringify({ kind: "ConfigMapList", metadata: { resourceVersion: "42", continue: "abc" }, items }, null, 2),
  };
  for (const [name, text] of Object.entries(lists)) {
    it(`yields every item in order and the envelope, split at any chunk size: ${name}`, () => {
      const whole = JSON.parse(text) as Record<string, unknown>;
      const { items: _items, ...envelope } = whole;
      for (const size of [1, 3, 17, 100, text.length]) {
        expect(decode(text, size, false)).toEqual({ got: items, envelope });
        // The cut looks for compact JSON (what the apiserver sends); pretty-printed text stays whole.
        expect(decode(text, size, true)).toEqual({ got: name === "pretty-printed" ? items : items.map(withoutManaged), envelope });
      }
    });
  }

  it("handles an empty and a null items list", () => {
    expect(decode('{"kind":"L","items":[],"metadata":{"resourceVersion":"1"}}', 5, true)).toEqual({ got: [], envelope: { kind: "L", metadata: { resourceVersion: "1" } } });
    expect(decode('{"kind":"L","metadata":{"resourceVersion":"1"},"items":null}', 5, true)).toEqual({ got: [], envelope: { kind: "L", metadata: { resourceVersion: "1" } } });
  });

  it("throws on a response that ends early", () => {
    const text = lists["metadata first (built-in kinds)"] as string;
    const d = new ListStreamDecoder<unknown>(() => {});
    d.push(Buffer.from(text.slice(0, text.length - 5)));
    expect(() => d.end()).toThrow(/ended before its end/);
  });

  it("carries only the unfinished item between chunks, not the items seen so far", () => {
    const many = JSON.stringify({ kind: "L", metadata: { resourceVersion: "9" }, items: Array.from({ length: 200 }, (_, i) => ({ metadata: { name: `o-${i}` }, data: { pad: "x".repeat(100) } })) });
    const d = new ListStreamDecoder<unknown>(() => {});
    const bytes = Buffer.from(many);
    let largest = 0;
    for (let i = 0; i < bytes.length; i += 64) {
      d.push(bytes.subarray(i, i + 64));
      largest = Math.max(largest, (d as unknown as { pending: Buffer[] }).pending.reduce((s, b) => s + b.length, 0));
    }
    expect(largest).toBeLessThan(200);
    expect(d.end()).toEqual({ kind: "L", metadata: { resourceVersion: "9" } });
  });
});
