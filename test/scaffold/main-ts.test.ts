import { describe, expect, it } from "vitest";
import { UserError } from "../../src/errors.js";
import { addReconcilerToMain } from "../../src/scaffold/main-ts.js";

const base = `import { Manager, parseManagerFlags } from "tsop/runtime";

const mgr = await Manager.create({ ...parseManagerFlags(process.argv.slice(2)) });

const reconcilers: { setupWithManager(mgr: Manager): void }[] = [
];

for (const r of reconcilers) r.setupWithManager(mgr);
await mgr.start();
`;
const memcached = { className: "MemcachedReconciler", moduleSpecifier: "./controllers/memcached.controller.js" };
const cluster = { className: "ClusterReconciler", moduleSpecifier: "./controllers/cluster.controller.js" };

describe("addReconcilerToMain", () => {
  it("adds the import and the array element, keeping the rest of the file", async () => {
    const once = await addReconcilerToMain(base, memcached);
    const twice = await addReconcilerToMain(once, cluster);
    expect(twice).toBe(`import { Manager, parseManagerFlags } from "tsop/runtime";
import { MemcachedReconciler } from "./controllers/memcached.controller.js";
import { ClusterReconciler } from "./controllers/cluster.controller.js";

const mgr = await Manager.create({ ...parseManagerFlags(process.argv.slice(2)) });

const reconcilers: { setupWithManager(mgr: Manager): void }[] = [
  new MemcachedReconciler(),
  new ClusterReconciler(),
];

for (const r of reconcilers) r.setupWithManager(mgr);
await mgr.start();
`);
  });

  it("is idempotent", async () => {
    const once = await addReconcilerToMain(base, memcached);
    expect(await addReconcilerToMain(once, memcached)).toBe(once);
  });

  it("adds a comma after a last element without one, and works on one-line arrays", async () => {
    const noComma = base.replace("= [\n];", "= [\n    new OtherReconciler()\n];");
    expect(await addReconcilerToMain(noComma, memcached)).toContain("= [\n    new OtherReconciler(),\n    new MemcachedReconciler(),\n];");
    const oneLine = base.replace("= [\n];", "= [new OtherReconciler()];");
    expect(await addReconcilerToMain(oneLine, memcached)).toContain("= [new OtherReconciler(), new MemcachedReconciler()];");
  });

  it("keeps user edits such as comments and extra code", async () => {
    const edited = base.replace("= [\n];", "= [\n  // my reconcilers\n  new OtherReconciler({ verbose: true }),\n];\nconsole.log('hi');");
    const out = await addReconcilerToMain(edited, memcached);
    expect(out).toContain("  // my reconcilers\n  new OtherReconciler({ verbose: true }),\n  new MemcachedReconciler(),\n];\nconsole.log('hi');");
  });

  it.each([
    ["no reconcilers array", base.replace("const reconcilers: { setupWithManager(mgr: Manager): void }[] = [\n];", "const others = [];"), /there is no top-level `const reconcilers = \[...\]`/],
    ["a reconcilers call", base.replace(/= \[\n\];/, "= makeReconcilers();"), /not initialized with an array literal/],
  ])("refuses a main.ts with %s, naming the file and the expected shape", async (_n, text, re) => {
    const err = await addReconcilerToMain(text, memcached).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UserError);
    const line = (err as UserError).format();
    expect(line).toMatch(re);
    expect(line.startsWith("src/main.ts: ")).toBe(true);
    expect(line).toContain("const reconcilers = [ new SomeReconciler(), ... ];");
  });
});
