import { Manager, parseManagerFlags } from "tsop/runtime";
import { MemcachedReconciler } from "./controllers/memcached.controller.js";

const mgr = await Manager.create({ ...parseManagerFlags(process.argv.slice(2)), leaderElectionID: "86f835c3.example.com" });

const reconcilers = [
  new MemcachedReconciler(),
];
for (const r of reconcilers) r.setupWithManager(mgr);

await mgr.start();
