import { parse } from "yaml";
import { describe, expect, it } from "vitest";
import { parseSimpleYaml } from "../../src/runtime/client/simple-yaml.js";

// The fast path for kubeconfigs must give what the yaml package gives, or nothing (undefined).
const kubectl = `apiVersion: v1
clusters:
- cluster:
    certificate-authority-data: LS0tLS1CRUdJTiBDRVJUSUZJQ0FURS0tLS0tCk1JSUM=
    server: https://127.0.0.1:6443
  name: kind-kind
- cluster:
    insecure-skip-tls-verify: true
    server: https://10.0.0.1
    tls-server-name: api.example.com
  name: other
contexts:
- context:
    cluster: kind-kind
    namespace: default
    user: kind-kind
  name: kind-kind
current-context: kind-kind
kind: Config
preferences: {}
users:
- name: kind-kind
  user:
    client-certificate-data: LS0tLS1CRUdJTiBDRVJU
    client-key-data: LS0tLS1CRUdJTiBSU0Eg
- name: gke
  user:
    exec:
      apiVersion: client.authentication.k8s.io/v1beta1
      command: gke-gcloud-auth-plugin
      args:
      - get-token
      - "--region"
      - 'eu west'
      env: null
      interactiveMode: IfAvailable
      provideClusterInfo: true
`;

const envtest = `apiVersion: v1
kind: Config
clusters:
  - name: envtest
    cluster:
      server: https://127.0.0.1:43137
      certificate-authority-data: LS0tLS1CRUdJTiBDRVJUSUZJQ0FURS0tLS0tCk1JSUJz
users:
  - name: envtest
    user:
      token: abc.def-ghi
contexts:
  - name: envtest
    context:
      cluster: envtest
      user: envtest
current-context: envtest
preferences: {}
`;

const same = (text: string): void => {
  const simple = parseSimpleYaml(text);
  expect(simple, text).not.toBeUndefined();
  expect(simple, text).toEqual(parse(text));
};

describe("parseSimpleYaml (the plain-YAML fast path for kubeconfigs)", () => {
  it("reads what kubectl and envtest write exactly as the yaml package does", () => {
    same(kubectl);
    same(envtest);
  });

  it("reads comments, quoted scalars, null and booleans, empty values, nested sequences and `key :` like the yaml package", () => {
    same("# head\na: b # tail\nq: \"x # y\" # c\ns: 'it''s'\nn: Null\nt: TRUE\nf: false\ne:\nl: []\nm: {}\n");
    same("a:\n  - - x\n    - y\n  - z\nb :   c\nurl: https://h:1/p?q=a#frag\nw: a#b\nc: C:\\dir\\x\n");
    same("a:\n  # between\n  b:\n    c: d\n\n  e: f\n");
    same("s:\n-\n  a: b\n- c\n");
  });

  it("gives undefined, never a different answer, for YAML outside the subset", () => {
    const outside = [
      "a: 1\n", "a: -1\n", "a: .inf\n", "a: ~\n", "a: 0x1f\n", "port: 6443\n", // numbers and null spellings
      "a: &x b\nc: *x\n", "a: !!str b\n", "a: |\n  text\n", "a: >-\n  text\n", // anchors, tags, block scalars
      "a: {b: c}\n", "a: [b, c]\n", "a: b\n  continued\n", "a: \"multi\n  line\"\n", // flow, multi-line
      "a: \"esc\\n\"\n", "a:\tb\n", "a: b\r\n", "\uFEFFa: b\n", "a: b\u00a0\n", "\u00a0a: b\n", "a: caf\u00e9\n", "---\na: b\n", "a: b\n---\nc: d\n", "%YAML 1.2\n---\na: b\n",
      "a: b\na: c\n", "\"a\": b\n", "? a\n: b\n", "1: b\n", "null: b\n", "__proto__: b\n", "a: b: c\n", "a: b:\n",
      "a: 'open\n", "a: \"x\" y\n", " a: b\n", "a:\n  b: c\n d: e\n", "- a\nb: c\n", "", "# only a comment\n",
    ];
    for (const text of outside) expect(parseSimpleYaml(text), JSON.stringify(text)).toBeUndefined();
  });

  it("agrees with the yaml package on every line-level variant of a kubeconfig it accepts", () => {
    // Each line of the kubectl fixture replaced by variants; whatever the fast path accepts must match.
    const lines = kubectl.split("\n");
    const variants = ["x: 1", "x: 'a'", "x: \"a\"", "x: a # c", "x:", "- a", "  - a", "x: y: z", "x: {}", "x: true", "x: no", "x: yes", "x: off", "x: 2024-01-01", "x: a,b", "x: [a]"];
    let accepted = 0;
    for (let i = 0; i < lines.length - 1; i++) {
      for (const v of variants) {
        const indent = /^ */.exec(lines[i] as string)?.[0] ?? "";
        const text = [...lines.slice(0, i), indent + v, ...lines.slice(i + 1)].join("\n");
        const simple = parseSimpleYaml(text);
        if (simple === undefined) continue;
        accepted++;
        let full: unknown;
        try {
          full = parse(text);
        } catch {
          throw new Error(`accepted YAML the yaml package rejects:\n${text}`);
        }
        expect(simple, text).toEqual(full);
      }
    }
    expect(accepted).toBeGreaterThan(100);
  });
});
