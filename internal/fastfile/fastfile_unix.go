//go:build linux || darwin || freebsd || netbsd || openbsd

package fastfile

import (
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
