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
  /** Property path under spec where the rule sits (default: spec itself); "[]" list items, "*" map values. */
  at?: string[];
  /** Extra fields of spec for this case (sizes for cost cases). */
  fields?: Record<string, JSONSchemaProps>;
}

const str = (maxLength = 64): JSONSchemaProps => ({ type: "string", maxLength });
/** A string with no maxLength (its size is bounded by the 3 MiB request only). */
const ustr: JSONSchemaProps = { type: "string" };
const list = (items: JSONSchemaProps, maxItems?: number): JSONSchemaProps => (maxItems === undefined ? { type: "array", items } : { type: "array", items, maxItems });
const map = (values: JSONSchemaProps, maxProperties?: number): JSONSchemaProps => (maxProperties === undefined ? { type: "object", additionalProperties: values } : { type: "object", additionalProperties: values, maxProperties });

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

  // two-variable comprehensions (cel-go's comprehensions extension)
  r("self.l.all(i, v, i < 10 && v != '')"), r("self.m.all(k, v, k != '' && v > 0)"), r("self.l.exists(i, v, v == 'a')"), r("self.l.existsOne(i, v, v == 'a')"), r("self.m.exists_one(k, v, v == 1)"),
  r("self.l.transformList(i, v, v + 'a').size() > 0"), r("self.l.transformList(i, v, i > 0, v.size()).sum() < 100"), r("self.m.transformMap(k, v, v + 1).size() > 0"), r("self.m.transformMapEntry(k, v, {k + 'x': v}).size() > 0"), r("self.l.all(i, v, v > 1)"),
  r("self.l.all(i, i, true)"), r("self.l.exists(i, v, v)"), r("self.m.transformMapEntry(k, v, v).size() > 0"), r("self.n.all(i, v, true)"), r("self.l.transformList(i, v, i > 0, v).size() == 0"),
  // cel-go's lists extension
  r("self.l.sortBy(x, x.size()) == self.l"), r("self.objs.sortBy(o, o.port)[0].name == 'a'"), r("self.l.sortBy(x, [x]) == self.l"), r("self.m.sortBy(x, x) == self.m"), r("self.il.sort() == self.il"),
  r("self.l.slice(0, 1) == ['a']"), r("self.l.reverse() == self.l"), r("self.l.distinct().size() == self.l.size()"), r("[[1], [2]].flatten() == [1, 2]"), r("lists.range(3) == [0, 1, 2]"),
  r("self.l.first().hasValue()"), r("self.objs.sort().size() > 0"),
  // list and map literals: one element type, except inside format()
  r("'%s and %s'.format([self.s, 1]) != ''"), r("[self.s, self.n].size() == 2"), r("{'a': 1, 'b': 'c'}.size() == 2"), r("{'a': 1, 2: 3}.size() == 2"), r("[self.q, 1].size() == 2"),
  r("[dyn(1), dyn('a')].size() == 2"), r("[1, 2.0].size() == 2"), r("[[1], ['a']].size() == 2"), r("[self.l, ['a']].size() == 2"),
  // constant literals checked at compilation: regexes, durations, timestamps, format strings
  r("self.s.matches('[')"), r("self.s.matches('(?i)^a')"), r("self.s.find('(') == ''"), r("self.s.findAll('[a-') == []"), r("matches(self.s, '^a+$')"),
  r("duration('1x') > duration('0s')"), r("duration('1h30m') > duration('0s')"), r("timestamp('2020-13-01T00:00:00Z') > self.t"), r("timestamp('2020-01-01') > self.t"), r("timestamp('2020-01-01T00:00:00+01:00') > self.t"),
  r("'%d'.format(['a']) != ''"), r("'%s'.format([self.s]) != ''"), r("'%d'.format([self.n, 1]) != ''"), r("'%.2f'.format([self.d]) != ''"), r("'%x'.format([self.s]) != ''"),
  // functions cel-js has and cel-go does not, and conversions cel-go has
  r("self.by.hex() == ''"), r("self.by.at(0) == 1"), r("self.by.string() == ''"), r("int(self.t) > 0"), r("string(self.dur) != ''"),
  r("string(self.t) != ''"), r("int(uint(self.n)) == self.n"), r("timestamp(self.t) == self.t"), r("duration(self.dur) == self.dur"), r("self.s.reverse() == self.s"),
  // optionals
  r("self.?o.?x.orValue('') == self.?s.orValue('')"), r("self.?o.hasValue() || self.?s.hasValue()"), r("self.?o.a.value()"), r("self.?nope.orValue(1) == 1"), r("self.l[?100].hasValue()"),
  r("self.m[?'k'].orValue('') == ''"), r("self.?o.or(optional.of(self.o)).hasValue()"), r("optional.ofNonZeroValue(self.s).hasValue()"), r("self.?o.x == 'a'"), r("optional.none().orValue(1) == 1"),
  // quantity
  r("quantity(self.s).isLessThan(quantity('1Gi'))"), r("quantity('1Gi').asInteger() > 0"), r("quantity(self.s) != quantity('1')"), r("isQuantity(self.s) && quantity(self.s).sign() >= 0"), r("quantity(self.s).add(quantity(self.s2)).asApproximateFloat() > 0.0"),
  r("quantity(self.s).isInteger() == 1"), r("quantity(self.s).compareTo(1) == 0"), r("quantity(self.q).isInteger()"),
  // ip and cidr
  r("ip(self.s) == ip('10.0.0.1')"), r("cidr(self.s) == cidr('10.0.0.0/8')"), r("cidr(self.s).containsCIDR(cidr('10.0.0.0/24'))"), r("ip.isCanonical(self.n)"), r("cidr(self.s).ip() == ip('10.0.0.0')"),
  r("ip(self.s).family() > 4u"), r("ip(self.s) != ip('::1')"), r("cidr(self.s).masked().prefixLength() == 8"),
  // url
  r("url(self.s) == url('https://a')"), r("url(self.s).getQuery()['a'][0] == 'b'"), r("url(self.s).getQuery()['a'] == 'b'"), r("isURL(self.s) ? url(self.s).getScheme() == 'https' : true"), r("url(self.s).getEscapedPath().startsWith('/')"),
  // format
  r("format.dns1035Label().validate(self.s).hasValue()"), r("format.named('uuid').value().validate(self.s).hasValue()"), r("format.named(self.s).hasValue()"), r("format.dns1123LabelPrefix().validate(self.s).orValue([]).all(e, e != '')"), r("format.uri().validate(1).hasValue()"),
  r("format.date().validate(self.s).hasValue()"), r("format.dns1123Label() == format.dns1123Label()"),
  // regex
  r("self.s.matches(self.s2)"), r("self.l.all(x, x.matches('^[a-z]{1,5}$'))"), r("self.s.find('[0-9]+').size() > 0"), r("self.s.findAll('[0-9]', -1).size() > 0"), r("self.s.matches('\\d+')"),
  // oldSelf with optionalOldSelf, and transition rules on list items
  r("oldSelf.hasValue() ? self.n >= oldSelf.value().n : true", { optionalOldSelf: true }), r("oldSelf.orValue(self).n <= self.n", { optionalOldSelf: true }), r("oldSelf.?n.orValue(0) <= self.n", { optionalOldSelf: true }), r("oldSelf.n <= self.n", { optionalOldSelf: true }), r("self.n > 0", { optionalOldSelf: true, messageExpression: "oldSelf.hasValue() ? 'was ' + string(oldSelf.value().n) : 'new'" }),
  r("self.port >= oldSelf.port", { at: ["objs", "[]"] }), r("oldSelf.hasValue() ? self.port >= oldSelf.value().port : true", { at: ["objs", "[]"], optionalOldSelf: true }), r("self.name == oldSelf.name", { at: ["uobjs", "[]"] }), r("self == oldSelf", { at: ["l", "[]"] }), r("self == oldSelf", { at: ["m", "*"] }),
  r("self == oldSelf", { at: ["l"] }), r("self.all(x, x in oldSelf)", { at: ["l"] }), r("oldSelf.all(k, k in self)", { at: ["m"] }), r("self.size() >= oldSelf.size()", { at: ["objs"] }), r("self == oldSelf", { at: ["objs", "[]", "name"] }),
  // cost: near the per-expression limit, each side (the limit holds for the cost times how often the rule runs)
  r("self.xs.all(x, self.xs.exists(y, x == y))", { fields: { xs: list(str(10), 1000) } }), r("self.xs.all(x, self.xs.exists(y, x == y))", { fields: { xs: list(str(10), 1400) } }),
  r("self.s.contains(self.t)", { fields: { s: str(10000), t: str(7000) } }), r("self.s.contains(self.t)", { fields: { s: str(10000), t: str(6000) } }),
  r("self.xs.sortBy(x, x) == self.xs", { fields: { xs: list(str(10), 2000) } }), r("self.xs.sortBy(x, x) == self.xs", { fields: { xs: list(str(10), 3000) } }),
  r("self.xs.distinct().size() > 0", { fields: { xs: list(str(10), 2300) } }), r("self.xs.distinct().size() > 0", { fields: { xs: list(str(10), 2200) } }),
  r("sets.contains(self.xs, self.ys)", { fields: { xs: list(str(10), 5000), ys: list(str(10), 1900) } }), r("sets.contains(self.xs, self.ys)", { fields: { xs: list(str(10), 5000), ys: list(str(10), 2100) } }),
  r("self.s.split(',').all(x, x.size() > 0)", { fields: { s: ustr } }), r("self.s.split(',').all(x, x.size() > 0)", { fields: { s: str(100000) } }),
  r("self.xs.transformList(i, v, v + 'a').size() > 0", { fields: { xs: list(str(100)) } }), r("self.xs.transformList(i, v, v + 'a').size() > 0", { fields: { xs: list(str(100), 100000) } }),
  r("self.xs.all(x, ip(x).family() == 4)", { fields: { xs: list(ustr) } }), r("self.xs.all(x, ip(x).family() == 4)", { fields: { xs: list(str(45), 10000) } }),
  r("self.m.all(k, v, k.size() + v.size() > 0)", { fields: { m: map(str(10)) } }), r("self.s.find('[a-z]+') != ''", { fields: { s: ustr } }),
  r("format.dns1123Label().validate(self.s).hasValue()", { fields: { s: ustr } }), r("format.dns1123Label().validate(self.s).hasValue()", { fields: { s: str(100000) } }),
  r("self.xs.join(',').size() > 0", { fields: { xs: list(str(1000), 30000) } }), r("self.xs.join(',').size() > 0", { fields: { xs: list(str(1000), 20000) } }),
  r("self.s.replace('a', 'bb').matches('^b+$')", { fields: { s: ustr } }), r("self.s.lowerAscii().matches('^[a-z]+$')", { fields: { s: str(20000) } }),
  r("self.xs.map(x, x + x).all(y, y.matches('^[a-z]+$'))", { fields: { xs: list(str(1000), 1000) } }), r("self.xs.filter(x, x.startsWith('a')).all(y, y.matches('^[a-z]+$'))", { fields: { xs: list(str(1000), 3000) } }),
  r("self.xs.all(x, self.xs.exists_one(y, x == y))", { fields: { xs: list(str(10), 1700) } }), r("cel.bind(v, self.xs, v.all(x, v.exists(y, x == y)))", { fields: { xs: list(str(10), 1400) } }),
  r("quantity(self.a) != quantity(self.b)", { fields: { a: str(10), b: str(10) } }), r("url(self.a) == url(self.b)", { fields: { a: ustr, b: ustr } }),
  r("self.xs.all(x, x.matches('^[a-z]+$'))", { fields: { xs: list(str(1000), 12000) } }), r("self.xs.all(x, x.matches('^[a-z]+$'))", { fields: { xs: list(str(1000), 13000) } }),
  r("self.e.all(x, x.size() < 10)", { fields: { e: list({ type: "string", enum: ["a", "bb"] }) } }), r("self.xs.all(x, x.all(y, y.size() < 10))", { fields: { xs: list(list(str(10))) } }),
  r("self.xs.all(x, x.size() < 100)", { fields: { xs: list(list(str(10), 10)) } }), r("self.o2.all(k, self.o2[k].matches('^a'))", { fields: { o2: map(str(1000)) } }),
  // cost times cardinality: rules under lists and maps
  r("self.matches('^[a-z]+$')", { at: ["xs", "[]"], fields: { xs: list(str(1000), 12000) } }), r("self.matches('^[a-z]+$')", { at: ["xs", "[]"], fields: { xs: list(str(1000), 13000) } }),
  r("self.matches('^[a-z]+$')", { at: ["xs", "[]"], fields: { xs: list(str(1000)) } }), r("self.matches('^[a-z]+$')", { at: ["xs", "*"], fields: { xs: map(str(1000)) } }),
  r("self.all(y, y.matches('^a'))", { at: ["xs", "[]"], fields: { xs: list(list(str(100), 100), 1000) } }), r("self.all(y, y.matches('^a'))", { at: ["xs", "[]"], fields: { xs: list(list(str(100), 100), 3000) } }),
  r("self.v.matches('^a')", { at: ["xs", "[]", "*"], fields: { xs: list(map({ type: "object", properties: { v: str(1000) } }, 100), 100) } }), r("self.v.matches('^a')", { at: ["xs", "[]", "*"], fields: { xs: list(map({ type: "object", properties: { v: str(1000) } }, 200), 100) } }),
  r("self.v.matches('^a')", { at: ["xs", "[]"], fields: { xs: list({ type: "object", required: ["v"], properties: { v: str(1000) } }) } }), r("self.startsWith('a')", { at: ["xs", "[]"], fields: { xs: list(ustr) } }),
  r("self.size() < 10", { at: ["xs", "[]"], fields: { xs: list(ustr) } }), r("self.size() > 0", { at: ["xs", "[]", "[]"], fields: { xs: list(list(str(10))) } }),
  r("self.n > 0", { messageExpression: "self.s + self.s2" }), r("self.n > 0", { messageExpression: "self.xs.join(',')", fields: { xs: list(str(1000), 120000) } }),
  // the resource root: apiVersion, kind, metadata.name and generateName only
  r("self.metadata.name.startsWith('a')", { at: ["^"] }), r("self.metadata.namespace == 'a'", { at: ["^"] }), r("self.kind == 'CelCase' && self.apiVersion != ''", { at: ["^"] }), r("self.spec.n > 0", { at: ["^"] }), r("self.metadata.generateName.size() < 10", { at: ["^"] }),
  r("self.metadata.name.matches('^[a-z]+$')", { at: ["^"] }), r("self.metadata.labels.size() > 0", { at: ["^"] }), r("self.spec.l.all(x, x.matches('^[a-z]+$')) && self.metadata.name.size() < 64", { at: ["^"] }), r("self.metadata.name == oldSelf.metadata.name", { at: ["^"] }),
  // embedded resources: typed like a resource root
  r("self.kind != '' && self.metadata.name != ''", { at: ["emb"], fields: { emb: { type: "object", "x-kubernetes-embedded-resource": true, "x-kubernetes-preserve-unknown-fields": true } } }),
  r("self.spec.replicas > 0", { at: ["emb"], fields: { emb: { type: "object", "x-kubernetes-embedded-resource": true, "x-kubernetes-preserve-unknown-fields": true } } }),
  r("self.kind == 'Pod' && self.spec.size() > 0", { at: ["emb"], fields: { emb: { type: "object", "x-kubernetes-embedded-resource": true, properties: { spec: map(ustr) } } } }),
  r("self.metadata.name.matches('^[a-z]+$')", { at: ["embs", "[]"], fields: { embs: list({ type: "object", "x-kubernetes-embedded-resource": true, "x-kubernetes-preserve-unknown-fields": true }) } }),
  // sizes that bound costs: enums, dates, durations, int-or-string with maxLength, bytes, keys
  r("self.e.matches('^[a-z]+$')", { fields: { e: { type: "string", enum: ["alpha", "beta"] } } }), r("self.es.all(x, self.es.all(y, x.matches(y)))", { fields: { es: list({ type: "string", enum: ["alpha", "beta"] }, 700) } }),
  r("self.ts.all(a, self.ts.all(b, a <= b))", { fields: { ts: list({ type: "string", format: "date-time" }) } }), r("self.ds.all(a, self.ds.exists(b, a == b))", { fields: { ds: list({ type: "string", format: "duration" }, 2000) } }),
  r("self.ios.all(x, string(x).matches('^[0-9]+$'))", { fields: { ios: list({ "x-kubernetes-int-or-string": true, anyOf: [{ type: "integer" }, { type: "string" }], maxLength: 10 }, 1000) } }),
  r("self.ios.all(x, type(x) == string && x.matches('^[0-9]+$'))", { fields: { ios: list({ "x-kubernetes-int-or-string": true, anyOf: [{ type: "integer" }, { type: "string" }], maxLength: 10 }, 100000) } }),
  r("self.bys.all(x, x.size() > 0)", { fields: { bys: list({ type: "string", format: "byte" }) } }), r("self.keyed.all(k, k.matches('^[a-z]+$'))", { fields: { keyed: map(str(10)) } }),
  r("['a', 'b'].all(x, x.matches('^a'))"), r("self.l.map(x, [x, x]).all(y, y.all(z, z.matches('^a')))"), r("cel.bind(xs, self.ul, xs.all(x, x.matches('^a')))"),
  r("self.ul.exists(x, x in self.ul)"), r("self.m.exists(k, k in self.m)"), r("self.sm.all(k, self.sm[k].contains(k))"), r("self.ul.all(x, x.contains('ab'))"),
  r("self.q == 'a' || self.q == 1", { at: [], fields: { q: { "x-kubernetes-int-or-string": true, anyOf: [{ type: "integer" }, { type: "string" }] } } }),
  r("self.ul.filter(x, x.size() > 3).map(x, x.lowerAscii()).exists(x, x.startsWith('a'))"), r("self.ul.all(x, x.split(',').size() < 3)"), r("self.uobjs.all(o, o.name.indexOf('a') >= 0)"),
  r("self.l.join(',').matches('^[a-z,]+$')"), r("self.l.all(x, url(x).getHost() == 'a')"), r("self.ul.all(x, isCIDR(x) && cidr(x).containsIP('10.0.0.1'))"),
  r("self.ul.all(x, quantity(x).isLessThan(quantity('1')))"), r("self.ul.all(x, semver(x).major() > 0)"), r("self.ul.sortBy(x, x.size()).size() > 0"),
  r("self.uobjs.all(o, o.tags.sortBy(t, t)[0] == 'a')"), r("self.uobjs.transformList(i, o, o.name).all(n, n != '')"), r("self.m.transformMap(k, v, v * 2).all(k, k != '')"),
  // messageExpressions: their own cost, not multiplied by how often the rule runs
  r("self.size() > 0", { at: ["ul", "[]"], messageExpression: "'item ' + self + ' is empty'" }), r("self.size() > 0", { at: ["l", "[]"], messageExpression: "'bad: ' + self" }),
  r("self.n > 0", { messageExpression: "self.ul.join(',')" }), r("self.n > 0", { messageExpression: "'n is ' + string(self.n)" }), r("self.n > 0", { messageExpression: "self.l.join(',') + ' ' + self.s" }),
  // more sizes and operators: in, has on maps, optional indexes, ternaries, dyn, size(), time arithmetic, format
  r("has(self.m.a)"), r("has(self.sm.k) && self.sm.k.startsWith('a')"), r("'a' in ['a', 'b']"), r("self.s in self.l"), r("self.s in self.ul"),
  r("self.ul.all(x, x in self.ul)"), r("self.ul.all(x, x in ['a', 'b'])"), r("self.sm[?'k'].orValue('').matches('^a')"), r("self.ul[?0].orValue('').matches('^a')"), r("(self.b ? self.s : self.s2).matches('^a')"),
  r("(self.b ? self.ul : self.l).all(x, x.matches('^a'))"), r("dyn(self.ul).all(x, x.matches('^a'))"), r("size(self.ul) < 10 && self.ul.size() < 10"), r("self.t + duration('1h') > self.t"), r("self.t - self.t == duration('0s')"),
  r("'%s'.format([self.ul]) != ''"), r("'%s'.format([self.s]).matches('^a')"), r("self.s.format([1]) != ''"), r("self.uobjs.exists_one(o, o.name == 'a')"), r("self.sm.exists_one(k, self.sm[k] == 'a')"),
  r("self.uobjs.all(o, o.tags.size() < 5)"), r("self.uobjs.all(o, o.tags.all(t, t.size() < 5))"), r("self.ul.all(x, x == self.s)"), r("self.ul.all(x, x < self.s)"), r("self.ul.all(x, x.size() < self.n)"),
  r("self.ul.all(x, x + self.s != '')"), r("self.ul.all(x, x.startsWith(self.s))"), r("self.ul.all(x, x.endsWith('a'))"), r("self.ul.all(x, x.lowerAscii() == x)"), r("self.ul.all(x, x.trim() == x)"),
  r("self.ul.all(x, x.substring(0, 1) == 'a')"), r("self.ul.all(x, x.charAt(0) == 'a')"), r("self.ul.all(x, x.indexOf('a') == 0)"), r("self.ul.all(x, x.replace('a', 'b') == x)"), r("self.ul.all(x, strings.quote(x) != '')"),
  r("self.ul.map(x, x.size()).sum() < 100"), r("self.ul.map(x, x.size()).max() < 100"), r("self.ul.isSorted()"), r("self.ul.indexOf('a') >= 0"), r("sets.contains(self.ul, ['a'])"),
  r("sets.intersects(self.ul, self.ul)"), r("self.ul.slice(0, 2).size() == 2"), r("self.ul.reverse().size() > 0"), r("self.ul.sort().size() > 0"), r("self.ul.distinct().size() > 0"),
  r("[self.ul, self.ul].flatten().size() > 0"), r("lists.range(self.n).size() > 0"), r("lists.range(10).all(i, i < 10)"), r("self.l.map(x, x).map(y, y).all(z, z.matches('^a'))"), r("self.uobjs.map(o, o.tags).all(ts, ts.all(t, t != ''))"),
  r("self.sm.all(k, v, k.size() + v.size() > 0)"), r("self.objs.all(i, o, o.port > i)"), r("self.ul.transformMap(i, v, v.size()).size() > 0"), r("self.uobjs.transformMapEntry(i, o, {o.name: o.tags}).size() > 0"), r("self.ul.exists(i, v, v.matches('^a'))"),
  r("self.ul.all(x, isQuantity(x))"), r("self.ul.all(x, isSemver(x))"), r("self.ul.all(x, isIP(x))"), r("self.ul.all(x, format.dns1123Label().validate(x).hasValue())"), r("self.ul.all(x, ip.isCanonical(x))"),
  // near the per-expression limit, one function each: refused at about 1.1x (the factor, printed with 6 decimals, must be the apiserver's) and accepted at 0.85 times the items
  r("self.xs.all(x, x.endsWith('a'))", { fields: { xs: list(str(100), 2200000) } }), r("self.xs.all(x, x.endsWith('a'))", { fields: { xs: list(str(100), 1870000) } }),
  r("self.xs.all(x, x.lowerAscii() == x)", { fields: { xs: list(str(100), 129412) } }), r("self.xs.all(x, x.lowerAscii() == x)", { fields: { xs: list(str(100), 110000) } }),
  r("self.xs.all(x, x.trim() == x)", { fields: { xs: list(str(100), 129412) } }), r("self.xs.all(x, x.trim() == x)", { fields: { xs: list(str(100), 110000) } }),
  r("self.xs.all(x, x.substring(0, 1) == 'a')", { fields: { xs: list(str(100), 244445) } }), r("self.xs.all(x, x.substring(0, 1) == 'a')", { fields: { xs: list(str(100), 207778) } }),
  r("self.xs.all(x, x.charAt(0) == 'a')", { fields: { xs: list(str(100), 1833333) } }), r("self.xs.all(x, x.charAt(0) == 'a')", { fields: { xs: list(str(100), 1558333) } }),
  r("self.xs.all(x, x.indexOf('a') == 0)", { fields: { xs: list(str(100), 244445) } }), r("self.xs.all(x, x.indexOf('a') == 0)", { fields: { xs: list(str(100), 207778) } }),
  r("self.xs.all(x, x.replace('a', 'b') == x)", { fields: { xs: list(str(100), 88000) } }), r("self.xs.all(x, x.replace('a', 'b') == x)", { fields: { xs: list(str(100), 74800) } }),
  r("self.xs.all(x, strings.quote(x) != '')", { fields: { xs: list(str(100), 250000) } }), r("self.xs.all(x, strings.quote(x) != '')", { fields: { xs: list(str(100), 212500) } }),
  r("self.xs.map(x, x.size()).sum() < 100", { fields: { xs: list(str(100), 733333) } }), r("self.xs.map(x, x.size()).sum() < 100", { fields: { xs: list(str(100), 623333) } }),
  r("self.xs.isSorted()", { fields: { xs: list(str(100), 268293) } }), r("self.xs.isSorted()", { fields: { xs: list(str(100), 228049) } }),
  r("self.xs.indexOf('a') >= 0", { fields: { xs: list(str(100), 268293) } }), r("self.xs.indexOf('a') >= 0", { fields: { xs: list(str(100), 228049) } }),
  r("sets.contains(self.xs, self.xs)", { fields: { xs: list(str(100), 3317) } }), r("sets.contains(self.xs, self.xs)", { fields: { xs: list(str(100), 2819) } }),
  r("self.xs.sort().size() > 0", { fields: { xs: list(str(100), 2289) } }), r("self.xs.sort().size() > 0", { fields: { xs: list(str(100), 1945) } }),
  r("self.xs.all(x, isQuantity(x))", { fields: { xs: list(str(100), 250000) } }), r("self.xs.all(x, isQuantity(x))", { fields: { xs: list(str(100), 212500) } }),
  r("self.xs.all(x, ip.isCanonical(x))", { fields: { xs: list(str(100), 130953) } }), r("self.xs.all(x, ip.isCanonical(x))", { fields: { xs: list(str(100), 111310) } }),
  r("self.xs.all(x, format.dns1123Label().validate(x).hasValue())", { fields: { xs: list(str(100), 8554) } }), r("self.xs.all(x, format.dns1123Label().validate(x).hasValue())", { fields: { xs: list(str(100), 7270) } }),
  r("self.xs.all(x, x.split(',').size() < 3)", { fields: { xs: list(str(100), 127907) } }), r("self.xs.all(x, x.split(',').size() < 3)", { fields: { xs: list(str(100), 108720) } }),
  r("self.xs.all(x, x.find('[0-9]+') != '')", { fields: { xs: list(str(100), 127907) } }), r("self.xs.all(x, x.find('[0-9]+') != '')", { fields: { xs: list(str(100), 108720) } }),
  r("self.xs.exists_one(x, x == 'a')", { fields: { xs: list(str(100), 2749999) } }), r("self.xs.exists_one(x, x == 'a')", { fields: { xs: list(str(100), 2337499) } }),
  r("self.xs.filter(x, x.size() > 3).map(x, x.lowerAscii()).exists(x, x.startsWith('a'))", { fields: { xs: list(str(100), 314285) } }), r("self.xs.filter(x, x.size() > 3).map(x, x.lowerAscii()).exists(x, x.startsWith('a'))", { fields: { xs: list(str(100), 267142) } }),
  r("self.xs.all(i, v, v.contains('ab'))", { fields: { xs: list(str(100), 250000) } }), r("self.xs.all(i, v, v.contains('ab'))", { fields: { xs: list(str(100), 212500) } }),
  r("self.xs.transformList(i, v, v + 'a').all(y, y.size() > 1)", { fields: { xs: list(str(100), 183334) } }), r("self.xs.transformList(i, v, v + 'a').all(y, y.size() > 1)", { fields: { xs: list(str(100), 155833) } }),
  r("self.xs.sortBy(x, x.size()).size() > 0", { fields: { xs: list(str(100), 2342) } }), r("self.xs.sortBy(x, x.size()).size() > 0", { fields: { xs: list(str(100), 1990) } }),
  r("self.xs.all(x, url(x).getHost() == 'a')", { fields: { xs: list(str(100), 239131) } }), r("self.xs.all(x, url(x).getHost() == 'a')", { fields: { xs: list(str(100), 203261) } }),
  r("self.xs.all(x, cidr(x).containsIP('10.0.0.1'))", { fields: { xs: list(str(100), 224490) } }), r("self.xs.all(x, cidr(x).containsIP('10.0.0.1'))", { fields: { xs: list(str(100), 190816) } }),
  r("self.xs.all(x, quantity(x) == quantity('1'))", { fields: { xs: list(str(100), 239131) } }), r("self.xs.all(x, quantity(x) == quantity('1'))", { fields: { xs: list(str(100), 203261) } }),
  r("self.xs.all(x, x + x == 'aa')", { fields: { xs: list(str(100), 127907) } }), r("self.xs.all(x, x + x == 'aa')", { fields: { xs: list(str(100), 108720) } }),
  r("self.xs.all(x, x in self.xs)", { fields: { xs: list(str(100), 3314) } }), r("self.xs.all(x, x in self.xs)", { fields: { xs: list(str(100), 2816) } }),
  r("cel.bind(v, self.xs, v.all(x, x.matches('^a')))", { fields: { xs: list(str(100), 244445) } }), r("cel.bind(v, self.xs, v.all(x, x.matches('^a')))", { fields: { xs: list(str(100), 207778) } }),
  r("self.xs.join(',').size() > 0", { fields: { xs: list(str(100), 274315) } }), r("self.xs.join(',').size() > 0", { fields: { xs: list(str(100), 233167) } }),
];

/** A schema with several rules, for the limit on their total estimated cost (per version schema). */
export interface CrdCase { name: string; spec: JSONSchemaProps }

/** `n` lists of `maxItems` objects, each with a rule costing 80,004 (a regex over a 100,000-character string). */
function regexLists(n: number, maxItems: number | undefined): Record<string, JSONSchemaProps> {
  const out: Record<string, JSONSchemaProps> = {};
  for (let i = 0; i < n; i++) {
    out[`l${i}`] = list({ type: "object", properties: { s: str(100000) }, "x-kubernetes-validations": [{ rule: "self.s.matches('^[a-z]+$')" }] }, maxItems);
  }
  return out;
}

/** `n` unbounded lists of unbounded strings, each item with a rule of cost 3 (run up to 1,048,576 times). */
function sizeLists(n: number): Record<string, JSONSchemaProps> {
  const out: Record<string, JSONSchemaProps> = {};
  for (let i = 0; i < n; i++) out[`u${i}`] = list({ type: "string", "x-kubernetes-validations": [{ rule: "self.size() < 10" }] });
  return out;
}

const obj = (properties: Record<string, JSONSchemaProps>, rules?: { rule: string; messageExpression?: string }[]): JSONSchemaProps => ({ type: "object", properties, ...(rules ? { "x-kubernetes-validations": rules } : {}) });

/** The total-cost cases: each side of the limit, with bounded and unbounded cardinality and messageExpressions. */
export const CRD_CASES: CrdCase[] = [
  { name: "10 rules x 120 items (96.0M)", spec: obj(regexLists(10, 120)) },
  { name: "11 rules x 120 items (105.6M)", spec: obj(regexLists(11, 120)) },
  { name: "11 rules x 110 items (96.8M)", spec: obj(regexLists(11, 110)) },
  { name: "31 rules on unbounded lists (97.5M)", spec: obj(sizeLists(31)) },
  { name: "32 rules on unbounded lists (100.7M)", spec: obj(sizeLists(32)) },
  {
    name: "10 rules (96.0M) and a messageExpression of 8.1M",
    spec: obj({ ...regexLists(10, 120), xs: list(str(10), 900) }, [{ rule: "true", messageExpression: "string(self.xs.all(x, self.xs.exists(y, x == y)))" }]),
  },
  {
    name: "10 rules (96.0M) and a messageExpression of 3.2M",
    spec: obj({ ...regexLists(10, 120), xs: list(str(10), 500) }, [{ rule: "true", messageExpression: "string(self.xs.all(x, self.xs.exists(y, x == y)))" }]),
  },
  { name: "a map of 6 lists of 20 (rules under two levels)", spec: obj({ m: map(obj({ l: regexLists(1, 20).l0! }), 6) }) },
  { name: "a map of 6 lists of 20, 11 times", spec: obj(Object.fromEntries(Array.from({ length: 11 }, (_, i) => [`m${i}`, map(obj({ l: regexLists(1, 20).l0! }), 6)]))) },
  { name: "one rule over the per-expression limit among cheap ones", spec: obj({ ...regexLists(2, 10), ...regexLists(1, 130) }) },
];
