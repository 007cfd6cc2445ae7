package main

import (
	"context"
	"fmt"
	"io"
)

// serveCmd is replaced by serve.go (issue 3).
func serveCmd(ctx context.Context, args []string, env environment, stdout, stderr io.Writer) int {
	fmt.Fprintln(stderr, "downfor serve: not built yet")
	return exitSoftware
}
