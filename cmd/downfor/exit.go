package main

import "runtime/debug"

// Exit codes, from sysexits(3) where one fits. They are part of the CLI contract.
const (
	exitOK          = 0
	exitUsage       = 64 // EX_USAGE
	exitUnavailable = 69 // EX_UNAVAILABLE: malfunction
	exitSoftware    = 70 // EX_SOFTWARE: downfor itself failed
	exitIOErr       = 74 // EX_IOERR: network error
	exitTempFail    = 75 // EX_TEMPFAIL: maintenance or throttled
)

func version() string {
	if bi, ok := debug.ReadBuildInfo(); ok && bi.Main.Version != "" {
		return bi.Main.Version
	}
	return "(devel)"
}
