package main

import (
	"fmt"
	"io"
	"os"
	"os/exec"

	"github.com/handbook-dev/handbook/internal/build"
)

// removerArg, as handbook's only argument but one, makes it the process
// that removes a previous output a build moved aside (the other argument):
// build starts it and returns without waiting for the disk. Its form is a
// flag's so that no command of a user's can be taken for it.
const removerArg = "--remove-old-output"

// detachRemoval is set by main: a build hands the previous output to a
// process of its own. The tests run the commands in their own process,
// whose executable is the test binary, and remove it before returning.
var detachRemoval bool

// oldOutputRemover is what build.Options.OldOutput is given: nil, so that
// the build removes the previous output itself, unless detachRemoval.
func oldOutputRemover(stderr io.Writer) func(dir string) {
	if !detachRemoval {
		return nil
	}
	return func(dir string) {
		exe, err := os.Executable()
		if err == nil {
			cmd := exec.Command(exe, removerArg, dir)
			// No terminal, no pipes of the caller's: whoever waits for
			// the build's output (a shell's pipe, a CI step) does not
			// wait for this.
			cmd.Stdin, cmd.Stdout, cmd.Stderr = nil, nil, nil
			detach(cmd)
			if err = cmd.Start(); err == nil {
				_ = cmd.Process.Release()
				return
			}
		}
		// Removed here then, as the build did before it could leave it.
		if err := build.RemoveOld(dir); err != nil {
			fmt.Fprintf(stderr, "warning: removing the previous output: %v\n", err)
		}
	}
}

// removeOld is the remover process: it removes the folder, if it is one a
// build moved aside, at a low priority, and returns the exit code.
func removeOld(dir string) int {
	lowerPriority()
	if err := build.RemoveOld(dir); err != nil && !os.IsNotExist(err) {
		fmt.Fprintf(os.Stderr, "handbook: %v\n", err)
		return 1
	}
	return 0
}
