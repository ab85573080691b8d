package verify

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	appsv1 "k8s.io/api/apps/v1"
	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
)

func deploymentObject(t *testing.T, name string, status appsv1.DeploymentStatus) *unstructured.Unstructured {
	replicas := int32(2)
	d := &appsv1.Deployment{
		ObjectMeta: metav1.ObjectMeta{Name: name, Namespace: "shop", Generation: 3},
		Spec: appsv1.DeploymentSpec{
			Replicas: &replicas,
			Selector: &metav1.LabelSelector{MatchLabels: map[string]string{"app": name}},
			Template: corev1.PodTemplateSpec{
				ObjectMeta: metav1.ObjectMeta{Labels: map[string]string{"app": name}},
				Spec:       corev1.PodSpec{Containers: []corev1.Container{{Name: "app", Image: "app:1"}}},
			},
		},
		Status: status,
	}
	return toUnstructured(t, d, "apps/v1", "Deployment")
}

func TestVerifyWorkloadsCurrent(t *testing.T) {
	available := []appsv1.DeploymentCondition{{Type: appsv1.DeploymentAvailable, Status: corev1.ConditionTrue}}
	tests := []struct {
		name    string
		status  appsv1.DeploymentStatus
		want    CheckStatus
		message string
	}{
		{name: "rolled out", status: appsv1.DeploymentStatus{
			ObservedGeneration: 3, Replicas: 2, UpdatedReplicas: 2, ReadyReplicas: 2, AvailableReplicas: 2, Conditions: available,
		}, want: StatusPass, message: "Current"},
		{name: "never observed (no controllers)", status: appsv1.DeploymentStatus{},
			want: StatusFail, message: "not Current: InProgress"},
		{name: "too few ready", status: appsv1.DeploymentStatus{
			ObservedGeneration: 3, Replicas: 2, UpdatedReplicas: 2, ReadyReplicas: 1, AvailableReplicas: 1, Conditions: available,
		}, want: StatusFail, message: "InProgress (Available: 1/2)"},
		{name: "progress deadline exceeded", status: appsv1.DeploymentStatus{
			ObservedGeneration: 3, Replicas: 2, Conditions: []appsv1.DeploymentCondition{{
				Type: appsv1.DeploymentProgressing, Status: corev1.ConditionFalse, Reason: "ProgressDeadlineExceeded",
			}},
		}, want: StatusFail, message: "not Current: Failed"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			snap := snapshotOf(t, "shop", namespaceObject("shop", nil), deploymentObject(t, "api", tt.status))
			c := checkNamed(t, rolloutChecks(snap, DefaultMaxRestarts), SectionRollouts, "Deployment shop/api")
			assert.Equal(t, tt.want, c.Status, c.Message)
			assert.Contains(t, c.Message, tt.message)
		})
	}
}

func TestVerifyPodsReadyAndRestarts(t *testing.T) {
	crashLooping := podObject(t, "api-1", nil, func(p *corev1.Pod) {
		p.Status.Conditions = []corev1.PodCondition{{Type: corev1.PodReady, Status: corev1.ConditionFalse}}
		p.Status.ContainerStatuses = []corev1.ContainerStatus{{
			Name: "app", RestartCount: 7,
			State:                corev1.ContainerState{Waiting: &corev1.ContainerStateWaiting{Reason: "CrashLoopBackOff"}},
			LastTerminationState: corev1.ContainerState{Terminated: &corev1.ContainerStateTerminated{Reason: "OOMKilled", ExitCode: 137}},
		}}
	})
	unschedulable := podObject(t, "api-2", nil, func(p *corev1.Pod) {
		p.Status.Phase = corev1.PodPending
		p.Status.Conditions = []corev1.PodCondition{{Type: corev1.PodScheduled, Status: corev1.ConditionFalse, Reason: "Unschedulable", Message: "0/3 nodes are available"}}
	})
	completed := podObject(t, "migrate", nil, func(p *corev1.Pod) { p.Status.Phase = corev1.PodSucceeded })
	restartedALittle := podObject(t, "web-1", nil, func(p *corev1.Pod) {
		p.Status.ContainerStatuses = []corev1.ContainerStatus{{Name: "web", Ready: true, RestartCount: 2}}
	})
	tests := []struct {
		name         string
		pods         []*unstructured.Unstructured
		maxRestarts  int32
		ready        CheckStatus
		readyMessage string
		readyDetails []string
		restarts     CheckStatus
		restartLines []string
	}{
		{name: "healthy", pods: []*unstructured.Unstructured{restartedALittle, completed}, maxRestarts: 5,
			ready: StatusPass, readyMessage: "1/1 Pods Ready", restarts: StatusPass},
		{name: "crash loop and unschedulable", pods: []*unstructured.Unstructured{crashLooping, unschedulable, restartedALittle}, maxRestarts: 5,
			ready: StatusFail, readyMessage: "1/3 Pods Ready",
			readyDetails: []string{"Pod api-1: Running, container app waiting: CrashLoopBackOff", "Pod api-2: Pending, not scheduled: Unschedulable: 0/3 nodes are available"},
			restarts:     StatusWarn, restartLines: []string{"Pod api-1 container app: 7 restarts, last terminated: OOMKilled (exit code 137)"}},
		{name: "threshold applies", pods: []*unstructured.Unstructured{restartedALittle}, maxRestarts: 1,
			ready: StatusPass, readyMessage: "1/1", restarts: StatusWarn, restartLines: []string{"Pod web-1 container web: 2 restarts"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			snap := snapshotOf(t, "shop", append([]*unstructured.Unstructured{namespaceObject("shop", nil)}, tt.pods...)...)
			checks := rolloutChecks(snap, tt.maxRestarts)
			ready := checkNamed(t, checks, SectionRollouts, "pods ready (shop)")
			assert.Equal(t, tt.ready, ready.Status)
			assert.Contains(t, ready.Message, tt.readyMessage)
			assert.Equal(t, tt.readyDetails, ready.Details)
			restarts := checkNamed(t, checks, SectionRollouts, "restarts (shop)")
			assert.Equal(t, tt.restarts, restarts.Status, restarts.Message)
			assert.Equal(t, tt.restartLines, restarts.Details)
		})
	}
}

func TestVerifyRolloutsWithoutWorkloads(t *testing.T) {
	checks := rolloutChecks(snapshotOf(t, "shop", namespaceObject("shop", nil)), DefaultMaxRestarts)
	require.Len(t, checks, 1)
	assert.Equal(t, StatusPass, checks[0].Status)
}
