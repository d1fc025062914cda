// The Go twin of test/schema/fixtures/type-tag-matrix.ts for controller-gen (regenerate the CRD with
// test/schema/controller-gen/generate.sh). Only types with a faithful Go form are here: IntOrString
// aliases and literal unions are compared in apiserver.test.ts.
// +groupName=fixtures.tsop.dev
// +kubebuilder:object:generate=false
package v1

import (
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/runtime"
)

// +kubebuilder:validation:MaxLength=15
// +kubebuilder:validation:Pattern=`^[a-z0-9]+$`
// +kubebuilder:validation:XIntOrString
type Port string

// +kubebuilder:validation:XIntOrString
// +kubebuilder:validation:Enum=1;2;s;m
// +kubebuilder:validation:MaxLength=3
// +kubebuilder:validation:MinLength=1
type Size string

// +kubebuilder:validation:Minimum=1
// +kubebuilder:validation:Maximum=10
// +kubebuilder:validation:MultipleOf=2
type Even int32

// +kubebuilder:validation:Minimum=0
// +kubebuilder:validation:ExclusiveMinimum=true
// +kubebuilder:validation:Maximum=1
// +kubebuilder:validation:ExclusiveMaximum=true
type Fraction float64

// +kubebuilder:validation:MinLength=1
// +kubebuilder:validation:MaxLength=63
// +kubebuilder:validation:Pattern=`^[a-z]+$`
type Label string

// +kubebuilder:validation:Format=email
type Email string

// +kubebuilder:validation:MinItems=1
// +kubebuilder:validation:MaxItems=4
// +listType=set
type Tags []string

// +listType=map
// +listMapKey=name
// +kubebuilder:validation:MaxItems=8
type Entries []Entry

type Entry struct {
	Name  string `json:"name"`
	Value string `json:"value,omitempty"`
}

// +kubebuilder:validation:MinProperties=1
// +kubebuilder:validation:MaxProperties=5
// +mapType=atomic
type Labels map[string]string

// +structType=atomic
// +kubebuilder:validation:XValidation:rule="self.a <= self.b",message="a must not exceed b"
// +kubebuilder:validation:ExactlyOneOf=a;c
type Range struct {
	A *int32 `json:"a,omitempty"`
	B *int32 `json:"b,omitempty"`
	C string `json:"c,omitempty"`
}

// +kubebuilder:pruning:PreserveUnknownFields
type Free struct{}

// +kubebuilder:validation:EmbeddedResource
type Embedded runtime.RawExtension

// +nullable
type MaybeText string

// +kubebuilder:validation:Type=string
type Stamp struct {
	Seconds int32 `json:"seconds"`
}

// +kubebuilder:validation:Enum=none;all
// +kubebuilder:default=none
type Mode string

// +kubebuilder:title="A count"
type Count int32

// A nested alias keeps the tags of the alias it names, and adds its own.
// +kubebuilder:validation:Format=hostname
type ShortLabel Label

type MatrixSpec struct {
	Even        Even             `json:"even,omitempty"`
	Evens       []Even           `json:"evens,omitempty"`
	EvenByName  map[string]Even  `json:"evenByName,omitempty"`
	Fraction    Fraction         `json:"fraction,omitempty"`
	Label       Label            `json:"label,omitempty"`
	Labels      []Label          `json:"labels,omitempty"`
	LabelByName map[string]Label `json:"labelByName,omitempty"`
	ShortLabel  ShortLabel       `json:"shortLabel,omitempty"`
	ShortLabels []ShortLabel     `json:"shortLabels,omitempty"`
	Email       Email            `json:"email,omitempty"`
	Emails      []Email          `json:"emails,omitempty"`
	Tags        Tags             `json:"tags,omitempty"`
	TagLists    []Tags           `json:"tagLists,omitempty"`
	Entries     Entries          `json:"entries,omitempty"`
	LabelMap    Labels           `json:"labelMap,omitempty"`
	LabelMaps   []Labels         `json:"labelMaps,omitempty"`
	Range       Range            `json:"range,omitempty"`
	Ranges      []Range          `json:"ranges,omitempty"`
	RangeByName map[string]Range `json:"rangeByName,omitempty"`
	Free        Free             `json:"free,omitempty"`
	Frees       []Free           `json:"frees,omitempty"`
	FreeByName  map[string]Free  `json:"freeByName,omitempty"`
	Embedded    Embedded         `json:"embedded,omitempty"`
	Embeddeds   []Embedded       `json:"embeddeds,omitempty"`
	Maybe       MaybeText        `json:"maybe,omitempty"`
	Maybes      []MaybeText      `json:"maybes,omitempty"`
	Stamp       Stamp            `json:"stamp,omitempty"`
	Stamps      []Stamp          `json:"stamps,omitempty"`
	Mode        Mode             `json:"mode,omitempty"`
	Modes       []Mode           `json:"modes,omitempty"`
	Count       Count            `json:"count,omitempty"`
	Port        Port             `json:"port,omitempty"`
	Ports       []Port           `json:"ports,omitempty"`
	PortByName  map[string]Port  `json:"portByName,omitempty"`
	Size        Size             `json:"size,omitempty"`
	Sizes       []Size           `json:"sizes,omitempty"`
	SizeByName  map[string]Size  `json:"sizeByName,omitempty"`
}

// +kubebuilder:object:root=true
type Matrix struct {
	metav1.TypeMeta   `json:",inline"`
	metav1.ObjectMeta `json:"metadata,omitempty"`
	Spec              MatrixSpec `json:"spec,omitempty"`
}
