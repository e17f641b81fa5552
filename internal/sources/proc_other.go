//go:build !unix

package sources

import "os/exec"

// detach does nothing here: a cancel kills git itself.
func detach(cmd *exec.Cmd) {}
