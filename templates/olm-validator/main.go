// Command tsop-olm-validate checks an OLM bundle directory (bundle/ with manifests/ and metadata/)
// with operator-framework/api's own validators, as `operator-sdk bundle validate` does, and prints
// one JSON object per finding on stdout: {"level":"error"|"warning","source":"...","message":"..."}.
// tsop builds it into its cache (`tsop bundle validate`); it is not part of a generated project.
package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/operator-framework/api/pkg/manifests"
	"github.com/operator-framework/api/pkg/validation"
	"github.com/operator-framework/api/pkg/validation/errors"
	"sigs.k8s.io/yaml"
)

type finding struct {
	Level   string `json:"level"`
	Source  string `json:"source"`
	Message string `json:"message"`
}

var out = json.NewEncoder(os.Stdout)

func report(level, source, message string) {
	_ = out.Encode(finding{Level: level, Source: source, Message: message})
}

// The checks operator-registry makes on metadata/annotations.yaml before it reads a bundle image
// (that module is too large to build here): the mediatype, the two directories, package and channels.
func checkAnnotations(dir string) {
	const src = "metadata/annotations.yaml"
	data, err := os.ReadFile(filepath.Join(dir, "metadata", "annotations.yaml"))
	if err != nil {
		report("error", src, fmt.Sprintf("cannot read the bundle's annotations: %v", err))
		return
	}
	var file struct {
		Annotations map[string]string `json:"annotations"`
	}
	if err := yaml.UnmarshalStrict(data, &file); err != nil {
		report("error", src, fmt.Sprintf("does not parse: %v", err))
		return
	}
	a := file.Annotations
	want := map[string]string{
		"operators.operatorframework.io.bundle.mediatype.v1": "registry+v1",
		"operators.operatorframework.io.bundle.manifests.v1": "manifests/",
		"operators.operatorframework.io.bundle.metadata.v1":  "metadata/",
	}
	for _, k := range []string{"operators.operatorframework.io.bundle.mediatype.v1", "operators.operatorframework.io.bundle.manifests.v1", "operators.operatorframework.io.bundle.metadata.v1"} {
		if a[k] != want[k] {
			report("error", src, fmt.Sprintf("annotation %s is %q, want %q", k, a[k], want[k]))
		}
	}
	if a["operators.operatorframework.io.bundle.package.v1"] == "" {
		report("error", src, "annotation operators.operatorframework.io.bundle.package.v1 (the package name) is missing")
	}
	channels := strings.Split(a["operators.operatorframework.io.bundle.channels.v1"], ",")
	if a["operators.operatorframework.io.bundle.channels.v1"] == "" {
		report("error", src, "annotation operators.operatorframework.io.bundle.channels.v1 (the channels) is missing")
	}
	if def := a["operators.operatorframework.io.bundle.channel.default.v1"]; def != "" {
		found := false
		for _, c := range channels {
			found = found || c == def
		}
		if !found {
			report("error", src, fmt.Sprintf("default channel %q is not one of the channels %q", def, channels))
		}
	}
}

// text is the finding without the library's level prefix and without values that only print as
// pointers or structs (the source already names the object).
func text(e errors.Error) string {
	value := ""
	if e.BadValue != nil {
		value = fmt.Sprintf("%v", e.BadValue)
		if strings.HasPrefix(value, "0x") || strings.HasPrefix(value, "&") || strings.HasPrefix(value, "{") || strings.HasPrefix(value, "map[") || strings.HasPrefix(value, "[") {
			value = ""
		}
	}
	msg := e.Detail
	if msg == "" {
		msg = string(e.Type)
		if value != "" {
			msg += ": " + value
		}
	}
	if e.Field != "" {
		msg = "field " + e.Field + ": " + msg
	}
	return msg
}

func add(source string, errs []errors.Error) {
	for _, e := range errs {
		level := "warning"
		if e.Level == errors.LevelError {
			level = "error"
		}
		report(level, source, text(e))
	}
}

func main() {
	optional := flag.String("select-optional", "", "comma-separated optional validators: good-practices, operatorhub, deprecated-apis")
	k8sVersion := flag.String("k8s-version", "", "the Kubernetes version the deprecated-apis and operatorhub validators check against")
	flag.Parse()
	if flag.NArg() != 1 {
		fmt.Fprintln(os.Stderr, "usage: tsop-olm-validate [--select-optional list] [--k8s-version V] BUNDLE_DIR")
		os.Exit(2)
	}
	dir := flag.Arg(0)
	checkAnnotations(dir)
	bundle, err := manifests.GetBundleFromDir(dir)
	if err != nil {
		report("error", "bundle", fmt.Sprintf("cannot load the bundle: %v", err))
		return
	}
	validators := validation.DefaultBundleValidators
	for _, name := range strings.Split(*optional, ",") {
		switch strings.TrimSpace(name) {
		case "":
		case "good-practices":
			validators = validators.WithValidators(validation.GoodPracticesValidator)
		case "operatorhub":
			validators = validators.WithValidators(validation.OperatorHubV2Validator, validation.StandardCapabilitiesValidator, validation.StandardCategoriesValidator)
		case "deprecated-apis":
			validators = validators.WithValidators(validation.AlphaDeprecatedAPIsValidator)
		default:
			fmt.Fprintf(os.Stderr, "unknown optional validator %q\n", name)
			os.Exit(2)
		}
	}
	objs := append(bundle.ObjectsToValidate(), map[string]string{"k8s-version": *k8sVersion})
	for _, r := range validators.Validate(objs...) {
		source := r.Name
		if bundle.CSV != nil && source == bundle.CSV.Spec.Version.String() {
			source = bundle.Name // the bundle validator names its results by the version alone
		}
		add(source, r.Errors)
		add(source, r.Warnings)
	}
}
