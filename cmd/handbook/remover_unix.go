//go:build unix

package main

import (
	"os/exec"
	"syscall"
)

// detach starts cmd in a session of its own, so that the build's
// terminal closing, or a Ctrl-C meant for what runs after the build, does
// not stop it.
func detach(cmd *exec.Cmd) {
	cmd.SysProcAttr = &syscall.SysProcAttr{Setsid: true}
}

// lowerPriority makes the remover give way to whatever else runs, such as
// the next build. Linux gives each thread its own priority, and the Go
// runtime has started several by now: the process group, which detach
// made the remover's alone, holds them all.
func lowerPriority() {
	if syscall.Getpgrp() == syscall.Getpid() {
		_ = syscall.Setpriority(syscall.PRIO_PGRP, 0, 10)
		return
	}
	_ = syscall.Setpriority(syscall.PRIO_PROCESS, 0, 10)
}
