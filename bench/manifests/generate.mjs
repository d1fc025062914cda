// Generates equivalent N-kind projects for tsop (TypeScript + PROJECT) and controller-gen (Go).
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";

const kinds = (n) => Array.from({ length: n }, (_, i) => `Widget${String(i).padStart(3, "0")}`);

/** A tsop project with N kinds in group bench.example.com/v1 and one controller per kind. */
export function generateTs(dir, n, repo) {
  mkdirSync(join(dir, "src", "api", "bench", "v1"), { recursive: true });
  mkdirSync(join(dir, "src", "controllers"), { recursive: true });
  const res = kinds(n).map((k) => `- controller: true\n  crd: true\n  domain: example.com\n  group: bench\n  kind: ${k}\n  namespaced: true\n  path: src/api/bench/v1/${k.toLowerCase()}.ts\n  plural: ${k.toLowerCase()}s\n  version: v1`);
  writeFileSync(join(dir, "PROJECT"), `domain: example.com\nlayout: tsop.dev/v1\nprojectName: bench\nrepo: example.com/bench\nresources:\n${res.join("\n")}\nversion: "3"\n`);
  for (const k of kinds(n)) {
    writeFileSync(join(dir, "src", "api", "bench", "v1", `${k.toLowerCase()}.ts`), `import { defineKind, type Condition, type Int32, type ObjectMeta } from "tsop/types";

/** ${k}Spec defines the desired state of ${k}. */
export interface ${k}Spec {
  /**
   * Number of replicas.
   * @minimum 1
   * @maximum 10
   */
  size: Int32;
  /**
   * The image to run.
   * @maxLength 253
   */
  image?: string;
  /** @default 8080 */
  port?: Int32;
  /** Labels to add. */
  labels?: Record<string, string>;
  /** @validation rule="self.size() <= 16" message="at most 16 args" */
  args?: string[];
}

/** ${k}Status defines the observed state of ${k}. */
export interface ${k}Status {
  /**
   * @listType map
   * @listMapKey type
   */
  conditions?: Condition[];
}

/**
 * ${k} is the Schema for the ${k.toLowerCase()}s API.
 * @subresource status
 */
export interface ${k} {
  apiVersion?: string;
  kind?: string;
  metadata?: ObjectMeta;
  spec?: ${k}Spec;
  status?: ${k}Status;
}

export const ${k} = defineKind<${k}>({ group: "bench.example.com", version: "v1", kind: "${k}", plural: "${k.toLowerCase()}s", namespaced: true });
`);
    writeFileSync(join(dir, "src", "controllers", `${k.toLowerCase()}.controller.ts`), `/**
 * @rbac groups=bench.example.com resources=${k.toLowerCase()}s verbs=get;list;watch;create;update;patch;delete
 * @rbac groups=bench.example.com resources=${k.toLowerCase()}s/status verbs=get;update;patch
 * @rbac groups=bench.example.com resources=${k.toLowerCase()}s/finalizers verbs=update
 */
export class ${k}Reconciler {}
`);
  }
}

/** The same N kinds as a kubebuilder Go project (api/v1 + internal/controller). */
export function generateGo(dir, n) {
  mkdirSync(join(dir, "api", "v1"), { recursive: true });
  mkdirSync(join(dir, "internal", "controller"), { recursive: true });
  writeFileSync(join(dir, "go.mod"), "module example.com/bench\n\ngo 1.24\n\nrequire k8s.io/apimachinery v0.34.2\n");
  writeFileSync(join(dir, "api", "v1", "groupversion_info.go"), `// +kubebuilder:object:generate=true
// +groupName=bench.example.com
package v1
`);
  for (const k of kinds(n)) {
    writeFileSync(join(dir, "api", "v1", `${k.toLowerCase()}_types.go`), `package v1

import metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"

// ${k}Spec defines the desired state of ${k}.
type ${k}Spec struct {
	// Number of replicas.
	// +kubebuilder:validation:Minimum=1
	// +kubebuilder:validation:Maximum=10
	Size int32 \`json:"size"\`
	// The image to run.
	// +kubebuilder:validation:MaxLength=253
	// +optional
	Image string \`json:"image,omitempty"\`
	// +kubebuilder:default=8080
	// +optional
	Port int32 \`json:"port,omitempty"\`
	// Labels to add.
	// +optional
	Labels map[string]string \`json:"labels,omitempty"\`
	// +kubebuilder:validation:XValidation:rule="self.size() <= 16",message="at most 16 args"
	// +optional
	Args []string \`json:"args,omitempty"\`
}

// ${k}Status defines the observed state of ${k}.
type ${k}Status struct {
	// +listType=map
	// +listMapKey=type
	// +optional
	Conditions []metav1.Condition \`json:"conditions,omitempty"\`
}

// +kubebuilder:object:root=true
// +kubebuilder:subresource:status

// ${k} is the Schema for the ${k.toLowerCase()}s API.
type ${k} struct {
	metav1.TypeMeta   \`json:",inline"\`
	metav1.ObjectMeta \`json:"metadata,omitempty"\`
	Spec   ${k}Spec   \`json:"spec,omitempty"\`
	Status ${k}Status \`json:"status,omitempty"\`
}
`);
    writeFileSync(join(dir, "internal", "controller", `${k.toLowerCase()}_controller.go`), `package controller

// +kubebuilder:rbac:groups=bench.example.com,resources=${k.toLowerCase()}s,verbs=get;list;watch;create;update;patch;delete
// +kubebuilder:rbac:groups=bench.example.com,resources=${k.toLowerCase()}s/status,verbs=get;update;patch
// +kubebuilder:rbac:groups=bench.example.com,resources=${k.toLowerCase()}s/finalizers,verbs=update

// ${k}Reconciler reconciles ${k}.
type ${k}Reconciler struct{}
`);
  }
}
