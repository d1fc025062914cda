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

import { defineKind, type Condition, type Int64, type ObjectMeta } from "tsop/types";

// TODO(user): describe the desired state in EtcdBackupSpec and the observed state in EtcdBackupStatus,
// then run `tsop manifests` to regenerate the CRD. JSDoc tags (@minimum, @maxLength, @default,
// @pattern, @validation, ...) become OpenAPI validation in the CRD.

/** EtcdBackupSpec defines the desired state of EtcdBackup. */
export interface EtcdBackupSpec {
  /**
   * An example field of EtcdBackup; replace it with your own.
   * @maxLength 253
   */
  foo?: string;
}

/** EtcdBackupStatus defines the observed state of EtcdBackup. */
export interface EtcdBackupStatus {
  /**
   * The latest observations of the EtcdBackup's state. Common types: "Available" (the resource is
   * fully functional), "Progressing" (it is being created or updated) and "Degraded" (it failed to
   * reach or keep its desired state).
   * @listType map
   * @listMapKey type
   */
  conditions?: Condition[];
  /** The .metadata.generation this status was computed from. */
  observedGeneration?: Int64;
}

/**
 * EtcdBackup is the Schema for the etcdbackups API.
 * @scope Namespaced
 * @plural etcdbackups
 * @subresource status
 */
export interface EtcdBackup {
  apiVersion?: "etcd.example.com/v1alpha1";
  kind?: "EtcdBackup";
  metadata?: ObjectMeta;
  spec?: EtcdBackupSpec;
  status?: EtcdBackupStatus;
}

/** The runtime descriptor of EtcdBackup: what the client needs to address it on the apiserver. */
export const EtcdBackup = defineKind<EtcdBackup>({
  group: "etcd.example.com",
  version: "v1alpha1",
  kind: "EtcdBackup",
  plural: "etcdbackups",
  namespaced: true,
});
