//go:build unix

package sources

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

// TestSyncCancelKills: canceling the context kills what git started, here
// an ssh command that never answers, and the source fails.
func TestSyncCancelKills(t *testing.T) {
	isolateGit(t)
	root := t.TempDir()
	pidFile := filepath.Join(root, "pid")
	ssh := filepath.Join(root, "ssh")
	// The fake ssh starts a child that never answers, and says its pid.
	script := "#!/bin/sh\nsleep 300 &\necho $! > '" + pidFile + ".tmp'\nmv '" + pidFile + ".tmp' '" + pidFile + "'\nwait\n"
	if err := os.WriteFile(ssh, []byte(script), 0o755); err != nil {
		t.Fatal(err)
	}
	t.Setenv("GIT_SSH_COMMAND", ssh)

	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	done := make(chan Result)
	go func() {
		done <- Sync(ctx, []Source{{Name: "slow", Repo: "ssh://git@example.invalid/acme/slow.git", Paths: docs}}, Options{CacheDir: filepath.Join(root, "cache")})[0]
	}()
	var pid int
	for deadline := time.Now().Add(30 * time.Second); pid == 0; time.Sleep(10 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatal("the fake ssh never started")
		}
		if data, err := os.ReadFile(pidFile); err == nil {
			pid, _ = strconv.Atoi(strings.TrimSpace(string(data)))
		}
	}
	cancel()
	r := <-done
	if !errors.Is(r.Err, context.Canceled) {
		t.Errorf("err %v, want context.Canceled", r.Err)
	}
	for deadline := time.Now().Add(10 * time.Second); alive(pid); time.Sleep(10 * time.Millisecond) {
		if time.Now().After(deadline) {
			syscall.Kill(pid, syscall.SIGKILL)
			t.Fatalf("process %d that git started outlived the cancel", pid)
		}
	}
}

// alive reports whether process pid runs (a zombie does not).
func alive(pid int) bool {
	if syscall.Kill(pid, 0) != nil {
		return false
	}
	stat, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/stat")
	if err != nil {
		return true
	}
	_, rest, _ := strings.Cut(string(stat), ") ")
	return !strings.HasPrefix(rest, "Z")
}
