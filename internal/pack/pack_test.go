package pack

import (
	"bytes"
	"errors"
	"math/rand/v2"
	"strings"
	"testing"
)

// samples are inputs of the shapes packed in practice: nothing, a byte,
// HTML that repeats, and bytes that do not compress.
func samples() map[string][]byte {
	noise := make([]byte, 100_000)
	r := rand.New(rand.NewPCG(1, 2))
	for i := range noise {
		noise[i] = byte(r.Uint32())
	}
	var page strings.Builder
	for i := range 400 {
		page.WriteString(`<li><a href="/runbooks/api/restart-` + strings.Repeat("x", i%7) + `/">Restart the API</a></li>` + "\n")
	}
	return map[string][]byte{
		"empty": {},
		"byte":  {'<'},
		"html":  []byte(page.String()),
		"noise": noise,
	}
}

// TestRoundTrip: what is packed unpacks to the same bytes, after what
// dst held, with and without a Dict; HTML packs small.
func TestRoundTrip(t *testing.T) {
	dict := NewDict([]byte(`<!doctype html><html lang="en"><head><meta charset="utf-8"><link rel="stylesheet" href="/theme.css"></head><body><nav class="sidebar">`))
	if dict == nil {
		t.Fatal("NewDict of a layout's head: nil")
	}
	for name, in := range samples() {
		for _, d := range []*Dict{nil, dict} {
			p := d.Pack(in)
			if Len(p) != len(in) {
				t.Errorf("%s: Len = %d, want %d", name, Len(p), len(in))
			}
			got, err := d.Unpack([]byte("kept:"), p)
			if err != nil {
				t.Fatalf("%s (dict %v): %v", name, d != nil, err)
			}
			if !bytes.Equal(got, append([]byte("kept:"), in...)) {
				t.Errorf("%s (dict %v): round trip changed the bytes", name, d != nil)
			}
			if !bytes.Equal(p, d.Pack(in)) {
				t.Errorf("%s (dict %v): packing twice gave different bytes", name, d != nil)
			}
			if cap(p) != len(p) {
				t.Errorf("%s: packed slice has %d bytes of spare room", name, cap(p)-len(p))
			}
		}
	}
	html := samples()["html"]
	if p := Pack(html); len(p) > len(html)/4 {
		t.Errorf("repetitive HTML packed to %d of %d bytes", len(p), len(html))
	}
}

// TestDictHelps: a page packed against a sample of its layout is smaller
// than packed alone.
func TestDictHelps(t *testing.T) {
	layout := func(body string) []byte {
		return []byte(`<!doctype html><html lang="en"><head><meta charset="utf-8"><title>` + body + `</title><link rel="stylesheet" href="/theme.css"><script src="/search.js" defer></script></head><body><header class="top"><a class="brand" href="/">Handbook</a><form role="search"><input type="search" placeholder="Search the handbook"></form></header><main>` + body + `</main><footer>Built by handbook</footer></body></html>`)
	}
	d := NewDict(layout("sample page"))
	page := layout("Restart the API server")
	if alone, with := len(Pack(page)), len(d.Pack(page)); with >= alone*2/3 {
		t.Errorf("with the layout's dict %d bytes, alone %d: the dict does not help", with, alone)
	}
}

// TestCorrupt: bytes Pack did not make are an error, never a panic.
func TestCorrupt(t *testing.T) {
	p := Pack(samples()["html"])
	for name, bad := range map[string][]byte{
		"empty":     nil,
		"truncated": p[:len(p)/2],
		"length":    append([]byte{0x80, 0x01}, p[2:]...), // says 128 bytes
	} {
		if _, err := Unpack(nil, bad); !errors.Is(err, ErrCorrupt) {
			t.Errorf("%s: err = %v, want ErrCorrupt", name, err)
		}
	}
}

// TestNewDictShort: a sample too short to help gives no Dict, which packs
// as Pack does.
func TestNewDictShort(t *testing.T) {
	if d := NewDict([]byte("<p>")); d != nil {
		t.Fatalf("NewDict of 3 bytes = %v, want nil", d)
	}
	var d *Dict
	in := samples()["html"]
	if !bytes.Equal(d.Pack(in), Pack(in)) {
		t.Error("a nil Dict packs differently from Pack")
	}
}

// TestPackTail: the tail follows the packed bytes as it is, and what is
// before it unpacks to the input, with a Dict and without one.
func TestPackTail(t *testing.T) {
	in := samples()["html"]
	tail := []byte{1, 2, 3, 0xff}
	for name, d := range map[string]*Dict{"dict": NewDict(in[:len(in)/2]), "none": nil} {
		p := d.PackTail(in, tail)
		if !bytes.Equal(p[len(p)-len(tail):], tail) {
			t.Errorf("%s: ends in %v, want the tail %v", name, p[len(p)-len(tail):], tail)
		}
		if !bytes.Equal(p[:len(p)-len(tail)], d.Pack(in)) {
			t.Errorf("%s: the bytes before the tail are not Pack's", name)
		}
		got, err := d.Unpack(nil, p[:len(p)-len(tail)])
		if err != nil || !bytes.Equal(got, in) {
			t.Errorf("%s: unpacked to %d bytes (%v), want the %d put in", name, len(got), err, len(in))
		}
	}
}
