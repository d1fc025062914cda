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
    // The tag on the function is not read, and said so.
    expect(errors).toEqual(["src/controllers/x.controller.ts:1:5: @rbac is read only from the JSDoc of a controller class (move the tag into the comment right above the class declaration)"]);
    expect(tags).toEqual([{ namespace: "ops", rule: { apiGroups: ["", "apps"], resources: ["pods", "deployments"], verbs: ["get", "list"] } }]);
  });
  test("reports typos with the place and a suggestion", () => {
    expect(read(`/**\n * @rbac groups=apps resource=deployments verbs=get\n */\nclass R {}`).errors).toEqual(["src/controllers/x.controller.ts:2:22: @rbac: unknown argument resource (did you mean resources?)"]);
    expect(read(`/** @rbac groups=apps resources=deployments verbs=gets */\nclass R {}`).errors).toEqual(["src/controllers/x.controller.ts:1:45: @rbac: unknown verb gets (did you mean get?)"]);
    expect(read(`/** @rback groups=apps resources=deployments verbs=get */\nclass R {}`).errors).toEqual(["src/controllers/x.controller.ts:1:5: unknown tag @rback (did you mean @rbac?)"]);
    expect(read(`/** @rbac groups=apps resources=deployments */\nclass R {}`).errors[0]).toContain("@rbac needs verbs=...");
    expect(read(`/** @rbac groups=apps resources=deployments verbs=get roleName=Bad_Name */\nclass R {}`).errors).toEqual(["src/controllers/x.controller.ts:1:55: @rbac: roleName \"Bad_Name\" is not a valid role name (use lower-case letters, digits, - and ., e.g. roleName=deployment-reader)"]);
  });
});

describe("readRbacTags refuses rules the apiserver refuses or that match nothing", () => {
  const kinds = [{ group: "apps", kind: "Deployment", plural: "deployments" }, { group: "cache.example.com", kind: "Memcached", plural: "memcacheds" }];
  const one = (value: string, namespaced = false): string[] => {
    const d = new Diagnostics();
    const tags = readRbacTags("c.ts", `/** @rbac ${value} */\nclass R {}`, d, { namespaced, kinds });
    if (d.errors.length) expect(tags).toEqual([]);
    return d.errors.map((e) => e.format());
  };
  test.each([
    ["groups=apps resources=deployments verbs=get namespace=Kube_System", /^c\.ts:1:55: @rbac: namespace "Kube_System" is not a valid namespace name \(a namespace is a DNS label/],
    ["groups=apps resources=deployments verbs=get namespace=" + "a".repeat(64), /namespace "a{64}" is not a valid namespace name/],
    ["groups=apps resources=deployments verbs=get namespace=", /namespace= needs a value/],
    ["urls=/metrics verbs=get namespace=ops", /^c\.ts:1:35: @rbac: urls= cannot be used with namespace= \(non-resource URLs are cluster-wide/],
    ["urls=/metrics groups=apps resources=deployments verbs=get", /urls= cannot be combined with resources= in one rule/],
    ["urls=/metrics groups=apps verbs=get", /urls= cannot be combined with groups=/],
    ["urls=/metrics resourceNames=x verbs=get", /urls= cannot be combined with resourceNames=/],
    ["urls=metrics verbs=get", /url "metrics" must be a path starting with \//],
    ["urls=/a*b/c verbs=get", /with \* only at the end/],
    ["urls=/metrics verbs=list", /@rbac: list is not a verb of non-resource URLs \(verbs for non-resource URLs: get, post/],
    ["groups=apps resources=deployments verbs=post", /post is not a verb of resources \(did you mean create\?\)/],
    ["groups=apps resources=deployments verbs=frob", /unknown verb frob \(verbs for resources: get, list/],
    ["groups=apps resources=deployments verbs=GET", /unknown verb GET \(did you mean get\?\)/],
    ["groups=apps resources=deployment verbs=get", /^c\.ts:1:23: @rbac: resources=deployment matches nothing: RBAC names kind Deployment by its lower-case plural deployments \(write resources=deployments\)$/],
    ["groups=apps resources=Deployments verbs=get", /resources=Deployments matches nothing.*write resources=deployments/],
    ["groups=cache.example.com resources=memcached/status verbs=get", /write resources=memcacheds\/status/],
    ["groups=* resources=deployment verbs=get", /write resources=deployments/],
    ["groups=example.com resources=Widgets verbs=get", /resource "Widgets" is not a lower-case resource name \(RBAC names resources by their lower-case plural: did you mean widgets\?\)/],
    ["groups=example.com resources=widgets/ verbs=get", /resource "widgets\/" is not a lower-case resource name/],
    ["groups=Apps resources=deployments verbs=get", /group "Apps" is not a valid API group/],
    ["groups=apps resources= verbs=get", /resources= is empty/],
    ["groups=apps resources=deployments resourceNames= verbs=get", /resourceNames= is empty/],
    ["groups=apps resources=deployments verbs=", /verbs= is empty/],
    ["urls= verbs=get", /urls= is empty/],
    ["resources=deployments verbs=get", /with resources needs groups=/],
  ])("%s", (value, re) => {
    const errors = one(value);
    expect(errors, errors.join("\n")).toHaveLength(1);
    expect(errors[0]).toMatch(re);
  });
  test("@rbac outside a class's JSDoc, or in a comment never closed, is reported instead of dropped", () => {
    const d = new Diagnostics();
    readRbacTags("c.ts", "export class R {\n  /** @rbac groups=apps resources=deployments verbs=get */\n  reconcile() {}\n}\n", d);
    expect(d.errors.map((e) => e.format())).toEqual(["c.ts:2:7: @rbac is read only from the JSDoc of a controller class (move the tag into the comment right above the class declaration)"]);
    const e = new Diagnostics();
    readRbacTags("c.ts", "/** ok */\nexport class A {}\n/**\n * @rbac groups=apps resources=deployments verbs=get\nexport class R {}\n", e);
    expect(e.errors.map((x) => x.format())).toEqual(["c.ts:3:1: this JSDoc comment is never closed, so its @rbac tags would be lost (close it with */ before the class declaration)"]);
  });
  test("urls= in a namespaced project (every role a Role) is refused; valid tags pass", () => {
    expect(one("urls=/metrics verbs=get", true)[0]).toMatch(/urls= in a namespaced project/);
    for (const ok of ["urls=/metrics;/healthz/* verbs=get;head", "groups=\"\" resources=pods;pods/log verbs=get;list", "groups=* resources=deployments/* verbs=*", "groups=apps resources=deployments verbs=get namespace=kube-system resourceNames=a;b", "groups=example.com resources=widgets verbs=get;use"]) expect(one(ok), ok).toEqual([]);
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
