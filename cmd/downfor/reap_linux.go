//go:build linux

package main

import (
	"os"
	"strconv"
	"strings"
	"syscall"
)

// prSetChildSubreaper is prctl(2)'s PR_SET_CHILD_SUBREAPER.
const prSetChildSubreaper = 36

// becomeSubreaper makes downfor a child subreaper (Linux 3.4+): a
// descendant of the job whose parent exits is re-parented to downfor, not
// to init, even when it left the job's process group and session
// (setsid), so that --timeout can find it and end it.
func becomeSubreaper() error {
	if _, _, errno := syscall.RawSyscall(syscall.SYS_PRCTL, prSetChildSubreaper, 1, 0); errno != 0 {
		return errno
	}
	return nil
}

// children returns the processes whose parent is downfor, with their
// process group: read from /proc/PID/stat.
func children() map[int]int {
	me := os.Getpid()
	entries, err := os.ReadDir("/proc")
	if err != nil {
		return nil
	}
	out := map[int]int{}
	for _, e := range entries {
		pid, err := strconv.Atoi(e.Name())
		if err != nil {
			continue
		}
		b, err := os.ReadFile("/proc/" + e.Name() + "/stat")
		if err != nil {
			continue
		}
		// "pid (comm) state ppid pgrp ...": comm may hold spaces and
		// parentheses, so read after the last ')'.
		s := string(b)
		i := strings.LastIndexByte(s, ')')
		if i < 0 {
			continue
		}
		f := strings.Fields(s[i+1:])
		if len(f) < 3 {
			continue
		}
		ppid, err1 := strconv.Atoi(f[1])
		pgrp, err2 := strconv.Atoi(f[2])
		if err1 == nil && err2 == nil && ppid == me {
			out[pid] = pgrp
		}
	}
	return out
}

// signalOrphans sends s to every child of downfor outside the job's own
// process group (which had its signal already): descendants of the job
// that escaped it and came back to downfor, the subreaper. Each gets it in
// its own process group too, so that what it started goes with it.
func signalOrphans(s syscall.Signal, jobPgid int) {
	for pid, pgrp := range children() {
		if pgrp == jobPgid {
			continue
		}
		if pgrp == pid {
			_ = syscall.Kill(-pid, s)
		}
		_ = syscall.Kill(pid, s)
	}
}

// hasOrphans reports whether downfor has any child left. It is called only
// once the job's main process was waited for, so any child is an orphan.
func hasOrphans() bool { return len(children()) > 0 }

// reapOrphans waits for the children of downfor that have exited (as a
// subreaper, orphans that die become downfor's zombies). It is called only
// once the job's main process was waited for, and only in a downfor that
// starts no other process.
func reapOrphans() {
	for pid := range children() {
		var ws syscall.WaitStatus
		_, _ = syscall.Wait4(pid, &ws, syscall.WNOHANG, nil)
	}
}

// becomeSubreaperSupported reports whether this system has child
// subreapers, without becoming one: for tests.
func becomeSubreaperSupported() error { return nil }
