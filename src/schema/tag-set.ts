/** A declaration's raw tags with the file they came from, and positions for messages. @module */
import type { SourcePos } from "./diagnostics.js";
import type { RawTag } from "./jsdoc.js";

/** Tags of one declaration, checked for known names. */
export interface TagSet {
  tags: RawTag[];
  file: string;
  text: string;
}

/** Makes a source position for a tag. */
export function tagPos(set: TagSet, t: RawTag, value = false): SourcePos {
  return { file: set.file, text: set.text, pos: value ? t.valuePos : t.pos };
}
