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

// The etcd client against REAL etcd processes on loopback (the binary tsop/envtest builds): member
// list/add/remove/promote, status, health and snapshot, growing a cluster 1 → 5 one member at a
// time, shrinking it, and replacing a crashed member.
import { afterAll, describe, expect, it } from "vitest";
import { EtcdClient, EtcdError, verifySnapshot, type EtcdMember } from "../src/etcd/client.js";
import { EtcdProcess, freePort, loopbackMemberArgs } from "./support/etcd-process.js";
import { until } from "./support/until.js";

interface Running {
  name: string;
  clientURL: string;
  peerURL: string;
  proc: EtcdProcess;
}

const running = new Map<string, Running>();

afterAll(async () => {
  await Promise.all([...running.values()].map((r) => r.proc.destroy()));
});


async function urls(): Promise<{ clientURL: string; peerURL: string }> {
  return { clientURL: `http://127.0.0.1:${await freePort()}`, peerURL: `http://127.0.0.1:${await freePort()}` };
}

function initialCluster(members: EtcdMember[], newId: string, newName: string): string {
  return members.map((m) => `${m.id === newId ? newName : m.name}=${m.peerURLs[0]}`).join(",");
}

/** Adds `name` the operator's way: learner first, then its process, then promote once in sync. */
async function addMember(via: EtcdClient, name: string): Promise<Running> {
  const u = await urls();
  // etcd refuses a change until every member has been connected for a while ("unhealthy cluster"):
  // the operator waits and retries the same way.
  const { member, members } = await until(`${name} added`, () => via.memberAdd([u.peerURL]));
  expect(member.isLearner).toBe(true);
  expect(member.name).toBe(""); // not started yet
  const proc = await EtcdProcess.start(name, loopbackMemberArgs({ name, ...u, initialCluster: initialCluster(members, member.id, name), state: "existing" }));
  const r = { name, ...u, proc };
  running.set(name, r);
  const c = new EtcdClient(u.clientURL);
  await until(`${name} healthy`, () => c.healthy());
  await until(`${name} promoted`, async () => {
    await via.memberPromote(member.id);
    return true;
  });
  return r;
}

describe("EtcdClient against real etcd", () => {
  let seed: Running;
  let seedClient: EtcdClient;

  it("bootstraps a seed member and reads its list, status and health", async () => {
    const u = await urls();
    const proc = await EtcdProcess.start("m0", loopbackMemberArgs({ name: "m0", ...u, initialCluster: `m0=${u.peerURL}`, state: "new" }));
    seed = { name: "m0", ...u, proc };
    running.set("m0", seed);
    seedClient = new EtcdClient(u.clientURL);
    await until("seed healthy", () => seedClient.healthy()).catch((e: unknown) => {
      throw new Error(`${String(e)}\n${proc.log()}`);
    });
    const members = await seedClient.memberList();
    expect(members).toHaveLength(1);
    expect(members[0]).toMatchObject({ name: "m0", peerURLs: [u.peerURL], clientURLs: [u.clientURL], isLearner: false });
    const st = await seedClient.status();
    expect(st.version).toMatch(/^3\.\d+\.\d+$/);
    expect(st.leader).toBe(members[0]?.id);
    expect(st.memberId).toBe(members[0]?.id);
    await seedClient.put("greeting", "hello");
    expect(await seedClient.get("greeting")).toBe("hello");
    expect(await seedClient.get("missing")).toBeUndefined();
  });

  it("grows the cluster one member at a time to 5 (learner, start, promote), all healthy", async () => {
    for (const name of ["m1", "m2", "m3", "m4"]) {
      await addMember(seedClient, name);
      const members = await seedClient.memberList();
      expect(members.every((m) => !m.isLearner && m.name !== "")).toBe(true);
    }
    const members = await seedClient.memberList();
    expect(members.map((m) => m.name).sort()).toEqual(["m0", "m1", "m2", "m3", "m4"]);
    for (const r of running.values()) expect(await new EtcdClient(r.clientURL).healthy()).toBe(true);
    // Data written through the seed is on every member.
    expect(await new EtcdClient(running.get("m4")?.clientURL ?? "").get("greeting")).toBe("hello");
  });

  it("refuses to promote a voter and to remove an unknown member, with etcd's error codes", async () => {
    const members = await seedClient.memberList();
    const err = await seedClient.memberPromote(members[1]?.id ?? "").catch((e: unknown) => e);
    expect(err).toBeInstanceOf(EtcdError);
    expect((err as EtcdError).code).toBe(9); // FailedPrecondition: not a learner
    const gone = await seedClient.memberRemove("12345").catch((e: unknown) => e);
    expect(gone).toBeInstanceOf(EtcdError);
    expect((gone as EtcdError).code).toBe(5); // NotFound
  });

  it("shrinks by removing a member: it leaves the list and its process stops", async () => {
    const m4 = running.get("m4") as Running;
    const id = (await seedClient.memberList()).find((m) => m.name === "m4")?.id ?? "";
    await until("m4 removed", async () => {
      await seedClient.memberRemove(id);
      return true;
    });
    expect((await seedClient.memberList()).map((m) => m.name)).not.toContain("m4");
    // A removed member shuts itself down.
    await until("m4 exited", async () => m4.proc.hasExited);
    running.delete("m4");
    await m4.proc.destroy();
  });

  it("replaces a crashed member: health goes false, remove it, add a new one, data intact", async () => {
    const m3 = running.get("m3") as Running;
    await m3.proc.stop("SIGKILL");
    const c3 = new EtcdClient(m3.clientURL, { timeoutMs: 500 });
    expect(await c3.healthy()).toBe(false);
    const dead = (await seedClient.memberList()).find((m) => m.name === "m3");
    expect(dead).toBeDefined();
    await until("m3 removed", async () => {
      await seedClient.memberRemove(dead?.id ?? "");
      return true;
    });
    running.delete("m3");
    await m3.proc.destroy();
    const m5 = await addMember(seedClient, "m5");
    const names = (await seedClient.memberList()).map((m) => m.name).sort();
    expect(names).toEqual(["m0", "m1", "m2", "m5"]);
    expect(await new EtcdClient(m5.clientURL).get("greeting")).toBe("hello");
  });

  it("takes a snapshot whose SHA-256 trailer checks out", async () => {
    const data = await new EtcdClient(running.get("m1")?.clientURL ?? "").snapshot();
    const v = verifySnapshot(data);
    expect(v.ok).toBe(true);
    expect(v.size).toBeGreaterThan(4096);
    const bad = Buffer.from(data);
    bad[100] = (bad[100] ?? 0) ^ 0xff;
    expect(verifySnapshot(bad).ok).toBe(false);
  });

  it("reports an unreachable member as unhealthy and its calls as EtcdError without a code", async () => {
    const c = new EtcdClient(`http://127.0.0.1:${await freePort()}`, { timeoutMs: 500 });
    expect(await c.healthy()).toBe(false);
    const err = await c.memberList().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(EtcdError);
    expect((err as EtcdError).code).toBeUndefined();
  });
});
