//go:build linux || darwin || freebsd || netbsd || openbsd

package fastfile

import (
	"bytes"
	"io/fs"
	"syscall"
)

func pathErr(op, path string, err error) error {
	return &fs.PathError{Op: op, Path: path, Err: err}
}

// ReadFile returns the contents of the file at path. sizeHint, if above
// zero, is the expected size, so that one read usually suffices.
func ReadFile(path string, sizeHint int64) ([]byte, error) {
	var fd int
	var err error
	for {
		fd, err = syscall.Open(path, syscall.O_RDONLY|syscall.O_CLOEXEC, 0)
		if err != syscall.EINTR {
			break
		}
	}
	if err != nil {
		return nil, pathErr("open", path, err)
	}
	defer syscall.Close(fd)
	buf := make([]byte, 0, max(sizeHint+1, 512))
	for {
		if len(buf) == cap(buf) {
			buf = append(buf, 0)[:len(buf)]
		}
		n, err := syscall.Read(fd, buf[len(buf):cap(buf)])
		if err == syscall.EINTR {
			continue
		}
		if err != nil {
			return nil, pathErr("read", path, err)
		}
		if n == 0 {
			return buf, nil
		}
		buf = buf[:len(buf)+n]
	}
}

// WriteFile writes data to the file at path, creating or truncating it.
func WriteFile(path string, data []byte, perm fs.FileMode) error {
	var fd int
	var err error
	for {
		fd, err = syscall.Open(path, syscall.O_WRONLY|syscall.O_CREAT|syscall.O_TRUNC|syscall.O_CLOEXEC, uint32(perm.Perm()))
		if err != syscall.EINTR {
			break
		}
	}
	if err != nil {
		return pathErr("open", path, err)
	}
	for len(data) > 0 {
		n, err := syscall.Write(fd, data)
		if err == syscall.EINTR {
			continue
		}
		if err != nil {
			syscall.Close(fd)
			return pathErr("write", path, err)
		}
		data = data[n:]
	}
	if err := syscall.Close(fd); err != nil {
		return pathErr("close", path, err)
	}
	return nil
}

// Holds reports whether the regular file at path holds exactly data,
// reading it into scratch, which it returns grown for the next call. A
// file that cannot be read, or a symbolic link, does not hold it.
func Holds(path string, data, scratch []byte) (bool, []byte) {
	var fd int
	var err error
	for {
		fd, err = syscall.Open(path, syscall.O_RDONLY|syscall.O_CLOEXEC|syscall.O_NOFOLLOW, 0)
		if err != syscall.EINTR {
			break
		}
	}
	if err != nil {
		return false, scratch
	}
	defer syscall.Close(fd)
	var st syscall.Stat_t
	if syscall.Fstat(fd, &st) != nil || st.Mode&syscall.S_IFMT != syscall.S_IFREG || st.Size != int64(len(data)) {
		return false, scratch
	}
	if cap(scratch) < len(data)+1 {
		scratch = make([]byte, len(data)+1)
	}
	buf := scratch[:len(data)+1]
	n := 0
	for n < len(buf) {
		m, err := syscall.Read(fd, buf[n:])
		if err == syscall.EINTR {
			continue
		}
		if err != nil {
			return false, scratch
		}
		if m == 0 {
			break
		}
		n += m
	}
	return n == len(data) && bytes.Equal(buf[:n], data), scratch
}

// Shared reports whether the file fi describes has more names than one
// (hard links): writing into it changes what the others hold.
func Shared(fi fs.FileInfo) bool {
	st, ok := fi.Sys().(*syscall.Stat_t)
	return !ok || st.Nlink > 1
}
