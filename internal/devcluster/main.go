// Command devcluster runs the local cluster of `make cluster` (etcd,
// kube-apiserver, kube-controller-manager, kube-scheduler, KWOK with fake
// nodes and, optionally, feastflow-webhook as a local process) in the
// background, with its state in one directory.
//
//	devcluster up   [flags]  start a supervisor in the background; return once the cluster is ready
//	devcluster down [flags]  stop the supervisor, which stops everything; idempotent
//	devcluster run  [flags]  the supervisor itself, in the foreground (what up starts)
package main

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"time"
)

// options are the flags shared by the subcommands.
type options struct {
	dir           string
	nodes         int
	webhook       bool
	webhookBin    string
	webhookMode   string
	webhookConfig string
	readyTimeout  time.Duration
	stopTimeout   time.Duration
}

func main() {
	if len(os.Args) < 2 {
		fmt.Fprintln(os.Stderr, "usage: devcluster up|down|run [flags]")
		os.Exit(2)
	}
	o := &options{}
	fs := flag.NewFlagSet("devcluster "+os.Args[1], flag.ExitOnError)
	fs.StringVar(&o.dir, "dir", ".cluster", "Directory for the kubeconfig, logs and state")
	fs.IntVar(&o.nodes, "nodes", 3, "Number of fake KWOK nodes")
	fs.BoolVar(&o.webhook, "webhook", true, "Also run feastflow-webhook as a local process, registered by URL")
	fs.StringVar(&o.webhookBin, "webhook-bin", filepath.Join("bin", "feastflow-webhook"), "feastflow-webhook binary")
	fs.StringVar(&o.webhookMode, "webhook-mode", "enforce", "--mode of the webhook: enforce, warn or audit")
	fs.StringVar(&o.webhookConfig, "webhook-config", filepath.Join("manifests", "webhook", "validatingwebhookconfiguration.yaml"),
		"ValidatingWebhookConfiguration to register (its clientConfig is replaced by the local URL and CA)")
	fs.DurationVar(&o.readyTimeout, "timeout", 5*time.Minute, "How long up waits for the cluster to be ready")
	fs.DurationVar(&o.stopTimeout, "stop-timeout", time.Minute, "How long down waits for everything to stop before killing it")
	_ = fs.Parse(os.Args[2:])
	dir, err := filepath.Abs(o.dir)
	if err != nil {
		fail(err)
	}
	o.dir = dir

	switch os.Args[1] {
	case "up":
		err = up(o, os.Args[2:])
	case "down":
		err = down(o)
	case "run":
		err = run(o)
	default:
		err = fmt.Errorf("unknown command %q (want up, down or run)", os.Args[1])
	}
	if err != nil {
		fail(err)
	}
}

func fail(err error) {
	fmt.Fprintln(os.Stderr, "devcluster:", err)
	os.Exit(1)
}

// Files in the state directory.
func (o *options) pidFile() string   { return filepath.Join(o.dir, "devcluster.pid") }
func (o *options) readyFile() string { return filepath.Join(o.dir, "ready") }
func (o *options) logFile() string   { return filepath.Join(o.dir, "devcluster.log") }
func (o *options) kubeconfig() string {
	return filepath.Join(o.dir, "kubeconfig")
}
