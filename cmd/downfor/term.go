package main

import (
	"io"
	"os"
	"strconv"
	"syscall"
	"unsafe"
)

// termWidth is the width in columns of the terminal w is, asked of the
// terminal itself (TIOCGWINSZ), else COLUMNS, else 80.
func termWidth(w io.Writer, env environment) int {
	if f, ok := w.(*os.File); ok {
		var ws struct{ row, col, x, y uint16 }
		if _, _, errno := syscall.Syscall(syscall.SYS_IOCTL, f.Fd(), uintptr(syscall.TIOCGWINSZ), uintptr(unsafe.Pointer(&ws))); errno == 0 && ws.col > 0 {
			return int(ws.col)
		}
	}
	if n, err := strconv.Atoi(env.Columns); err == nil && n > 0 {
		return n
	}
	return 80
}
