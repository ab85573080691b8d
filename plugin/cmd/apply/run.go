package apply

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"k8s.io/apimachinery/pkg/api/meta"
	metav1 "k8s.io/apimachinery/pkg/apis/meta/v1"
	"k8s.io/apimachinery/pkg/apis/meta/v1/unstructured"
	"k8s.io/client-go/dynamic"
	"k8s.io/client-go/kubernetes"

	"github.com/feastflow/kubectl-feastflow/plugin/cmdutil"
)

// applier sends one run's objects to the cluster.
type applier struct {
	o        *ApplyOptions
	dyn      dynamic.Interface
	client   kubernetes.Interface
	mapper   meta.RESTMapper
	applySet *applySet
	applied  []appliedObject
}

func newApplier(o *ApplyOptions) (*applier, error) {
	cfg, err := o.ConfigFlags.ToRESTConfig()
	if err != nil {
		return nil, cmdutil.UsageError("load kubeconfig: %w", err)
	}
	cfg.QPS, cfg.Burst = 50, 100 // kubectl's own limits; --wait reads every object each second
	mapper, err := o.ConfigFlags.ToRESTMapper()
	if err != nil {
		return nil, fmt.Errorf("discover API resources: %w", err)
	}
	a := &applier{o: o, mapper: mapper}
	if a.dyn, err = dynamic.NewForConfig(cfg); err != nil {
		return nil, fmt.Errorf("new dynamic client: %w", err)
	}
	if a.client, err = kubernetes.NewForConfig(cfg); err != nil {
		return nil, fmt.Errorf("new client: %w", err)
	}
	if o.ApplySet != "" {
		a.applySet = newApplySet(o.ApplySet, o.namespace)
	}
	return a, nil
}

func (a *applier) dryRun() []string {
	if a.o.DryRun == DryRunServer {
		return []string{metav1.DryRunAll}
	}
	return nil
}

// run applies objects in dependency order, then records the ApplySet,
// prunes and waits as asked. One object's failure does not stop the
// others; all failures are reported and the exit code is 1.
func (a *applier) run(ctx context.Context, objects []*unstructured.Unstructured) error {
	var errs []error
	parentReady := a.applySet == nil
	for _, obj := range sortForApply(objects) {
		if !parentReady && applyRank(obj) > applyOrder["Namespace"] {
			if err := a.applySet.ensureParent(ctx, a, objects); err != nil {
				return &cmdutil.ExitError{Code: cmdutil.ExitFindings, Err: err}
			}
			parentReady = true
		}
		if a.applySet != nil {
			a.applySet.label(obj)
		}
		if err := a.applyOne(ctx, obj); err != nil {
			errs = append(errs, err)
		}
	}
	if !parentReady {
		if err := a.applySet.ensureParent(ctx, a, objects); err != nil {
			errs = append(errs, err)
		}
	}
	if len(errs) == 0 && a.o.Prune {
		errs = append(errs, a.applySet.prune(ctx, a))
	}
	if err := errors.Join(errs...); err != nil {
		return &cmdutil.ExitError{Code: cmdutil.ExitFindings, Err: err}
	}
	if a.applySet != nil {
		if err := a.applySet.recordApplied(ctx, a); err != nil {
			return &cmdutil.ExitError{Code: cmdutil.ExitFindings, Err: err}
		}
	}
	if a.o.Wait {
		return a.wait(ctx)
	}
	return nil
}

func (a *applier) applyOne(ctx context.Context, obj *unstructured.Unstructured) error {
	var (
		done    appliedObject
		changes []string
		err     error
	)
	if isSecretTemplate(obj) {
		done, changes, err = a.applySecretTemplate(ctx, obj)
	} else {
		done, changes, err = a.applyObject(ctx, obj)
	}
	if err != nil {
		fmt.Fprintf(a.o.ErrOut, "error: %v\n", err)
		return err
	}
	a.applied = append(a.applied, done)
	line := done.ref() + " " + done.result + a.o.dryRunLabel()
	if len(changes) > 0 {
		line += ": " + strings.Join(changes, ", ")
	}
	fmt.Fprintln(a.o.Out, line)
	if obj.GetKind() == "CustomResourceDefinition" {
		if r, ok := a.mapper.(meta.ResettableRESTMapper); ok {
			r.Reset() // its kind can be applied next
		}
	}
	return nil
}
