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
 * The webhooks of Memcached (cache.example.com/v1alpha1). `tsop manifests` turns the `@webhook` tags below into
 * config/webhook/manifests.yaml; src/main.ts registers the exports.
 *
 * The CRD schema already bounds `spec.size` to 1..5; these webhooks add what a schema cannot say:
 * a size above {@link MAX_UNAPPROVED_SIZE} needs an approval annotation, and one update may not
 * scale by more than {@link MAX_STEP} pods (that needs the old object).
 */
import { FieldError, defineWebhook } from "tsop/runtime";
import { Memcached } from "../../../api/cache/v1alpha1/memcached.js";

/** memcached's well-known port, the default of `spec.containerPort`. */
export const DEFAULT_PORT = 11211;
/** Sizes above this need {@link LARGE_APPROVAL}: each pod reserves memory on the nodes. */
export const MAX_UNAPPROVED_SIZE = 3;
/** The annotation that approves a size above {@link MAX_UNAPPROVED_SIZE}. */
export const LARGE_APPROVAL = "cache.example.com/approved-large";
/** The largest change of `spec.size` in one update. */
export const MAX_STEP = 2;

/**
 * Admission hooks of Memcached.
 * @webhook path=/mutate-cache-example-com-v1alpha1-memcached mutating=true failurePolicy=Fail sideEffects=None groups=cache.example.com resources=memcacheds verbs=create;update versions=v1alpha1 name=mmemcached-v1alpha1.kb.io admissionReviewVersions=v1
 * @webhook path=/validate-cache-example-com-v1alpha1-memcached mutating=false failurePolicy=Fail sideEffects=None groups=cache.example.com resources=memcacheds verbs=create;update versions=v1alpha1 name=vmemcached-v1alpha1.kb.io admissionReviewVersions=v1
 */
export const memcachedWebhook = defineWebhook({
  kind: Memcached,

  /** Defaults the port and labels the object with the app it runs. */
  default(m) {
    if (m.spec) m.spec.containerPort ??= DEFAULT_PORT;
    m.metadata = { ...m.metadata, labels: { "app.kubernetes.io/name": "memcached", ...m.metadata?.labels } };
  },

  /** A large size needs approval; a single pod is allowed with a warning. */
  validateCreate(m) {
    return checkSize(m);
  },

  /** As on create, and the size moves by at most {@link MAX_STEP} at once. */
  validateUpdate(old, m) {
    const [from, to] = [old.spec?.size ?? 0, m.spec?.size ?? 0];
    if (Math.abs(to - from) > MAX_STEP) {
      throw new FieldError("spec.size", `may change by at most ${MAX_STEP} per update (from ${from}); scale in steps`, { value: to });
    }
    return checkSize(m);
  },
});

function checkSize(m: Memcached): string[] {
  const size = m.spec?.size ?? 0;
  if (size > MAX_UNAPPROVED_SIZE && m.metadata?.annotations?.[LARGE_APPROVAL] !== "true") {
    throw new FieldError("spec.size", `must be at most ${MAX_UNAPPROVED_SIZE} unless annotated ${LARGE_APPROVAL}=true (each pod reserves node memory)`, { value: size });
  }
  return size === 1 ? ["spec.size 1: a single memcached pod has no redundancy"] : [];
}
