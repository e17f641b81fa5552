//go:build !(linux || darwin || freebsd || netbsd || openbsd)

package fastfile

import (
	"bytes"
	"io/fs"
	"os"
)

// ReadFile returns the contents of the file at path.
func ReadFile(path string, sizeHint int64) ([]byte, error) { return os.ReadFile(path) }

// WriteFile writes data to the file at path, creating or truncating it.
func WriteFile(path string, data []byte, perm fs.FileMode) error {
	return os.WriteFile(path, data, perm)
}

// Holds reports whether the regular file at path holds exactly data; a
// symbolic link does not.
func Holds(path string, data, scratch []byte) (bool, []byte) {
	fi, err := os.Lstat(path)
	if err != nil || !fi.Mode().IsRegular() || fi.Size() != int64(len(data)) {
		return false, scratch
	}
	b, err := os.ReadFile(path)
	return err == nil && bytes.Equal(b, data), scratch
}

// Shared reports whether the file fi describes may have more names than
// one (hard links); here, where that is not known, always.
func Shared(fi fs.FileInfo) bool { return true }
