package apply

import (
	"context"
	"errors"
	"fmt"
	"io"
	"sort"
	"strings"
	"time"

	corev1 "k8s.io/api/core/v1"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/apimachinery/pkg/util/wait"
	"sigs.k8s.io/cli-utils/pkg/kstatus/status"

	"github.com/feastflow/kubectl-feastflow/plugin/cmdutil"
)

// waitInterval is how often --wait reads the applied objects.
const waitInterval = time.Second

// wait polls every applied object until kstatus says all are Current,
// printing each status change. On timeout or failure it shows the failing
// pods with their reasons and recent events and the commands that undo
// the rollouts this run changed.
func (a *applier) wait(ctx context.Context) error {
	ctx, cancel := context.WithTimeout(ctx, a.o.Timeout)
	defer cancel()
	progress := newWaitProgress(a.o.Out)
	defer progress.done()
	var lastErr error
	pending := append([]appliedObject(nil), a.applied...)
	err := wait.PollUntilContextCancel(ctx, waitInterval, true, func(ctx context.Context) (bool, error) {
		still := pending[:0]
		for _, o := range pending {
			res, err := a.status(ctx, o)
			if err != nil { // transient (throttling, a restarting API server): read it again next time
				lastErr = err
				still = append(still, o)
				continue
			}
			line := fmt.Sprintf("%s: %s", o.ref(), res.Status)
			if res.Message != "" {
				line += ": " + res.Message
			}
			progress.status(o.ref(), line)
			if res.Status == status.FailedStatus {
				return false, fmt.Errorf("%s failed: %s", o.ref(), res.Message)
			}
			if res.Status != status.CurrentStatus {
				still = append(still, o) // Current objects are not read again
			}
		}
		pending = still
		first := ""
		if len(pending) > 0 {
			first = pending[0].ref()
		}
		progress.tick(len(a.applied)-len(pending), len(a.applied), first)
		return len(pending) == 0, nil
	})
	progress.done()
	progress.shown = false
	if err == nil {
		fmt.Fprintf(a.o.Out, "all %d objects are Current\n", len(a.applied))
		return nil
	}
	if errors.Is(err, context.DeadlineExceeded) {
		err = fmt.Errorf("timed out after %s waiting for %d objects to become Current", a.o.Timeout, len(pending))
		if lastErr != nil {
			err = fmt.Errorf("%w (last error reading status: %v)", err, lastErr)
		}
	}
	a.explainFailure(context.WithoutCancel(ctx), pending)
	return &cmdutil.ExitError{Code: cmdutil.ExitFindings, Err: err}
}

func (a *applier) status(ctx context.Context, o appliedObject) (*status.Result, error) {
	ri, _, err := a.resourceFor(o.obj)
	if err != nil {
		return nil, err
	}
	live, err := ri.Get(ctx, o.obj.GetName(), metav1.GetOptions{})
	if err != nil {
		return nil, fmt.Errorf("get %s: %w", o.ref(), err)
	}
	res, err := status.Compute(live)
	if err != nil {
		return nil, fmt.Errorf("status of %s: %w", o.ref(), err)
	}
	return res, nil
}

// explainFailure prints, for each workload not Current, its pods that are
// not ready with reasons and recent events, then the undo commands.
func (a *applier) explainFailure(ctx context.Context, pending []appliedObject) {
	w := a.o.ErrOut
	var undo []string
	for _, o := range pending {
		selector, ok := podSelector(o.obj)
		if !ok {
			continue
		}
		fmt.Fprintf(w, "%s is not Current; its pods:\n", o.ref())
		pods, err := a.client.CoreV1().Pods(o.obj.GetNamespace()).List(ctx, metav1.ListOptions{LabelSelector: selector})
		if err != nil {
			fmt.Fprintf(w, "  cannot list pods: %v\n", err)
			continue
		}
		if len(pods.Items) == 0 {
			fmt.Fprintf(w, "  (no pods: kubectl describe %s -n %s)\n", strings.ToLower(o.obj.GetKind())+"/"+o.obj.GetName(), o.obj.GetNamespace())
		}
		for i := range pods.Items {
			a.describePod(ctx, w, &pods.Items[i])
		}
		if o.result == resultConfigured && rollbackable(o.obj.GetKind()) {
			undo = append(undo, fmt.Sprintf("kubectl rollout undo %s -n %s", strings.ToLower(o.obj.GetKind())+"/"+o.obj.GetName(), o.obj.GetNamespace()))
		}
	}
	if len(undo) > 0 {
		fmt.Fprintln(w, "To roll back what this apply changed:")
		for _, cmd := range undo {
			fmt.Fprintln(w, "  "+cmd)
		}
	}
}

func rollbackable(kind string) bool {
	return kind == "Deployment" || kind == "StatefulSet" || kind == "DaemonSet"
}

func (a *applier) describePod(ctx context.Context, w io.Writer, pod *corev1.Pod) {
	fmt.Fprintf(w, "  pod/%s: %s", pod.Name, pod.Status.Phase)
	for _, c := range pod.Status.Conditions {
		if c.Type == corev1.PodScheduled && c.Status != corev1.ConditionTrue {
			fmt.Fprintf(w, ", unschedulable: %s", c.Message)
		}
	}
	for _, cs := range pod.Status.ContainerStatuses {
		if cs.State.Waiting != nil {
			fmt.Fprintf(w, ", container %s waiting: %s %s", cs.Name, cs.State.Waiting.Reason, cs.State.Waiting.Message)
		}
		if t := cs.LastTerminationState.Terminated; t != nil {
			fmt.Fprintf(w, ", container %s last terminated: %s (exit %d), %d restarts", cs.Name, t.Reason, t.ExitCode, cs.RestartCount)
		}
	}
	fmt.Fprintln(w)
	events, err := a.client.CoreV1().Events(pod.Namespace).List(ctx, metav1.ListOptions{FieldSelector: "involvedObject.name=" + pod.Name})
	if err != nil {
		return
	}
	items := events.Items
	sort.Slice(items, func(i, j int) bool { return items[i].LastTimestamp.Before(&items[j].LastTimestamp) })
	if len(items) > 5 {
		items = items[len(items)-5:]
	}
	for _, e := range items {
		fmt.Fprintf(w, "    event %s %s: %s\n", e.Type, e.Reason, e.Message)
	}
}

// podSelector is the label selector of a workload's pods.
func podSelector(obj *unstructured.Unstructured) (string, bool) {
	if obj.GetKind() == "CronJob" {
		return "", false
	}
	labels, ok, _ := unstructured.NestedStringMap(obj.Object, "spec", "selector", "matchLabels")
	if !ok || len(labels) == 0 {
		return "", false
	}
	var parts []string
	for k, v := range labels {
		parts = append(parts, k+"="+v)
	}
	sort.Strings(parts)
	return strings.Join(parts, ","), true
}
