package announce_test

import (
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"testing"

	"github.com/downfor/downfor/announce"
)

// nop is a service that does nothing, so the switch's own cost shows.
var nop = http.HandlerFunc(func(http.ResponseWriter, *http.Request) {})

// BenchmarkHandlerOff is the cost the switch adds to every request while
// maintenance is off, from many goroutines at once.
func BenchmarkHandlerOff(b *testing.B) {
	flag := filepath.Join(b.TempDir(), "down")
	for _, bc := range []struct {
		name string
		sw   *announce.Switch
	}{
		{"code only", &announce.Switch{}},
		{"flag file", &announce.Switch{FlagFile: flag}},
	} {
		b.Run(bc.name, func(b *testing.B) {
			h := bc.sw.Handler(nop)
			b.ReportAllocs()
			b.RunParallel(func(pb *testing.PB) {
				req := httptest.NewRequest(http.MethodGet, "/v1/orders", nil)
				w := httptest.NewRecorder()
				for pb.Next() {
					h.ServeHTTP(w, req)
				}
			})
		})
	}
	_ = os.Remove(flag)
}
