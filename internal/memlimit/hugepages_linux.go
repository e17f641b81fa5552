package memlimit

import (
	"bytes"
	"os"
	"runtime/debug"
	"strconv"
	"strings"
	"unsafe"

	"golang.org/x/sys/unix"
)

// hugePageSize is the size of a transparent huge page on the machines Go
// runs on with Linux (x86-64, arm64 with 4 KB pages).
const hugePageSize = 2 << 20

// The files that say how the kernel gives transparent huge pages, how
// much memory the machine has and whether the kernel overcommits it.
var (
	thpFile        = "/sys/kernel/mm/transparent_hugepage/enabled"
	memInfoFile    = "/proc/meminfo"
	overcommitFile = "/proc/sys/vm/overcommit_memory"
)

// HugePages has the next n bytes of address space the heap grows into
// backed by transparent huge pages, where the kernel gives them only to
// memory a program asks them for (the "madvise" mode, as on many
// distributions): the Go runtime does not ask for its heap. It reports
// whether it asked.
//
// A build faults its whole heap in (3.6 GB at 100,000 pages), and each
// 4 KB page faulted in costs a trap into the kernel and a page cleared —
// in a virtual machine, a trap into the host too: on this project's
// machines faulting in 4 GB took 16.5 s of CPU in 4 KB pages and 3.7 s in
// 2 MB ones. Measured on 100,000-page builds, alternated: 59.3 and 66.5 s
// against 81.1 and 88.3 s, kernel time 18.6 and 21.4 s against 34.9 and
// 35.2, the same peak memory; fewer pages also means fewer misses of the
// processor's address cache while the collector marks the heap.
//
// It takes a block of n bytes from the heap without clearing it (a
// strings.Builder's growth, which the runtime leaves uncleared: clearing
// would fault it all in), advises it, and hands it back to the system
// (debug.FreeOSMemory): the advice stays on the address range, which the
// heap then grows into, and pages are faulted in, as huge pages, only as
// the heap uses them. It does nothing where the kernel gives huge pages
// to every program ("always") or to none ("never"), when GODEBUG has
// disablethp=1 (Go's own switch for turning them off), where the kernel
// counts memory mapped as memory used (strict overcommit: the block could
// be refused, which the runtime does not survive), or on a 32-bit build.
// The block is at most half the machine's memory, which a kernel that
// guesses at overcommitting grants. TestHugePagesAdvisesTheHeap fails
// should the runtime come to clear a builder's growth.
func HugePages(n int64) bool {
	if strconv.IntSize < 64 || !thpAdvised() || strings.Contains(os.Getenv("GODEBUG"), "disablethp=1") || strictOvercommit() {
		return false
	}
	if total := memTotal(); total > 0 {
		n = min(n, total/2)
	}
	if n < hugePageSize {
		return false
	}
	var b strings.Builder
	b.Grow(int(n))
	b.WriteByte(0) // the block's one page touched: its address is known
	block := unsafe.Slice(unsafe.StringData(b.String()), n)
	// The whole huge pages within the block.
	lo := int(-uintptr(unsafe.Pointer(&block[0])) & (hugePageSize - 1))
	hi := lo + (len(block)-lo)&^(hugePageSize-1)
	asked := hi > lo && unix.Madvise(block[lo:hi], unix.MADV_HUGEPAGE) == nil
	b.Reset()
	debug.FreeOSMemory()
	return asked
}

// memTotal returns the machine's memory, or 0 when it cannot be read.
func memTotal() int64 {
	info, err := os.ReadFile(memInfoFile)
	if err != nil {
		return 0
	}
	_, rest, ok := bytes.Cut(info, []byte("MemTotal:"))
	if !ok {
		return 0
	}
	f := bytes.Fields(rest)
	if len(f) < 2 || string(f[1]) != "kB" {
		return 0
	}
	kb, err := strconv.ParseInt(string(f[0]), 10, 64)
	if err != nil {
		return 0
	}
	return kb << 10
}

// strictOvercommit reports whether the kernel refuses to map more memory
// than it could back (vm.overcommit_memory=2).
func strictOvercommit() bool {
	mode, err := os.ReadFile(overcommitFile)
	return err == nil && string(bytes.TrimSpace(mode)) == "2"
}

// thpAdvised reports whether the kernel gives transparent huge pages to
// memory advised to have them, and only to that.
func thpAdvised() bool {
	mode, err := os.ReadFile(thpFile)
	return err == nil && bytes.Contains(mode, []byte("[madvise]"))
}
