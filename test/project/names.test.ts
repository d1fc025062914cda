import { describe, expect, it } from "vitest";
import { UserError } from "../../src/errors.js";
import { projectNameFromDir, validateDomain, validateGroup, validateKind, validatePlural, validateProjectName, validateVersion } from "../../src/project/names.js";
import { pluralize } from "../../src/project/plural.js";

function messageOf(fn: () => void): string {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(UserError);
    return (err as UserError).format();
  }
  throw new Error("expected a UserError");
}

describe("pluralize", () => {
  it.each([
    ["Memcached", "memcacheds"],
    ["Policy", "policies"],
    ["NetworkPolicy", "networkpolicies"],
    ["Status", "statuses"],
    ["Ingress", "ingresses"],
    ["Proxy", "proxies"],
    ["Box", "boxes"],
    ["Match", "matches"],
    ["Key", "keys"],
    ["Gateway", "gateways"],
    ["Person", "people"],
    ["SecurityPerson", "securitypeople"],
    ["Index", "indices"],
    ["Endpoints", "endpoints"],
    ["Cluster", "clusters"],
    ["Bus", "buses"],
  ])("%s -> %s", (kind, plural) => {
    expect(pluralize(kind)).toBe(plural);
  });
});

describe("validateVersion", () => {
  it.each(["v1", "v1alpha1", "v2beta3", "v10", "v1beta10"])("accepts %s", (v) => {
    expect(() => validateVersion(v)).not.toThrow();
  });
  it.each(["1", "v1.0", "V1", "v0", "v1alpha", "v1gamma1", "alpha", "v1alpha0", ""])("rejects %s with an example", (v) => {
    expect(messageOf(() => validateVersion(v))).toMatch(/version.*valid: v1, v1alpha1, v2beta3/);
  });
});

describe("validateKind", () => {
  it.each(["Memcached", "CronJob", "V1Thing"])("accepts %s", (k) => expect(() => validateKind(k)).not.toThrow());
  it("rejects a lower-case kind and says why", () => {
    expect(messageOf(() => validateKind("memcached"))).toBe('invalid kind "memcached": must start with an upper-case letter (valid: --kind Memcached)');
  });
  it.each(["My-Kind", "My_Kind", "Kind!", "1Kind"])("rejects %s", (k) => {
    expect(messageOf(() => validateKind(k))).toMatch(/invalid kind.*letters and digits.*valid: --kind Memcached/);
  });
  it("rejects a kind longer than 63 characters", () => {
    expect(messageOf(() => validateKind("K" + "a".repeat(63)))).toMatch(/longer than 63/);
  });
  it("rejects names that clash with generated imports", () => {
    expect(messageOf(() => validateKind("Condition"))).toMatch(/clashes with a type the generated code imports/);
  });
});

describe("validateGroup and validateDomain", () => {
  it("accepts a lower-case group and domain", () => {
    expect(() => validateGroup("cache", "example.com")).not.toThrow();
    expect(() => validateGroup("apps.v2", "example.com")).not.toThrow();
    expect(() => validateDomain("my.domain")).not.toThrow();
  });
  it.each(["Cache", "cache_x", "-cache", "cache-"])("rejects group %s with the full group in the example", (g) => {
    expect(messageOf(() => validateGroup(g, "example.com"))).toMatch(/invalid group.*valid: --group cache \(API group cache\.example\.com\)/);
  });
  it("rejects a group that already carries the domain, naming the part to pass", () => {
    expect(messageOf(() => validateGroup("cache.example.com", "example.com"))).toMatch(/already ends with the project's domain example\.com.*--group cache\)$/);
    expect(messageOf(() => validateGroup("example.com", "example.com"))).toMatch(/already ends with the project's domain/);
    expect(() => validateGroup("cache.example.org", "example.com")).not.toThrow();
  });
  it("rejects a group that makes the full group too long", () => {
    expect(messageOf(() => validateGroup("a".repeat(63), "b".repeat(63) + "." + "c".repeat(63) + "." + "d".repeat(63)))).toMatch(/longer than 253/);
  });
  it.each(["Example.com", "example..com", "exa mple.com", ""])("rejects domain %j", (d) => {
    expect(messageOf(() => validateDomain(d))).toMatch(/domain.*valid: --domain example\.com/);
  });
});

describe("validateProjectName and validatePlural", () => {
  it("accepts DNS labels", () => {
    expect(() => validateProjectName("memcached-operator")).not.toThrow();
    expect(() => validatePlural("memcacheds")).not.toThrow();
  });
  it.each(["Memcached", "memcached_operator", "-x", "a".repeat(64)])("rejects project name %s", (n) => {
    expect(messageOf(() => validateProjectName(n))).toMatch(/project name.*(valid: --project-name memcached-operator|the longest that fits: --project-name a{28})\)$/);
  });
  it.each(["Memcacheds", "1memcacheds", "mem.cacheds"])("rejects plural %s", (p) => {
    expect(messageOf(() => validatePlural(p))).toMatch(/invalid plural.*valid: --plural memcacheds/);
  });
  it("derives a project name from a directory name", () => {
    expect(projectNameFromDir("My_Operator.v2")).toBe("my-operator-v2");
  });
});
