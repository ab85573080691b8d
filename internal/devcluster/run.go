package main

import (
	"errors"
	"fmt"
	"os"
	"os/signal"
	"strconv"
	"syscall"

	"github.com/feastflow/kubectl-feastflow/internal/controlplane"
)

// run is the supervisor: it starts the cluster (and the webhook), writes the
// ready file, and on SIGTERM or SIGINT stops everything and removes its files.
func run(o *options) error {
	if err := os.MkdirAll(o.dir, 0o755); err != nil {
		return fmt.Errorf("create %s: %w", o.dir, err)
	}
	if err := os.WriteFile(o.pidFile(), []byte(strconv.Itoa(os.Getpid())+"\n"), 0o644); err != nil {
		return fmt.Errorf("write pid file: %w", err)
	}
	defer os.Remove(o.pidFile())
	signals := make(chan os.Signal, 1)
	signal.Notify(signals, syscall.SIGTERM, syscall.SIGINT, syscall.SIGHUP)

	fmt.Printf("starting cluster with %d nodes in %s\n", o.nodes, o.dir)
	cluster, err := controlplane.StartCluster(o.dir, controlplane.ClusterOptions{Nodes: o.nodes})
	if err != nil {
		return fmt.Errorf("start cluster: %w", err)
	}
	var hook *webhookProcess
	var info string
	if o.webhook {
		hook, err = startWebhook(o, cluster.Env)
		if err != nil {
			return errors.Join(fmt.Errorf("start webhook: %w", err), cluster.Stop())
		}
		info = fmt.Sprintf("feastflow-webhook (--mode=%s) runs as a local process at %s,\n"+
			"registered by URL in ValidatingWebhookConfiguration feastflow-webhook; log: %s\n",
			o.webhookMode, hook.url, hook.proc.log)
	}
	if err := os.WriteFile(o.readyFile(), []byte(info), 0o644); err != nil {
		return errors.Join(fmt.Errorf("write ready file: %w", err), stop(hook, cluster))
	}
	fmt.Printf("cluster ready; kubeconfig %s\n%s", cluster.Kubeconfig, info)

	var exited <-chan struct{}
	if hook != nil {
		exited = hook.proc.done
	}
	select {
	case sig := <-signals:
		fmt.Printf("%s: stopping\n", sig)
	case <-exited:
		fmt.Printf("feastflow-webhook exited (%v), see %s; stopping\n", hook.proc.err, hook.proc.log)
	}
	_ = os.Remove(o.readyFile())
	if err := stop(hook, cluster); err != nil {
		return err
	}
	fmt.Println("stopped")
	return nil
}

func stop(hook *webhookProcess, cluster *controlplane.Cluster) error {
	var err error
	if hook != nil {
		err = hook.proc.stop()
	}
	return errors.Join(err, cluster.Stop())
}
