package notannounced_test

import (
	"net/http"
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/downfor/downfor/classify"
	"github.com/downfor/downfor/internal/notannounced"
	"github.com/downfor/downfor/probe"
)

func TestIs(t *testing.T) {
	for _, tt := range []struct {
		name   string
		status int
		ct     string
		body   string
		want   bool
	}{
		{"404", http.StatusNotFound, "", "", true},
		{"404 with a body", http.StatusNotFound, "text/html", "<h1>Not Found</h1>", true},
		{"410", http.StatusGone, "", "", false},
		{"500", http.StatusInternalServerError, "", "", false},
		{"200 maintenance", http.StatusOK, "application/json", `{"until":"2030-01-01T00:00:00Z"}`, false},
		{"200 html without maintenance words", http.StatusOK, "text/html", "<h1>Welcome</h1>", false},
	} {
		t.Run(tt.name, func(t *testing.T) {
			assert.Equal(t, tt.want, notannounced.Is(probe.ParseProbe(tt.status, tt.ct, []byte(tt.body))))
		})
	}
	assert.False(t, notannounced.Is(classify.Evidence{Source: classify.SourceHealth, Signal: "health", Value: notannounced.Value}),
		"only the probe's evidence")
}
