package origin

import (
	"net/url"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestSame(t *testing.T) {
	cases := []struct {
		a, b string
		same bool
	}{
		{"http://example.com/a", "http://example.com/b?q=1", true},
		{"http://example.com", "http://example.com:80/", true},
		{"https://example.com", "https://example.com:443/x", true},
		{"HTTP://Example.COM/", "http://example.com/", true},
		{"http://user:pw@example.com/", "http://example.com/", true},
		{"http://[::1]:8080/", "http://[::1]:8080/x", true},
		{"http://example.com/", "https://example.com/", false},
		{"http://example.com/", "http://example.com:8080/", false},
		{"https://example.com/", "https://example.com:80/", false},
		{"http://example.com/", "http://example.com./", false},
		{"http://example.com/", "http://evil.example.com/", false},
		{"http://127.0.0.1:80/", "http://localhost/", false},
		{"ws://example.com/", "ws://example.com:80/", true},
		{"ftp://example.com/", "ftp://example.com:21/", false},
	}
	for _, tc := range cases {
		t.Run(tc.a+" "+tc.b, func(t *testing.T) {
			a, err := url.Parse(tc.a)
			require.NoError(t, err)
			b, err := url.Parse(tc.b)
			require.NoError(t, err)
			assert.Equal(t, tc.same, Same(a, b))
			assert.Equal(t, tc.same, Same(b, a), "symmetric")
		})
	}
	u, _ := url.Parse("http://example.com/")
	assert.False(t, Same(nil, u))
	assert.False(t, Same(u, nil))
}
