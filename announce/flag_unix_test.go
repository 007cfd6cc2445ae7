//go:build unix

package announce_test

import (
	"os"
	"path/filepath"
	"syscall"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/downfor/downfor/announce"
)

// TestFlagFileNotRegular: a directory or a FIFO at the flag file's path is
// not a flag, and a FIFO is never opened (it would block every request)
// (protocol P11).
func TestFlagFileNotRegular(t *testing.T) {
	dir := t.TempDir()
	sub := filepath.Join(dir, "down")
	require.NoError(t, os.Mkdir(sub, 0o755))
	sw := announce.Switch{FlagFile: sub}
	assert.Equal(t, 200, serve(t, sw.Handler(app), "GET", "/", nil).status, "protocol P11: a directory is not a flag")

	fifo := filepath.Join(dir, "fifo")
	if err := syscall.Mkfifo(fifo, 0o644); err != nil {
		t.Skip("no FIFOs here:", err)
	}
	sw2 := announce.Switch{FlagFile: fifo}
	assert.Equal(t, 200, serve(t, sw2.Handler(app), "GET", "/", nil).status, "protocol P11: a FIFO is not a flag")

	link := filepath.Join(dir, "link")
	target := filepath.Join(dir, "real")
	require.NoError(t, os.WriteFile(target, []byte("Through a link."), 0o644))
	require.NoError(t, os.Symlink(target, link))
	sw3 := announce.Switch{FlagFile: link}
	a := serve(t, sw3.Handler(app), "GET", "/", nil)
	assert.Equal(t, 503, a.status, "protocol P11: a link to a regular file is a flag")
	assert.Equal(t, "Through a link.", decode(t, a.body)["message"])
}
