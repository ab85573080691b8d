package verify

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/go-logr/logr"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/util/wait"
	"k8s.io/cli-runtime/pkg/genericclioptions"
	"k8s.io/cli-runtime/pkg/genericiooptions"
	"k8s.io/client-go/dynamic"
	"k8s.io/client-go/kubernetes"

	"github.com/feastflow/kubectl-feastflow/certs"
	"github.com/feastflow/kubectl-feastflow/internal/controlplane"
	"github.com/feastflow/kubectl-feastflow/plugin/cmdutil"
	"github.com/feastflow/kubectl-feastflow/policies"
	"github.com/feastflow/kubectl-feastflow/webhook"
)

// runVerify runs `kubectl feastflow verify` (NewCmdVerify, as the root
// command registers it) against the cluster of kubeconfig and returns its
// stdout and exit code; an error the command returns is appended to the
// output as main prints it. Tests on any real cluster (envtest here, the
// KWOK cluster with real rollouts) share it.
func runVerify(ctx context.Context, kubeconfig string, args ...string) (stdout string, code int) {
	var out, errOut bytes.Buffer
	streams := genericiooptions.IOStreams{In: &bytes.Buffer{}, Out: &out, ErrOut: &errOut}
	cmd := NewCmdVerify(streams, genericclioptions.NewConfigFlags(true))
	cmd.SetArgs(append([]string{"--kubeconfig", kubeconfig}, args...))
	cmd.SetOut(&errOut)
	cmd.SetErr(&errOut)
	cmd.SilenceErrors = true
	err := cmd.ExecuteContext(ctx)
	if err != nil && err.Error() != "" && cmdutil.ExitCode(err) == cmdutil.ExitUsage {
		out.WriteString("error: " + err.Error() + "\n")
	}
	return out.String(), cmdutil.ExitCode(err)
}

// verifyJSON runs verify with -o json and decodes the checks by
// "section/name".
func verifyJSON(t *testing.T, ctx context.Context, kubeconfig string, args ...string) (map[string]Check, int) {
	t.Helper()
	out, code := runVerify(ctx, kubeconfig, append(args, "-o", "json")...)
	var report VerifyReport
	require.NoError(t, json.Unmarshal([]byte(out), &report), out)
	checks := map[string]Check{}
	for _, c := range report.Checks {
		checks[c.Section+"/"+c.Name] = c
	}
	return checks, code
}

// TestVerifyEnvtest runs verify on a real kube-apiserver and etcd: first
// without a webhook, then with a webhook server registered by URL, then
// with that server stopped. envtest runs no controllers, so Deployments
// never roll out: verify must say so (InProgress). The passing rollout is
// proven on the KWOK cluster, which runs them.
func TestVerifyEnvtest(t *testing.T) {
	if testing.Short() {
		t.Skip("starts a control plane")
	}
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	dir := t.TempDir()
	env, err := controlplane.Start(dir)
	require.NoError(t, err)
	t.Cleanup(func() { _ = env.Stop() })
	kube, err := kubernetes.NewForConfig(env.Config)
	require.NoError(t, err)
	createApp(t, ctx, env, "shop")

	t.Run("without webhook", func(t *testing.T) {
		out, code := runVerify(ctx, env.Kubeconfig, "-n", "shop")
		assert.Equal(t, cmdutil.ExitFindings, code, out)
		for _, want := range []string{
			"✖ configuration", "ValidatingWebhookConfiguration feastflow-webhook not found",
			"✖ Deployment shop/legacy", "liveness-probe-required", "✖ ConfigMap shop/legacy-config", "configmap-credentials",
			"not Current: InProgress",
		} {
			assert.Contains(t, out, want)
		}
		assert.NotContains(t, out, "kubectl delete validatingwebhookconfiguration", "no configuration, nothing to unblock")
		assert.NotContains(t, out, "hunter2", "a value the policies flag is never printed")

		checks, code := verifyJSON(t, ctx, env.Kubeconfig, "-n", "shop")
		assert.Equal(t, cmdutil.ExitFindings, code)
		assert.Equal(t, StatusFail, checks["rollouts/Deployment shop/api"].Status)
		assert.Contains(t, checks["rollouts/Deployment shop/api"].Message, "InProgress")
		assert.NotContains(t, checks, "policies/Deployment shop/api")
		assert.Equal(t, StatusFail, checks["network/Service shop/api"].Status, "no endpoints without controllers")
		legacy := checks["policies/Deployment shop/legacy"]
		require.NotEmpty(t, legacy.Findings)
		assert.Equal(t, policies.ObjectRef{APIVersion: "apps/v1", Kind: "Deployment", Namespace: "shop", Name: "legacy"}, legacy.Findings[0].Object)
	})

	stop := startURLWebhook(t, ctx, env, kube, dir)

	t.Run("with webhook registered by URL", func(t *testing.T) {
		checks, code := verifyJSON(t, ctx, env.Kubeconfig, "-n", "shop")
		assert.Equal(t, cmdutil.ExitFindings, code, "the non-compliant objects still fail")
		for _, name := range []string{"configuration", "caBundle", "certificate expiry", "endpoints", "failure policy", "dry-run denied"} {
			c := checks["webhook/"+name]
			assert.Equal(t, StatusPass, c.Status, "%s: %s %v", name, c.Message, c.Details)
		}
		require.NotEmpty(t, checks["webhook/dry-run denied"].Details)
		assert.Contains(t, checks["webhook/dry-run denied"].Details[0], `admission webhook "`+webhookName+`" denied the request`)
		assert.Contains(t, checks["webhook/endpoints"].Message, "url-registered webhook: no Service")
		assert.Contains(t, checks["webhook/failure policy"].Message, "excluded namespaces: kube-system, kube-public, kube-node-lease, feastflow-system")
	})

	t.Run("with webhook down", func(t *testing.T) {
		addr := stop()
		out, code := runVerify(ctx, env.Kubeconfig, "-n", "shop")
		assert.Equal(t, cmdutil.ExitFindings, code, out)
		assert.Regexp(t, `✖ dry-run denied +webhook unreachable: .*failed calling webhook`, out)
		assert.Contains(t, out, "kubectl --kubeconfig "+env.Kubeconfig+" delete validatingwebhookconfiguration feastflow-webhook")
		assert.Contains(t, out, `patch validatingwebhookconfiguration feastflow-webhook --type=json -p '[{"op":"replace","path":"/webhooks/0/failurePolicy","value":"Ignore"}]'`)
		assert.Contains(t, out, "https://"+addr+webhook.ValidatePath+" unreachable")
	})

	t.Run("usage and connection errors exit 2", func(t *testing.T) {
		_, code := runVerify(ctx, env.Kubeconfig, "-n", "no-such-namespace")
		assert.Equal(t, cmdutil.ExitUsage, code)
		_, code = runVerify(ctx, env.Kubeconfig, "-o", "yaml")
		assert.Equal(t, cmdutil.ExitUsage, code)
		unreachable := filepath.Join(dir, "unreachable.kubeconfig")
		require.NoError(t, os.WriteFile(unreachable, []byte(unreachableKubeconfig), 0o600))
		out, code := runVerify(ctx, unreachable)
		assert.Equal(t, cmdutil.ExitUsage, code)
		assert.Contains(t, out, "connect to cluster")
	})
}

const unreachableKubeconfig = `apiVersion: v1
kind: Config
clusters: [{name: c, cluster: {server: "https://127.0.0.1:1"}}]
users: [{name: u, user: {token: x}}]
contexts: [{name: c, context: {cluster: c, user: u}}]
current-context: c
`

// createApp creates namespace ns holding the compliant and the
// non-compliant fixtures.
func createApp(t *testing.T, ctx context.Context, env *controlplane.Env, ns string) {
	t.Helper()
	kube, err := kubernetes.NewForConfig(env.Config)
	require.NoError(t, err)
	_, err = kube.CoreV1().Namespaces().Create(ctx, &corev1.Namespace{ObjectMeta: metav1.ObjectMeta{Name: ns}}, metav1.CreateOptions{})
	require.NoError(t, err)
	dyn, err := dynamic.NewForConfig(env.Config)
	require.NoError(t, err)
	gvrs := map[string]liveKind{}
	for _, k := range testLiveKinds() {
		gvrs[k.Kind] = k
	}
	for _, file := range []string{"compliant.yaml", "noncompliant.yaml"} {
		for _, obj := range loadManifests(t, file, ns) {
			k, ok := gvrs[obj.GetKind()]
			require.True(t, ok, obj.GetKind())
			_, err := dyn.Resource(k.GVR).Namespace(ns).Create(ctx, obj, metav1.CreateOptions{})
			require.NoError(t, err, "%s %s", obj.GetKind(), obj.GetName())
		}
	}
}

// startURLWebhook runs an enforcing webhook server in-process and
// registers the shipped configuration pointed at its URL, as the webhook
// envtest suite does; it returns once the API server enforces it. stop
// shuts the server down, waits until its port refuses connections and
// returns its address.
func startURLWebhook(t *testing.T, ctx context.Context, env *controlplane.Env, kube kubernetes.Interface, dir string) (stop func() string) {
	t.Helper()
	certDir := filepath.Join(dir, "webhook-certs")
	bundle, err := certs.Generate(certs.Options{Service: "feastflow-webhook", Namespace: "feastflow-system", IPs: []net.IP{net.IPv4(127, 0, 0, 1)}})
	require.NoError(t, err)
	require.NoError(t, bundle.WriteFiles(certDir))
	engine, err := policies.New(ctx, policies.Options{Mode: policies.ModeAdmission})
	require.NoError(t, err)
	l, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	port := l.Addr().(*net.TCPAddr).Port
	require.NoError(t, l.Close())
	srv, err := webhook.NewServer(ctx, webhook.Config{
		RestConfig: env.Config, Engine: engine, Mode: webhook.ModeEnforce,
		Host: "127.0.0.1", Port: port, CertDir: certDir,
		MetricsAddr: "0", ProbeAddr: "0", Log: logr.Discard(),
	})
	require.NoError(t, err)
	srvCtx, cancel := context.WithCancel(ctx)
	done := make(chan struct{})
	go func() { defer close(done); _ = srv.Start(srvCtx) }()
	t.Cleanup(func() { cancel(); <-done })
	require.NoError(t, wait.PollUntilContextTimeout(ctx, 20*time.Millisecond, 30*time.Second, true, func(context.Context) (bool, error) {
		return srv.Ready(), nil
	}))

	addr := fmt.Sprintf("127.0.0.1:%d", port)
	file, err := controlplane.ShippedWebhookConfig()
	require.NoError(t, err)
	vwc, err := controlplane.LocalWebhookConfig(file, "https://"+addr+webhook.ValidatePath, bundle.CACert)
	require.NoError(t, err)
	_, err = kube.AdmissionregistrationV1().ValidatingWebhookConfigurations().Create(ctx, vwc, metav1.CreateOptions{})
	require.NoError(t, err)
	// The API server picks new configurations up asynchronously.
	require.NoError(t, wait.PollUntilContextTimeout(ctx, 50*time.Millisecond, 30*time.Second, true, func(ctx context.Context) (bool, error) {
		_, err := kube.AppsV1().Deployments("shop").Create(ctx, probeDeployment("shop"), metav1.CreateOptions{DryRun: []string{metav1.DryRunAll}})
		return err != nil && strings.Contains(err.Error(), webhookName), nil
	}))
	return func() string {
		cancel()
		<-done
		require.NoError(t, wait.PollUntilContextTimeout(ctx, 20*time.Millisecond, 30*time.Second, true, func(context.Context) (bool, error) {
			conn, err := net.DialTimeout("tcp", addr, time.Second)
			if err == nil {
				_ = conn.Close()
			}
			return err != nil, nil
		}))
		return addr
	}
}
