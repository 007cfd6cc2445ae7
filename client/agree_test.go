package client_test

import (
	"net/http"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/downfor/downfor/classify"
	"github.com/downfor/downfor/client"
	"github.com/downfor/downfor/probe"
	"github.com/downfor/downfor/testserver"
)

// TestCheckAgreesWithEveryAttempt: for every mode of the mock server, the
// check-once path (Client.Check, which the CLI is built on) and the
// retrying client's attempt reach the same verdict, every source
// configured (probe, health endpoint, status page), and that verdict is
// the mode's class. One decision path: the SDK and the CLI cannot
// disagree about a service.
//
// slow-body is the one mode where they look at different things: its
// headers come at once and its body never does. Check reads the body (a
// service whose answer never completes has not answered: network); the
// client hands the body to its caller, whose read then fails.
func TestCheckAgreesWithEveryAttempt(t *testing.T) {
	for _, m := range testserver.Modes() {
		t.Run(m.Name, func(t *testing.T) {
			synctest.Test(t, func(t *testing.T) {
				srv, err := testserver.StartInMemory(testserver.Config{Mode: m.Name, HugeBody: 1 << 20})
				require.NoError(t, err)
				t.Cleanup(srv.Close)
				var mu sync.Mutex
				var judged []classify.Verdict
				c := client.New(client.Config{
					Transport:      srv.InMemoryTransport(),
					MaxWait:        -1,
					AttemptTimeout: 5 * time.Second,
					Probe: probe.Config{
						Timeout:       2 * time.Second,
						CacheFor:      -1,
						HealthURL:     "/health",
						StatusPageURL: "/api/v2/summary.json",
					},
					OnVerdict: func(_ *http.Request, v classify.Verdict, _ client.Decision) {
						mu.Lock()
						judged = append(judged, v)
						mu.Unlock()
					},
				})
				url := srv.URL + "/api/things"
				checked, err := c.Check(t.Context(), url)
				require.NoError(t, err)
				if m.Name != "slow-body" {
					assert.Equal(t, m.Class, checked.Class.String(), "Check: %v", checked)
				}

				resp, err := c.StandardClient().Get(url)
				if err == nil {
					resp.Body.Close()
				}
				// MaxWait -1: no retry, so the last attempt judged is the
				// last hop of the request (of a redirect chain, the hop
				// Check also ends on).
				require.NotEmpty(t, judged, "no attempt was judged: %v", err)
				last := judged[len(judged)-1]
				if m.Name == "slow-body" {
					assert.Equal(t, classify.Network, checked.Class, "%v", checked)
					assert.Equal(t, classify.OK, last.Class, "%v", last)
					return
				}
				assert.Equal(t, checked.Class, last.Class, "Check %v; the client %v", checked, last)
				assert.Equal(t, checked.Confidence, last.Confidence)
				assert.Equal(t, checked.RetryAfter, last.RetryAfter)
			})
		})
	}
}
