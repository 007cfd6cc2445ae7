package redirectloop

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/downfor/downfor/classify"
)

func TestVerdict(t *testing.T) {
	in := classify.Verdict{Class: classify.OK, Status: 302, Evidence: []classify.Evidence{
		{Source: classify.SourceResponse, Signal: "status", Value: "302"}}}
	v := Verdict(in, 10)
	assert.Equal(t, classify.Malfunction, v.Class)
	require.Len(t, v.Evidence, 2)
	assert.Equal(t, "redirect-loop", v.Evidence[1].Signal)
	assert.Equal(t, "10 redirects in a row", v.Evidence[1].Value)
	assert.Equal(t, classify.Explicit, v.Evidence[1].Strength)
	assert.Len(t, in.Evidence, 1, "the input's evidence is not modified")
}
