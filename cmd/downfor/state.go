package main

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"time"
)

const (
	// stateVersion is the version of the --state file's format: 2 keeps
	// one entry per job.
	stateVersion = 2
	// stateMaxBytes bounds a state file (and its lock): a larger one is
	// not downfor's, and is refused.
	stateMaxBytes = 1 << 20
	// stateMaxJobs bounds the jobs one file remembers; past it, those
	// that ran longest ago are forgotten.
	stateMaxJobs = 1000
	// defaultLockWait is how long run waits for another run's lock on
	// the state file.
	defaultLockWait = 30 * time.Second
	// lockPoll is how often a held lock is tried again.
	lockPoll = 50 * time.Millisecond
)

// stateFile is a --state file: every job that uses it, by key.
type stateFile struct {
	Version int                  `json:"version"`
	Jobs    map[string]*jobState `json:"jobs"`
}

// jobKey identifies a job in a state file: its (redacted) URL and its
// whole command line, hashed, so that several jobs share one file without
// one's incident ever opening, silencing or closing another's, and the
// key holds no argument in clear.
func jobKey(url string, argv []string) string {
	h := sha256.New()
	h.Write([]byte(url))
	for _, a := range argv {
		h.Write([]byte{0})
		h.Write([]byte(a))
	}
	return hex.EncodeToString(h.Sum(nil)[:16])
}

// stateError is a state file that could not be read, locked or written.
// run never keeps a failure quiet after one.
type stateError struct {
	path string
	err  error
}

func (e *stateError) Error() string { return fmt.Sprintf("state file %s: %v", e.path, e.err) }
func (e *stateError) Unwrap() error { return e.err }

// updateState reads the state file at path, lets change modify the entry
// of the job key, and writes the file back atomically (a temporary file
// renamed over it), all under an exclusive lock on path + ".lock", so
// concurrent runs take turns. It waits at most wait for the lock, and
// stops waiting when ctx ends. A missing file is an empty state; a
// corrupt one is reported on warn and replaced. A file or lock that is
// not a regular file owned by this user and writable by no one else, or
// larger than stateMaxBytes, is refused: another user could have planted
// it to silence alerts. Errors are *stateError.
func updateState(ctx context.Context, path, key string, wait time.Duration, warn io.Writer, change func(st *jobState)) error {
	unlock, err := lockFile(ctx, path+".lock", wait)
	if err != nil {
		return &stateError{path, err}
	}
	defer unlock()

	sf, err := readState(path, warn)
	if err != nil {
		return &stateError{path, err}
	}
	st := sf.Jobs[key]
	if st == nil {
		st = &jobState{}
	}
	change(st)
	sf.Jobs[key] = st
	sf.prune(stateMaxJobs)
	sf.Version = stateVersion
	b, err := json.MarshalIndent(sf, "", "  ")
	if err != nil {
		return &stateError{path, err}
	}
	if err := writeFileAtomic(path, append(b, '\n')); err != nil {
		return &stateError{path, err}
	}
	return nil
}

// readState reads the state file at path: empty when it does not exist,
// and when it is corrupt or of another version (reported on warn).
func readState(path string, warn io.Writer) (*stateFile, error) {
	fresh := &stateFile{Jobs: map[string]*jobState{}}
	// O_NONBLOCK: a FIFO planted at path must not block the open.
	f, err := os.OpenFile(path, os.O_RDONLY|syscall.O_NOFOLLOW|syscall.O_NONBLOCK, 0)
	if errors.Is(err, fs.ErrNotExist) {
		return fresh, nil
	}
	if err != nil {
		return nil, openError(err)
	}
	defer f.Close()
	if err := checkOwnFile(f); err != nil {
		return nil, err
	}
	b, err := io.ReadAll(io.LimitReader(f, stateMaxBytes+1))
	if err != nil {
		return nil, err
	}
	if len(b) > stateMaxBytes {
		return nil, fmt.Errorf("larger than %d bytes: not downfor's", stateMaxBytes)
	}
	var sf stateFile
	switch err := json.Unmarshal(b, &sf); {
	case err != nil:
		fmt.Fprintf(warn, "downfor: state file %s is corrupt (%s); starting afresh\n", path, printable(err.Error()))
		return fresh, nil
	case sf.Version == 1:
		// Version 1 kept one job per file: its incident cannot be told
		// apart from another job's. Starting afresh costs at most one
		// more alert.
		fmt.Fprintf(warn, "downfor: state file %s is of an older format (one job per file); starting afresh\n", path)
		return fresh, nil
	case sf.Version != stateVersion:
		fmt.Fprintf(warn, "downfor: state file %s is corrupt (unknown version %d); starting afresh\n", path, sf.Version)
		return fresh, nil
	}
	if sf.Jobs == nil {
		sf.Jobs = map[string]*jobState{}
	}
	for k, st := range sf.Jobs {
		if st == nil {
			delete(sf.Jobs, k)
		}
	}
	return &sf, nil
}

// prune forgets the jobs that ran longest ago, past max.
func (sf *stateFile) prune(max int) {
	if len(sf.Jobs) <= max {
		return
	}
	keys := make([]string, 0, len(sf.Jobs))
	for k := range sf.Jobs {
		keys = append(keys, k)
	}
	slices.SortFunc(keys, func(a, b string) int { return sf.Jobs[b].LastRun.Compare(sf.Jobs[a].LastRun) })
	for _, k := range keys[max:] {
		delete(sf.Jobs, k)
	}
}

// openError says why a state or lock file could not be opened, in words.
func openError(err error) error {
	if errors.Is(err, syscall.ELOOP) {
		return errors.New("is a symbolic link: refused")
	}
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}

// checkOwnFile refuses a file that another user could have planted or can
// change: not a regular file (a FIFO, a device, a directory), not owned by
// the effective user, writable by group or others, or larger than
// stateMaxBytes.
func checkOwnFile(f *os.File) error {
	fi, err := f.Stat()
	if err != nil {
		return err
	}
	switch {
	case fi.IsDir():
		return errors.New("is a directory")
	case !fi.Mode().IsRegular():
		return fmt.Errorf("is not a regular file (%s): refused", strings.TrimSpace(fi.Mode().Type().String()))
	case fi.Mode().Perm()&0o022 != 0:
		return fmt.Errorf("is writable by other users (mode %#o): refused", fi.Mode().Perm())
	case fi.Size() > stateMaxBytes:
		return fmt.Errorf("larger than %d bytes: not downfor's", stateMaxBytes)
	}
	if st, ok := fi.Sys().(*syscall.Stat_t); ok && int(st.Uid) != os.Geteuid() {
		return fmt.Errorf("is owned by uid %d, not by this user (uid %d): refused", st.Uid, os.Geteuid())
	}
	return nil
}

// lockFile takes an exclusive flock(2) on path, creating it if needed,
// and returns the function that releases it. It waits at most wait for a
// lock held by another process, and stops when ctx ends (a signal). The
// lock file is left in place: removing it would let two runs lock two
// different files.
func lockFile(ctx context.Context, path string, wait time.Duration) (unlock func(), err error) {
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE|syscall.O_NOFOLLOW|syscall.O_NONBLOCK, 0o600)
	if err != nil {
		return nil, fmt.Errorf("lock %s: %w", filepath.Base(path), openError(err))
	}
	if err := checkOwnFile(f); err != nil {
		f.Close()
		return nil, fmt.Errorf("lock %s %w", filepath.Base(path), err)
	}
	deadline := time.Now().Add(wait)
	for {
		err = syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB)
		if err == nil {
			break
		}
		if !errors.Is(err, syscall.EWOULDBLOCK) && !errors.Is(err, syscall.EINTR) {
			f.Close()
			return nil, fmt.Errorf("locking %s: %w", filepath.Base(path), err)
		}
		left := time.Until(deadline)
		if left <= 0 {
			f.Close()
			return nil, fmt.Errorf("lock %s held by another process for more than %s", filepath.Base(path), wait)
		}
		t := time.NewTimer(min(lockPoll, left))
		select {
		case <-ctx.Done():
			t.Stop()
			f.Close()
			return nil, fmt.Errorf("interrupted while waiting for the lock %s: %w", filepath.Base(path), context.Cause(ctx))
		case <-t.C:
		}
	}
	return func() {
		syscall.Flock(int(f.Fd()), syscall.LOCK_UN)
		f.Close()
	}, nil
}

// writeFileAtomic replaces path with data: readers see the old file or
// the new one, never a part. The new file is readable by its owner only.
func writeFileAtomic(path string, data []byte) error {
	dir, base := filepath.Split(path)
	if dir == "" {
		dir = "."
	}
	tmp, err := os.CreateTemp(dir, "."+base+".tmp*")
	if err != nil {
		return openError(err)
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

// printable maps control characters in s (from a file another user may
// have written) to '?', so that they never reach a terminal or a mail.
func printable(s string) string {
	return strings.Map(func(r rune) rune {
		if r < ' ' || r == 0x7f || (r >= 0x80 && r < 0xa0) || r == 0x2028 || r == 0x2029 || r == 0xfeff {
			return '?'
		}
		return r
	}, s)
}
