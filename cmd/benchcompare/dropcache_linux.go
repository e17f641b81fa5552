package main

import (
	"io/fs"
	"path/filepath"

	"golang.org/x/sys/unix"
)

// dropCached asks the kernel to drop the cached pages of the files under
// dir (POSIX_FADV_DONTNEED): pages written back go at once; a page not
// yet written back is not dropped, which is why quiesce syncs first.
func dropCached(dir string) {
	filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil || !d.Type().IsRegular() {
			return nil
		}
		fd, err := unix.Open(path, unix.O_RDONLY|unix.O_CLOEXEC|unix.O_NOFOLLOW, 0)
		if err != nil {
			return nil
		}
		unix.Fadvise(fd, 0, 0, unix.FADV_DONTNEED)
		unix.Close(fd)
		return nil
	})
}
