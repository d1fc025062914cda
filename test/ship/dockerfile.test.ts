import { describe, expect, it } from "vitest";
import { isIgnored, parseDockerfile, parseDockerignore } from "./dockerfile.js";

// The Docker emulation the image test relies on, against Docker's documented .dockerignore rules.

describe(".dockerignore matching", () => {
  it("applies the last matching rule, to a path or any of its parent directories", () => {
    const rules = parseDockerignore("# comment\n*\n!package.json\n!src/\nsrc/**/*.test.ts\n!/vendor\n");
    expect(isIgnored(rules, "package.json")).toBe(false);
    expect(isIgnored(rules, "package-lock.json")).toBe(true);
    expect(isIgnored(rules, "src/main.ts")).toBe(false);
    expect(isIgnored(rules, "src/a/b/c.ts")).toBe(false);
    expect(isIgnored(rules, "src/a/b/c.test.ts")).toBe(true);
    expect(isIgnored(rules, "src/c.test.ts")).toBe(true); // ** matches zero directories
    expect(isIgnored(rules, "vendor/tsop-0.1.0.tgz")).toBe(false);
    expect(isIgnored(rules, "node_modules/tsop/package.json")).toBe(true);
    expect(isIgnored(rules, "test/x.test.ts")).toBe(true);
  });

  it("does not let * cross a /, and ? matches one character", () => {
    const rules = parseDockerignore("*.md\ndocs/?.txt\n");
    expect(isIgnored(rules, "README.md")).toBe(true);
    expect(isIgnored(rules, "docs/README.md")).toBe(false);
    expect(isIgnored(rules, "docs/a.txt")).toBe(true);
    expect(isIgnored(rules, "docs/ab.txt")).toBe(false);
  });
});

describe("Dockerfile parsing", () => {
  it("splits stages and reads flags, JSON and shell forms, and continuation lines", () => {
    const stages = parseDockerfile("# c\nFROM node:22 AS build\nWORKDIR /w\nCOPY a b ./\nRUN npm ci \\\n  --omit=dev\n\nFROM scratch\nCOPY --from=build /w/x /y\nENTRYPOINT [\"/n\", \"/y\"]\n");
    expect(stages).toEqual([
      {
        from: "node:22",
        name: "build",
        steps: [
          { op: "WORKDIR", args: ["/w"], flags: {}, line: 3 },
          { op: "COPY", args: ["a", "b", "./"], flags: {}, line: 4 },
          { op: "RUN", args: ["npm ci  --omit=dev"], flags: {}, line: 5 },
        ],
      },
      {
        from: "scratch",
        steps: [
          { op: "COPY", args: ["/w/x", "/y"], flags: { from: "build" }, line: 9 },
          { op: "ENTRYPOINT", args: ["/n", "/y"], flags: {}, line: 10 },
        ],
      },
    ]);
  });
});
