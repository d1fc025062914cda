/**
 * CEL rules for the differential test (cel-corpus.test.ts): each is put on the `spec` schema below
 * (or on a node of it, `at`) in a CRD that the real kube-apiserver validates with dryRun; tsop's
 * verdict must equal the apiserver's. Valid and invalid rules over the CEL libraries the apiserver
 * enables. The expected verdicts are not written down: the apiserver decides.
 */
import type { JSONSchemaProps } from "../../src/schema/json-schema.js";

/** One rule case. */
export interface CelCase {
  rule: string;
  message?: string;
  messageExpression?: string;
  optionalOldSelf?: boolean;
  /** Property path under spec where the rule sits (default: spec itself). */
  at?: string[];
}

const str = (maxLength = 64): JSONSchemaProps => ({ type: "string", maxLength });

/** The spec schema the rules are checked against. */
export const SPEC: JSONSchemaProps = {
  type: "object",
  properties: {
    s: str(),
    s2: str(),
    n: { type: "integer", format: "int64" },
    i: { type: "integer", format: "int32" },
    d: { type: "number" },
    b: { type: "boolean" },
    l: { type: "array", maxItems: 10, items: str() },
    il: { type: "array", maxItems: 10, items: { type: "integer" } },
    ul: { type: "array", items: { type: "string" } },
    m: { type: "object", maxProperties: 10, additionalProperties: { type: "integer" } },
    sm: { type: "object", maxProperties: 10, additionalProperties: str() },
    o: { type: "object", properties: { a: { type: "boolean" }, x: str() } },
    objs: { type: "array", maxItems: 10, "x-kubernetes-list-type": "map", "x-kubernetes-list-map-keys": ["name"], items: { type: "object", required: ["name"], properties: { name: str(), port: { type: "integer" } } } },
    uobjs: { type: "array", items: { type: "object", properties: { name: { type: "string" }, tags: { type: "array", items: { type: "string" } } } } },
    q: { "x-kubernetes-int-or-string": true, anyOf: [{ type: "integer" }, { type: "string" }] },
    t: { type: "string", format: "date-time" },
    dur: { type: "string", format: "duration" },
    by: { type: "string", format: "byte", maxLength: 64 },
    free: { type: "object", "x-kubernetes-preserve-unknown-fields": true },
    "x-dash": str(),
    namespace: str(),
  },
};

const r = (rule: string, extra: Omit<CelCase, "rule"> = {}): CelCase => ({ rule, ...extra });

/** The corpus. */
export const CORPUS: CelCase[] = [
  // comparisons and types
  r("self.s == 'x'"), r("self.n == 'x'"), r("self.n == 1"), r("self.n == 1u"), r("self.n > 1.5"), r("self.d > 1"), r("self.d > 1.0"),
  r("self.b"), r("self.b == 1"), r("self.n"), r("self.s"), r("1"), r("'text'"), r("null"), r("self.s == null"),
  r("self.i + self.n > 0"), r("self.s + self.s2 == 'ab'"), r("self.s + 1 == 'a'"), r("self.n + self.d > 0"), r("self.n / 2 == 1"),
  r("self.n % 2 == 0"), r("self.d % 2.0 == 0.0"), r("-self.n < 0"), r("!self.b"), r("!self.n"),
  r("self.b && self.n > 0"), r("self.b || self.s"), r("self.b ? self.n > 0 : self.s == ''"), r("self.b ? 1 : 'a'"), r("(self.b ? 1 : 2) == 1"),
  r("self.o.a"), r("self.o.x == 'y'"), r("self.o.missing == 1"), r("self.nope == 1"), r("self.x__dash__dash == 'a'"),
  r("self.__namespace__ == 'a'"), r("self.o == self.o"), r("self.l == ['a']"), r("self.m == {'a': 1}"), r("self.l == [1]"),
  r("type(self.n) == int"), r("type(self.s) == string"), r("type(self.q) == int || type(self.q) == string"),
  // int-or-string and free-form
  r("self.q == 3"), r("self.q == 'a'"), r("self.q > 3"), r("type(self.q) == string ? self.q.startsWith('a') : self.q > 0"),
  r("self.free.anything == 1"), r("has(self.free.x)"), r("self.free.size() > 0"),
  // has, optionals
  r("has(self.s)"), r("has(self.o.a)"), r("has(self.s.x)"), r("has(self)"), r("has(self.nope)"),
  r("self.?o.a.orValue(false)"), r("self.?s.orValue('') == ''"), r("self.?s.hasValue()"), r("self.?nope.hasValue()"), r("optional.of(1).value() == 1"),
  r("optional.none().hasValue()"), r("self.m[?'a'].orValue(0) == 0"), r("self.l[?0].orValue('') == ''"), r("self.?o.?x.orValue('') == ''"),
  // strings library
  r("self.s.size() <= 10"), r("size(self.s) <= 10"), r("self.s.startsWith('a')"), r("self.s.endsWith(1)"), r("self.s.contains('a')"),
  r("self.s.matches('^[a-z]+$')"), r("self.s.matches(1)"), r("self.s.charAt(0) == 'a'"), r("self.s.charAt('a') == 'a'"), r("self.s.indexOf('a') >= 0"),
  r("self.s.lastIndexOf('a') >= 0"), r("self.s.lowerAscii() == self.s"), r("self.s.upperAscii() == 'A'"), r("self.s.replace('a', 'b') == 'b'"), r("self.s.replace('a', 'b', 1) == 'b'"),
  r("self.s.split(',').size() > 0"), r("self.s.split(',', 2).size() > 0"), r("self.s.substring(1) == 'a'"), r("self.s.substring(1, 2) == 'a'"), r("self.s.trim() == self.s"),
  r("self.l.join(',') == 'a'"), r("self.l.join() == 'a'"), r("self.il.join(',') == 'a'"), r("self.s.reverse() == 'a'"), r("'%s-%d'.format([self.s, self.n]) == 'a-1'"),
  r("strings.quote(self.s) == 'a'"), r("self.s.size() == 'a'"), r("self.n.size() > 0"), r("self.s.foo()"), r("self.s.startsWith()"),
  // lists library and macros
  r("self.l.all(x, x.size() < 5)"), r("self.l.all(x, x > 1)"), r("self.l.exists(x, x == 'a')"), r("self.l.exists_one(x, x == 'a')"), r("self.l.map(x, x + 'a').size() > 0"),
  r("self.l.filter(x, x.startsWith('a')).size() == 0"), r("self.l.map(x, x.size()).sum() < 100"), r("self.il.sum() < 100"), r("self.l.sum() == 'a'"), r("self.il.isSorted()"),
  r("self.l.isSorted()"), r("self.il.min() >= 0"), r("self.il.max() < 10"), r("self.l.indexOf('a') >= 0"), r("self.l.lastIndexOf('a') >= 0"),
  r("self.il.indexOf('a') >= 0"), r("'a' in self.l"), r("1 in self.l"), r("'a' in self.m"), r("1 in self.m"),
  r("self.l[0] == 'a'"), r("self.l['a'] == 'a'"), r("self.m['a'] == 1"), r("self.m[1] == 1"), r("self.m.all(k, self.m[k] > 0)"),
  r("self.m.all(k, k.startsWith('a'))"), r("self.m.exists(k, self.m[k] == 'a')"), r("self.objs.all(o, o.port > 0)"), r("self.objs.all(o, o.missing > 0)"), r("self.objs.exists(o, o.name == 'a')"),
  r("size(self.l) == size(self.m)"), r("self.l.size() > 0"), r("[1, 2].all(x, x > 0)"), r("[1, 'a'].size() == 2"), r("{'a': 1}.size() == 1"),
  r("self.l.map(x, x, x).size() == 0"), r("self.l.all(x)"), r("self.l.all(1, true)"), r("self.l.sortBy(x, x) == self.l"),
  // regex
  r("self.s.find('[a-z]+') == 'a'"), r("self.s.findAll('[a-z]').size() > 0"), r("self.s.findAll('[a-z]', 2).size() > 0"), r("self.s.find(1) == 'a'"),
  // urls
  r("isURL(self.s)"), r("url(self.s).getScheme() == 'https'"), r("url(self.s).getHost() == 'a'"), r("url(self.s).getHostname() == 'a'"), r("url(self.s).getPort() == '80'"),
  r("url(self.s).getEscapedPath() == '/'"), r("url(self.s).getQuery().size() == 0"), r("url(self.n).getHost() == 'a'"), r("url(self.s).getPort() == 80"), r("url(self.s).host == 'a'"),
  // quantity
  r("isQuantity(self.s)"), r("quantity(self.s).isInteger()"), r("quantity(self.s).asInteger() > 1"), r("quantity(self.s).asApproximateFloat() > 1.0"), r("quantity(self.s).sign() == 1"),
  r("quantity(self.s).add(quantity('1')).isGreaterThan(quantity('2'))"), r("quantity(self.s).add(1).isLessThan(quantity('2'))"), r("quantity(self.s).sub(1).compareTo(quantity('1')) == 0"), r("quantity(self.s) > quantity('1')"), r("quantity(self.s).isGreaterThan(1)"),
  r("quantity(self.n).isInteger()"), r("quantity(self.s) == quantity('1')"),
  // ip and cidr
  r("isIP(self.s)"), r("ip(self.s).family() == 4"), r("ip(self.s).isLoopback()"), r("ip(self.s).isUnspecified()"), r("ip(self.s).isGlobalUnicast()"),
  r("ip(self.s).isLinkLocalMulticast()"), r("ip(self.s).isLinkLocalUnicast()"), r("ip.isCanonical(self.s)"), r("string(ip(self.s)) == self.s"), r("isCIDR(self.s)"),
  r("cidr(self.s).containsIP(ip('10.0.0.1'))"), r("cidr(self.s).containsIP('10.0.0.1')"), r("cidr(self.s).containsCIDR('10.0.0.0/24')"), r("cidr(self.s).prefixLength() == 24"), r("cidr(self.s).ip().family() == 4"),
  r("cidr(self.s).masked() == cidr('10.0.0.0/8')"), r("ip(self.s).family() == '4'"), r("cidr(self.s).containsIP(1)"), r("ip(self.n).family() == 4"),
  // format
  r("format.dns1123Label().validate(self.s).hasValue()"), r("!format.dns1123Subdomain().validate(self.s).hasValue()"), r("format.named('dns1123Label').hasValue()"), r("format.qualifiedName().validate(self.s).orValue([]).size() == 0"), r("format.labelValue().validate(self.n).hasValue()"),
  r("format.uuid().validate(self.s).hasValue()"), r("format.noSuchFormat().validate(self.s).hasValue()"),
  // semver, sets, math, base64
  r("isSemver(self.s)"), r("semver(self.s).major() == 1"), r("semver(self.s).isGreaterThan(semver('1.0.0'))"), r("semver(self.s).compareTo(semver('1.0.0')) == 0"), r("semver(self.s).minor() == 'a'"),
  r("sets.contains(self.l, ['a'])"), r("sets.equivalent(self.il, [1, 2])"), r("sets.intersects(self.l, ['a'])"), r("sets.contains(self.l, [1])"),
  r("math.greatest(self.n, 2) == 2"), r("math.least([1, 2, 3]) == 1"), r("math.abs(self.n) > 0"), r("math.ceil(self.d) > 1.0"), r("math.ceil(self.n) > 1"),
  r("base64.decode(self.s).size() > 0"), r("base64.encode(self.by) == 'a'"),
  // time and bytes
  r("self.t > timestamp('2020-01-01T00:00:00Z')"), r("self.t > '2020'"), r("self.dur > duration('1s')"), r("self.dur.getSeconds() > 1"), r("self.t.getFullYear() > 2000"),
  r("self.by.size() > 0"), r("self.by == b'abc'"), r("string(self.by) == 'a'"), r("timestamp(self.s) > timestamp('2020-01-01T00:00:00Z')"), r("duration(self.s) < duration('1h')"),
  // conversions
  r("int(self.s) > 1"), r("string(self.n) == self.s"), r("double(self.n) > 1.0"), r("uint(self.n) > 1u"), r("bool(self.s)"),
  r("dyn(self.n) == 'a'"), r("int(self.b) == 1"),
  // unknown functions and variables
  r("unknownFn(self.s)"), r("foo == 1"), r("self.s.unknownMethod() == 1"), r("request.name == 'a'"), r("cel.bind(x, self.n, x > 0)"),
  // metadata at the root is reached through the root only; here self is spec
  r("self.metadata.name == 'a'"),
  // transition rules
  r("self.n >= oldSelf.n"), r("self == oldSelf"), r("oldSelf.hasValue()", { optionalOldSelf: true }), r("!oldSelf.hasValue() || self.n >= oldSelf.value().n", { optionalOldSelf: true }), r("self.n >= oldSelf.n", { optionalOldSelf: true }),
  r("self.n > 0", { optionalOldSelf: true }), r("oldSelf.s == 1"),
  // messageExpression
  r("self.n > 0", { messageExpression: "'n must be positive, got ' + string(self.n)" }), r("self.n > 0", { messageExpression: "self.n" }), r("self.n > 0", { messageExpression: "self.s" }), r("self.n > 0", { messageExpression: "'a' + self.n" }), r("self.n > 0", { messageExpression: "self.nope" }),
  // rules on nested nodes
  r("self.a || self.x == ''", { at: ["o"] }), r("self.size() <= 5", { at: ["l"] }), r("self.all(x, x != '')", { at: ["l"] }), r("self > 0", { at: ["n"] }), r("self.startsWith('a')", { at: ["s"] }),
  r("self.startsWith('a')", { at: ["n"] }), r("self.all(k, self[k] >= 0)", { at: ["m"] }), r("self == 3 || self == 'a'", { at: ["q"] }), r("self.port > 0", { at: ["objs", "[]"] }), r("self.name != ''", { at: ["objs", "[]"] }),
  // cost: unbounded lists and nesting
  r("self.ul.all(x, x.size() < 10)"), r("self.ul.all(x, self.ul.all(y, x != y))"), r("self.l.all(x, self.l.all(y, x != y))"), r("self.uobjs.all(o, o.tags.all(t, t.matches('^[a-z]+$')))"), r("self.ul.all(x, x.matches('^[a-z]+$'))"),
  r("self.uobjs.all(o, self.uobjs.exists(p, p.name == o.name))"), r("self.ul.map(x, x + x).all(y, y.size() > 0)"), r("self.uobjs.size() < 10"),
  // cost per CRD: a rule's cost times the number of items it runs for
  r("self.name.startsWith('a')", { at: ["uobjs", "[]"] }), r("has(self.name)", { at: ["uobjs", "[]"] }), r("self.size() < 10", { at: ["ul", "[]"] }), r("self.startsWith('a')", { at: ["ul", "[]"] }),
  r("self.name.startsWith('a')", { at: ["objs", "[]"] }), r("self.size() > 0", { at: ["uobjs", "[]", "tags", "[]"] }), r("self.all(t, t.size() > 0)", { at: ["uobjs", "[]", "tags"] }),
  r("self.name == 'a'", { at: ["uobjs", "[]"] }),
];
