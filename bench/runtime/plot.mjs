// Plots, against N, from compare.mjs's JSON lines (medians per operator, workload and N; one
// client-limit setting, default "default"): time to converge N objects, a new object's convergence
// after a restart with N existing, and peak RSS (of the converging operator; for --seed runs, of
// the restarted one once idle). Points a run did not measure are left out. Writes an SVG and, through
// rsvg-convert (Debian: librsvg2-bin), a PNG next to it. No network, no npm dependency.
// Usage: node bench/runtime/plot.mjs --out docs/benchmarks-runtime [--limit default] results.jsonl...
import { execFileSync } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";

const argv = process.argv.slice(2);
const take = (name, def) => {
  const i = argv.indexOf(`--${name}`);
  if (i < 0) return def;
  const v = argv[i + 1];
  argv.splice(i, 2);
  return v;
};
const out = take("out", "benchmarks-runtime");
const limit = take("limit", "default");
const samples = argv.flatMap((f) => readFileSync(f, "utf8").split("\n").filter((l) => l.startsWith('{"op"')).map((l) => JSON.parse(l))).filter((s) => s.limit === limit);
const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};
const series = new Map();
for (const s of samples) {
  const key = `${s.op}|${s.workload}`;
  if (!series.has(key)) series.set(key, new Map());
  const byN = series.get(key);
  if (!byN.has(s.n)) byN.set(s.n, []);
  byN.get(s.n).push(s);
}
const ns = [...new Set(samples.map((s) => s.n))].sort((a, b) => a - b);
const W = 1370, H = 420, panelW = 360, panelH = 300, top = 60, left = [70, 510, 950];
const colors = { tsop: "#1f77b4", "controller-runtime": "#d62728" };
const dashes = { tutorial: "", example: "6,4" };
const esc = (t) => String(t).replace(/&/g, "&amp;").replace(/</g, "&lt;");
let svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" font-family="DejaVu Sans, Arial, sans-serif" font-size="12">\n<rect width="${W}" height="${H}" fill="white"/>\n`;
svg += `<text x="${W / 2}" y="22" text-anchor="middle" font-size="15">memcached operator: tsop vs controller-runtime v0.25.3 (client limit: ${esc(limit)}, medians)</text>\n`;
const num = (v) => (typeof v === "number" && Number.isFinite(v) ? v : NaN);
const panels = [
  { title: "time to converge N new objects (s)", get: (s) => num(s.convergedMs) / 1000 },
  { title: "restart with N existing: new object converged (s)", get: (s) => num(s.restart?.newObjectMs) / 1000 },
  { title: "operator peak RSS with N objects (MiB)", get: (s) => (Number.isFinite(num(s.peakRssMiB)) ? s.peakRssMiB : num(s.restart?.idlePeakRssMiB ?? s.restart?.peakRssMiB)) },
];
const fin = (xs) => xs.filter((x) => Number.isFinite(x));
const lx = (n, x0) => (ns.length < 2 ? x0 + panelW / 2 : x0 + ((Math.log10(n) - Math.log10(ns[0])) / (Math.log10(ns.at(-1)) - Math.log10(ns[0]))) * panelW);
panels.forEach((p, pi) => {
  const x0 = left[pi];
  const values = [...series.values()].flatMap((byN) => [...byN.values()].map((xs) => median(fin(xs.map(p.get))))).filter((v) => Number.isFinite(v));
  const ymax = Math.max(1, ...values) * 1.1;
  const y = (v) => top + panelH - (v / ymax) * panelH;
  svg += `<text x="${x0 + panelW / 2}" y="${top - 12}" text-anchor="middle" font-size="13">${esc(p.title)}</text>\n`;
  svg += `<line x1="${x0}" y1="${top + panelH}" x2="${x0 + panelW}" y2="${top + panelH}" stroke="black"/><line x1="${x0}" y1="${top}" x2="${x0}" y2="${top + panelH}" stroke="black"/>\n`;
  for (let i = 0; i <= 5; i++) {
    const v = (ymax / 5) * i;
    svg += `<line x1="${x0 - 4}" y1="${y(v)}" x2="${x0 + panelW}" y2="${y(v)}" stroke="#ddd"/><text x="${x0 - 7}" y="${y(v) + 4}" text-anchor="end">${v >= 100 ? v.toFixed(0) : v.toFixed(1)}</text>\n`;
  }
  for (const n of ns) svg += `<text x="${lx(n, x0)}" y="${top + panelH + 18}" text-anchor="middle">N = ${n.toLocaleString("en-US")}</text>\n`;
  for (const [key, byN] of series) {
    const [op, workload] = key.split("|");
    const pts = [...byN].sort((a, b) => a[0] - b[0]).filter(([, xs]) => fin(xs.map(p.get)).length > 0).map(([n, xs]) => [lx(n, x0), y(median(fin(xs.map(p.get))))]);
    svg += `<polyline fill="none" stroke="${colors[op]}" stroke-width="2" stroke-dasharray="${dashes[workload] ?? ""}" points="${pts.map((q) => q.join(",")).join(" ")}"/>\n`;
    // tutorial: dots; example: squares
    for (const [px, py] of pts) svg += workload === "example" ? `<rect x="${px - 4}" y="${py - 4}" width="8" height="8" fill="${colors[op]}"/>\n` : `<circle cx="${px}" cy="${py}" r="4" fill="${colors[op]}"/>\n`;
  }
});
let ly = top + panelH + 40;
let lxp = left[0];
for (const key of series.keys()) {
  const [op, workload] = key.split("|");
  const mark = workload === "example" ? `<rect x="${lxp + 11}" y="${ly - 4}" width="8" height="8" fill="${colors[op]}"/>` : `<circle cx="${lxp + 15}" cy="${ly}" r="4" fill="${colors[op]}"/>`;
  svg += `<line x1="${lxp}" y1="${ly}" x2="${lxp + 30}" y2="${ly}" stroke="${colors[op]}" stroke-width="2" stroke-dasharray="${dashes[workload] ?? ""}"/>${mark}<text x="${lxp + 36}" y="${ly + 4}">${esc(op)}, ${esc(workload)}</text>\n`;
  lxp += 210;
}
svg += "</svg>\n";
writeFileSync(`${out}.svg`, svg);
execFileSync("rsvg-convert", ["-o", `${out}.png`, `${out}.svg`]);
console.error(`wrote ${out}.svg and ${out}.png (${samples.length} samples, N = ${ns.join(", ")})`);
