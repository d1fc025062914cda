/**
 * English plurals for resource names, the way Kubernetes users expect them (policies, statuses,
 * ingresses, proxies) and the way kubebuilder treats made-up words (memcacheds).
 * @module
 */

const IRREGULAR: Readonly<Record<string, string>> = {
  person: "people",
  child: "children",
  man: "men",
  woman: "women",
  mouse: "mice",
  goose: "geese",
  foot: "feet",
  tooth: "teeth",
  datum: "data",
  index: "indices",
  matrix: "matrices",
  vertex: "vertices",
  criterion: "criteria",
  analysis: "analyses",
  basis: "bases",
  crisis: "crises",
  leaf: "leaves",
  half: "halves",
  shelf: "shelves",
  wolf: "wolves",
  thief: "thieves",
  knife: "knives",
  life: "lives",
  wife: "wives",
  hero: "heroes",
  potato: "potatoes",
  echo: "echoes",
};

/** Words whose plural is the word itself. */
const UNCOUNTABLE = new Set([
  "data", "endpoints", "equipment", "information", "metadata", "news", "series", "species", "sheep", "fish", "deer",
]);

/**
 * The lower-case English plural of a kind: `Policy` → `policies`, `Status` → `statuses`,
 * `Ingress` → `ingresses`, `Proxy` → `proxies`, `Memcached` → `memcacheds`.
 * Compound kinds pluralize their last word (`NetworkPolicy` → `networkpolicies`).
 */
export function pluralize(kind: string): string {
  const word = kind.toLowerCase();
  if (word === "") return word;
  if (UNCOUNTABLE.has(word)) return word;
  // Irregular nouns, also as the last word of a compound (`SecurityPerson` → `securitypeople`).
  const lastWord = lastCamelWord(kind).toLowerCase();
  const irregular = IRREGULAR[lastWord];
  if (irregular !== undefined) return word.slice(0, word.length - lastWord.length) + irregular;
  if (UNCOUNTABLE.has(lastWord)) return word;
  if (/[^aeiou]y$/.test(word)) return word.slice(0, -1) + "ies";
  if (/(s|ss|sh|ch|x|z)$/.test(word)) return word + "es";
  return word + "s";
}

function lastCamelWord(kind: string): string {
  const m = /[A-Z]?[a-z0-9]+$|[A-Z]+$/.exec(kind);
  return m ? m[0] : kind;
}
