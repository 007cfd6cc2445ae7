package main

import (
	"context"
	"fmt"
	"io"
	"time"
)

const checkUsage = `Usage: downfor check [flags] URL

Classify the service at URL now: request it, read what it answered and,
unless it answered normally, ask the out-of-band sources why: the probe
(` + defaultProbePath + `), the health endpoint and the status page. Unless
told otherwise, those are looked for on the service's own origin
(` + defaultHealthPath + ` and ` + defaultStatusPath + `); --health and
--status-page name another URL, "none" disables one. --header is sent to
the service's origin only, never to another host.

Prints one line (the class, the wait the server asked for, the strongest
evidence), or with --json one object:
  {"url","class","confidence","retry_after_seconds","until","message",
   "checked_at","evidence":[{"source","signal","value","strength",...}]}

Examples:
  downfor check https://api.example.com/v1/status
  downfor check --json --status-page https://status.example.com --component API https://api.example.com/
  downfor check --method POST --header 'Authorization: Bearer TOKEN' https://gitlab.example.com/api/v4/projects

Exit codes:
  0   ok or client_error: the service answers
  75  maintenance or throttled: try later (EX_TEMPFAIL)
  69  malfunction (EX_UNAVAILABLE)
  74  network error (EX_IOERR)
  64  usage error (EX_USAGE)
  70  downfor itself failed (EX_SOFTWARE)
  130 interrupted
`

func checkCmd(ctx context.Context, args []string, env environment, stdout, stderr io.Writer) int {
	cmd := newCommand("check", checkUsage, stdout, stderr)
	var sf serviceFlags
	if err := sf.register(cmd.fs, env, "timeout"); err != nil {
		return cmd.fail(err)
	}
	jsonOut := cmd.fs.Bool("json", false, "print one JSON object instead of a line")
	pos, code, done := cmd.parse(args, true)
	if done {
		return code
	}
	svc, err := newService(&sf, "the URL", pos, env)
	if err != nil {
		return cmd.fail(err)
	}
	defer svc.checker.close()
	color := useColor(stdout, env)
	stdout, stderr = svc.red.Writer(stdout), svc.red.Writer(stderr)
	sf.tls.warn(stderr)
	v, err := svc.checker.check(ctx)
	if err != nil {
		fmt.Fprintf(stderr, "downfor check: %v\n", err)
		return exitInterrupted
	}
	if !*jsonOut {
		warnComponents(stderr, v)
	}
	return printVerdict(stdout, stderr, svc.shown, v, time.Now(), *jsonOut, color)
}
