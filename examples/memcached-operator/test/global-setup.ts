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
 * Runs once before the tests: makes sure the local control plane's binaries (kube-apiserver, etcd,
 * and for the simulated node kube-controller-manager, kube-scheduler and kwok) are present, so the
 * first test does not pay for building them.
 */
import { ensureBinaries } from "tsop/envtest";

export default async function setup(): Promise<void> {
  await ensureBinaries({ withControllerManager: true, withScheduler: true, withKwok: true, onProgress: (line) => console.log(line) });
}
