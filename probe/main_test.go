package probe

import (
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"

	"github.com/downfor/downfor/classify"
)

func TestMain(m *testing.M) {
	goleak.VerifyTestMain(m)
}

// now is the moment the fixtures describe: 07:00 UTC on 23 November 2026,
// an hour into a four-hour database upgrade.
var now = time.Date(2026, 11, 23, 7, 0, 0, 0, time.UTC)

func fixture(t testing.TB, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	require.NoError(t, err)
	return b
}

func utc(s string) time.Time {
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		panic(err)
	}
	return t
}

// got is the part of a piece of evidence the tables compare.
type got struct {
	Source    string
	Signal    string
	Value     string
	Strength  classify.Strength
	Indicates classify.Class
	Message   string
	Start     time.Time
	Until     time.Time
}

func brief(evs ...classify.Evidence) []got {
	out := make([]got, 0, len(evs))
	for _, e := range evs {
		out = append(out, got{e.Source, e.Signal, e.Value, e.Strength, e.Indicates, e.Message, e.Start, e.Until})
	}
	return out
}
