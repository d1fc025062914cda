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

// The membership plan and the version rules (pure logic; the real-etcd and end-to-end tests drive
// the same code against etcd processes and the apiserver).
import { describe, expect, it } from "vitest";
import { nextStep, type ObservedMember, type ObservedPod } from "../src/cluster/plan.js";
import { checkVersion, versionOfImage } from "../src/cluster/version.js";

const pod = (name: string, o: Partial<ObservedPod> = {}): ObservedPod => ({ name, phase: "Running", deleting: false, specVersion: "3.7.0", runningVersion: "3.7.0", ...o });
const member = (name: string, o: Partial<ObservedMember> = {}): ObservedMember => ({ id: `id-${name}`, name, started: true, learner: false, healthy: true, leader: false, ...o });
const want = { size: 3, version: "3.7.0" };

describe("nextStep", () => {
  it("seeds an empty new cluster, and calls an empty bootstrapped one lost", () => {
    expect(nextStep({ pods: [], members: undefined, bootstrapped: false }, want)).toEqual({ action: "seed" });
    expect(nextStep({ pods: [], members: undefined, bootstrapped: true }, want).action).toBe("lost");
    expect(nextStep({ pods: [pod("a", { phase: "Pending" })], members: undefined, bootstrapped: false }, want)).toMatchObject({ action: "wait", reason: "Bootstrapping" });
  });

  it("adds one member at a time, only when every member is healthy and none is a learner", () => {
    const a = member("a", { leader: true });
    expect(nextStep({ pods: [pod("a")], members: [a], bootstrapped: true }, want)).toEqual({ action: "addMember" });
    const b = member("b", { started: false, learner: true, healthy: false });
    // The learner was added; its pod is missing: create it (never add a second member).
    expect(nextStep({ pods: [pod("a")], members: [a, b], bootstrapped: true }, want)).toEqual({ action: "createPod", member: "b" });
    expect(nextStep({ pods: [pod("a"), pod("b", { phase: "Pending" })], members: [a, b], bootstrapped: true }, want)).toMatchObject({ action: "wait", reason: "MembersUnhealthy" });
    const bUp = member("b", { learner: true });
    expect(nextStep({ pods: [pod("a"), pod("b")], members: [a, bUp], bootstrapped: true }, want)).toEqual({ action: "promote", member: bUp });
  });

  it("removes one member on scale-down, never the leader", () => {
    const ms = [member("a"), member("b"), member("c", { leader: true }), member("d"), member("e")];
    const pods = ms.map((m) => pod(m.name));
    expect(nextStep({ pods, members: ms, bootstrapped: true }, want)).toMatchObject({ action: "removeMember", why: "ScaleDown", member: { name: "e" } });
    const lead = [member("a"), member("b", { leader: true })];
    expect(nextStep({ pods: lead.map((m) => pod(m.name)), members: lead, bootstrapped: true }, { ...want, size: 1 })).toMatchObject({ action: "removeMember", member: { name: "a" } });
  });

  it("replaces a member whose pod failed or vanished, even while it is unhealthy", () => {
    const ms = [member("a"), member("b", { healthy: false }), member("c")];
    expect(nextStep({ pods: [pod("a"), pod("b", { phase: "Failed" }), pod("c")], members: ms, bootstrapped: true }, want)).toMatchObject({ action: "removeMember", why: "ReplaceFailed", member: { name: "b" } });
    expect(nextStep({ pods: [pod("a"), pod("c")], members: ms, bootstrapped: true }, want)).toMatchObject({ action: "removeMember", why: "ReplaceFailed", member: { name: "b" } });
  });

  it("deletes a pod that is no member", () => {
    const ms = [member("a")];
    expect(nextStep({ pods: [pod("a"), pod("x")], members: ms, bootstrapped: true }, { ...want, size: 1 })).toEqual({ action: "deletePod", pod: "x" });
  });

  it("upgrades followers first, one at a time, waiting for each restart", () => {
    const ms = [member("a", { leader: true }), member("b"), member("c")];
    const pods = ms.map((m) => pod(m.name));
    const up = { ...want, version: "3.7.1" };
    expect(nextStep({ pods, members: ms, bootstrapped: true }, up)).toEqual({ action: "upgrade", pod: "b" });
    const restarting = [pod("a"), pod("b", { specVersion: "3.7.1" }), pod("c")];
    expect(nextStep({ pods: restarting, members: ms, bootstrapped: true }, up)).toMatchObject({ action: "wait", reason: "MemberRestarting" });
    const bDone = [pod("a"), pod("b", { specVersion: "3.7.1", runningVersion: "3.7.1" }), pod("c", { specVersion: "3.7.1", runningVersion: "3.7.1" })];
    expect(nextStep({ pods: bDone, members: ms, bootstrapped: true }, up)).toEqual({ action: "upgrade", pod: "a" });
    const all = ms.map((m) => pod(m.name, { specVersion: "3.7.1", runningVersion: "3.7.1" }));
    expect(nextStep({ pods: all, members: ms, bootstrapped: true }, up)).toEqual({ action: "none" });
  });
});

describe("checkVersion", () => {
  it("accepts a first version, a patch and a one-minor upgrade", () => {
    expect(checkVersion("3.7.0", undefined)).toEqual({ accepted: true, target: "3.7.0" });
    expect(checkVersion("3.7.1", "3.7.0")).toEqual({ accepted: true, target: "3.7.1" });
    expect(checkVersion("3.7.0", "3.6.8")).toEqual({ accepted: true, target: "3.7.0" });
  });

  it("refuses a downgrade, a skipped minor and an unknown version, saying why", () => {
    expect(checkVersion("3.6.8", "3.7.0")).toMatchObject({ accepted: false, reason: "DowngradeNotSupported" });
    expect(checkVersion("3.7.0", "3.5.17")).toMatchObject({ accepted: false, reason: "UpgradeSkipsMinorVersion" });
    expect(checkVersion("3.9.0", "3.7.0")).toMatchObject({ accepted: false, reason: "UnsupportedVersion" });
    expect(checkVersion("4.0.0", undefined)).toMatchObject({ accepted: false, reason: "UnsupportedVersion" });
    expect(checkVersion("latest", undefined)).toMatchObject({ accepted: false, reason: "InvalidVersion" });
  });

  it("reads the version of an image tag", () => {
    expect(versionOfImage("gcr.io/etcd-development/etcd:v3.7.0")).toBe("3.7.0");
    expect(versionOfImage("localhost:5000/etcd:v3.6.8")).toBe("3.6.8");
    expect(versionOfImage("etcd")).toBeUndefined();
  });
});
