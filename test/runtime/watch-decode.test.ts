import { describe, expect, it } from "vitest";
import { parseWatchStream, textWithoutManagedFields } from "../../src/runtime/client/watch.js";

const managed = [{ manager: "kubectl", operation: "Update", apiVersion: "v1", time: "2026-01-01T00:00:00Z", fieldsType: "FieldsV1", fieldsV1: { "f:data": { "f:k]{\"x\":1}": {} }, "f:metadata": { "f:labels": { ".": {} } } } }];

/** The event as JSON text, and the same event with only object.metadata.managedFields removed. */
function pair(event: { type: string; object: Record<string, unknown> }): { line: string; expected: unknown } {
  const line = JSON.stringify(event);
  const expected = JSON.parse(line) as { object: { metadata?: Record<string, unknown> } };
  if (expected.object.metadata) delete expected.object.metadata.managedFields;
  return { line, expected };
}

function cut(line: string): unknown {
  const buf = Buffer.from(line, "utf8");
  return JSON.parse(textWithoutManagedFields(buf, 0, buf.length));
}

describe("textWithoutManagedFields", () => {
  const cases: Record<string, { type: string; object: Record<string, unknown> }> = {
    "managedFields last in metadata": { type: "ADDED", object: { kind: "ConfigMap", metadata: { name: "a", namespace: "ns", managedFields: managed }, data: { k: "v" } } },
    "managedFields first in metadata": { type: "MODIFIED", object: { metadata: { managedFields: managed, name: "a" }, data: {} } },
    "managedFields alone in metadata": { type: "DELETED", object: { metadata: { managedFields: managed } } },
    "managedFields in the middle": { type: "ADDED", object: { metadata: { name: "a", managedFields: managed, labels: { x: "y" } } } },
    "no managedFields": { type: "ADDED", object: { metadata: { name: "a" }, data: { k: "v" } } },
    "tricky strings before it": {
      type: "ADDED",
      object: {
        metadata: {
          name: "é-ü",
          annotations: { "a\\": "x\\", q: '"managedFields":[1]', b: "}]{[", "c\"d": "\\\"" },
          managedFields: managed,
          labels: { "l\\\\": "ü" },
        },
      },
    },
    "a spec field of the same name is kept": { type: "ADDED", object: { apiVersion: "x/v1", kind: "X", data: { managedFields: [1, 2] }, metadata: { name: "a", managedFields: managed } } },
    "a nested metadata is kept": { type: "ADDED", object: { spec: { template: { metadata: { managedFields: [{ a: 1 }] } } }, metadata: { name: "a" } } },
    "a bookmark": { type: "BOOKMARK", object: { kind: "X", metadata: { resourceVersion: "12", annotations: { "k8s.io/initial-events-end": "true" } } } },
  };
  for (const [name, event] of Object.entries(cases)) {
    it(`parses to the same event minus object.metadata.managedFields: ${name}`, () => {
      const { line, expected } = pair(event);
      expect(cut(line)).toEqual(expected);
    });
  }

  it("actually leaves the member out of the text", () => {
    const { line } = pair(cases["managedFields in the middle"] as { type: string; object: Record<string, unknown> });
    const buf = Buffer.from(line);
    const text = textWithoutManagedFields(buf, 0, buf.length);
    expect(text).not.toContain("managedFields");
    expect(text.length).toBeLessThan(line.length);
  });

  it("cuts only within the given range of a larger buffer", () => {
    const a = pair(cases["managedFields last in metadata"] as { type: string; object: Record<string, unknown> });
    const b = pair(cases["managedFields first in metadata"] as { type: string; object: Record<string, unknown> });
    const buf = Buffer.from(`${a.line}\n${b.line}\n`);
    const nl = buf.indexOf(10);
    expect(JSON.parse(textWithoutManagedFields(buf, 0, nl))).toEqual(a.expected);
    expect(JSON.parse(textWithoutManagedFields(buf, nl + 1, buf.length - 1))).toEqual(b.expected);
  });

  it("leaves a truncated member whole (the parse then fails as it would have)", () => {
    const line = '{"type":"ADDED","object":{"metadata":{"name":"a","managedFields":[{"manager":"x"';
    const buf = Buffer.from(line);
    expect(textWithoutManagedFields(buf, 0, buf.length)).toBe(line);
  });
});

describe("parseWatchStream with dropManagedFields", () => {
  it("decodes events split across chunks at every byte without their managedFields", async () => {
    const events = [
      { type: "ADDED", object: { metadata: { name: "a", managedFields: managed }, data: { "k": "ü" } } },
      { type: "MODIFIED", object: { metadata: { managedFields: managed, name: "b" } } },
    ];
    const text = `${events.map((e) => JSON.stringify(e)).join("\n")}\n`;
    const bytes = Buffer.from(text);
    const expected = events.map((e) => pair(e).expected);
    for (const size of [1, 7, 64, bytes.length]) {
      async function* chunks(): AsyncGenerator<Buffer> {
        for (let i = 0; i < bytes.length; i += size) yield bytes.subarray(i, i + size);
      }
      const got: unknown[] = [];
      for await (const ev of parseWatchStream(chunks(), { dropManagedFields: true })) got.push(ev);
      expect(got).toEqual(expected);
    }
  });
});
