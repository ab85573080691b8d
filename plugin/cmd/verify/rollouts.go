package verify

import (
	"fmt"
	"strings"

	corev1 "k8s.io/api/core/v1"
	"sigs.k8s.io/cli-utils/pkg/kstatus/status"

	"github.com/feastflow/kubectl-feastflow/plugin/output"
)

// rolloutChecks reports, for every top-level workload, whether it is
// Current by kstatus (InProgress and Failed fail, Terminating and Unknown
// warn), then per namespace whether its Pods are ready and whether a
// container restarted more than maxRestarts times.
func rolloutChecks(snap *clusterSnapshot, maxRestarts int32) []Check {
	var checks []Check
	for _, obj := range snap.topLevelWorkloads() {
		name := describeObject(obj.GetKind(), obj.GetNamespace(), obj.GetName())
		c := Check{Section: SectionRollouts, Name: name}
		res, err := status.Compute(obj)
		switch {
		case err != nil:
			c.Status, c.Message = StatusFail, "compute status: "+err.Error()
		case res.Status == status.CurrentStatus:
			c.Status, c.Message = StatusPass, "Current"+messageSuffix(res.Message)
		case res.Status == status.InProgressStatus || res.Status == status.FailedStatus:
			c.Status, c.Message = StatusFail, "not Current: "+string(res.Status)+messageSuffix(res.Message)
		default:
			c.Status, c.Message = StatusWarn, "not Current: "+string(res.Status)+messageSuffix(res.Message)
		}
		checks = append(checks, c)
	}
	pods := podsByNamespace(snap)
	for _, ns := range snap.NamespaceNames() {
		if len(pods[ns]) == 0 {
			continue
		}
		checks = append(checks, podsReadyCheck(ns, pods[ns]), restartsCheck(ns, pods[ns], maxRestarts))
	}
	if len(checks) == 0 {
		checks = append(checks, Check{Section: SectionRollouts, Name: "workloads", Status: StatusPass, Message: "no workloads or Pods in scope"})
	}
	return checks
}

func messageSuffix(msg string) string {
	if msg == "" {
		return ""
	}
	return " (" + msg + ")"
}

// podsByNamespace decodes the snapshot's Pods; a Pod that cannot be
// decoded is skipped (the API server only returns valid Pods).
func podsByNamespace(snap *clusterSnapshot) map[string][]*corev1.Pod {
	out := map[string][]*corev1.Pod{}
	for _, obj := range snap.Objects("Pod") {
		pod, err := fromUnstructured[corev1.Pod](obj)
		if err != nil {
			continue
		}
		out[pod.Namespace] = append(out[pod.Namespace], pod)
	}
	return out
}

// podsReadyCheck fails when a Pod of ns that should be serving is not
// Ready; completed Pods (Succeeded) and Pods being deleted are not counted.
func podsReadyCheck(ns string, pods []*corev1.Pod) Check {
	c := Check{Section: SectionRollouts, Name: "pods ready (" + ns + ")", Status: StatusPass}
	counted := 0
	for _, pod := range pods {
		if pod.Status.Phase == corev1.PodSucceeded || pod.DeletionTimestamp != nil {
			continue
		}
		counted++
		if !podReady(pod) {
			c.Details = append(c.Details, fmt.Sprintf("Pod %s: %s", pod.Name, notReadyReason(pod)))
		}
	}
	c.Message = fmt.Sprintf("%d/%d Pods Ready", counted-len(c.Details), counted)
	if len(c.Details) > 0 {
		c.Status = StatusFail
	}
	return c
}

func podReady(pod *corev1.Pod) bool {
	if pod.Status.Phase != corev1.PodRunning {
		return false
	}
	for _, cond := range pod.Status.Conditions {
		if cond.Type == corev1.PodReady {
			return cond.Status == corev1.ConditionTrue
		}
	}
	return false
}

// notReadyReason explains a Pod that is not Ready: its phase and the
// first reason found among scheduling and container states.
func notReadyReason(pod *corev1.Pod) string {
	phase := string(pod.Status.Phase)
	if phase == "" {
		phase = "no phase yet"
	}
	var reasons []string
	for _, cond := range pod.Status.Conditions {
		if cond.Type == corev1.PodScheduled && cond.Status == corev1.ConditionFalse {
			reasons = append(reasons, "not scheduled: "+joinNonEmpty(cond.Reason, cond.Message))
		}
	}
	statuses := append(append([]corev1.ContainerStatus(nil), pod.Status.InitContainerStatuses...), pod.Status.ContainerStatuses...)
	for _, cs := range statuses {
		switch {
		case cs.State.Waiting != nil:
			reasons = append(reasons, fmt.Sprintf("container %s waiting: %s", cs.Name, joinNonEmpty(cs.State.Waiting.Reason, cs.State.Waiting.Message)))
		case cs.State.Terminated != nil && cs.State.Terminated.ExitCode != 0:
			reasons = append(reasons, fmt.Sprintf("container %s terminated: %s (exit code %d)", cs.Name, cs.State.Terminated.Reason, cs.State.Terminated.ExitCode))
		case cs.State.Running != nil && !cs.Ready:
			reasons = append(reasons, fmt.Sprintf("container %s running, not ready", cs.Name))
		}
	}
	if pod.Status.Reason != "" || pod.Status.Message != "" {
		reasons = append(reasons, joinNonEmpty(pod.Status.Reason, pod.Status.Message))
	}
	if len(reasons) == 0 {
		return phase
	}
	return phase + ", " + strings.Join(reasons, "; ")
}

// restartsCheck warns when a container of a Pod in ns restarted more than
// maxRestarts times, naming the Pod, the container and why it last ended.
func restartsCheck(ns string, pods []*corev1.Pod, maxRestarts int32) Check {
	c := Check{Section: SectionRollouts, Name: "restarts (" + ns + ")", Status: StatusPass}
	var most int32
	for _, pod := range pods {
		statuses := append(append([]corev1.ContainerStatus(nil), pod.Status.InitContainerStatuses...), pod.Status.ContainerStatuses...)
		for _, cs := range statuses {
			most = max(most, cs.RestartCount)
			if cs.RestartCount <= maxRestarts {
				continue
			}
			line := fmt.Sprintf("Pod %s container %s: %d restarts", pod.Name, cs.Name, cs.RestartCount)
			if t := cs.LastTerminationState.Terminated; t != nil {
				line += fmt.Sprintf(", last terminated: %s (exit code %d)", orUnknown(t.Reason), t.ExitCode)
			}
			c.Details = append(c.Details, line)
		}
	}
	c.Message = fmt.Sprintf("at most %s per container (threshold %d)", output.Plural(int(most), "restart"), maxRestarts)
	if len(c.Details) > 0 {
		c.Status = StatusWarn
		c.Message = fmt.Sprintf("%s above %d restarts", output.Plural(len(c.Details), "container"), maxRestarts)
	}
	return c
}

func joinNonEmpty(parts ...string) string {
	var kept []string
	for _, p := range parts {
		if p != "" {
			kept = append(kept, p)
		}
	}
	return strings.Join(kept, ": ")
}

func orUnknown(s string) string {
	if s == "" {
		return "unknown reason"
	}
	return s
}
