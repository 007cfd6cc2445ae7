// Command downfor tells automation whether a service is down for
// maintenance or just down. Run "downfor help" for the subcommands.
package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	// As a child subreaper, downfor gets back the descendants of a job
	// that left its process group, so that run --timeout ends them too.
	// Only the real command does this: tests run many commands in one
	// process.
	proc := process{subreaper: becomeSubreaper() == nil}
	code := proc.run(ctx, os.Args[1:], os.Stdin, os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

// process is what the program knows about the process it runs in.
type process struct {
	// subreaper: downfor is a child subreaper and starts no process but
	// the job, so every other child of downfor is an orphan of the job.
	subreaper bool
	// env is the environment given to jobs; nil means os.Environ().
	env []string
}

func (p process) environ() []string {
	if p.env != nil {
		return p.env
	}
	return os.Environ()
}

// run is the whole program behind main, so tests can drive it with their
// own arguments and streams. It returns the process exit code.
func run(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	return process{}.run(ctx, args, stdin, stdout, stderr)
}

func (p process) run(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		fmt.Fprint(stderr, topUsage)
		return exitUsage
	}
	env := readEnv(os.LookupEnv)
	switch args[0] {
	case "check":
		return checkCmd(ctx, args[1:], env, stdout, stderr)
	case "wait":
		return waitCmd(ctx, args[1:], env, stdout, stderr)
	case "run":
		return runCmd(ctx, args[1:], env, p, stdin, stdout, stderr)
	case "serve":
		return serveCmd(ctx, args[1:], env, stdout, stderr)
	case "demo":
		return demoCmd(ctx, args[1:], env, stdout, stderr)
	case "completion":
		return completionCmd(ctx, args[1:], stdout, stderr)
	case "help", "-h", "-help", "--help":
		if len(args) > 1 {
			return p.run(ctx, []string{args[1], "--help"}, stdin, stdout, stderr)
		}
		fmt.Fprint(stdout, topUsage)
		return exitOK
	case "version", "--version":
		fmt.Fprintln(stdout, "downfor", version())
		return exitOK
	default:
		fmt.Fprintf(stderr, "downfor: unknown command %q\n\n%s", args[0], topUsage)
		return exitUsage
	}
}

const topUsage = `downfor tells automation whether a service is down for maintenance or just down.

Usage:
  downfor check [flags] URL                  classify the service now
  downfor wait  [flags] URL                  block until it is out of maintenance (or --timeout passes)
  downfor run   [flags] --url URL -- CMD...  run a cron job; stay quiet when it failed because of maintenance
  downfor serve [flags]                      run the mock server (its modes: downfor serve --list)
  downfor demo                               a live demonstration on the embedded mock server (~15 s)
  downfor completion bash|zsh|fish           print a shell completion script

Run "downfor COMMAND --help" (or "downfor help COMMAND") for the flags of one command.

check, wait and run look at the service's own answer, then, when it is not ok, at the
probe (/down-for-maintenance), the health endpoint and the status page: on the service's
own origin (/health, /api/v2/summary.json) unless --health or --status-page name another
URL or "none". Environment: DOWNFOR_URL, DOWNFOR_TIMEOUT, DOWNFOR_PROBE_PATH,
DOWNFOR_HEALTH, DOWNFOR_STATUS_PAGE, DOWNFOR_STATE, DOWNFOR_PING_URL, NO_COLOR;
SSL_CERT_FILE and SSL_CERT_DIR name the CA certificates to trust.

Exit codes of check and wait:
  0   ok or client_error: the service answers
  75  maintenance or throttled: try later (EX_TEMPFAIL)
  69  malfunction (EX_UNAVAILABLE)
  74  network error (EX_IOERR)
  64  usage error (EX_USAGE)
  70  downfor itself failed (EX_SOFTWARE)
  130 interrupted
run exits with the job's code, 0 (or --maintenance-exit) when it failed during maintenance,
124 when --timeout killed it, 126/127 when it could not be started.

What counts as maintenance, and how a service can announce it so that downfor
can tell: docs/protocol.md (https://github.com/downfor/downfor/blob/main/docs/protocol.md).
`
