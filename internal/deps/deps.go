package deps
import (
 _ "k8s.io/api/apps/v1"
 _ "k8s.io/apimachinery/pkg/runtime"
 _ "k8s.io/client-go/kubernetes"
 _ "k8s.io/cli-runtime/pkg/genericclioptions"
 _ "k8s.io/cli-runtime/pkg/resource"
 _ "github.com/open-policy-agent/opa/v1/rego"
 _ "github.com/open-policy-agent/opa/v1/tester"
 _ "github.com/spf13/cobra"
 _ "github.com/stretchr/testify/require"
 _ "go.yaml.in/yaml/v3"
 _ "sigs.k8s.io/kustomize/api/krusty"
 _ "sigs.k8s.io/yaml"
)
