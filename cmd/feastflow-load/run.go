package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"time"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/feastflow/kubectl-feastflow/internal/loadtest"
)

// defaultReviews is the built-in review set: every AdmissionReview fixture.
const defaultReviews = "testdata/admission"

// loadFlags are the load flags `run` and `suite` share.
type loadFlags struct {
	rate        float64
	duration    time.Duration
	warmup      time.Duration
	reviews     []string
	http1       bool
	connections int
	timeout     time.Duration
	repeat      bool
}

func (f *loadFlags) addFlags(fs *pflag.FlagSet) {
	fs.Float64Var(&f.rate, "rate", 1000, "Requests per second, sent on a fixed schedule whatever the answers (open loop)")
	fs.DurationVar(&f.duration, "duration", 30*time.Second, "How long requests are scheduled")
	fs.DurationVar(&f.warmup, "warmup", 2*time.Second, "Unmeasured load at the same rate first (0 disables)")
	fs.StringArrayVar(&f.reviews, "review", nil, "AdmissionReview JSON file or directory, repeatable; sent in turn (default "+defaultReviews+")")
	fs.BoolVar(&f.http1, "http1", false, "Use HTTP/1.1 keep-alive connections instead of HTTP/2")
	fs.IntVar(&f.connections, "connections", 64, "Most concurrent HTTP/1.1 connections")
	fs.DurationVar(&f.timeout, "timeout", 10*time.Second, "Per-request timeout (a transport error when passed)")
	fs.BoolVar(&f.repeat, "repeat-objects", false, "Send each review's object unchanged every time, as GitOps re-applies do (a findings cache then answers); by default every object carries its request uid in the "+loadtest.ObjectTagAnnotation+" annotation, so no two are the same")
}

func (f *loadFlags) validate() error {
	if err := (loadtest.Schedule{Rate: f.rate, Duration: f.duration}).Validate(); err != nil {
		return fmt.Errorf("--rate/--duration: %w", err)
	}
	if f.warmup < 0 || f.connections <= 0 || f.timeout <= 0 {
		return errors.New("--warmup must not be negative, --connections and --timeout must be positive")
	}
	return nil
}

func (f *loadFlags) loadReviews() ([]*loadtest.Review, error) {
	paths := f.reviews
	if len(paths) == 0 {
		paths = []string{defaultReviews}
	}
	reviews, err := loadtest.LoadReviews(paths)
	for _, r := range reviews {
		r.RepeatObject = f.repeat
	}
	return reviews, err
}

func (f *loadFlags) options(name, url, caFile string, reviews []*loadtest.Review) (loadtest.Options, error) {
	client, err := loadtest.NewClient(loadtest.ClientOptions{
		CAFile: caFile, HTTP1: f.http1, Connections: f.connections, Timeout: f.timeout,
	})
	if err != nil {
		return loadtest.Options{}, err
	}
	return loadtest.Options{
		Name: name, URL: url, Client: client, Warmup: f.warmup, Reviews: reviews,
		Schedule: loadtest.Schedule{Rate: f.rate, Duration: f.duration},
	}, nil
}

// runOptions are the flags of `run`.
type runOptions struct {
	load      loadFlags
	target    string
	caFile    string
	serverPID int
	output    string
}

func newRunCommand() *cobra.Command {
	o := &runOptions{}
	cmd := &cobra.Command{
		Use:   "run",
		Short: "Send AdmissionReviews to one endpoint at a fixed rate and report latency, throughput, errors and server memory",
		Example: `  feastflow-load run --target https://127.0.0.1:9443/validate --ca certs/ca.crt \
    --rate 1000 --duration 30s --server-pid $(pgrep -n feastflow-webhook)`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if err := o.validate(); err != nil {
				return err
			}
			return o.run(cmd)
		},
	}
	o.load.addFlags(cmd.Flags())
	cmd.Flags().StringVar(&o.target, "target", "https://127.0.0.1:9443/validate", "URL AdmissionReviews are POSTed to")
	cmd.Flags().StringVar(&o.caFile, "ca", "", "PEM CA the server certificate chains to (required)")
	cmd.Flags().IntVar(&o.serverPID, "server-pid", 0, "Report this process's peak and final RSS from /proc")
	cmd.Flags().StringVarP(&o.output, "output", "o", "text", "Output format: text or json")
	_ = cmd.MarkFlagRequired("ca")
	return cmd
}

func (o *runOptions) validate() error {
	if o.output != "text" && o.output != "json" {
		return fmt.Errorf("--output %q: want text or json", o.output)
	}
	return o.load.validate()
}

func (o *runOptions) run(cmd *cobra.Command) error {
	reviews, err := o.load.loadReviews()
	if err != nil {
		return err
	}
	opts, err := o.load.options("target", o.target, o.caFile, reviews)
	if err != nil {
		return err
	}
	res, err := loadtest.Run(cmd.Context(), opts)
	if err != nil {
		return err
	}
	if o.serverPID > 0 {
		mem, err := loadtest.ReadProcStatus(o.serverPID)
		if err != nil {
			return err
		}
		res.Server = &mem
	}
	if err := writeResult(cmd.OutOrStdout(), o.output, res); err != nil {
		return err
	}
	if n := res.ErrorCount(); n > 0 {
		return fmt.Errorf("%d of %d requests failed", n, res.Scheduled)
	}
	return nil
}

func writeResult(w io.Writer, format string, res *loadtest.Result) error {
	if format == "json" {
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		if err := enc.Encode(res); err != nil {
			return fmt.Errorf("write result: %w", err)
		}
		return nil
	}
	res.WriteText(w)
	return nil
}
