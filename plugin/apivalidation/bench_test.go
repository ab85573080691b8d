package apivalidation

import (
	"os"
	"strings"
	"testing"

	"sigs.k8s.io/yaml"
)

// BenchmarkValidateDeployment is lint's API server check of the compliant
// benchmark Deployment (decoding into the versioned type, defaulting,
// conversion and the create strategy), which lint runs on every object:
//
//	go test -run '^$' -bench ValidateDeployment -benchmem -cpu 1 -count 6 ./plugin/apivalidation/
func BenchmarkValidateDeployment(b *testing.B) {
	raw, err := os.ReadFile("../../testdata/bench/deployment.yaml")
	if err != nil {
		b.Fatal(err)
	}
	var obj map[string]any
	if err := yaml.Unmarshal([]byte(strings.Split(string(raw), "\n---\n")[0]), &obj); err != nil {
		b.Fatal(err)
	}
	v, err := ParseVersion("1.37")
	if err != nil {
		b.Fatal(err)
	}
	validator := New(v)
	b.ReportAllocs()
	for b.Loop() {
		if res := validator.Validate(obj, "feastflow"); !res.API.Served || len(res.Errors) != 0 {
			b.Fatalf("the benchmark Deployment should be valid: %+v", res)
		}
	}
}
