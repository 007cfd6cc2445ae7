package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"syscall"
	"time"

	"github.com/downfor/downfor/classify"
)

// stateVersion is the version of the --state file's format.
const stateVersion = 1

// runState is what "downfor run --state FILE" remembers between runs.
type runState struct {
	Version int `json:"version"`
	// URL is the service the job depends on.
	URL string `json:"url"`
	// LastRun is when the last run ended, LastOutcome how: "ok",
	// "failed", "maintenance" (failed during maintenance, kept quiet) or
	// "skipped" (not started, --skip-before), and LastExit its exit code.
	LastRun     time.Time `json:"last_run"`
	LastOutcome string    `json:"last_outcome"`
	LastExit    int       `json:"last_exit"`
	// Verdict is the service's last verdict, nil when the last run did not
	// check it (it succeeded).
	Verdict *classify.Verdict `json:"verdict,omitempty"`
	// Incident is open from a failure that alerted until the next
	// success; nil when none is open.
	Incident *incident `json:"incident,omitempty"`
}

// incident is a run of failures (not due to maintenance) that has already
// alerted once.
type incident struct {
	// Since is when the failure that alerted ended.
	Since time.Time `json:"since"`
	// Class is the service's class then.
	Class classify.Class `json:"class"`
	// Failures counts the failed runs since, the first one included.
	Failures int `json:"failures"`
}

// updateState reads the state file at path, lets change modify it, and
// writes it back atomically (a temporary file renamed over it), all under
// an exclusive lock on path + ".lock", so concurrent runs take turns. A
// missing file is an empty state; a corrupt one is reported on warn and
// replaced. The error is for the caller to report; it is never fatal to
// the job.
func updateState(path string, warn io.Writer, change func(st *runState)) error {
	unlock, err := lockFile(path + ".lock")
	if err != nil {
		return err
	}
	defer unlock()

	var st runState
	switch b, err := os.ReadFile(path); {
	case errors.Is(err, fs.ErrNotExist):
	case err != nil:
		return err
	default:
		if err := json.Unmarshal(b, &st); err != nil || st.Version != stateVersion {
			if err == nil {
				err = fmt.Errorf("unknown version %d", st.Version)
			}
			fmt.Fprintf(warn, "downfor: state file %s is corrupt (%v); starting afresh\n", path, err)
			st = runState{}
		}
	}
	change(&st)
	st.Version = stateVersion
	b, err := json.MarshalIndent(&st, "", "  ")
	if err != nil {
		return err
	}
	return writeFileAtomic(path, append(b, '\n'))
}

// lockFile takes an exclusive flock(2) on path, creating it if needed,
// and returns the function that releases it. The lock file is left in
// place: removing it would let two runs lock two different files.
func lockFile(path string) (unlock func(), err error) {
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE|syscall.O_NOFOLLOW, 0o600)
	if err != nil {
		return nil, err
	}
	for {
		err = syscall.Flock(int(f.Fd()), syscall.LOCK_EX)
		if !errors.Is(err, syscall.EINTR) {
			break
		}
	}
	if err != nil {
		f.Close()
		return nil, fmt.Errorf("locking %s: %w", path, err)
	}
	return func() {
		syscall.Flock(int(f.Fd()), syscall.LOCK_UN)
		f.Close()
	}, nil
}

// writeFileAtomic replaces path with data: readers see the old file or
// the new one, never a part.
func writeFileAtomic(path string, data []byte) error {
	dir, base := filepath.Split(path)
	if dir == "" {
		dir = "."
	}
	tmp, err := os.CreateTemp(dir, "."+base+".tmp*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name()) // after a successful rename, there is nothing to remove
	if _, err := tmp.Write(data); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Sync(); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), path)
}
