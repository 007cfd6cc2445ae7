package main

import (
	"context"
	"fmt"
	"io"
)

// These are replaced by check.go, wait.go, runcmd.go and demo.go (issue 6).

func checkCmd(ctx context.Context, args []string, env environment, stdout, stderr io.Writer) int {
	fmt.Fprintln(stderr, "downfor check: not built yet")
	return exitSoftware
}

func waitCmd(ctx context.Context, args []string, env environment, stdout, stderr io.Writer) int {
	fmt.Fprintln(stderr, "downfor wait: not built yet")
	return exitSoftware
}

func runCmd(ctx context.Context, args []string, env environment, stdin io.Reader, stdout, stderr io.Writer) int {
	fmt.Fprintln(stderr, "downfor run: not built yet")
	return exitSoftware
}

func demoCmd(ctx context.Context, args []string, env environment, stdout, stderr io.Writer) int {
	fmt.Fprintln(stderr, "downfor demo: not built yet")
	return exitSoftware
}
