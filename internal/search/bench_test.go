package search_test

import (
	"fmt"
	"math/rand/v2"
	"runtime"
	"strings"
	"testing"

	"github.com/handbook-dev/handbook/internal/search"
)

// benchDocs makes n documents of generated text, alike from one run to
// the next: titles, tags, services, headings, prose with camelCase words
// and code with identifiers, drawn from a vocabulary of a few thousand
// made-up words in a Zipf distribution, as a handbook's are.
func benchDocs(n int) []search.Doc {
	r := rand.New(rand.NewPCG(1, 2))
	syllables := []string{"ka", "lo", "mi", "ne", "ru", "ta", "po", "shi", "ver", "dan", "ex", "qu", "bl", "str", "ion", "ment", "ing", "er", "al", "cy"}
	vocab := make([]string, 6000)
	for i := range vocab {
		var b strings.Builder
		for range 2 + r.IntN(3) {
			b.WriteString(syllables[r.IntN(len(syllables))])
		}
		vocab[i] = b.String()
	}
	zipf := rand.NewZipf(r, 1.1, 2, uint64(len(vocab)-1))
	word := func() string { return vocab[zipf.Uint64()] }
	sentence := func(n int) string {
		ws := make([]string, n)
		for i := range ws {
			ws[i] = word()
			switch r.IntN(40) {
			case 0:
				ws[i] = strings.ToUpper(ws[i][:1]) + ws[i][1:] + strings.ToUpper(word()[:1]) + "x"
			case 1:
				ws[i] = fmt.Sprint(r.IntN(5000))
			}
		}
		return strings.Join(ws, " ") + "."
	}
	docs := make([]search.Doc, n)
	for i := range docs {
		d := search.Doc{
			URL:   fmt.Sprintf("/%s/%s-%d/", vocab[i%17], word(), i),
			Title: sentence(2 + r.IntN(4)), Kind: []string{"runbook", "adr", "postmortem", "page"}[i%4], KindLabel: "Pages",
			Status: []string{"", "accepted", "draft"}[i%3], Excerpt: sentence(20),
			Tags: []string{vocab[r.IntN(30)], vocab[r.IntN(30)]}, Services: []string{vocab[100+r.IntN(40)]},
		}
		if i%5 == 0 {
			d.Alerts = []string{word() + "Down"}
		}
		for s := range 1 + r.IntN(8) {
			d.Headings = append(d.Headings, search.Heading{ID: fmt.Sprint("h", s), Text: sentence(2 + r.IntN(3))})
			for range 1 + r.IntN(5) {
				d.Body = append(d.Body, search.Piece{Section: s, Text: sentence(10 + r.IntN(40))})
			}
			if r.IntN(3) == 0 {
				code := fmt.Sprintf("kubectl %s --%s=%s_%s %s(%d)", word(), word(), word(), word(), word(), r.IntN(100))
				d.Body = append(d.Body, search.Piece{Section: s, Text: code, Code: true})
			}
		}
		docs[i] = d
	}
	return docs
}

// heapInUse returns the live heap after a collection.
func heapInUse() uint64 {
	runtime.GC()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return m.HeapAlloc
}

// BenchmarkBuild is the index of 5,000 generated documents. It reports
// the heap the index keeps (MB-kept), to be updated: its files and what
// Update needs.
func BenchmarkBuild(b *testing.B) {
	benchBuild(b, func(docs []search.Doc) any { return search.Build(docs) })
}

// BenchmarkBuildStatic is BenchmarkBuild for an index never updated,
// whose files go as they are encoded: it keeps nothing.
func BenchmarkBuildStatic(b *testing.B) {
	benchBuild(b, func(docs []search.Doc) any {
		return search.BuildStatic(docs, func(string, []byte) error { return nil })
	})
}

// benchBuild measures build on 5,000 generated documents, and the heap
// what it returns keeps.
func benchBuild(b *testing.B, build func([]search.Doc) any) {
	docs := benchDocs(5000)
	b.ReportAllocs()
	var ix any
	base := heapInUse()
	for b.Loop() {
		ix = nil
		ix = build(docs)
	}
	b.StopTimer()
	b.ReportMetric(float64(heapInUse()-base)/(1<<20), "MB-kept")
	runtime.KeepAlive(ix)
	runtime.KeepAlive(docs) // not counted
}

// BenchmarkUpdate is the update of one document of an index of 5,000
// generated documents: its text changed, and a word in and out of it.
func BenchmarkUpdate(b *testing.B) {
	docs := benchDocs(5000)
	ix := search.Build(docs)
	d := docs[len(docs)/2]
	base := d.Body
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		d.Body = append(base[:len(base):len(base)], search.Piece{Text: fmt.Sprintf("Edited %d times, with zürich.", i)})
		if i%2 == 1 {
			d.Body = base
		}
		if !ix.Update([]search.Doc{d}) {
			b.Fatal("Update refused a known document")
		}
		i++
	}
}
