package main

import (
	"encoding/json"
	"fmt"
	"io"
	"os"
	"runtime"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/feastflow/kubectl-feastflow/internal/loadtest"
)

// suiteReport is everything one suite run measured.
type suiteReport struct {
	Date    string `json:"date"`
	Machine struct {
		CPUs      int    `json:"cpus"`
		GoVersion string `json:"go"`
		Kernel    string `json:"kernel"`
		Pinned    string `json:"pinned,omitempty"`
	} `json:"machine"`
	Config struct {
		Rate     float64       `json:"rate_rps"`
		Duration time.Duration `json:"duration_ns"`
		Warmup   time.Duration `json:"warmup_ns"`
		HTTP     string        `json:"http"`
		Reviews  []string      `json:"reviews"`
		// RepeatObjects: each review's object was sent unchanged every time.
		RepeatObjects bool `json:"repeat_objects"`
		// WebhookBinary is the binary measured, when not built from the tree.
		WebhookBinary string `json:"webhook_binary,omitempty"`
		// WebhookMemoryLimit is the FEASTFLOW_MEMORY_LIMIT it got.
		WebhookMemoryLimit string `json:"webhook_memory_limit,omitempty"`
	} `json:"config"`
	Readiness struct {
		Webhook        time.Duration `json:"webhook_ns"`
		WebhookCompile string        `json:"webhook_policy_compile,omitempty"`
		OPA            time.Duration `json:"opa_ns"`
	} `json:"readiness"`
	OPACommand  []string      `json:"opa_command,omitempty"`
	Equivalence []equivalence `json:"equivalence"`
	Webhook     *loadPhase    `json:"webhook,omitempty"`
	OPA         *loadPhase    `json:"opa,omitempty"`
	DryRun      *dryRunResult `json:"dry_run,omitempty"`
	Aims        []aim         `json:"aims"`
	Failed      string        `json:"failed,omitempty"`
	webhookPID  int
}

// loadPhase is one server's load result with the CPU it used.
type loadPhase struct {
	*loadtest.Result
	ServerCPUPercent   float64 `json:"server_cpu_percent"`
	MachineBusyPercent float64 `json:"machine_busy_percent"`
	// FindingsCache is the webhook's findings cache over the phase (warm-up
	// included), when it exports one.
	FindingsCache *cacheStats `json:"findings_cache,omitempty"`
}

// aim is one of issue #3's targets and whether this run met it.
type aim struct {
	What     string `json:"what"`
	Target   string `json:"target"`
	Measured string `json:"measured"`
	Met      bool   `json:"met"`
}

func newSuiteReport(o *suiteOptions) *suiteReport {
	r := &suiteReport{Date: time.Now().UTC().Format(time.RFC3339)}
	r.Machine.CPUs, r.Machine.GoVersion = runtime.NumCPU(), runtime.Version()
	if v, err := os.ReadFile("/proc/sys/kernel/osrelease"); err == nil {
		r.Machine.Kernel = strings.TrimSpace(string(v))
	}
	r.Config.Rate, r.Config.Duration, r.Config.Warmup = o.load.rate, o.load.duration, o.load.warmup
	r.Config.RepeatObjects, r.Config.WebhookBinary, r.Config.WebhookMemoryLimit = o.load.repeat, o.webhookBin, o.memoryLimit
	r.Config.HTTP = "HTTP/2 over TLS"
	if o.load.http1 {
		r.Config.HTTP = "HTTP/1.1 keep-alive over TLS"
	}
	return r
}

// evaluateAims compares the webhook's figures with issue #3's aims.
func (r *suiteReport) evaluateAims() {
	r.Aims = nil
	if w := r.Webhook; w != nil {
		at := fmt.Sprintf(" at %.0f rps for %s", r.Config.Rate, r.Config.Duration)
		r.Aims = append(r.Aims,
			aim{"webhook p99 latency" + at, "< 2 ms", loadtest.Ms(w.Latency.P99), w.Latency.P99 < 2*time.Millisecond},
			aim{"webhook errors" + at, "0", fmt.Sprint(w.ErrorCount()), w.ErrorCount() == 0},
			aim{"webhook peak RSS (VmHWM)", "< 64 MiB", loadtest.MiB(w.Server.PeakRSS), w.Server.PeakRSS < 64<<20})
	}
	if r.Readiness.Webhook > 0 {
		r.Aims = append(r.Aims, aim{"webhook start to /readyz 200", "< 300 ms",
			loadtest.Ms(r.Readiness.Webhook), r.Readiness.Webhook < 300*time.Millisecond})
	}
	if d := r.DryRun; d != nil {
		r.Aims = append(r.Aims, aim{"p99 added to dry-run creates", "< 3 ms",
			loadtest.Ms(d.AddedP99), d.AddedP99 < 3*time.Millisecond})
	}
}

func (s *suite) writeReport(cmd *cobra.Command) error {
	s.report.evaluateAims()
	s.report.writeText(cmd.OutOrStdout())
	if s.o.out != "" {
		data, err := json.MarshalIndent(s.report, "", "  ")
		if err != nil {
			return fmt.Errorf("encode results: %w", err)
		}
		if err := os.WriteFile(s.o.out, append(data, '\n'), 0o644); err != nil {
			return fmt.Errorf("write results: %w", err)
		}
	}
	var failed []string
	for _, p := range []*loadPhase{s.report.Webhook, s.report.OPA} {
		if p != nil && p.ErrorCount() > 0 {
			failed = append(failed, fmt.Sprintf("%s: %d of %d requests failed", p.Name, p.ErrorCount(), p.Scheduled))
		}
	}
	if len(failed) > 0 {
		return fmt.Errorf("%s", strings.Join(failed, "; "))
	}
	return nil
}

func (r *suiteReport) writeText(w io.Writer) {
	fmt.Fprintf(w, "\nfeastflow-load suite, %s, %d CPUs, %s; %s\n", r.Date, r.Machine.CPUs, r.Machine.GoVersion, r.Config.HTTP)
	if r.Machine.Pinned != "" {
		fmt.Fprintf(w, "pinning: %s\n", r.Machine.Pinned)
	}
	fmt.Fprintf(w, "ready: webhook %s (policy compile %s), opa %s (from process start)\n",
		loadtest.Ms(r.Readiness.Webhook), r.Readiness.WebhookCompile, loadtest.Ms(r.Readiness.OPA))
	for _, e := range r.Equivalence {
		fmt.Fprintf(w, "equivalent: %-36s allowed=%-5t %s\n", e.Review, e.Allowed, strings.Join(e.RuleIDs, ","))
	}
	fmt.Fprintf(w, "\n%-8s %9s %9s %9s %9s %9s %10s %7s %10s %7s %7s\n",
		"server", "p50", "p90", "p99", "p99.9", "max", "rps", "errors", "peak RSS", "cpu%", "box%")
	for _, p := range []*loadPhase{r.Webhook, r.OPA} {
		if p == nil {
			continue
		}
		l := p.Latency
		fmt.Fprintf(w, "%-8s %9s %9s %9s %9s %9s %10.1f %7d %10s %7.0f %7.0f\n", p.Name,
			ms(l.P50), ms(l.P90), ms(l.P99), ms(l.P999), ms(l.Max), p.Throughput, p.ErrorCount(),
			loadtest.MiB(p.Server.PeakRSS), p.ServerCPUPercent, p.MachineBusyPercent)
	}
	objects := "every object distinct"
	if r.Config.RepeatObjects {
		objects = "each review's object repeated"
	}
	fmt.Fprintf(w, "objects: %s; webhook FEASTFLOW_MEMORY_LIMIT=%q\n", objects, r.Config.WebhookMemoryLimit)
	if c := r.Webhook.findingsCache(); c != nil {
		fmt.Fprintf(w, "webhook findings cache: %.0f hits, %.0f misses, hit rate %.1f%% (warm-up included)\n", c.Hits, c.Misses, 100*c.HitRate)
	}
	if r.Webhook != nil && r.OPA != nil && r.Webhook.Latency.P50 > 0 && r.Webhook.Latency.P99 > 0 {
		fmt.Fprintf(w, "opa/webhook latency ratio: p50 %.2fx, p99 %.2fx (latency in ms from scheduled send)\n",
			float64(r.OPA.Latency.P50)/float64(r.Webhook.Latency.P50), float64(r.OPA.Latency.P99)/float64(r.Webhook.Latency.P99))
	}
	for _, p := range []*loadPhase{r.Webhook, r.OPA} {
		if p != nil {
			fmt.Fprintln(w)
			p.WriteText(w)
		}
	}
	if d := r.DryRun; d != nil {
		fmt.Fprintf(w, "\ndry-run creates (%d per condition, %d rounds, sequential):\n", d.Creates, d.Rounds)
		fmt.Fprintf(w, "  without webhook  p50 %s  p90 %s  p99 %s  max %s\n", ms(d.Without.P50), ms(d.Without.P90), ms(d.Without.P99), ms(d.Without.Max))
		fmt.Fprintf(w, "  with webhook     p50 %s  p90 %s  p99 %s  max %s\n", ms(d.With.P50), ms(d.With.P90), ms(d.With.P99), ms(d.With.Max))
		fmt.Fprintf(w, "  added            p50 %s (%.2fx)  p99 %s (%.2fx)\n", ms(d.AddedP50), d.RatioP50, ms(d.AddedP99), d.RatioP99)
	}
	fmt.Fprintln(w, "\naims (issue #3):")
	for _, a := range r.Aims {
		verdict := "MISSED"
		if a.Met {
			verdict = "met"
		}
		fmt.Fprintf(w, "  %-6s %-52s %-9s measured %s\n", verdict, a.What, a.Target, a.Measured)
	}
}

func (p *loadPhase) findingsCache() *cacheStats {
	if p == nil {
		return nil
	}
	return p.FindingsCache
}

func ms(d time.Duration) string { return fmt.Sprintf("%.3f", float64(d)/float64(time.Millisecond)) }
