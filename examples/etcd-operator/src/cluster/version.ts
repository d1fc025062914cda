/*
 * Copyright 2026.
 *
 * Licensed under the Apache License, Version 2.0 (the "License");
 * you may not use this file except in compliance with the License.
 * You may obtain a copy of the License at
 *
 *     http://www.apache.org/licenses/LICENSE-2.0
 *
 * Unless required by applicable law or agreed to in writing, software
 * distributed under the License is distributed on an "AS IS" BASIS,
 * WITHOUT WARRANTIES OR CONDITIONS OF ANY KIND, either express or implied.
 * See the License for the specific language governing permissions and
 * limitations under the License.
 */

/**
 * Which etcd versions a cluster may move to: etcd upgrades one minor version at a time and has no
 * supported downgrade path in this operator, so a request outside that is refused and reported.
 * @module
 */

/** Minor versions of etcd 3 this operator knows how to run. */
export const SUPPORTED_MINORS: readonly number[] = [5, 6, 7];

/** The outcome of checking a requested version against the running one. */
export type VersionVerdict =
  | { accepted: true; target: string }
  | { accepted: false; reason: "UnsupportedVersion" | "DowngradeNotSupported" | "UpgradeSkipsMinorVersion" | "InvalidVersion"; message: string };

/** `[major, minor, patch]`, or undefined when `v` is not MAJOR.MINOR.PATCH. */
export function parseVersion(v: string): [number, number, number] | undefined {
  const m = /^(\d+)\.(\d+)\.(\d+)$/.exec(v);
  return m ? [Number(m[1]), Number(m[2]), Number(m[3])] : undefined;
}

/** Negative, zero or positive as `a` is older than, equal to or newer than `b`. */
export function compareVersions(a: [number, number, number], b: [number, number, number]): number {
  return a[0] - b[0] || a[1] - b[1] || a[2] - b[2];
}

/**
 * Checks `requested` (spec.version) against `current` (the version every member runs, if known).
 * Accepted: a supported version equal to, or one minor (or patches) above, the current one.
 */
export function checkVersion(requested: string, current: string | undefined): VersionVerdict {
  const want = parseVersion(requested);
  if (!want) return { accepted: false, reason: "InvalidVersion", message: `version "${requested}" is not MAJOR.MINOR.PATCH` };
  if (want[0] !== 3 || !SUPPORTED_MINORS.includes(want[1])) {
    const known = SUPPORTED_MINORS.map((m) => `3.${m}.x`).join(", ");
    return { accepted: false, reason: "UnsupportedVersion", message: `etcd ${requested} is not a version this operator runs (${known})` };
  }
  const have = current ? parseVersion(current) : undefined;
  if (!have) return { accepted: true, target: requested };
  if (compareVersions(want, have) < 0) {
    return { accepted: false, reason: "DowngradeNotSupported", message: `cannot downgrade from ${current} to ${requested}; the cluster stays at ${current}` };
  }
  if (want[1] - have[1] > 1) {
    return { accepted: false, reason: "UpgradeSkipsMinorVersion", message: `etcd upgrades one minor version at a time: ${current} to 3.${have[1] + 1}.x first, then ${requested}` };
  }
  return { accepted: true, target: requested };
}

/** The version in an etcd image reference `<repo>:v3.7.0`, or undefined. */
export function versionOfImage(image: string | undefined): string | undefined {
  const m = /:v?(\d+\.\d+\.\d+)$/.exec(image ?? "");
  return m?.[1];
}
