//go:build !linux

package main

import (
	"errors"
	"syscall"
)

// becomeSubreaper is Linux only: elsewhere a descendant of the job that
// leaves its process group (setsid) is out of downfor's reach.
func becomeSubreaper() error { return errors.New("child subreaper: Linux only") }

func signalOrphans(syscall.Signal, int) {}

func hasOrphans() bool { return false }

func reapOrphans() {}

func becomeSubreaperSupported() error { return becomeSubreaper() }
