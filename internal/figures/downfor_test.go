package figures

import (
	"net/http"
	"time"

	"github.com/downfor/downfor/client"
)

// This file plugs downfor into each figure, beside the peers.

// downforHappyContenders are downfor's two ways in on the happy path, both
// with the zero Config but for the transport: its own client (on its own
// clone of http.DefaultTransport, or on rt), and wrapping a bare one.
func downforHappyContenders() []happyContender {
	return []happyContender{
		{"downfor-standard", func(rt http.RoundTripper) (getter, func()) {
			c := client.New(client.Config{Transport: rt}).StandardClient()
			return stdGetter{c}, closeIdle(c)
		}},
		{"downfor-wrap", func(rt http.RoundTripper) (getter, func()) {
			c := client.Wrap(bareOn(rt), client.Config{})
			return stdGetter{c}, closeIdle(c)
		}},
	}
}

// downforWindowConfig is the Config of downfor in figures 2 and 3: the
// defaults, but for a maximum wait that covers a 10-minute window.
func downforWindowConfig(rt http.RoundTripper) client.Config {
	return client.Config{MaxWait: windowMaxWait, Transport: rt}
}

// downforWindowContenders is downfor in figures 2 and 3.
func downforWindowContenders() []windowContender {
	return []windowContender{
		{"downfor", func(rt http.RoundTripper) getter {
			return stdGetter{client.New(downforWindowConfig(rt)).StandardClient()}
		}},
	}
}

// downforFleetExtras is downfor without its jitter, for figure 3.
func downforFleetExtras() []windowContender {
	return []windowContender{
		{"downfor-nojitter", func(rt http.RoundTripper) getter {
			cfg := downforWindowConfig(rt)
			cfg.Jitter.Fraction = -1
			return stdGetter{client.New(cfg).StandardClient()}
		}},
	}
}

// downforHugeContenders is downfor in figure 5, wrapping the counting
// client: with its default policy (one attempt and DefaultRetries retries,
// each consulting the probe), its backoff shortened to milliseconds so that
// an iteration measures the attempts rather than the sleeps between them;
// and with no retry (one attempt).
func downforHugeContenders() []hugeContender {
	return []hugeContender{
		{"downfor-wrap", func(c *http.Client) *http.Client {
			return client.Wrap(c, client.Config{Schedule: client.Schedule{Floor: time.Millisecond, Ceiling: 4 * time.Millisecond}})
		}},
		{"downfor-wrap-noretry", func(c *http.Client) *http.Client {
			return client.Wrap(c, client.Config{On: client.Policies{Malfunction: client.Policy{Retries: -1}}})
		}},
	}
}
