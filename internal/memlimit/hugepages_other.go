//go:build !linux

package memlimit

// HugePages does nothing where transparent huge pages are not Linux's:
// the heap is paged as the system pages it.
func HugePages(n int64) bool { return false }
