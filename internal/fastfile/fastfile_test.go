package fastfile

import (
	"bytes"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"testing"
)

func TestRoundTrip(t *testing.T) {
	dir := t.TempDir()
	for _, size := range []int{0, 1, 511, 512, 513, 100000} {
		p := filepath.Join(dir, "f")
		data := bytes.Repeat([]byte("ab\n"), size)[:size]
		if err := WriteFile(p, data, 0o644); err != nil {
			t.Fatal(err)
		}
		for _, hint := range []int64{0, int64(size), int64(size / 2)} {
			got, err := ReadFile(p, hint)
			if err != nil || !bytes.Equal(got, data) {
				t.Fatalf("size %d hint %d: %v", size, hint, err)
			}
		}
		fi, _ := os.Stat(p)
		if fi.Mode().Perm() != 0o644 {
			t.Errorf("mode %v", fi.Mode())
		}
	}
	// Overwriting truncates.
	p := filepath.Join(dir, "t")
	WriteFile(p, []byte("long content"), 0o644)
	WriteFile(p, []byte("x"), 0o644)
	if got, _ := ReadFile(p, 0); string(got) != "x" {
		t.Errorf("not truncated: %q", got)
	}
	if _, err := ReadFile(filepath.Join(dir, "missing"), 0); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("missing file: %v", err)
	}
	if err := WriteFile(filepath.Join(dir, "no", "dir"), nil, 0o644); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("missing folder: %v", err)
	}
}

// TestHolds: a file holds data when it is a regular file of the same
// bytes; not when it differs in size or in a byte, is missing, or is a
// symbolic link to a file that holds them.
func TestHolds(t *testing.T) {
	dir := t.TempDir()
	p := filepath.Join(dir, "f")
	data := bytes.Repeat([]byte("handbook\n"), 1000)
	if err := WriteFile(p, data, 0o644); err != nil {
		t.Fatal(err)
	}
	link := filepath.Join(dir, "l")
	if err := os.Symlink(p, link); err != nil {
		t.Fatal(err)
	}
	other := bytes.Clone(data)
	other[500] = 'X'
	var scratch []byte
	for _, c := range []struct {
		path string
		data []byte
		want bool
	}{
		{p, data, true},
		{p, data[:len(data)-1], false},
		{p, other, false},
		{p, append(bytes.Clone(data), 'x'), false},
		{filepath.Join(dir, "missing"), data, false},
		{link, data, false},
		{dir, nil, false},
	} {
		var got bool
		if got, scratch = Holds(c.path, c.data, scratch); got != c.want {
			t.Errorf("Holds(%s, %d bytes) = %v, want %v", filepath.Base(c.path), len(c.data), got, c.want)
		}
	}
}
