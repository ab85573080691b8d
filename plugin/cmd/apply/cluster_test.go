package apply_test

import (
	"os"
	"sync"
	"testing"

	"github.com/go-logr/logr"
	"github.com/stretchr/testify/require"
	"k8s.io/client-go/kubernetes"
	ctrllog "sigs.k8s.io/controller-runtime/pkg/log"

	"github.com/feastflow/kubectl-feastflow/internal/controlplane"
)

// A real kube-apiserver and etcd shared by the apply tests of this package.
var (
	applyEnvOnce sync.Once
	applyEnv     *controlplane.Env
	applyEnvErr  error
	applyEnvDir  string
)

func TestMain(m *testing.M) {
	ctrllog.SetLogger(logr.Discard()) // envtest logs through controller-runtime
	code := m.Run()
	if applyEnv != nil {
		_ = applyEnv.Stop()
		_ = os.RemoveAll(applyEnvDir)
	}
	os.Exit(code)
}

// applyCluster returns the shared control plane and a clientset for it.
func applyCluster(t *testing.T) (*controlplane.Env, kubernetes.Interface) {
	t.Helper()
	applyEnvOnce.Do(func() {
		if applyEnvDir, applyEnvErr = os.MkdirTemp("", "feastflow-apply-"); applyEnvErr == nil {
			applyEnv, applyEnvErr = controlplane.Start(applyEnvDir)
		}
	})
	require.NoError(t, applyEnvErr)
	client, err := kubernetes.NewForConfig(applyEnv.Config)
	require.NoError(t, err)
	return applyEnv, client
}
