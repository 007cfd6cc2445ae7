package main

import (
	"runtime/debug"
	"strings"
)

// Exit codes, from sysexits(3) where one fits. They are part of the CLI contract.
const (
	exitOK          = 0
	exitUsage       = 64 // EX_USAGE
	exitUnavailable = 69 // EX_UNAVAILABLE: malfunction
	exitSoftware    = 70 // EX_SOFTWARE: downfor itself failed
	exitIOErr       = 74 // EX_IOERR: network error
	exitTempFail    = 75 // EX_TEMPFAIL: maintenance or throttled
)

// version is downfor's version, from the module's build information: the
// module version of a released build ("v1.2.0"), else "devel" with the VCS
// revision when the build recorded one ("devel (rev 1a2b3c4d5e6f, modified)").
func version() string {
	bi, ok := debug.ReadBuildInfo()
	if !ok {
		return "devel"
	}
	if v := bi.Main.Version; v != "" && v != "(devel)" {
		return v
	}
	var rev string
	var modified bool
	for _, s := range bi.Settings {
		switch s.Key {
		case "vcs.revision":
			rev = s.Value
		case "vcs.modified":
			modified = s.Value == "true"
		}
	}
	if rev == "" {
		return "devel"
	}
	s := "devel (rev " + rev[:min(12, len(rev))]
	if modified {
		s += ", modified"
	}
	return s + ")"
}

// userAgent is the User-Agent of every request the CLI sends:
// "downfor/v1.2.0", or "downfor/devel".
func userAgent() string {
	v, _, _ := strings.Cut(version(), " ")
	return "downfor/" + v
}
