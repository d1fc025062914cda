/*
 * Copyright 2026.
 *
 * Licensed under the Apache License, Version 2.0 (the "License");
 * you may not use this file except in compliance with the License.
 * You may obtain a copy of the License at
 *
 *     http://www.apache.org/licenses/LICENSE-2.0
 *
 * Unless required by applicable law or agreed to in writing, software
 * distributed under the License is distributed on an "AS IS" BASIS,
 * WITHOUT WARRANTIES OR CONDITIONS OF ANY KIND, either express or implied.
 * See the License for the specific language governing permissions and
 * limitations under the License.
 */

/**
 * The operator's entry point: a manager with kubebuilder's flags (--metrics-bind-address,
 * --health-probe-bind-address, --leader-elect, --metrics-secure, --enable-http2, ...) and the
 * reconcilers it runs. `tsop create api` adds new reconcilers to the `reconcilers` array below.
 */
import { exitOnFatalError, Manager, parseManagerFlags, type Webhook } from "tsop/runtime";

exitOnFatalError(); // a mistyped flag or a broken kubeconfig: one line, exit 1
import { MemcachedReconciler } from "./controllers/memcached.controller.js";
import { memcachedWebhook } from "./webhooks/cache/v1alpha1/memcached.webhook.js";

const mgr = await Manager.create({
  leaderElectionID: "88e64d3f.example.com", // --leader-election-id overrides it
  ...parseManagerFlags(process.argv.slice(2)),
});

/** Every reconciler this operator runs. */
const reconcilers: { setupWithManager(mgr: Manager): void }[] = [
  new MemcachedReconciler(),
];

for (const r of reconcilers) r.setupWithManager(mgr);

/** Every webhook this operator serves; `tsop create webhook` adds new ones here. */
const webhooks: Webhook[] = [
  memcachedWebhook,
];

for (const w of webhooks) mgr.webhookServer.register(w);

await mgr.start();
