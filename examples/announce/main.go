// Command announce is a small "orders" service that announces its planned
// maintenance the way docs/protocol.md asks, with package announce, so that
// downfor (and any careful client) can tell it from an outage.
//
// Maintenance is switched on and off two ways, both without a restart:
//
//   - a flag file: while it exists the service is down for maintenance; it
//     may hold the end and a message:
//
//     echo '{"until":"2030-05-06T10:00:00Z","message":"Disk swap."}' > down
//     rm down
//
//   - an admin endpoint, mounted outside the switch so it still works during
//     maintenance, for loopback clients only:
//
//     curl -X POST 'http://127.0.0.1:8080/admin/maintenance?for=30m&message=Upgrading+the+database.'
//     curl -X DELETE http://127.0.0.1:8080/admin/maintenance
//
// During maintenance every page answers 503 with Retry-After, the probe
// GET /down-for-maintenance answers 200, /health says OUT_OF_SERVICE to
// loopback clients, and operators who send the -secret (header
// Maintenance-Bypass, or a visit to /SECRET in a browser) see the service
// as usual. Try it:
//
//	go run ./examples/announce -flag-file ./down
//	go run ./cmd/downfor check http://127.0.0.1:8080/v1/orders
package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/netip"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/downfor/downfor/announce"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

const (
	exitOK    = 0
	exitError = 1
	exitUsage = 2
)

// config is what the flags say.
type config struct {
	listen    string
	flagFile  string
	flagCheck time.Duration
	secret    string
}

func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("announce", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var cfg config
	fs.StringVar(&cfg.listen, "listen", "127.0.0.1:8080", "`address` to listen on")
	fs.StringVar(&cfg.flagFile, "flag-file", "down", "maintenance flag `file`: maintenance is on while it exists (empty: none)")
	fs.DurationVar(&cfg.flagCheck, "flag-check", time.Second, "how long the flag file's state is reused (negative: look on every request)")
	fs.StringVar(&cfg.secret, "secret", os.Getenv("ANNOUNCE_SECRET"), "secret that bypasses maintenance (default $ANNOUNCE_SECRET; empty: none)")
	fs.Usage = func() {
		fmt.Fprintln(stderr, "Usage: announce [flags]")
		fs.PrintDefaults()
	}
	if err := fs.Parse(args); err != nil {
		return exitUsage
	}
	if fs.NArg() > 0 {
		fs.Usage()
		return exitUsage
	}

	ln, err := net.Listen("tcp", cfg.listen)
	if err != nil {
		fmt.Fprintln(stderr, "announce:", err)
		return exitError
	}
	handler, _ := newService(cfg)
	srv := &http.Server{Handler: handler, ReadHeaderTimeout: 10 * time.Second}
	fmt.Fprintf(stdout, "orders service on http://%s (flag file %q)\n", ln.Addr(), cfg.flagFile)

	done := make(chan error, 1)
	go func() { done <- srv.Serve(ln) }()
	select {
	case err := <-done:
		fmt.Fprintln(stderr, "announce:", err)
		return exitError
	case <-ctx.Done():
	}
	shutdown, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := srv.Shutdown(shutdown); err != nil {
		fmt.Fprintln(stderr, "announce:", err)
		return exitError
	}
	if err := <-done; err != nil && !errors.Is(err, http.ErrServerClosed) {
		fmt.Fprintln(stderr, "announce:", err)
		return exitError
	}
	return exitOK
}

// loopback is who may use the admin endpoint and read /health.
func loopback() []netip.Prefix {
	return []netip.Prefix{netip.MustParsePrefix("127.0.0.0/8"), netip.MustParsePrefix("::1/128")}
}

// newService builds the service: the application behind the switch, and
// beside it the admin endpoint and the health check, which must answer
// during maintenance too.
func newService(cfg config) (http.Handler, *announce.Switch) {
	sw := &announce.Switch{FlagFile: cfg.flagFile, FlagCheck: cfg.flagCheck, Secret: cfg.secret}

	app := http.NewServeMux()
	app.HandleFunc("GET /v1/orders", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		_ = json.NewEncoder(w).Encode(map[string]any{"orders": []string{"A-1001", "A-1002"}})
	})

	mux := http.NewServeMux()
	mux.Handle("/", sw.Handler(app))
	mux.Handle("GET /health", sw.HealthHandler(func(ctx context.Context) error {
		return nil // ping the database here
	}, loopback()))
	mux.Handle("/admin/maintenance", admin(sw))
	return mux, sw
}

// admin starts (POST, with for=DURATION or until=RFC3339, and message) or
// ends (DELETE) maintenance, for loopback clients only.
func admin(sw *announce.Switch) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		addr, err := netip.ParseAddrPort(r.RemoteAddr)
		if err != nil || !addr.Addr().Unmap().IsLoopback() {
			http.Error(w, "forbidden", http.StatusForbidden)
			return
		}
		switch r.Method {
		case http.MethodPost:
			var until time.Time
			q := r.URL.Query()
			if s := q.Get("for"); s != "" {
				d, err := time.ParseDuration(s)
				if err != nil || d <= 0 {
					http.Error(w, "for: want a positive duration such as 30m", http.StatusBadRequest)
					return
				}
				until = time.Now().Add(d)
			}
			if s := q.Get("until"); s != "" {
				t, err := time.Parse(time.RFC3339, s)
				if err != nil {
					http.Error(w, "until: want an RFC 3339 time", http.StatusBadRequest)
					return
				}
				until = t
			}
			sw.Start(until, q.Get("message"))
		case http.MethodDelete:
			sw.End()
		default:
			w.Header().Set("Allow", "POST, DELETE")
			http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
			return
		}
		st := sw.State()
		fmt.Fprintf(w, "maintenance: %t\n", st.On)
	})
}
