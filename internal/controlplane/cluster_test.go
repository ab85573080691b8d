package controlplane

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/util/wait"
	"k8s.io/client-go/kubernetes"
)

// TestCluster starts a whole local cluster, rolls out Deployments (and
// FeastFlow's dev overlay) onto KWOK nodes, checks that a broken image shows
// its failure reason, and that Stop leaves no process running.
func TestCluster(t *testing.T) {
	if testing.Short() {
		t.Skip("starts a whole cluster")
	}
	children := childPIDs(t)
	c, err := StartCluster(t.TempDir(), ClusterOptions{})
	require.NoError(t, err)
	t.Cleanup(func() { _ = c.Stop() })
	started := childPIDs(t)
	groups := make([]int, 0, len(c.procs))
	for _, p := range c.procs {
		groups = append(groups, p.cmd.Process.Pid)
	}
	require.Len(t, c.Nodes, 3)

	client, err := kubernetes.NewForConfig(c.Config)
	require.NoError(t, err)
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()

	tests := []struct {
		name       string
		image      string
		wantReason string // "" means the Deployment becomes Available
	}{
		{name: "web", image: "registry.k8s.io/pause:3.10"},
		{name: "broken", image: "registry.k8s.io/pause:3.10-" + BrokenImageMarker, wantReason: BrokenImageReason},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := client.AppsV1().Deployments("default").Create(ctx, deployment(tt.name, tt.image, 3), metav1.CreateOptions{})
			require.NoError(t, err)
			if tt.wantReason == "" {
				waitAvailable(ctx, t, client, "default", tt.name, 3)
				return
			}
			reason := waitWaitingReason(ctx, t, client, tt.name)
			assert.Equal(t, tt.wantReason, reason)
			d, err := client.AppsV1().Deployments("default").Get(ctx, tt.name, metav1.GetOptions{})
			require.NoError(t, err)
			assert.Zero(t, d.Status.AvailableReplicas)
		})
	}

	t.Run("feastflow dev overlay", func(t *testing.T) {
		out, err := exec.CommandContext(ctx, c.Kubectl(), "--kubeconfig", c.Kubeconfig,
			"apply", "-k", filepath.Join("..", "..", "manifests", "feastflow", "overlays", "dev")).CombinedOutput()
		require.NoError(t, err, string(out))
		for _, name := range []string{"feastflow-backend", "feastflow-frontend"} {
			waitAvailable(ctx, t, client, "feastflow", name, 1)
		}
		err = wait.PollUntilContextCancel(ctx, 100*time.Millisecond, true, func(ctx context.Context) (bool, error) {
			s, err := client.AppsV1().StatefulSets("feastflow").Get(ctx, "postgres", metav1.GetOptions{})
			return err == nil && s.Status.ReadyReplicas == *s.Spec.Replicas, err
		})
		require.NoError(t, err, "postgres StatefulSet (with its PVC) becomes ready")
	})

	require.NoError(t, c.Stop())
	for _, pid := range groups {
		assert.ErrorIs(t, syscall.Kill(-pid, 0), syscall.ESRCH, "process group %d still running", pid)
	}
	for pid := range started {
		if !children[pid] {
			assert.NoDirExists(t, "/proc/"+strconv.Itoa(pid), "child process %d still running", pid)
		}
	}
}

// TestKWOKVersionPinned checks that KWOKVersion is what tools/kwok/go.mod pins.
func TestKWOKVersionPinned(t *testing.T) {
	data, err := os.ReadFile(filepath.Join("..", "..", "tools", "kwok", "go.mod"))
	require.NoError(t, err)
	assert.Regexp(t, `(?m)^\s*sigs\.k8s\.io/kwok `+regexp.QuoteMeta(KWOKVersion)+`(\s|$)`, string(data))
}

func deployment(name, image string, replicas int32) *appsv1.Deployment {
	labels := map[string]string{"app": name}
	return &appsv1.Deployment{
		ObjectMeta: metav1.ObjectMeta{Name: name},
		Spec: appsv1.DeploymentSpec{
			Replicas: &replicas,
			Selector: &metav1.LabelSelector{MatchLabels: labels},
			Template: corev1.PodTemplateSpec{
				ObjectMeta: metav1.ObjectMeta{Labels: labels},
				Spec:       corev1.PodSpec{Containers: []corev1.Container{{Name: "app", Image: image}}},
			},
		},
	}
}

// waitAvailable waits for the Deployment to be Available with all its
// replicas updated and ready, and for each of its Pods to be Ready.
func waitAvailable(ctx context.Context, t *testing.T, client kubernetes.Interface, ns, name string, replicas int32) {
	t.Helper()
	err := wait.PollUntilContextCancel(ctx, 100*time.Millisecond, true, func(ctx context.Context) (bool, error) {
		d, err := client.AppsV1().Deployments(ns).Get(ctx, name, metav1.GetOptions{})
		if err != nil {
			return false, err
		}
		if d.Status.ObservedGeneration < d.Generation || d.Status.UpdatedReplicas != replicas ||
			d.Status.ReadyReplicas != replicas || !deploymentAvailable(d) {
			return false, nil
		}
		pods, err := client.CoreV1().Pods(ns).List(ctx, metav1.ListOptions{
			LabelSelector: metav1.FormatLabelSelector(d.Spec.Selector),
		})
		if err != nil || len(pods.Items) != int(replicas) {
			return false, err
		}
		for i := range pods.Items {
			if !podReady(&pods.Items[i]) {
				return false, nil
			}
		}
		return true, nil
	})
	require.NoError(t, err, "deployment %s/%s becomes available", ns, name)
}

// waitWaitingReason waits for a Pod of the Deployment in default to have a
// waiting container and returns its reason.
func waitWaitingReason(ctx context.Context, t *testing.T, client kubernetes.Interface, app string) string {
	t.Helper()
	var reason string
	err := wait.PollUntilContextCancel(ctx, 100*time.Millisecond, true, func(ctx context.Context) (bool, error) {
		pods, err := client.CoreV1().Pods("default").List(ctx, metav1.ListOptions{LabelSelector: "app=" + app})
		if err != nil {
			return false, err
		}
		for _, pod := range pods.Items {
			for _, s := range pod.Status.ContainerStatuses {
				if s.State.Waiting != nil {
					reason = s.State.Waiting.Reason
					return true, nil
				}
			}
		}
		return false, nil
	})
	require.NoError(t, err, "a pod of %s shows a waiting container", app)
	return reason
}

func deploymentAvailable(d *appsv1.Deployment) bool {
	for _, cond := range d.Status.Conditions {
		if cond.Type == appsv1.DeploymentAvailable {
			return cond.Status == corev1.ConditionTrue
		}
	}
	return false
}

func podReady(pod *corev1.Pod) bool {
	for _, cond := range pod.Status.Conditions {
		if cond.Type == corev1.PodReady {
			return cond.Status == corev1.ConditionTrue
		}
	}
	return false
}

// childPIDs lists the running child processes of this test process.
func childPIDs(t *testing.T) map[int]bool {
	t.Helper()
	entries, err := os.ReadDir("/proc")
	if err != nil {
		t.Skipf("no /proc to list processes: %v", err)
	}
	self := strconv.Itoa(os.Getpid())
	pids := map[int]bool{}
	for _, entry := range entries {
		pid, err := strconv.Atoi(entry.Name())
		if err != nil {
			continue
		}
		stat, err := os.ReadFile(filepath.Join("/proc", entry.Name(), "stat"))
		if err != nil {
			continue
		}
		// Fields after the command name "(...)": state, ppid, ...
		fields := strings.Fields(string(stat[strings.LastIndexByte(string(stat), ')')+1:]))
		if len(fields) > 1 && fields[1] == self && fields[0] != "Z" {
			pids[pid] = true
		}
	}
	return pids
}
