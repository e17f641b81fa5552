//go:build unix

package sources

import (
	"os/exec"
	"syscall"
)

// detach runs cmd in a session of its own, without a terminal, so that
// nothing it starts (ssh, a credential helper) can ask for a password, and
// makes a cancel kill the whole process group.
func detach(cmd *exec.Cmd) {
	cmd.SysProcAttr = &syscall.SysProcAttr{Setsid: true}
	cmd.Cancel = func() error { return syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL) }
}
