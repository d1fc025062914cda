/**
 * Declarations (types only, for checking) of the CEL libraries kube-apiserver enables for CRD rules
 * beyond cel-js's standard ones: strings, lists, regex, urls, quantity, ip/cidr, format, semver,
 * sets, math and base64. Rules are never evaluated with these. @module
 */
import type { Environment } from "@marcbachmann/cel-js";

const notEvaluated = (): never => {
  throw new Error("tsop declares Kubernetes CEL functions for type checking only");
};

class Opaque {}
class URL extends Opaque {}
class IP extends Opaque {}
class CIDR extends Opaque {}
class Quantity extends Opaque {}
class Semver extends Opaque {}
class Format extends Opaque {}
class Namespace extends Opaque {}

/** Function signatures, cel-js syntax (`type.method(args): result`, `A` a type parameter). */
const SIGNATURES: readonly string[] = [
  // strings
  "string.charAt(int): string",
  "string.replace(string, string): string",
  "string.replace(string, string, int): string",
  "string.format(list<dyn>): string",
  "StringsNamespace.quote(string): string",
  // lists
  ...["int", "uint", "double", "bool", "string", "bytes", "google.protobuf.Duration", "google.protobuf.Timestamp"].flatMap((t) => [`list<${t}>.isSorted(): bool`, `list<${t}>.min(): ${t}`, `list<${t}>.max(): ${t}`]),
  ...["int", "uint", "double", "google.protobuf.Duration"].map((t) => `list<${t}>.sum(): ${t}`),
  "list<A>.indexOf(A): int",
  "list<A>.lastIndexOf(A): int",
  // cel-go's lists extension (version 3)
  "list<A>.slice(int, int): list<A>",
  "list<dyn>.flatten(): list<dyn>",
  "list<dyn>.flatten(int): list<dyn>",
  "ListsNamespace.range(int): list<int>",
  "list<A>.reverse(): list<A>",
  "list<A>.distinct(): list<A>",
  "list<A>.first(): optional<A>",
  "list<A>.last(): optional<A>",
  ...["int", "uint", "double", "bool", "string", "bytes", "google.protobuf.Duration", "google.protobuf.Timestamp"].map((t) => `list<${t}>.sort(): list<${t}>`),
  // cel-go standard conversions cel-js lacks
  "int(uint): int",
  "int(google.protobuf.Timestamp): int",
  "string(google.protobuf.Timestamp): string",
  "string(google.protobuf.Duration): string",
  "timestamp(google.protobuf.Timestamp): google.protobuf.Timestamp",
  "duration(google.protobuf.Duration): google.protobuf.Duration",
  // regex
  "matches(string, string): bool",
  "string.find(string): string",
  "string.findAll(string): list<string>",
  "string.findAll(string, int): list<string>",
  // urls
  "url(string): k8s.URL",
  "isURL(string): bool",
  "k8s.URL.getScheme(): string",
  "k8s.URL.getHost(): string",
  "k8s.URL.getHostname(): string",
  "k8s.URL.getPort(): string",
  "k8s.URL.getEscapedPath(): string",
  "k8s.URL.getQuery(): map<string, list<string>>",
  // quantity
  "quantity(string): k8s.Quantity",
  "isQuantity(string): bool",
  "k8s.Quantity.isInteger(): bool",
  "k8s.Quantity.asInteger(): int",
  "k8s.Quantity.asApproximateFloat(): double",
  "k8s.Quantity.add(k8s.Quantity): k8s.Quantity",
  "k8s.Quantity.add(int): k8s.Quantity",
  "k8s.Quantity.sub(k8s.Quantity): k8s.Quantity",
  "k8s.Quantity.sub(int): k8s.Quantity",
  "k8s.Quantity.isGreaterThan(k8s.Quantity): bool",
  "k8s.Quantity.isLessThan(k8s.Quantity): bool",
  "k8s.Quantity.compareTo(k8s.Quantity): int",
  // ip and cidr
  "ip(string): net.IP",
  "isIP(string): bool",
  "IpNamespace.isCanonical(string): bool",
  "net.IP.family(): int",
  "net.IP.isUnspecified(): bool",
  "net.IP.isLoopback(): bool",
  "net.IP.isLinkLocalMulticast(): bool",
  "net.IP.isLinkLocalUnicast(): bool",
  "net.IP.isGlobalUnicast(): bool",
  "string(net.IP): string",
  "cidr(string): net.CIDR",
  "isCIDR(string): bool",
  "net.CIDR.containsIP(net.IP): bool",
  "net.CIDR.containsIP(string): bool",
  "net.CIDR.containsCIDR(net.CIDR): bool",
  "net.CIDR.containsCIDR(string): bool",
  "net.CIDR.ip(): net.IP",
  "net.CIDR.masked(): net.CIDR",
  "net.CIDR.prefixLength(): int",
  "string(net.CIDR): string",
  // format
  ...["dns1123Label", "dns1123Subdomain", "dns1035Label", "qualifiedName", "dns1123LabelPrefix", "dns1123SubdomainPrefix", "dns1035LabelPrefix", "labelValue", "uri", "uuid", "byte", "date", "datetime"].map((f) => `FormatNamespace.${f}(): k8s.Format`),
  "FormatNamespace.named(string): optional<k8s.Format>",
  "k8s.Format.validate(string): optional<list<string>>",
  // semver
  "semver(string): k8s.Semver",
  "semver(string, bool): k8s.Semver",
  "isSemver(string): bool",
  "isSemver(string, bool): bool",
  "k8s.Semver.major(): int",
  "k8s.Semver.minor(): int",
  "k8s.Semver.patch(): int",
  "k8s.Semver.isGreaterThan(k8s.Semver): bool",
  "k8s.Semver.isLessThan(k8s.Semver): bool",
  "k8s.Semver.compareTo(k8s.Semver): int",
  // sets
  "OptionalNamespace.ofNonZeroValue(A): optional<A>",
  "SetsNamespace.contains(list<A>, list<A>): bool",
  "SetsNamespace.equivalent(list<A>, list<A>): bool",
  "SetsNamespace.intersects(list<A>, list<A>): bool",
];

/** Namespace identifiers (`sets.contains`, `format.dns1123Label`, ...) and their types. */
const NAMESPACES: Record<string, string> = {
  strings: "StringsNamespace", sets: "SetsNamespace", format: "FormatNamespace", ip: "IpNamespace", lists: "ListsNamespace",
};

/** Declares `==` (and with it `!=`) between two values of a declared type. */
export function declareEquality(env: Environment, type: string): void {
  env.registerOperator(`${type} == ${type}`, notEvaluated);
}

/** Declares the Kubernetes CEL libraries in `env`. */
export function registerKubernetesLibraries(env: Environment): void {
  // Opaque values: no fields; == and != as the apiserver allows them.
  for (const [name, ctor] of [["k8s.URL", URL], ["net.IP", IP], ["net.CIDR", CIDR], ["k8s.Quantity", Quantity], ["k8s.Semver", Semver], ["k8s.Format", Format]] as const) {
    env.registerType(name, { ctor, fields: {} });
    declareEquality(env, name);
  }
  for (const [name, type] of Object.entries(NAMESPACES)) {
    const ns = class extends Namespace {};
    env.registerType(type, ns);
    env.registerConstant(name, type, new ns());
  }
  for (const sig of SIGNATURES) env.registerFunction(sig, notEvaluated);
}
