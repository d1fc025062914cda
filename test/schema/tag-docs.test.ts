/** docs/schema.md's tag tables are generated from the tag table; this keeps them equal (UPDATE_GOLDEN=1 rewrites the block). */
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { expect, test } from "vitest";
import { renderTagDocs, TAG_DOCS_BEGIN, TAG_DOCS_END } from "../../src/schema/tag-docs.js";
import { TAGS, tagsAllowedAt } from "../../src/schema/tag-table.js";

const file = join(import.meta.dirname, "../../docs/schema.md");

test("docs/schema.md lists every tag of the tag table, as generated", () => {
  const text = readFileSync(file, "utf8");
  const a = text.indexOf(TAG_DOCS_BEGIN);
  const b = text.indexOf(TAG_DOCS_END);
  expect(a, "docs/schema.md has the tag-table markers").toBeGreaterThanOrEqual(0);
  expect(b).toBeGreaterThan(a);
  const block = text.slice(a, b + TAG_DOCS_END.length);
  const want = renderTagDocs();
  if (process.env.UPDATE_GOLDEN === "1" && block !== want) writeFileSync(file, text.slice(0, a) + want + text.slice(b + TAG_DOCS_END.length));
  else expect(block).toBe(want);
  for (const t of TAGS) expect(want).toContain(`\`@${t.name}`);
});

test("the tag table has one entry per name and every tag is allowed somewhere", () => {
  const names = TAGS.map((t) => t.name);
  expect(new Set(names).size).toBe(names.length);
  for (const t of TAGS) expect(t.where.length, t.name).toBeGreaterThan(0);
  expect(tagsAllowedAt("items")).toContain("maxLength");
  expect(tagsAllowedAt("items")).not.toContain("default");
  expect(tagsAllowedAt("type")).not.toContain("scope");
});
