package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"time"

	"github.com/go-logr/logr"
	"github.com/spf13/cobra"
	ctrllog "sigs.k8s.io/controller-runtime/pkg/log"

	"github.com/feastflow/kubectl-feastflow/internal/loadtest"
	"github.com/feastflow/kubectl-feastflow/policies"
)

// Paths the suite reads, relative to the repository root it runs in.
const (
	benchObjectsPath = "testdata/bench/deployment.yaml"
	deniedReviewPath = "testdata/admission/deployment-without-probes.json"
	webhookPackage   = "./cmd/feastflow-webhook"
	opaPackage       = "github.com/open-policy-agent/opa"
)

// suiteOptions are the flags of `suite`.
type suiteOptions struct {
	load         loadFlags
	out          string
	dryRunN      int
	dryRunRounds int
	pin          bool
	keep         bool
	webhookBin   string
	memoryLimit  string
	opaLoad      bool
}

func newSuiteCommand() *cobra.Command {
	o := &suiteOptions{}
	cmd := &cobra.Command{
		Use:   "suite",
		Short: "Measure feastflow-webhook against OPA's server and through a real API server, in one run",
		Long: `suite runs the whole measured comparison on this machine, from the repository root:
it starts kube-apiserver and etcd (internal/controlplane), builds and starts
feastflow-webhook (GOMAXPROCS=1) and times it to ready, starts 'opa run --server'
(GOMAXPROCS=1) with the same catalog behind an AdmissionReview wrapper, checks
that both give the same decisions and rule ids for every review, drives the
same open-loop load at both, and times server-side dry-run creates through the
API server without and with the webhook registered. It prints a table, writes
JSON with --out, and fails on any request error or decision mismatch.`,
		Example: `  go run ./cmd/feastflow-load suite --rate 1000 --duration 30s --out results.json`,
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if err := o.load.validate(); err != nil {
				return err
			}
			if o.dryRunN <= 0 || o.dryRunRounds <= 0 || o.dryRunN < o.dryRunRounds {
				return errors.New("--dry-run-creates and --dry-run-rounds must be positive, creates at least rounds")
			}
			return o.run(cmd.Context(), cmd)
		},
	}
	o.load.addFlags(cmd.Flags())
	fs := cmd.Flags()
	fs.StringVar(&o.out, "out", "", "Write the results as JSON to this file")
	fs.IntVar(&o.dryRunN, "dry-run-creates", 2000, "Dry-run creates measured without, and again with, the webhook")
	fs.IntVar(&o.dryRunRounds, "dry-run-rounds", 2, "Alternate without/with this many times, splitting the creates")
	fs.BoolVar(&o.pin, "pin", haveTaskset() && runtime.NumCPU() >= 2, "Pin servers to CPU 1 (taskset) and the load generator to CPU 0")
	fs.BoolVar(&o.keep, "keep", false, "Keep the work directory (binaries, certificates, logs)")
	fs.StringVar(&o.webhookBin, "webhook-binary", "", "Measure this feastflow-webhook binary (e.g. an older build, to compare) instead of building ./cmd/feastflow-webhook")
	fs.StringVar(&o.memoryLimit, "webhook-memory-limit", "268435456", "FEASTFLOW_MEMORY_LIMIT given to the webhook, in bytes, as the shipped Deployment passes its 256Mi limit (the server then sets GOMEMLIMIT 90% of it and GOGC=400); empty leaves it unset (Go's GC defaults)")
	fs.BoolVar(&o.opaLoad, "opa-load", true, "Also load OPA's server (it is always started, to check the decisions)")
	return cmd
}

// suite is one run's state.
type suite struct {
	o       *suiteOptions
	dir     string
	cpu     int
	cluster *cluster
	engine  *policies.Engine
	reviews []*loadtest.Review
	report  *suiteReport
}

func (o *suiteOptions) run(ctx context.Context, cmd *cobra.Command) (err error) {
	ctrllog.SetLogger(logr.Discard()) // envtest's own logs; the servers log to files
	s := &suite{o: o, cpu: -1, report: newSuiteReport(o)}
	if s.reviews, err = o.load.loadReviews(); err != nil {
		return err
	}
	for _, r := range s.reviews {
		s.report.Config.Reviews = append(s.report.Config.Reviews, r.Name)
	}
	if s.engine, err = policies.New(ctx, policies.Options{Mode: policies.ModeAdmission}); err != nil {
		return err
	}
	if s.dir, err = os.MkdirTemp("", "feastflow-load-"); err != nil {
		return fmt.Errorf("make work directory: %w", err)
	}
	if o.keep {
		fmt.Fprintln(cmd.ErrOrStderr(), "work directory:", s.dir)
	} else {
		defer os.RemoveAll(s.dir)
	}
	if err := s.execute(ctx, cmd); err != nil {
		s.report.Failed = err.Error()
		_ = s.writeReport(cmd)
		return err
	}
	return s.writeReport(cmd)
}

func (s *suite) execute(ctx context.Context, cmd *cobra.Command) error {
	progress := func(format string, args ...any) {
		fmt.Fprintf(cmd.ErrOrStderr(), "[%s] %s\n", time.Now().Format("15:04:05"), fmt.Sprintf(format, args...))
	}
	progress("building feastflow-webhook and opa")
	bins, err := s.build(ctx)
	if err != nil {
		return err
	}
	progress("starting kube-apiserver and etcd")
	if s.cluster, err = startCluster(s.dir); err != nil {
		return err
	}
	defer s.cluster.stop()
	docs, err := readDocuments(benchObjectsPath)
	if err != nil {
		return err
	}
	if len(docs) < 2 {
		return fmt.Errorf("%s: want a Deployment followed by its inventory", benchObjectsPath)
	}
	live, err := s.cluster.createInventory(ctx, docs[1:])
	if err != nil {
		return err
	}
	if s.o.pin {
		if err := pinSelf(0); err != nil {
			return err
		}
		s.cpu = 1
		s.report.Machine.Pinned = "servers on CPU 1 (taskset -c 1), load generator on CPU 0; kube-apiserver and etcd unpinned"
	}
	progress("starting feastflow-webhook (GOMAXPROCS=1)")
	wh, err := s.startWebhook(ctx, bins.webhook)
	if err != nil {
		return err
	}
	defer wh.server.stop()
	progress("webhook ready after %s; starting opa (GOMAXPROCS=1)", s.report.Readiness.Webhook)
	opa, err := s.startOPA(ctx, bins.opa, live)
	if err != nil {
		return err
	}
	defer opa.server.stop()
	progress("opa ready after %s; checking equivalence", s.report.Readiness.OPA)
	if err := s.compare(ctx, wh, opa); err != nil {
		return err
	}
	opa.server.stop()
	progress("dry-run creates through kube-apiserver: %d per condition in %d rounds", s.o.dryRunN, s.o.dryRunRounds)
	return s.dryRun(ctx, wh.endpoint.url, docs[0])
}

// compare checks equivalence, then loads the webhook and OPA in turn.
func (s *suite) compare(ctx context.Context, wh, opa *runningServer) error {
	known := map[string]bool{}
	for _, r := range s.engine.Rules() {
		known[r.ID] = true
	}
	eq, err := checkEquivalence(ctx, wh.endpoint, opa.endpoint, s.reviews, known)
	s.report.Equivalence = eq
	if err != nil {
		return err
	}
	targets := []*runningServer{wh, opa}
	if !s.o.opaLoad {
		targets = targets[:1]
	}
	for _, target := range targets {
		phase, err := s.loadPhase(ctx, target)
		if err != nil {
			return err
		}
		if target == wh {
			s.report.Webhook = phase
		} else {
			s.report.OPA = phase
		}
	}
	return nil
}

// loadPhase runs the load against one server and reads its memory and CPU.
func (s *suite) loadPhase(ctx context.Context, target *runningServer) (*loadPhase, error) {
	opts, err := s.o.load.options(target.endpoint.name, target.endpoint.url, s.caFile(), s.reviews)
	if err != nil {
		return nil, err
	}
	pid := target.server.pid()
	machine0, err := loadtest.MachineCPU()
	if err != nil {
		return nil, err
	}
	server0, err := loadtest.ProcessCPU(pid)
	if err != nil {
		return nil, err
	}
	hits0, misses0, cached, err := target.scrapeCache(ctx)
	if err != nil {
		return nil, err
	}
	start := time.Now()
	res, err := loadtest.Run(ctx, opts)
	if err != nil {
		return nil, err
	}
	wall := time.Since(start).Seconds()
	var cache *cacheStats
	if cached {
		hits1, misses1, _, err := target.scrapeCache(ctx)
		if err != nil {
			return nil, err
		}
		cache = cacheDelta(hits0, misses0, hits1, misses1)
	}
	mem, err := loadtest.ReadProcStatus(pid)
	if err != nil {
		return nil, err
	}
	res.Server = &mem
	machine1, _ := loadtest.MachineCPU()
	server1, _ := loadtest.ProcessCPU(pid)
	return &loadPhase{
		Result:             res,
		ServerCPUPercent:   100 * (server1 - server0) / wall,
		MachineBusyPercent: 100 * (machine1.Busy - machine0.Busy) / (machine1.Total - machine0.Total),
		FindingsCache:      cache,
	}, nil
}

func (s *suite) caFile() string { return filepath.Join(s.dir, "certs", "ca.crt") }

func (s *suite) dryRun(ctx context.Context, webhookURL string, compliant map[string]any) error {
	denied, err := reviewObject(deniedReviewPath)
	if err != nil {
		return err
	}
	ca, err := os.ReadFile(s.caFile())
	if err != nil {
		return fmt.Errorf("read CA: %w", err)
	}
	bench, err := newDryRunBench(s.cluster, compliant, denied, webhookURL, ca)
	if err != nil {
		return err
	}
	res, err := bench.run(ctx, s.o.dryRunN, s.o.dryRunRounds)
	if err != nil {
		return err
	}
	if s.report.webhookPID > 0 {
		if mem, err := loadtest.ReadProcStatus(s.report.webhookPID); err == nil {
			res.WebhookPeak = &mem
		}
	}
	s.report.DryRun = res
	return nil
}

func itoa(n int) string { return strconv.Itoa(n) }
