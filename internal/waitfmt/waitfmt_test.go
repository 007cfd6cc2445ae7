package waitfmt

import (
	"math"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
)

func TestFormat(t *testing.T) {
	for _, tc := range []struct {
		in   time.Duration
		want string
	}{
		{0, "0s"},
		{90 * time.Second, "1m30s"},
		{47 * time.Hour, "47h0m0s"},
		{72 * time.Hour, "3d"},
		{999999999 * time.Second, "11574d"},
		{math.MaxInt64, "forever"},
	} {
		t.Run(tc.want, func(t *testing.T) {
			assert.Equal(t, tc.want, Format(tc.in))
		})
	}
}
