package figures

import (
	"fmt"
	"io"
	"os"
	"os/exec"
	"runtime"
	"strings"
	"testing"
	"time"
)

// TestFigures prints every figure of BENCHMARKS.md as Markdown tables,
// the peers beside downfor, for BENCHMARKS.md. It asserts nothing: it is a
// report, and wall-clock figures are noisy. It runs only with -figures or
// DOWNFOR_FIGURES=1, and takes about half a minute:
//
//	DOWNFOR_FIGURES=1 go test -run TestFigures -v ./internal/figures/
//	go test -run TestFigures -v ./internal/figures/ -args -figures
func TestFigures(t *testing.T) {
	if !figuresEnabled() {
		t.Skip("a report, not a test: run with -" + figuresArg + " or " + envFigures + "=1")
	}
	w := os.Stdout
	printMachine(w)
	printHappy(t, w)
	printWindows(w, runWindows(t, every))
	printUnannounced(w, runUnannouncedAll(t, every))
	printFleets(w, runFleets(t, every))
	printProbes(w, runProbeSharing(t, every))
	printHuge(w)
}

func printMachine(w io.Writer) {
	fmt.Fprintf(w, "\n## Machine\n\n")
	fmt.Fprintf(w, "- %s %s/%s, GOMAXPROCS %d, %d CPUs\n", runtime.Version(), runtime.GOOS, runtime.GOARCH, runtime.GOMAXPROCS(0), runtime.NumCPU())
	if b, err := os.ReadFile("/proc/cpuinfo"); err == nil {
		for line := range strings.Lines(string(b)) {
			if name, ok := strings.CutPrefix(line, "model name"); ok {
				fmt.Fprintf(w, "- CPU: %s\n", strings.TrimSpace(strings.TrimLeft(name, " \t:")))
				break
			}
		}
	}
	if out, err := exec.Command("uname", "-sr").Output(); err == nil {
		fmt.Fprintf(w, "- kernel: %s\n", strings.TrimSpace(string(out)))
	}
}

// printHappy measures figure 1: the time ratios by interleaving the
// clients (one run each of testing.Benchmark, on loopback and from
// memory), and what each allocates per request from memory (exact).
func printHappy(t *testing.T, w io.Writer) {
	srv := newHappyServer(t)
	cs := happyContenders()
	var loop, mem []time.Duration
	testing.Benchmark(func(b *testing.B) { loop = interleave(b, cs, srv.URL+"/v1/items", nil) })
	testing.Benchmark(func(b *testing.B) { mem = interleave(b, cs, "http://canned.test/v1/items", cannedTransport{}) })
	fmt.Fprintf(w, "\n## Figure 1: a 2xx, the clients interleaved (one run of testing.Benchmark)\n\n")
	fmt.Fprintf(w, "| client | loopback, median | x bare | in memory, median | x bare | added per request | allocs/op (in memory) | B/op (in memory) |\n|---|---:|---:|---:|---:|---:|---:|---:|\n")
	for i, c := range cs {
		var cost happyCost
		testing.Benchmark(func(b *testing.B) {
			g, release := c.make(cannedTransport{})
			defer release()
			cost = measureHappy(b, g, "http://canned.test/v1/items")
		})
		fmt.Fprintf(w, "| %s | %s | %.3f | %s | %.3f | %+dns | %.0f | %.0f |\n", c.name,
			loop[i].Round(100*time.Nanosecond), float64(loop[i])/float64(loop[0]),
			mem[i], float64(mem[i])/float64(mem[0]), (mem[i] - mem[0]).Nanoseconds(), cost.allocs, cost.bytes)
	}
}

func printWindows(w io.Writer, rs []windowResult) {
	fmt.Fprintf(w, "\n## Figure 2: one client through a maintenance window (virtual time)\n\n")
	fmt.Fprintf(w, "| window | client | requests in window (pages) | lag after end | blocked | outcome | page requests at |\n|---|---|---:|---:|---:|---|---|\n")
	for _, r := range rs {
		lag := "never (gave up)"
		if r.Succeeded {
			lag = roundDur(time.Duration(r.LagMS * float64(time.Millisecond))).String()
		}
		fmt.Fprintf(w, "| %s | %s | %d (%d) | %s | %s | %s | %s |\n", r.Scenario, r.Client, r.Requests, r.Pages, lag,
			roundDur(time.Duration(r.BlockedS*float64(time.Second))), r.Outcome, formatTimes(r.Times))
	}
}

func printFleets(w io.Writer, rs []fleetResult) {
	fmt.Fprintf(w, "\n## Figure 3: %d clients waiting on one window (virtual time)\n\n", fleetSize)
	fmt.Fprintf(w, "| window | client | requests in window (pages) | requests in 1st s after end | peak rate (busiest 100 ms) | succeeded | median lag | last success after end |\n|---|---|---:|---:|---:|---:|---:|---:|\n")
	for _, r := range rs {
		fmt.Fprintf(w, "| %s | %s | %d (%d) | %d | %.0f/s | %d | %s | %s |\n", r.Scenario, r.Client, r.InWindow, r.PagesInWindow, r.FirstSecond, r.PeakRPS,
			r.Succeeded, roundDur(time.Duration(r.MedianLagMS*float64(time.Millisecond))), roundDur(time.Duration(r.SpreadMS*float64(time.Millisecond))))
	}
}

func printProbes(w io.Writer, rs []probeResult) {
	fmt.Fprintf(w, "\n## Figure 4: goroutines consulting one Prober (virtual time)\n\n")
	fmt.Fprintf(w, "| scenario | goroutines | Check calls | probe requests | cache period | periods | probes per period | calls that saw maintenance |\n|---|---:|---:|---:|---:|---:|---:|---:|\n")
	for _, r := range rs {
		fmt.Fprintf(w, "| %s | %d | %d | %d | %gs | %.1f | %.2f | %d |\n", r.Scenario, r.Goroutines, r.Calls, r.Probes, r.CacheForS, r.Periods, r.PerPeriod, r.Maintained)
	}
}

func printHuge(w io.Writer) {
	fmt.Fprintf(w, "\n## Figure 5: a 503 whose body streams 10 GiB (one run of testing.Benchmark each)\n\n")
	fmt.Fprintf(w, "| body | client | requests | bytes read by the client | body bytes the server got out | allocated | peak heap growth | ns/op | outcome |\n|---|---|---:|---:|---:|---:|---:|---:|---|\n")
	for _, v := range hugeVariants() {
		for _, c := range hugeContenders() {
			var cost hugeCost
			res := testing.Benchmark(func(b *testing.B) {
				b.ReportAllocs()
				cost = measureHuge(b, v, c.wrap)
			})
			fmt.Fprintf(w, "| %s | %s | %.1f | %s | %s | %s | %s | %s | %s |\n", v.name, c.name, cost.requests,
				bytesText(cost.readBytes), bytesText(cost.sentBytes), bytesText(cost.allocBytes), bytesText(cost.peakGrowth),
				roundDur(time.Duration(res.NsPerOp())), cost.outcome)
		}
	}
}

// bytesText renders a byte count with a binary unit.
func bytesText(n float64) string {
	switch {
	case n >= 1<<30:
		return fmt.Sprintf("%.1f GiB", n/(1<<30))
	case n >= 1<<20:
		return fmt.Sprintf("%.1f MiB", n/(1<<20))
	case n >= 1<<10:
		return fmt.Sprintf("%.1f KiB", n/(1<<10))
	}
	return fmt.Sprintf("%.0f B", n)
}
