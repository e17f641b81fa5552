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
	madviseMode(t, "always [madvise] never")
	before := pageFaults(t)
	const n = 256 << 20
	if !HugePages(n) {
		t.Skip("the kernel takes no huge page advice (no transparent huge pages)")
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
	overcommit := filepath.Join(t.TempDir(), "overcommit_memory")
	if err := os.WriteFile(overcommit, []byte("2\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	overcommitFile, memInfoFile = overcommit, filepath.Join(t.TempDir(), "meminfo")
	t.Cleanup(func() { overcommitFile, memInfoFile = "/proc/sys/vm/overcommit_memory", "/proc/meminfo" })
	if HugePages(64 << 20) {
		t.Error("HugePages asked where the kernel does not overcommit")
	}
	os.WriteFile(overcommit, []byte("0\n"), 0o644)
	// A machine of 2 MB: half of it is less than a huge page.
	os.WriteFile(memInfoFile, []byte("MemTotal:           2048 kB\nMemFree:            1024 kB\n"), 0o644)
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

// madviseMode has thpAdvised read mode as the kernel's, until the test
// ends.
func madviseMode(t *testing.T, mode string) {
	t.Helper()
	f := filepath.Join(t.TempDir(), "enabled")
	if err := os.WriteFile(f, []byte(mode+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	before := thpFile
	thpFile = f
	t.Cleanup(func() { thpFile = before })
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
		if lo, hi, ok := strings.Cut(strings.Fields(line)[0], "-"); ok && !strings.HasSuffix(strings.Fields(line)[0], ":") {
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
