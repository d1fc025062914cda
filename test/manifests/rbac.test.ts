/** @rbac parsing and controller-gen's merge rules. */
import { describe, expect, test } from "vitest";
import { mergeRules, readRbacTags, roleDocuments } from "../../src/manifests/rbac.js";
import { Diagnostics } from "../../src/schema/diagnostics.js";

const read = (text: string) => {
  const d = new Diagnostics();
  const tags = readRbacTags("src/controllers/x.controller.ts", text, d);
  return { tags, errors: d.errors.map((e) => e.format()) };
};

describe("readRbacTags", () => {
  test("reads tags from class docs only, core group as empty string", () => {
    const { tags, errors } = read(`/** @rbac groups=core resources=pods verbs=get */\nfunction f() {}\n/**\n * Doc.\n * @rbac groups=core;apps resources=pods,deployments verbs=get;list namespace=ops\n */\nexport class R {}\n`);
    expect(errors).toEqual([]);
    expect(tags).toEqual([{ namespace: "ops", rule: { apiGroups: ["", "apps"], resources: ["pods", "deployments"], verbs: ["get", "list"] } }]);
  });
  test("reports typos with the place and a suggestion", () => {
    expect(read(`/**\n * @rbac groups=apps resource=deployments verbs=get\n */\nclass R {}`).errors).toEqual(["src/controllers/x.controller.ts:2:22: @rbac: unknown argument resource (did you mean resources?)"]);
    expect(read(`/** @rbac groups=apps resources=deployments verbs=gets */\nclass R {}`).errors).toEqual(["src/controllers/x.controller.ts:1:11: @rbac: unknown verb gets (did you mean get?)"]);
    expect(read(`/** @rback groups=apps resources=deployments verbs=get */\nclass R {}`).errors).toEqual(["src/controllers/x.controller.ts:1:5: unknown tag @rback (did you mean @rbac?)"]);
    expect(read(`/** @rbac groups=apps resources=deployments */\nclass R {}`).errors[0]).toContain("@rbac needs verbs=...");
    expect(read(`/** @rbac groups=apps resources=deployments verbs=get roleName=Bad_Name */\nclass R {}`).errors).toEqual(["src/controllers/x.controller.ts:1:55: @rbac: roleName \"Bad_Name\" is not a valid role name (use lower-case letters, digits, - and ., e.g. roleName=deployment-reader)"]);
  });
});

describe("mergeRules", () => {
  test("splits per resource, merges verbs, then resources, then groups; sorts; collapses *", () => {
    const rules = mergeRules([
      { apiGroups: ["batch", "cron"], resources: ["jobs"], verbs: ["get"] },
      { apiGroups: ["cron", "batch"], resources: ["jobs"], verbs: ["list", "get"] },
      { apiGroups: ["x"], resources: ["one"], verbs: ["get"] },
      { apiGroups: ["x"], resources: ["two", "three"], verbs: ["get"] },
      { apiGroups: ["y"], resources: ["all"], verbs: ["get", "*"] },
      { nonResourceURLs: ["/metrics"], verbs: ["get"] },
    ]);
    expect(rules).toEqual([
      { nonResourceURLs: ["/metrics"], verbs: ["get"] },
      { apiGroups: ["batch", "cron"], resources: ["jobs"], verbs: ["get", "list"] },
      { apiGroups: ["x"], resources: ["one", "three", "two"], verbs: ["get"] },
      { apiGroups: ["y"], resources: ["all"], verbs: ["*"] },
    ]);
  });
  test("roleDocuments: ClusterRole plus a Role per namespace; Role when the project is namespaced", () => {
    const tags = [{ namespace: "", rule: { apiGroups: [""], resources: ["pods"], verbs: ["get"] } }, { namespace: "ops", rule: { apiGroups: [""], resources: ["secrets"], verbs: ["get"] } }];
    expect(roleDocuments(tags, { roleName: "manager-role", namespaced: false }).map((d) => [d.kind, d.metadata])).toEqual([["ClusterRole", { name: "manager-role" }], ["Role", { name: "manager-role", namespace: "ops" }]]);
    expect(roleDocuments([], { roleName: "manager-role", namespaced: true })).toEqual([{ apiVersion: "rbac.authorization.k8s.io/v1", kind: "Role", metadata: { name: "manager-role" }, rules: [] }]);
  });
});
