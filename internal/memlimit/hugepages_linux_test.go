package memlimit

import (
	"bufio"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"unsafe"
)

// TestHugePagesAdvisesTheHeap: after HugePages, heap memory the program
// allocates lies in an address range advised to have huge pages ("hg" in
// /proc/self/smaps), and the block it advised was not faulted in.
func TestHugePagesAdvisesTheHeap(t *testing.T) {
	t.Setenv("GODEBUG", "")
	thpKernel(t)
	madviseMode(t, "always [madvise] never")
	before := pageFaults(t)
	const n = 256 << 20
	if !HugePages(n) {
		t.Fatal("HugePages asked for nothing with the kernel's mode [madvise]")
	}
	// Faulted in whole, the block would be 65,536 pages of 4 KB.
	if faults := pageFaults(t) - before; faults > 2000 {
		t.Errorf("%d pages faulted in by HugePages: the block was", faults)
	}
	// The heap grows into the advised range: a few blocks allocated now
	// are there.
	var keep [][]byte
	for range 8 {
		b := make([]byte, 8<<20)
		keep = append(keep, b)
		if advised(t, uintptr(unsafe.Pointer(&b[0]))) {
			return
		}
	}
	t.Errorf("none of %d blocks of 8 MB allocated after HugePages is in memory advised to have huge pages", len(keep))
}

// TestHugePagesOnlyWhenAdvised: HugePages asks for nothing where the
// kernel gives huge pages to every program or to none, or when GODEBUG
// turns them off.
func TestHugePagesOnlyWhenAdvised(t *testing.T) {
	// The cases below mean something only where HugePages asks otherwise.
	thpKernel(t)
	t.Setenv("GODEBUG", "")
	madviseMode(t, "always [madvise] never")
	if !HugePages(64 << 20) {
		t.Fatal("HugePages asked for nothing with the kernel's mode [madvise]")
	}
	for _, mode := range []string{"[always] madvise never", "always madvise [never]"} {
		madviseMode(t, mode)
		if HugePages(64 << 20) {
			t.Errorf("HugePages asked with the kernel's mode %q", mode)
		}
	}
	madviseMode(t, "always [madvise] never")
	t.Setenv("GODEBUG", "madvdontneed=1,disablethp=1")
	if HugePages(64 << 20) {
		t.Error("HugePages asked with GODEBUG=disablethp=1")
	}
	t.Setenv("GODEBUG", "")
	dir := t.TempDir()
	beforeOvercommit, beforeMemInfo := overcommitFile, memInfoFile
	overcommitFile, memInfoFile = filepath.Join(dir, "overcommit_memory"), filepath.Join(dir, "meminfo")
	t.Cleanup(func() { overcommitFile, memInfoFile = beforeOvercommit, beforeMemInfo })
	write(t, overcommitFile, "2\n")
	if HugePages(64 << 20) {
		t.Error("HugePages asked where the kernel does not overcommit")
	}
	write(t, overcommitFile, "0\n")
	// A machine of 2 MB: half of it is less than a huge page.
	write(t, memInfoFile, "MemTotal:           2048 kB\nMemFree:            1024 kB\n")
	if HugePages(64 << 20) {
		t.Error("HugePages asked for a block of more than half the machine's memory")
	}
	if got := memTotal(); got != 2<<20 {
		t.Errorf("memTotal() = %d, want %d", got, 2<<20)
	}
	thpFile = filepath.Join(t.TempDir(), "missing")
	if HugePages(64 << 20) {
		t.Error("HugePages asked with no transparent huge pages in the kernel")
	}
}

// thpKernel skips the test where the kernel has no transparent huge
// pages: it refuses the advice.
func thpKernel(t *testing.T) {
	t.Helper()
	if _, err := os.Stat(thpFile); err != nil {
		t.Skip("no transparent huge pages in this kernel:", err)
	}
}

// madviseMode has thpAdvised read mode as the kernel's, until the test
// ends.
func madviseMode(t *testing.T, mode string) {
	t.Helper()
	f := filepath.Join(t.TempDir(), "enabled")
	write(t, f, mode+"\n")
	before := thpFile
	thpFile = f
	t.Cleanup(func() { thpFile = before })
}

// write writes a file of the test's.
func write(t *testing.T, path, text string) {
	t.Helper()
	if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
}

// pageFaults returns the pages the process has faulted in so far.
func pageFaults(t *testing.T) int64 {
	t.Helper()
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		t.Fatal(err)
	}
	return ru.Minflt
}

// advised reports whether the mapping holding addr is advised to have
// huge pages.
func advised(t *testing.T, addr uintptr) bool {
	t.Helper()
	f, err := os.Open("/proc/self/smaps")
	if err != nil {
		t.Skip(err)
	}
	defer f.Close()
	in := false
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := sc.Text()
		// A mapping's first line starts with its range, "lo-hi"; the
		// lines after it with a field's name, "Name:".
		first, _, _ := strings.Cut(line, " ")
		if lo, hi, ok := strings.Cut(first, "-"); ok && !strings.HasSuffix(first, ":") {
			a, err1 := strconv.ParseUint(lo, 16, 64)
			b, err2 := strconv.ParseUint(hi, 16, 64)
			if err1 == nil && err2 == nil {
				in = uint64(addr) >= a && uint64(addr) < b
				continue
			}
		}
		if in && strings.HasPrefix(line, "VmFlags:") {
			return strings.Contains(line+" ", " hg ")
		}
	}
	return false
}
