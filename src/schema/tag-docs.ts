/** Renders docs/schema.md's tag tables from the tag table (test/schema/tag-docs.test.ts keeps the page in step). @module */
import { FORMATS, TAGS, type TagSection, type TagSpec, type TagWhere } from "./tag-table.js";

const SECTIONS: readonly TagSection[] = ["Numbers", "Strings", "Arrays", "Objects and maps", "Values, docs and flags", "CEL", "Resource", "Controllers", "Webhooks"];
const WHERE: Record<TagWhere, string> = { field: "field", type: "type", resource: "resource", items: "`@items:`", controller: "controller class", webhook: "webhook hooks" };

/** Markers around the generated part of docs/schema.md. */
export const TAG_DOCS_BEGIN = "<!-- tag table: generated from src/schema/tag-table.ts; UPDATE_GOLDEN=1 npx vitest run test/schema/tag-docs.test.ts -->";
export const TAG_DOCS_END = "<!-- end of tag table -->";

const cell = (s: string): string => s.replace(/\|/g, "\\|");

function row(t: TagSpec): string {
  const syntax = t.value.syntax ? `@${t.name} ${t.value.syntax}` : `@${t.name}`;
  const repeats = t.repeatable === true ? "yes" : t.repeatable === "per-kind" ? "once per kind" : "no";
  const applies = t.targets ? t.targets.kinds.join(", ") : t.section === "Resource" || t.section === "Controllers" || t.section === "Webhooks" ? "" : "any";
  return `| \`${cell(syntax)}\` | ${t.where.map((w) => WHERE[w]).join(", ")} | ${repeats} | ${applies} | \`${cell(t.example)}\` | ${cell(t.emits)} |`;
}

/** The markdown of every tag, one table per section, between the markers. */
export function renderTagDocs(): string {
  const out: string[] = [TAG_DOCS_BEGIN, ""];
  for (const section of SECTIONS) {
    const tags = TAGS.filter((t) => t.section === section);
    if (!tags.length) continue;
    out.push(`#### ${section}`, "", "| Tag | Where | Repeats | Applies to | Example | Emits |", "|---|---|---|---|---|---|", ...tags.map(row), "");
    if (section === "Strings") out.push(`\`@format\` accepts the apiserver's formats: ${FORMATS.map((f) => `\`${f}\``).join(" ")}.`, "");
  }
  out.push(TAG_DOCS_END);
  return out.join("\n");
}
