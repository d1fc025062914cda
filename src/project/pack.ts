/**
 * Packs a package directory into a tarball the way `npm pack` does (`package/` prefix, the
 * `files` allow-list plus package.json/README/LICENSE, npm's fixed mtime), byte-identical for
 * identical inputs: entries sorted, owners and times fixed, modes normalized to 0644/0755.
 * Used by `tsop init` to put a copy of tsop inside a project.
 * @module
 */
import { readdirSync, readFileSync, statSync } from "node:fs";
import * as path from "node:path";
import { gzipSync } from "node:zlib";

/** npm's fixed mtime for every tarball entry (1985-10-26T08:15:00Z), so packs are reproducible. */
const NPM_MTIME = Date.UTC(1985, 9, 26, 8, 15, 0) / 1000;

/** Never packed, wherever they are (npm's always-ignored names). */
const ALWAYS_IGNORED = /^(\.git|\.svn|\.hg|CVS|node_modules|\.npmrc|\.DS_Store|npm-debug\.log|package-lock\.json|\.lock-wscript|\._.*|\..*\.swp|.*\.orig)$/;
/** Packed from the package root even when `files` does not list them. */
const ALWAYS_INCLUDED = /^(package\.json|readme(\..*)?|license(\..*)?|licence(\..*)?|copying(\..*)?)$/i;

/** One file of a pack: its path inside the package (with `/`) and where it is on disk. */
export interface PackEntry {
  path: string;
  file: string;
  mode: number;
}

function walk(root: string, rel: string, out: PackEntry[]): void {
  const abs = path.join(root, rel);
  const st = statSync(abs);
  if (st.isDirectory()) {
    for (const name of readdirSync(abs)) {
      if (!ALWAYS_IGNORED.test(name)) walk(root, rel === "" ? name : `${rel}/${name}`, out);
    }
  } else if (st.isFile()) {
    out.push({ path: rel, file: abs, mode: st.mode & 0o111 ? 0o755 : 0o644 });
  }
}

/**
 * The files `npm pack` would put in the tarball of the package at `root`. `files` entries must be
 * plain paths (tsop's own are); a glob is an internal error rather than a silently different pack.
 */
export function packEntries(root: string): PackEntry[] {
  const pkg = JSON.parse(readFileSync(path.join(root, "package.json"), "utf8")) as { files?: string[] };
  const out: PackEntry[] = [];
  for (const name of readdirSync(root)) {
    if (ALWAYS_INCLUDED.test(name) && statSync(path.join(root, name)).isFile()) walk(root, name, out);
  }
  for (const entry of pkg.files ?? []) {
    if (/[*?[\]{}!]/.test(entry)) throw new Error(`internal: package.json "files" entry ${JSON.stringify(entry)} is a glob; packEntries takes plain paths`);
    const rel = entry.replace(/^\.?\/+/, "").replace(/\/+$/, "");
    try {
      walk(root, rel, out);
    } catch {
      // npm skips a listed path that does not exist
    }
  }
  const seen = new Set<string>();
  return out
    .filter((e) => (seen.has(e.path) ? false : (seen.add(e.path), true)))
    .sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

function octal(n: number, width: number): string {
  return n.toString(8).padStart(width - 1, "0") + "\0";
}

/** A ustar header; long names are split into prefix (155 bytes) and name (100 bytes). */
function header(name: string, size: number, mode: number): Buffer {
  const h = Buffer.alloc(512, 0);
  let prefix = "";
  let base = name;
  if (Buffer.byteLength(name) > 100) {
    const cut = name.lastIndexOf("/", name.length - 1);
    for (let i = cut; i > 0; i = name.lastIndexOf("/", i - 1)) {
      if (Buffer.byteLength(name.slice(i + 1)) <= 100 && Buffer.byteLength(name.slice(0, i)) <= 155) {
        prefix = name.slice(0, i);
        base = name.slice(i + 1);
        break;
      }
    }
    if (prefix === "") throw new Error(`internal: path too long for a tar header: ${name}`);
  }
  h.write(base, 0, 100, "utf8");
  h.write(octal(mode, 8), 100, "ascii");
  h.write(octal(0, 8), 108, "ascii"); // uid
  h.write(octal(0, 8), 116, "ascii"); // gid
  h.write(octal(size, 12), 124, "ascii");
  h.write(octal(NPM_MTIME, 12), 136, "ascii");
  h.write("        ", 148, "ascii"); // checksum placeholder
  h.write("0", 156, "ascii"); // regular file
  h.write("ustar\0", 257, "ascii");
  h.write("00", 263, "ascii");
  h.write(prefix, 345, 155, "utf8");
  let sum = 0;
  for (const b of h) sum += b;
  h.write(octal(sum, 7) + " ", 148, "ascii");
  return h;
}

/** The gzipped tarball of the package at `root`, with every file under `package/`. */
export function packTarball(root: string): Buffer {
  const parts: Buffer[] = [];
  for (const e of packEntries(root)) {
    const data = readFileSync(e.file);
    parts.push(header(`package/${e.path}`, data.length, e.mode), data);
    const pad = (512 - (data.length % 512)) % 512;
    if (pad) parts.push(Buffer.alloc(pad, 0));
  }
  parts.push(Buffer.alloc(1024, 0));
  return gzipSync(Buffer.concat(parts), { level: 9 });
}
