package charttest

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"helm.sh/helm/v3/pkg/action"
	"helm.sh/helm/v3/pkg/chart/loader"
	"helm.sh/helm/v3/pkg/release"
	admissionregistrationv1 "k8s.io/api/admissionregistration/v1"
	corev1 "k8s.io/api/core/v1"
	apierrors "k8s.io/apimachinery/pkg/api/errors"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/cli-runtime/pkg/genericclioptions"
	"k8s.io/client-go/kubernetes"
	"sigs.k8s.io/yaml"

	"github.com/feastflow/kubectl-feastflow/internal/controlplane"
)

// helmRelease drives one release through Helm's Go SDK (what the helm
// CLI runs) against the real API server.
type helmRelease struct {
	t       *testing.T
	cfg     *action.Configuration
	chart   string
	name    string
	ns      string
	current *release.Release
}

func newRelease(t *testing.T, env *controlplane.Env, chart, name, ns string) *helmRelease {
	t.Helper()
	flags := genericclioptions.NewConfigFlags(false)
	flags.KubeConfig, flags.Namespace = &env.Kubeconfig, &ns
	cfg := new(action.Configuration)
	require.NoError(t, cfg.Init(flags, ns, "secret", t.Logf))
	return &helmRelease{t: t, cfg: cfg, chart: chart, name: name, ns: ns}
}

func (r *helmRelease) values(c chartCase) map[string]any {
	c.chart = r.chart
	vals, err := chartValues(c)
	require.NoError(r.t, err)
	return vals
}

func (r *helmRelease) install(c chartCase) {
	r.t.Helper()
	chrt, err := loader.Load(filepath.Join(root, "charts", r.chart))
	require.NoError(r.t, err)
	install := action.NewInstall(r.cfg)
	install.ReleaseName, install.Namespace = r.name, r.ns
	r.current, err = install.Run(chrt, r.values(c))
	require.NoError(r.t, err)
	assert.Equal(r.t, release.StatusDeployed, r.current.Info.Status)
}

func (r *helmRelease) upgrade(c chartCase) error {
	r.t.Helper()
	chrt, err := loader.Load(filepath.Join(root, "charts", r.chart))
	require.NoError(r.t, err)
	upgrade := action.NewUpgrade(r.cfg)
	upgrade.Namespace = r.ns
	rel, err := upgrade.Run(r.name, chrt, r.values(c))
	if err == nil {
		r.current = rel
	}
	return err
}

func (r *helmRelease) uninstall() {
	r.t.Helper()
	_, err := action.NewUninstall(r.cfg).Run(r.name)
	require.NoError(r.t, err)
}

// createNamespace creates the Namespace object of a kustomize install
// (with its Pod Security labels): README's first step before helm install.
func createNamespace(t *testing.T, kube kubernetes.Interface, file string) {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(root, file))
	require.NoError(t, err)
	ns := &corev1.Namespace{}
	require.NoError(t, yaml.UnmarshalStrict(data, ns))
	_, err = kube.CoreV1().Namespaces().Create(context.Background(), ns, metav1.CreateOptions{})
	require.NoError(t, err)
}

// TestChartsInstallUpgradeUninstall installs, upgrades and uninstalls both
// charts with Helm's Go SDK on a real kube-apiserver and etcd.
func TestChartsInstallUpgradeUninstall(t *testing.T) {
	if testing.Short() {
		t.Skip("starts a control plane")
	}
	env, err := controlplane.Start(t.TempDir())
	require.NoError(t, err)
	t.Cleanup(func() { assert.NoError(t, env.Stop()) })
	kube, err := kubernetes.NewForConfig(env.Config)
	require.NoError(t, err)
	ctx := context.Background()

	t.Run("feastflow-webhook", func(t *testing.T) {
		createNamespace(t, kube, "manifests/webhook/namespace.yaml")
		r := newRelease(t, env, "feastflow-webhook", "feastflow-webhook", "feastflow-system")
		r.install(chartCase{})
		vwc, err := kube.AdmissionregistrationV1().ValidatingWebhookConfigurations().Get(ctx, "feastflow-webhook", metav1.GetOptions{})
		require.NoError(t, err)
		assert.Equal(t, admissionregistrationv1.Ignore, *vwc.Webhooks[0].FailurePolicy, "installed fail-open: nothing serves yet")
		d, err := kube.AppsV1().Deployments("feastflow-system").Get(ctx, "feastflow-webhook", metav1.GetOptions{})
		require.NoError(t, err)
		assert.Contains(t, d.Spec.Template.Spec.Containers[0].Args, "--failure-policy=Fail")
		_, err = kube.CoreV1().ConfigMaps("default").Create(ctx, &corev1.ConfigMap{ObjectMeta: metav1.ObjectMeta{Name: "written-while-installed"}}, metav1.CreateOptions{})
		require.NoError(t, err, "a write is refused while the installed webhook serves nothing")

		require.NoError(t, r.upgrade(chartCase{set: []string{"mode=warn", "replicas=3", "policy.params.cpu_limit=deny"}}))
		assert.Equal(t, 2, r.current.Version)
		d, err = kube.AppsV1().Deployments("feastflow-system").Get(ctx, "feastflow-webhook", metav1.GetOptions{})
		require.NoError(t, err)
		assert.Equal(t, int32(3), *d.Spec.Replicas)
		assert.Contains(t, d.Spec.Template.Spec.Containers[0].Args, "--mode=warn")
		assert.Contains(t, d.Spec.Template.Spec.Containers[0].Args, "--params-file=/etc/feastflow/params.yaml")
		cm, err := kube.CoreV1().ConfigMaps("feastflow-system").Get(ctx, "feastflow-webhook-policy", metav1.GetOptions{})
		require.NoError(t, err)
		assert.Contains(t, cm.Data["params.yaml"], "cpu_limit: deny")

		err = r.upgrade(chartCase{set: []string{"mode=block"}})
		require.Error(t, err, "an upgrade with values the schema refuses went through")
		assert.Contains(t, err.Error(), "values don't meet the specifications of the schema")
		assert.Equal(t, 2, r.current.Version)

		r.uninstall()
		_, err = kube.AdmissionregistrationV1().ValidatingWebhookConfigurations().Get(ctx, "feastflow-webhook", metav1.GetOptions{})
		assert.True(t, apierrors.IsNotFound(err), "webhook configuration left after uninstall: %v", err)
		_, err = kube.AppsV1().Deployments("feastflow-system").Get(ctx, "feastflow-webhook", metav1.GetOptions{})
		assert.True(t, apierrors.IsNotFound(err), "Deployment left after uninstall: %v", err)
		_, err = kube.RbacV1().ClusterRoles().Get(ctx, "feastflow-webhook", metav1.GetOptions{})
		assert.True(t, apierrors.IsNotFound(err), "ClusterRole left after uninstall: %v", err)
	})

	t.Run("feastflow", func(t *testing.T) {
		createNamespace(t, kube, "manifests/feastflow/base/namespace.yaml")
		r := newRelease(t, env, "feastflow", "feastflow", "feastflow")
		r.install(chartCase{valuesFiles: []string{"values-dev.yaml"}})
		d, err := kube.AppsV1().Deployments("feastflow").Get(ctx, "feastflow-backend", metav1.GetOptions{})
		require.NoError(t, err)
		assert.Equal(t, int32(1), *d.Spec.Replicas)
		// The operator (or kubectl feastflow apply) fills the Secret.
		secret, err := kube.CoreV1().Secrets("feastflow").Get(ctx, "feastflow-db", metav1.GetOptions{})
		require.NoError(t, err)
		secret.StringData = map[string]string{"POSTGRES_USER": "feastflow", "POSTGRES_PASSWORD": "not-a-real-password"}
		_, err = kube.CoreV1().Secrets("feastflow").Update(ctx, secret, metav1.UpdateOptions{})
		require.NoError(t, err)

		require.NoError(t, r.upgrade(chartCase{valuesFiles: []string{"values-dev.yaml"}, set: []string{"backend.replicas=2", "logLevel=warn"}}))
		d, err = kube.AppsV1().Deployments("feastflow").Get(ctx, "feastflow-backend", metav1.GetOptions{})
		require.NoError(t, err)
		assert.Equal(t, int32(2), *d.Spec.Replicas)
		cm, err := kube.CoreV1().ConfigMaps("feastflow").Get(ctx, "feastflow-config", metav1.GetOptions{})
		require.NoError(t, err)
		assert.Equal(t, "warn", cm.Data["LOG_LEVEL"])
		secret, err = kube.CoreV1().Secrets("feastflow").Get(ctx, "feastflow-db", metav1.GetOptions{})
		require.NoError(t, err)
		assert.Len(t, secret.Data, 2, "the upgrade wiped the Secret's values")

		r.uninstall()
		_, err = kube.AppsV1().Deployments("feastflow").Get(ctx, "feastflow-backend", metav1.GetOptions{})
		assert.True(t, apierrors.IsNotFound(err), "Deployment left after uninstall: %v", err)
		secret, err = kube.CoreV1().Secrets("feastflow").Get(ctx, "feastflow-db", metav1.GetOptions{})
		require.NoError(t, err, "uninstall deleted the Secret and its values")
		assert.Len(t, secret.Data, 2)
	})
}
