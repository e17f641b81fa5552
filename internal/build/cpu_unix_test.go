//go:build unix

package build_test

import (
	"syscall"
	"time"
)

// cpuUsed returns the CPU time, user and system, the process has used so
// far (getrusage): an edit's cost on a machine shared with others, whose
// wall time varies with their load more than its CPU time does.
func cpuUsed() time.Duration {
	var ru syscall.Rusage
	if syscall.Getrusage(syscall.RUSAGE_SELF, &ru) != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
