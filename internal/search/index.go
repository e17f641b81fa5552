// Package search builds the site's full-text index: a set of small static
// files that a dependency-free script in the theme queries in the browser,
// downloading only the parts a query needs. The format is specified in
// FORMAT.md beside this file; in short:
//
//   - Text is folded (lower case, accents removed), split into words, stop
//     words dropped and the rest stemmed with the Snowball English stemmer;
//     code is indexed as identifiers, not stemmed.
//   - Fields title, tags, headings, body and code are weighted (BM25 per
//     field, summed, with fixed field lengths, so that a document's score
//     for a term depends only on the document and the term's document
//     frequency).
//   - Postings are cut by term into chunks of a few kilobytes; a small
//     entry file says which chunk holds which terms. Terms in most
//     documents keep their best 256 postings and a bitset of the rest.
//   - Result records (title, URL, kind, excerpt, headings) come in groups
//     of eight, fetched only for the results shown.
//   - Chunk and record file names carry a hash of their content, so they
//     can be cached forever; only the entry has a fixed name.
//
// Build indexes a whole site; Index.Update takes the new versions of some
// documents (the preview server's partial rebuild) and rewrites only the
// chunks and records they touch. BuildStatic indexes a site that is built
// once, keeping nothing for Update.
package search

import (
	"cmp"
	"context"
	"crypto/sha256"
	"encoding/base64"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"hash/maphash"
	"iter"
	"math"
	"math/bits"
	"path"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"unicode"
	"unicode/utf8"

	"github.com/handbook-dev/handbook/internal/pack"
	"github.com/handbook-dev/handbook/internal/parallel"
)

// Doc is one page as the index sees it.
type Doc struct {
	// URL is the page's site path ("/runbooks/db-failover/").
	URL   string
	Title string
	// Kind is the page kind ("runbook"); KindLabel its plural ("Runbooks").
	Kind, KindLabel string
	// Status is an ADR's or postmortem's status or an evaluation's ring.
	Status   string
	Excerpt  string
	Tags     []string
	Services []string
	// Alerts are the alert names a runbook answers, and other names of
	// the page (the level-1 heading taken as the title, when it is not the
	// title): found first when pasted from a pager.
	Alerts []string
	// Weight scales every score of the document: 1 (or 0) for a page of
	// the handbook, less for a generated listing, so that it never ranks
	// above a page with the same title.
	Weight float64
	// Headings are the headings of the body (all but the title), in
	// order: the sections.
	Headings []Heading
	// Body is the page's text in pieces; a piece's Section is 0 before the
	// first heading of Headings, i under Headings[i-1].
	Body []Piece
	// Text, when set and Body is nil, makes Body when the index reads
	// it, once: a caller may leave the text where it is until then, and
	// the index drops each body once read, so that the bodies of a whole
	// site are never in memory at once.
	Text func() []Piece
}

// takeText makes d's Body from its Text, if it has one.
func (d *Doc) takeText() {
	if d.Body == nil && d.Text != nil {
		d.Body = d.Text()
	}
	d.Text = nil
}

// Heading is a section heading: its id and text.
type Heading struct{ ID, Text string }

// Piece is a run of a page's text: prose, or code when Code is set.
type Piece struct {
	Section int
	Text    string
	Code    bool
}

// Fields and their weights; see FORMAT.md.
const (
	fTitle = iota
	fAlerts
	fTags
	fHeadings
	fBody
	fCode
	nFields
)

var (
	boosts   = [nFields]float64{8, 8, 5, 3, 1, 1}
	fieldLen = [nFields]float64{4, 2, 3, 30, 400, 60}
	// lengthNorm is b per field: a title is normalized fully by its
	// length, so that "goldmark" finds the page titled goldmark before
	// the one titled goldmark-highlighting.
	lengthNorm = [nFields]float64{1, 0.5, 0.75, 0.75, 0.75, 0.75}
)

// Flags of a posting, in the low bits of its section number (FORMAT.md).
const (
	// flagTitle: the term is in the page's title or alert names.
	flagTitle = 1 << iota
	// flagFirst: the term is the first word of the title.
	flagFirst
	// The next two bits are the length of the name the term is in, in
	// words, less one: the title's (1 to 4, 4 for 4 or more), or 1 for an
	// alert name of one word; 4 otherwise. A query of n ≤ 3 words all in
	// a name of n words is that name.
	flagLenShift = 2
	flagBits     = 4
)

// Version is the version of the index format (FORMAT.md) that Build
// writes and the client reads.
const Version = 4

const (
	k1 = 1.2
	// topN is how many postings a frequent term keeps with their scores.
	topN = 256
	// chunkSize is the size past which a chunk is cut.
	chunkSize = 6 << 10
	// Group is how many documents' records a record file holds: few
	// enough that the results of a query fetch little they do not show,
	// enough that a build writes an eighth of the files it would with
	// one per document (creating a file costs the kernel as much as
	// writing a few hundred kilobytes into one).
	Group = 8
	// TopRecords is how many of a term's best documents its chunk names
	// (title, URL, kind), so that the results of a one-word query show
	// without waiting for record files.
	TopRecords = 10
	// fieldGap separates the positions of two fields.
	fieldGap = 10
)

// occ is what one document holds of one term.
type occ struct {
	term string
	id   int32 // the term's number (interner)
	tf   [nFields]float32
	sec  int32 // the body section where the term is most frequent
	// at is where the term's positions are in the document's
	// (analysis.pos).
	at    uint32
	facet bool
	flags int32 // flagTitle, flagFirst, name length
	// alertName: the term is the whole of an alert name of one word.
	alertName bool
}

// bits are the flags, facet and section of o, as a posting keeps them.
func (o *occ) bits() uint32 {
	b := uint32(o.flags) | uint32(o.sec)<<secShift
	if o.facet {
		b |= facetBit
	}
	return b
}

// hit is one occurrence of a term, while a document is read.
type hit struct {
	occ, pos, sec int32
	positioned    bool
}

// worker is what analyze reuses from one document to the next: above
// all, the terms of the words it has seen, since a handbook's vocabulary is
// small next to its word count and stemming is the slow part of indexing.
type worker struct {
	// words numbers the folded words ('w' before them) and the code
	// identifiers ('i'), wordInfos says what each is; terms and
	// termInfos the same for terms.
	words     vocab
	wordInfos []wordInfo
	terms     vocab
	termInfos []termInfo
	key       []byte // a word's key in words, while it is looked up
	stamp     uint32 // counts the documents analyzed
	hits      []hit
	occs      []occ // the current document's terms, until its analysis is done
	buf       []byte
	pos       []byte  // the current document's encoded positions, copied out once at its end
	vocab     []int32 // the current document's words (numbers), likewise
	// The room finish sorts hits in: where each term's positions and
	// sections start, and end; the positions and sections; counts by
	// section.
	pstart, sstart, pnext, snext, sorted, secs, count []int32
}

// zeroed returns (*s)[:n], zeroed, making *s longer when it is short.
func zeroed(s *[]int32, n int) []int32 {
	if cap(*s) < n {
		*s = make([]int32, n)
	}
	*s = (*s)[:n]
	clear(*s)
	return *s
}

// termInfo is a term as a worker knows it (by its number in the
// worker's terms), shared by every word that has it; while stamp is the
// worker's, occ is where the current document keeps it; id is the term's
// number in the interner numbered gen.
type termInfo struct {
	stamp uint32
	occ   int32
	gen   uint32
	id    int32
}

// wordInfo is a word as a worker knows it (by its number in the worker's
// words): its term (-1 for a stop word), and whether the current document
// has it already (stamp), for the vocabulary that typo tolerance draws
// on; id is the word's number in the interner numbered gen.
type wordInfo struct {
	ti    int32
	stamp uint32
	gen   uint32
	id    int32
	vocab bool // long enough to be corrected (nearWord)
}

// interner numbers the terms and words of one index, so that what the
// index keeps of every document for Update (its terms and its words) takes
// four bytes an entry rather than a string's sixteen. Workers, shared by
// every index, cache the numbers they were given, with the interner's gen
// to tell whose they are (a gen is not used again before four billion
// more indexes are made).
type interner struct {
	gen  uint32
	mu   sync.Mutex // guards ids and strs while documents are analyzed side by side
	ids  map[string]int32
	strs []string // by number
}

// interners counts the interners made, for their gens.
var interners atomic.Uint32

func newInterner() *interner {
	return &interner{gen: interners.Add(1), ids: map[string]int32{}}
}

// id returns the number of s, numbering it if it is new.
func (in *interner) id(s string) int32 {
	in.mu.Lock()
	defer in.mu.Unlock()
	id, ok := in.ids[s]
	if !ok {
		id = int32(len(in.strs))
		in.strs = append(in.strs, s)
		in.ids[s] = id
	}
	return id
}

// str returns the term or word numbered id. Numbers are only added, so
// it needs no lock once the documents that were given them are analyzed.
func (in *interner) str(id int32) string { return in.strs[id] }

// idSet is what the index keeps of a document's terms or words for
// Update: their numbers (interner), sorted, each written as a varint of
// its difference from the one before; a byte or two each rather than
// four. A number may be there twice (a word in prose and in code).
type idSet []byte

// newIDSet returns the set of ids, which it sorts.
func newIDSet(ids []int32) idSet {
	slices.Sort(ids)
	n, prev := 0, int32(0)
	for _, id := range ids {
		n += (bits.Len32(uint32(id-prev)|1) + 6) / 7
		prev = id
	}
	s := make(idSet, 0, n)
	prev = 0
	for _, id := range ids {
		s = binary.AppendUvarint(s, uint64(id-prev))
		prev = id
	}
	return s
}

// all are the numbers of s, in order.
func (s idSet) all() iter.Seq[int32] {
	return func(yield func(int32) bool) {
		id := int32(0)
		for k := 0; k < len(s); {
			d, n := binary.Uvarint(s[k:])
			k += n
			id += int32(d)
			if !yield(id) {
				return
			}
		}
	}
}

// termID returns the number of term ti in the interner in.
func (w *worker) termID(ti int32, in *interner) int32 {
	t := &w.termInfos[ti]
	if t.gen != in.gen {
		t.gen, t.id = in.gen, in.id(w.terms.str(ti))
	}
	return t.id
}

// wordID returns the number of word wi in the interner in.
func (w *worker) wordID(wi int32, in *interner) int32 {
	x := &w.wordInfos[wi]
	if x.gen != in.gen {
		x.gen, x.id = in.gen, in.id(w.words.str(wi)[1:])
	}
	return x.id
}

var workers = sync.Pool{New: func() any { return &worker{hits: make([]hit, 0, 1024)} }}

// info returns the number of term t.
func (w *worker) info(t []byte) int32 {
	ti, added := w.terms.find(t)
	if added {
		w.termInfos = append(w.termInfos, termInfo{})
	}
	return ti
}

// word returns the number of the folded word b, whose wordInfo has its
// term (-1 for a stop word).
func (w *worker) word(b []byte) int32 {
	w.key = append(append(w.key[:0], 'w'), b...)
	wi, added := w.words.find(w.key)
	if added {
		word := w.words.str(wi)[1:]
		ti := int32(-1)
		if t := Term(word); t != "" {
			ti = w.info(bytesOf(t))
		}
		w.wordInfos = append(w.wordInfos, wordInfo{ti: ti, vocab: nearWord(word)})
	}
	return wi
}

// identifier returns the number of the code identifier b, whose wordInfo
// has its term (itself).
func (w *worker) identifier(b []byte) int32 {
	w.key = append(append(w.key[:0], 'i'), b...)
	wi, added := w.words.find(w.key)
	if added {
		id := w.words.str(wi)[1:]
		w.wordInfos = append(w.wordInfos, wordInfo{ti: w.info(bytesOf(id)), vocab: nearWord(id)})
	}
	return wi
}

// analysis is one document, tokenized.
type analysis struct {
	w    *worker
	in   *interner // numbers the terms and words
	occs []occ
	hits []hit
	lens [nFields]int
	// scale is the document's Weight.
	scale float64
	// terms are the numbers of the terms of occs, in the same order.
	terms []int32
	// pos are the positions of every term, encoded (appendPositions);
	// occ.at says where each term's are.
	pos []byte
	// vocab are the document's distinct words that typos are corrected
	// to (see near.go).
	vocab idSet
}

// saw adds word wi to the document's vocabulary, once.
func (a *analysis) saw(wi int32) {
	if x := &a.w.wordInfos[wi]; x.vocab && x.stamp != a.w.stamp {
		x.stamp = a.w.stamp
		a.w.vocab = append(a.w.vocab, a.w.wordID(wi, a.in))
	}
}

// occ returns the occurrence of ti in the document, adding it when the
// document had not had the term.
func (a *analysis) occ(ti int32, facet bool) int32 {
	w := a.w
	if t := &w.termInfos[ti]; t.stamp != w.stamp {
		t.stamp, t.occ = w.stamp, int32(len(a.occs))
		a.occs = append(a.occs, occ{term: w.terms.str(ti), id: w.termID(ti, a.in), facet: facet})
	}
	return w.termInfos[ti].occ
}

func (a *analysis) add(ti int32, f, sec int, p int32, positioned bool) {
	i := a.occ(ti, false)
	a.occs[i].tf[f]++
	s := int32(-1) // title and tags point at no section
	if f >= fHeadings {
		s = int32(sec)
	}
	a.hits = append(a.hits, hit{occ: i, pos: p, sec: s, positioned: positioned})
}

// finish encodes the positions of every term, all in one array (pos,
// where each occ's at points), and gives every term its best section (of
// sections).
func (a *analysis) finish(sections int) {
	w := a.w
	n := len(a.occs)
	// Counting sort of the hits by term: positions, then sections.
	pstart := zeroed(&w.pstart, n+1)
	sstart := zeroed(&w.sstart, n+1)
	for _, h := range a.hits {
		if h.positioned {
			pstart[h.occ+1]++
		}
		if h.sec >= 0 {
			sstart[h.occ+1]++
		}
	}
	for i := 1; i <= n; i++ {
		pstart[i] += pstart[i-1]
		sstart[i] += sstart[i-1]
	}
	pos := zeroed(&w.sorted, int(pstart[n]))
	secs := zeroed(&w.secs, int(sstart[n]))
	pnext := zeroed(&w.pnext, n)
	snext := zeroed(&w.snext, n)
	copy(pnext, pstart)
	copy(snext, sstart)
	for _, h := range a.hits {
		if h.positioned {
			// A term twice at one position (an identifier and its part)
			// is recorded once.
			if k := pnext[h.occ]; k == pstart[h.occ] || pos[k-1] != h.pos {
				pos[k] = h.pos
				pnext[h.occ]++
			}
		}
		if h.sec >= 0 {
			secs[snext[h.occ]] = h.sec
			snext[h.occ]++
		}
	}
	count := zeroed(&w.count, sections+1)
	enc := w.pos[:0]
	for i := range a.occs {
		o := &a.occs[i]
		o.at = uint32(len(enc))
		enc = appendPositions(enc, pos[pstart[i]:pnext[i]])
		mine := secs[sstart[i]:sstart[i+1]]
		best, most := int32(0), int32(0)
		for _, sec := range mine {
			count[sec]++
			if c := count[sec]; c > most || c == most && sec < best {
				best, most = sec, c
			}
		}
		for _, sec := range mine {
			count[sec] = 0
		}
		o.sec = best
	}
	a.pos = slices.Clone(enc)
	w.pos = enc[:0]
}

// appendPositions appends positions, encoded: their number, then each as
// its difference from the one before (the first from 0), all varints.
// Positions so kept take a byte or two each rather than four.
func appendPositions(b []byte, positions []int32) []byte {
	b = binary.AppendUvarint(b, uint64(len(positions)))
	prev := int64(0)
	for _, x := range positions {
		b = binary.AppendVarint(b, int64(x)-prev)
		prev = int64(x)
	}
	return b
}

// appendDecimals appends the positions encoded at the start of enc
// (appendPositions) to b, in decimal, separated by commas.
func appendDecimals(b, enc []byte) []byte {
	n, k := binary.Uvarint(enc)
	x := int64(0)
	for m := range n {
		d, l := binary.Varint(enc[k:])
		k += l
		x += d
		if m > 0 {
			b = append(b, ',')
		}
		b = strconv.AppendInt(b, x, 10)
	}
	return b
}

// skipPositions returns the offset in enc past the positions encoded at
// offset at (appendPositions).
func skipPositions(enc []byte, at int) int {
	n, k := binary.Uvarint(enc[at:])
	at += k
	for ; n > 0; at++ {
		if enc[at] < 0x80 { // the last byte of a varint
			n--
		}
	}
	return at
}

// analyze tokenizes d, numbering its terms and words in in. The analysis
// holds a worker, whose room its occurrences are in, until done.
func analyze(d *Doc, in *interner) *analysis {
	w := workers.Get().(*worker)
	w.stamp++
	a := &analysis{w: w, in: in, occs: w.occs[:0], hits: w.hits[:0], scale: d.Weight}
	pos := int32(0)
	buf := w.buf
	defer func() { w.buf = buf }()
	// joined is the previous whole word of a title or heading, to index
	// two words written apart as one ("fail over" as "failover").
	var joined []byte
	prose := func(text string, f, sec int) {
		joined = joined[:0]
		buf = appendWords(buf[:0], text, func(b []byte, whole bool) {
			wi := w.word(b)
			a.saw(wi)
			ti := w.wordInfos[wi].ti
			if !whole { // a piece of a camelCase word, at its position
				if ti >= 0 {
					a.add(ti, f, sec, pos-1, false)
				}
				return
			}
			if ti >= 0 {
				a.add(ti, f, sec, pos, true)
			}
			if f == fTitle || f == fHeadings {
				if ti >= 0 && len(joined) > 0 && len(b) <= maxJoined && isLetters(b) {
					if tj := w.wordInfos[w.word(append(joined, b...))].ti; tj >= 0 {
						a.add(tj, f, sec, pos, false)
					}
				}
				joined = joined[:0]
				if ti >= 0 && len(b) <= maxJoined && isLetters(b) {
					joined = append(joined, b...)
				}
			}
			a.lens[f]++
			pos++
		})
	}
	prose(d.Title, fTitle, 0)
	first := -1 // the occurrence of the title's first term
	if len(a.occs) > 0 {
		first = 0
	}
	for _, al := range d.Alerts {
		n, before := a.lens[fAlerts], len(a.hits)
		prose(al, fAlerts, 0)
		if a.lens[fAlerts] == n+1 && len(a.hits) > before {
			a.occs[a.hits[before].occ].alertName = true
		}
	}
	pos += fieldGap
	for _, t := range d.Tags {
		prose(t, fTags, 0)
	}
	pos += fieldGap
	for i, h := range d.Headings {
		prose(h.Text, fHeadings, i+1)
	}
	pos += fieldGap
	for _, p := range d.Body {
		if !p.Code {
			prose(p.Text, fBody, p.Section)
			continue
		}
		buf = appendIdentifiers(buf[:0], p.Text, func(b []byte, whole bool) {
			wi := w.identifier(b)
			a.saw(wi)
			a.add(w.wordInfos[wi].ti, fCode, p.Section, pos, whole)
			if whole {
				a.lens[fCode]++
				pos++
			}
		})
	}
	facet := func(name, value string) {
		if v := facetValue(value); v != "" {
			w.key = append(append(append(w.key[:0], name...), ':'), v...)
			a.occ(w.info(w.key), true)
		}
	}
	facet("kind", d.Kind)
	facet("status", d.Status)
	for _, s := range d.Services {
		facet("service", s)
	}
	for _, t := range d.Tags {
		facet("tag", t)
	}
	a.finish(len(d.Headings))
	w.hits, a.hits = a.hits[:0], nil
	a.vocab = newIDSet(w.vocab)
	w.vocab = w.vocab[:0]
	a.terms = make([]int32, len(a.occs))
	for i := range a.occs {
		a.terms[i] = a.occs[i].id
	}
	for i := range a.occs {
		o := &a.occs[i]
		if o.tf[fTitle] > 0 || o.tf[fAlerts] > 0 {
			o.flags |= flagTitle
		}
		length := int32(4)
		switch {
		case o.tf[fTitle] > 0:
			length = int32(min(max(a.lens[fTitle], 1), 4))
		case o.alertName:
			length = 1
		}
		o.flags |= (length - 1) << flagLenShift
	}
	if first >= 0 {
		a.occs[first].flags |= flagFirst
	}
	return a
}

// done gives the analysis's worker back, for the next document; the
// analysis is not to be used after.
func (a *analysis) done() {
	a.w.occs = a.occs[:0]
	workers.Put(a.w)
	a.w, a.occs = nil, nil
}

// maxJoined is the longest word, in bytes, joined to its neighbour:
// compounds written apart are of short words ("log in", "fail over",
// "file system"), and longer pairs would fill the index with words nobody
// types. The client joins the same (FORMAT.md).
const maxJoined = 6

// isLetters reports whether the folded word b is letters only.
func isLetters(b []byte) bool {
	for _, r := range string(b) {
		if !unicode.IsLetter(r) {
			return false
		}
	}
	return len(b) > 0
}

// facetValue is how a facet value is written in a query: folded, spaces
// as dashes.
func facetValue(v string) string {
	return strings.Join(strings.Fields(Fold(v)), "-")
}

// weight is the sum over fields of FORMAT.md: the term's score in the
// document but for its idf. Each field saturates on its own, so that a word
// of a short title outweighs the same word said often in the text.
func (a *analysis) weight(o *occ) float64 {
	w := 0.0
	for f := range nFields {
		if tf := float64(o.tf[f]); tf > 0 {
			b := lengthNorm[f]
			norm := 1 - b + b*float64(a.lens[f])/fieldLen[f]
			w += boosts[f] * tf * (k1 + 1) / (tf + k1*norm)
		}
	}
	if a.scale > 0 {
		w *= a.scale
	}
	return w
}

// posting is one document of a term's list. A site has millions, kept
// for Update: sixteen bytes each.
type posting struct {
	doc    int32
	weight float32 // score but for the idf
	// bits are the flags (flagBits of them), facetBit, then the section
	// (secShift).
	bits uint32
	// at is where the posting's positions are in its document's
	// (Index.pos).
	at uint32
}

const (
	// facetBit marks the posting of a facet.
	facetBit = 1 << flagBits
	// secShift is where the section starts in a posting's bits.
	secShift = flagBits + 1
)

// flags are flagTitle, flagFirst and the name length.
func (p posting) flags() int32 { return int32(p.bits & (facetBit - 1)) }

// facet reports whether the posting is a facet's (kind:runbook).
func (p posting) facet() bool { return p.bits&facetBit != 0 }

// sec is the body section where the term is most frequent.
func (p posting) sec() int32 { return int32(p.bits >> secShift) }

// Index is a built index, kept to be updated.
type Index struct {
	docs []Doc
	// in numbers the terms and words of terms and near.vocab.
	in *interner
	// terms are each document's terms, for Update; pos each document's
	// positions of its terms (appendPositions), where its postings' at
	// point, replaced whole when the document is.
	terms    []idSet
	pos      [][]byte
	byURL    map[string]int
	post     map[string][]posting
	firsts   []string // first term of each chunk
	chunkOf  []string // file name of each chunk
	recordOf []string // hash of each record group
	// files are the index's files by site path, each packed
	// (internal/pack): a preview holds them for as long as it runs, and
	// packed they take half the memory (at 100,000 pages, 150 MB rather
	// than 300 MB). Held gives them so, Files as they are.
	files map[string][]byte
	// raw lists, by prose term (a stem), the code terms a query word
	// looks up beside it ("latency" beside "latenc"); famDF is the number
	// of documents having the stem or one of them, for the stems having
	// some: their idf, so that the two forms of a word weigh the same.
	raw   map[string][]string
	famDF map[string]int
	// frags are, by chunk, what is kept of the parts of its terms as they
	// were encoded, in the order of the terms, until a term changes.
	frags [][]fragment
	// near is the vocabulary typos are corrected to (near.go).
	near *nearState
	// dirFiles are the names of the chunk directories written.
	dirFiles []string
	// sums are each document's docSum, by which Update knows a document
	// that did not change.
	sums []uint64
	// emit, when set, takes each file as it is encoded, in place of
	// files, and the index keeps nothing for Update (BuildStatic); it may
	// be called from several goroutines.
	emit func(sitePath string, data []byte)
}

// static reports whether the index is BuildStatic's: its files go
// through emit, and nothing is kept for Update.
func (ix *Index) static() bool { return ix.emit != nil }

// put files data at sitePath: in files, or through emit.
func (ix *Index) put(sitePath string, data []byte) {
	if ix.emit != nil {
		ix.emit(sitePath, data)
		return
	}
	ix.files[sitePath] = pack.Pack(data)
}

// Build indexes docs (the published pages) on every core.
func Build(docs []Doc) *Index { return build(context.Background(), docs, nil) }

// BuildContext is Build, stopped when ctx is done (the preview's whole
// index, which the next edit makes stale): it returns ctx's error then.
func BuildContext(ctx context.Context, docs []Doc) (*Index, error) {
	ix := build(ctx, docs, nil)
	if ix == nil {
		return nil, ctx.Err()
	}
	return ix, nil
}

// BuildStatic is Build for an index that is never updated (handbook
// build, which writes the files and is done). It hands each file to emit
// as soon as it is encoded, from several goroutines at once, rather than
// keeping them: the encoded index is never all in memory, and the
// postings, each document's terms and what else Update needs are
// garbage once the files are encoded, which leaves the rest of the build
// more memory. The files are those of Build's Files. It returns emit's
// first error, after which nothing more is emitted.
func BuildStatic(docs []Doc, emit func(sitePath string, data []byte) error) error {
	var (
		mu    sync.Mutex
		first error
	)
	build(context.Background(), docs, func(sitePath string, data []byte) {
		mu.Lock()
		failed := first != nil
		mu.Unlock()
		if failed {
			return
		}
		if err := emit(sitePath, data); err != nil {
			mu.Lock()
			if first == nil {
				first = err
			}
			mu.Unlock()
		}
	})
	return first
}

// build indexes docs; with emit, statically (BuildStatic). It returns
// nil when ctx is done before the documents are analysed, which is most
// of its work.
func build(ctx context.Context, docs []Doc, emit func(sitePath string, data []byte)) *Index {
	static := emit != nil
	docs = slices.Clone(docs)
	slices.SortFunc(docs, func(a, b Doc) int { return cmp.Compare(a.URL, b.URL) })
	ix := &Index{docs: docs, in: newInterner(), terms: make([]idSet, len(docs)), pos: make([][]byte, len(docs)),
		byURL: map[string]int{}, emit: emit}
	if !static {
		ix.sums = make([]uint64, len(docs))
	}
	// Each document's analysis is cut down, as soon as it is made, to what
	// its postings need: the numbers of its terms, its positions and the
	// rest of each posting (scores), so that the analyses of the whole
	// site (their terms' counts per field and the room they grew into)
	// are never all in memory at once, and the postings of a document are
	// not there twice (its own, then its terms') while they are filed by
	// term.
	scores := make([][]scored, len(docs))
	termIDs := make([][]int32, len(docs)) // in the order of scores
	vocab := make([]idSet, len(docs))
	err := parallel.Each(ctx, len(docs), 0, func(i int) error {
		ix.docs[i].takeText()
		if !static {
			ix.sums[i] = docSum(&ix.docs[i])
		}
		a := analyze(&ix.docs[i], ix.in)
		ix.docs[i].Body = nil // the records need the rest
		ss := make([]scored, len(a.occs))
		for k := range a.occs {
			o := &a.occs[k]
			ss[k] = scored{float32(a.weight(o)), o.bits()}
		}
		scores[i], termIDs[i], ix.pos[i], vocab[i] = ss, a.terms, a.pos, a.vocab
		a.done()
		return nil
	})
	if err != nil {
		return nil
	}
	// The near lists need only the vocabularies, and the records only the
	// documents: a build makes both beside the postings, on the other
	// core, rather than after them at its end. A preview's index, built
	// while nothing waits for it, makes them one after the other, which
	// holds less at once.
	nearDone := make(chan struct{})
	var recordsDone chan struct{}
	if static {
		go func() {
			defer close(nearDone)
			ix.buildNear(vocab)
		}()
		recordsDone = make(chan struct{})
		go func() {
			defer close(recordsDone)
			ix.writeAllRecords()
		}()
	} else {
		ix.buildNear(vocab)
		close(nearDone)
	}
	// A preview's index stops between its steps too once ctx is done:
	// the next save, which made it stale, gets the cores at once rather
	// than after the postings and the chunks (half a second at 10,000
	// pages). A build's never stops.
	stopped := func() bool { return !static && ctx.Err() != nil }
	if stopped() {
		return nil
	}
	ix.post = ix.fill(termIDs, scores)
	for i, d := range docs {
		ix.byURL[d.URL] = i
		if !static {
			ix.terms[i] = newIDSet(termIDs[i])
		}
		scores[i], termIDs[i] = nil, nil
	}
	<-nearDone
	if stopped() {
		return nil
	}
	terms := make([]string, 0, len(ix.post)+len(ix.near.lists))
	for t := range ix.post {
		terms = append(terms, t)
	}
	for k := range ix.near.lists {
		terms = append(terms, nearPrefix+k)
	}
	sortTerms(terms)
	ix.raw, ix.famDF = map[string][]string{}, map[string]int{}
	for _, t := range terms {
		if s := stemOf(t); s != "" {
			ix.raw[s] = append(ix.raw[s], t)
		}
	}
	seen := make([]uint32, len(docs))
	for s := range ix.raw {
		ix.countFamily(s, seen)
	}
	// Postings are appended in document order already.
	if !static {
		ix.files = map[string][]byte{}
	}
	var chunk []string
	size := 0
	for _, t := range terms {
		size += 24 + len(t) + 12*min(len(ix.post[t]), topN) + 10*len(ix.near.lists[strings.TrimPrefix(t, nearPrefix)])
		chunk = append(chunk, t)
		if size >= chunkSize {
			ix.firsts = append(ix.firsts, chunk[0])
			size, chunk = 0, nil
		}
	}
	if len(chunk) > 0 || len(ix.firsts) == 0 {
		ix.firsts = append(ix.firsts, "")
		if len(chunk) > 0 {
			ix.firsts[len(ix.firsts)-1] = chunk[0]
		}
	}
	ix.firsts[0] = ""
	ix.chunkOf = make([]string, len(ix.firsts))
	if !static {
		ix.frags = make([][]fragment, len(ix.firsts))
	}
	if stopped() {
		return nil
	}
	ix.writeChunks(ctx, ix.termsByChunk(terms), nil)
	if stopped() {
		return nil // some chunks not encoded
	}
	if static {
		<-recordsDone
	} else {
		ix.writeAllRecords()
	}
	ix.writeEntry()
	if static {
		return nil // what the files were made of goes
	}
	return ix
}

// fill files the postings of the documents by term: termIDs[i] are the
// terms of document i, scores[i] the rest of their postings, in the same
// order. Each term's postings are in document order in a run of its own
// (capped at its length, so that a posting added later moves the term's
// run out rather than writing over the next), and the runs are cut from
// blocks of postingBlock postings, a long run having a block of its own:
// one allocation per term took 2.3 s of CPU at 100,000 documents
// (millions of terms), more than half the filing's, in a step that ends a
// build; one array for them all (450 MB there) had the heap grow by as
// much at once, in one piece that the free memory left by the rendering
// could not hold, and the runtime gave back to the system as much again
// to stay within the memory limit, memory that was then faulted in anew.
func (ix *Index) fill(termIDs [][]int32, scores [][]scored) map[string][]posting {
	count := make([]int32, len(ix.in.strs))
	for _, terms := range termIDs {
		for _, id := range terms {
			count[id]++
		}
	}
	// shared is how many postings are in runs that share blocks, not yet
	// given a place: the last block is made no longer than they need.
	shared := 0
	for _, c := range count {
		if int(c) <= postingBlock/4 {
			shared += int(c)
		}
	}
	// where is, for each term, the block its run is in (the high 32
	// bits) and the place of its next posting in the block.
	where := make([]uint64, len(count))
	var blocks [][]posting
	last, used, n := -1, 0, 0
	for id, c := range count {
		switch {
		case c == 0:
			continue
		case int(c) > postingBlock/4:
			blocks = append(blocks, make([]posting, c))
			where[id] = uint64(len(blocks)-1) << 32
		default:
			if last < 0 || used+int(c) > len(blocks[last]) {
				blocks = append(blocks, make([]posting, min(postingBlock, shared)))
				last, used = len(blocks)-1, 0
			}
			shared -= int(c)
			where[id] = uint64(last)<<32 | uint64(used)
			used += int(c)
		}
		n++
	}
	for i, terms := range termIDs {
		at := 0
		for k, id := range terms {
			s := scores[i][k]
			w := where[id]
			blocks[w>>32][uint32(w)] = posting{doc: int32(i), weight: s.weight, bits: s.bits, at: uint32(at)}
			where[id] = w + 1
			at = skipPositions(ix.pos[i], at)
		}
	}
	post := make(map[string][]posting, n)
	for id, c := range count {
		if c > 0 {
			w := where[id]
			end := uint32(w)
			post[ix.in.str(int32(id))] = blocks[w>>32][end-uint32(c) : end : end]
		}
	}
	return post
}

// postingBlock is how many postings a block of fill's holds: 1 MiB.
var postingBlock = 1 << 16

// scored is a posting but for its document and place: its score but for
// the idf, and its bits.
type scored struct {
	weight float32
	bits   uint32
}

// writeAllRecords writes the records of every group of documents; a
// static index's on every core.
func (ix *Index) writeAllRecords() {
	ix.recordOf = make([]string, (len(ix.docs)+Group-1)/Group)
	if ix.static() {
		_ = parallel.Each(context.Background(), len(ix.recordOf), 0, func(g int) error {
			ix.writeRecords(g)
			return nil
		})
		return
	}
	for g := range ix.recordOf {
		ix.writeRecords(g)
	}
}

// Held returns the index's files by site path ("/search/entry.json"),
// each packed: pack.Unpack gives it as it is. The map is the Index's own:
// do not change it.
func (ix *Index) Held() map[string][]byte { return ix.files }

// Files returns the index's files by site path, as they are, in a new
// map: for tests and tools that read the index (Read).
func (ix *Index) Files() map[string][]byte {
	out := make(map[string][]byte, len(ix.files))
	for p, b := range ix.files {
		out[p], _ = pack.Unpack(nil, b)
	}
	return out
}

// sortTerms sorts terms as JavaScript compares strings: by UTF-16 code
// units, which differs from Go's byte order only past U+FFFF.
func sortTerms(terms []string) { slices.SortFunc(terms, compareTerms) }

func compareTerms(a, b string) int {
	for i, j := 0, 0; ; {
		if i == len(a) || j == len(b) {
			return cmp.Compare(len(a)-i, len(b)-j)
		}
		ra, na := utf8.DecodeRuneInString(a[i:])
		rb, nb := utf8.DecodeRuneInString(b[j:])
		if ra != rb {
			if c := cmp.Compare(utf16Key(ra), utf16Key(rb)); c != 0 {
				return c
			}
			// Both past U+FFFF with the same first code unit: the second
			// ones are in the order of the runes.
			return cmp.Compare(ra, rb)
		}
		i, j = i+na, j+nb
	}
}

// utf16Key orders runes by their first UTF-16 code unit.
func utf16Key(r rune) int {
	if r >= 0x10000 {
		return 0xD800 + int((r-0x10000)>>10)
	}
	return int(r)
}

// chunkIndex is the chunk holding term t.
func (ix *Index) chunkIndex(t string) int {
	return sort.Search(len(ix.firsts), func(i int) bool { return compareTerms(ix.firsts[i], t) > 0 }) - 1
}

func (ix *Index) termsByChunk(terms []string) [][]string {
	out := make([][]string, len(ix.firsts))
	for _, t := range terms {
		c := ix.chunkIndex(t)
		out[c] = append(out[c], t)
	}
	return out
}

// stemOf returns the prose term (a stem) that a query for the word t
// also looks up, when t is the code form of a word that stems differently:
// "latenc" for "latency".
func stemOf(t string) string {
	if s := Term(t); s != t {
		return s
	}
	return ""
}

// countFamily sets famDF[s], the number of documents having the stem s or
// one of its code forms, or deletes it when s or its forms are not in the
// index, and reports whether it changed. seen is scratch space of one
// entry per document, all below the stamp countFamily uses.
func (ix *Index) countFamily(s string, seen []uint32) bool {
	old, had := ix.famDF[s]
	n, stamp := 0, uint32(len(seen)+1)
	forms := 0
	if ps, ok := ix.post[s]; ok && len(ix.raw[s]) > 0 {
		for _, p := range ps {
			seen[p.doc] = stamp
		}
		n = len(ps)
		for _, t := range ix.raw[s] {
			for _, p := range ix.post[t] {
				forms++
				if seen[p.doc] != stamp {
					seen[p.doc] = stamp
					n++
				}
			}
		}
		for _, p := range ps {
			seen[p.doc] = 0
		}
		for _, t := range ix.raw[s] {
			for _, p := range ix.post[t] {
				seen[p.doc] = 0
			}
		}
	}
	if forms == 0 {
		delete(ix.famDF, s)
		return had
	}
	ix.famDF[s] = n
	return !had || old != n
}

// docFreq is the document frequency a term's idf is of: for a stem and
// its code forms, the number of documents having any of them.
func (ix *Index) docFreq(t string) int {
	k := t
	if s := stemOf(t); s != "" {
		k = s
	}
	if n, ok := ix.famDF[k]; ok {
		return n
	}
	return len(ix.post[t])
}

// minIDF is the least idf a score is computed with: a word on nearly
// every page still tells a page titled with it from one that says it
// once, which scores rounded to integers would lose.
const minIDF = 0.1

// idf is the inverse document frequency of a term in df documents.
func (ix *Index) idf(df int) float64 {
	n := float64(len(ix.docs))
	return math.Log(1 + (n-float64(df)+0.5)/(float64(df)+0.5))
}

// score is the stored score of a posting of a term with inverse document
// frequency idf.
func score(p posting, idf float64) int {
	if p.facet() {
		return 0
	}
	s := math.Round(max(idf, minIDF) * float64(p.weight) * 16)
	return int(min(max(s, 1), 65535))
}

// writeChunks encodes the chunks of byChunk (those in only, unless it is
// nil), on every core, and replaces their files; once ctx is done it
// stops and replaces none (a new index being built, which is dropped).
func (ix *Index) writeChunks(ctx context.Context, byChunk [][]string, only map[int]bool) {
	type out struct {
		name string
		c, p []byte
	}
	if ix.emit != nil { // a new index, each chunk emitted as it is made
		_ = parallel.Each(context.Background(), len(byChunk), 0, func(i int) error {
			name, c, p := ix.encodeChunk(i, byChunk[i])
			ix.chunkOf[i] = name + ".json"
			ix.emit("/search/"+name+".json", c)
			ix.emit("/search/"+name+".pos.json", p)
			return nil
		})
		return
	}
	outs := make([]out, len(byChunk))
	if parallel.Each(ctx, len(byChunk), 0, func(i int) error {
		if only == nil || only[i] {
			outs[i].name, outs[i].c, outs[i].p = ix.encodeChunk(i, byChunk[i]) // packed
		}
		return nil
	}) != nil {
		return // stopped: the caller drops the index
	}
	for i, o := range outs {
		if o.name == "" {
			continue
		}
		if old := ix.chunkOf[i]; old != "" {
			delete(ix.files, "/search/"+old)
			delete(ix.files, "/search/"+strings.TrimSuffix(old, ".json")+".pos.json")
		}
		ix.chunkOf[i] = o.name + ".json"
		ix.files["/search/"+o.name+".json"] = o.c
		ix.files["/search/"+o.name+".pos.json"] = o.p
	}
}

// chunkBuf is the room a chunk and its positions are encoded in before
// they are packed or copied out at their size, and the room the chunk's
// files before are unpacked into: reused, rather than grown from nothing
// for each of thousands of chunks; and the room best ranks a frequent
// term's postings in (two ints a posting: at 100,000 pages, allocated for
// each of the terms, it was 3 of best's 4.4 s of CPU, most of it the
// collector's work the allocations were charged).
type chunkBuf struct {
	c, p, oldC, oldP []byte
	keys             []int
}

var chunkBufs = sync.Pool{New: func() any { return new(chunkBuf) }}

// encodeChunk encodes chunk i, holding terms, and its positions, and
// names them; packed, unless the index is static (the files are then
// emitted as they are, and kept by no one). Each term's part is encoded
// once and kept until the term changes (Update).
func (ix *Index) encodeChunk(i int, terms []string) (name string, chunk, pos []byte) {
	buf := chunkBufs.Get().(*chunkBuf)
	c := append(buf.c, `{"t":{`...)
	p := append(buf.p, '{')
	var top []int32
	// The parts of terms encoded before are in the chunk's files, which
	// are unpacked into buf's room for them.
	var oldC, oldP []byte
	if old := ix.chunkOf[i]; old != "" {
		var errC, errP error
		oldC, errC = pack.Unpack(buf.oldC[:0], ix.files["/search/"+old])
		oldP, errP = pack.Unpack(buf.oldP[:0], ix.files["/search/"+strings.TrimSuffix(old, ".json")+".pos.json"])
		buf.oldC, buf.oldP = oldC, oldP
		if errC != nil || errP != nil {
			// Cannot happen: the index packed them. Encode every term.
			oldC, oldP = nil, nil
			if !ix.static() {
				ix.frags[i] = nil
			}
		}
	}
	var old, frags []fragment
	if !ix.static() {
		old, frags = ix.frags[i], make([]fragment, 0, len(terms))
	}
	j := 0 // in old, both in the order of terms
	for k, t := range terms {
		if k > 0 {
			c = append(c, ',')
			p = append(p, ',')
		}
		for j < len(old) && compareTerms(old[j].term, t) < 0 {
			j++
		}
		var f fragment
		ok := j < len(old) && old[j].term == t
		if ok {
			f = old[j]
		}
		c0, p0 := len(c), len(p)
		switch {
		case ok:
			c = append(c, oldC[f.c.from:f.c.to]...)
			p = append(p, oldP[f.p.from:f.p.to]...)
		case strings.HasPrefix(t, nearPrefix):
			c, p = ix.encodeNear(c, p, t)
		default:
			c, p, f = ix.encodeTerm(c, p, t, &buf.keys)
		}
		f.term, f.c, f.p = t, span{uint32(c0), uint32(len(c))}, span{uint32(p0), uint32(len(p))}
		if !ix.static() {
			frags = append(frags, f)
		}
		top = append(top, f.top...)
	}
	// The chunk names the best documents of its terms.
	c = append(c, `},"d":{`...)
	slices.Sort(top)
	for k, d := range slices.Compact(top) {
		if k > 0 {
			c = append(c, ',')
		}
		c = append(c, '"')
		c = strconv.AppendInt(c, int64(d), 10)
		c = append(c, `":[`...)
		doc := &ix.docs[d]
		c = appendString(c, doc.Title)
		c = append(c, ',')
		c = appendString(c, strings.TrimPrefix(doc.URL, "/"))
		c = append(c, ',')
		c = appendString(c, doc.Kind)
		c = append(c, ']')
	}
	c = append(c, "}}"...)
	p = append(p, '}')
	h := sha256.New()
	h.Write(c)
	h.Write(p)
	if !ix.static() {
		ix.frags[i] = frags
	}
	name = "c" + strconv.Itoa(i) + "." + hex.EncodeToString(h.Sum(nil)[:4])
	if ix.static() {
		chunk, pos = slices.Clone(c), slices.Clone(p) // of the exact size, out of buf
	} else {
		chunk, pos = pack.Pack(c), pack.Pack(p)
	}
	buf.c, buf.p = c[:0], p[:0]
	chunkBufs.Put(buf)
	return name, chunk, pos
}

// fragment is what the index keeps of the part of term in its chunk and
// in the chunk's positions: where they are in the chunk's files, whose
// bytes they are rather than copies (which would double the index), and
// the documents the chunk names for the term.
type fragment struct {
	term string
	c, p span
	top  []int32 // the TopRecords best documents, best first
	// frequent is set for a frequent term only.
	frequent *frequent
}

// span is where a part is in a file: bytes [from, to).
type span struct{ from, to uint32 }

// frequent is what a fragment keeps of a frequent term: which documents
// kept their scores (kept, sorted) and the lowest of their keys
// (keepKey).
type frequent struct {
	kept      []int32
	threshold int
}

// fragment returns what is kept of the part of term t, if anything.
func (ix *Index) fragment(t string) (c, k int, ok bool) {
	c = ix.chunkIndex(t)
	k, ok = slices.BinarySearchFunc(ix.frags[c], t, func(f fragment, t string) int { return compareTerms(f.term, t) })
	return c, k, ok
}

// unchangedBy reports whether the encoded term stays the same when a
// document that had the term still has it, now with posting p: a facet
// (its postings carry nothing but the document), or a frequent term whose
// best postings the document was not among and does not join.
func (f *fragment) unchangedBy(p posting, idf float64) bool {
	if p.facet() {
		return true
	}
	if f.frequent == nil {
		return false
	}
	if _, in := slices.BinarySearch(f.frequent.kept, p.doc); in {
		return false
	}
	return keepKey(p, idf) < f.frequent.threshold
}

// encodeTerm appends the part of term t to the chunk c and to its
// positions p, and returns what the index keeps of it (but where it is).
func (ix *Index) encodeTerm(c, p []byte, t string, keys *[]int) ([]byte, []byte, fragment) {
	ps := ix.post[t]
	df := len(ps)
	idf := ix.idf(ix.docFreq(t))
	c = appendString(c, t)
	c = append(c, `:{"df":`...)
	c = strconv.AppendInt(c, int64(df), 10)
	kept := ps
	var f fragment
	if df > max(topN, len(ix.docs)/16) {
		var rest int
		fr := &frequent{}
		kept, fr.threshold, rest = best(ps, idf, keys)
		fr.kept = make([]int32, len(kept))
		for i, q := range kept {
			fr.kept[i] = q.doc
		}
		f.frequent = fr
		bits := make([]byte, (len(ix.docs)+7)/8)
		for _, q := range ps {
			bits[q.doc>>3] |= 1 << (q.doc & 7)
		}
		c = append(c, `,"all":"`...)
		c = base64.StdEncoding.AppendEncode(c, bits)
		c = append(c, `","rest":`...)
		c = strconv.AppendInt(c, int64(rest), 10)
	}
	c = append(c, `,"p":[`...)
	p = appendString(p, t)
	p = append(p, ":["...)
	prev := int32(0)
	for j, q := range kept {
		if j > 0 {
			c = append(c, ',')
			p = append(p, ',')
		}
		c = strconv.AppendInt(c, int64(q.doc-prev), 10)
		prev = q.doc
		c = append(c, ',')
		c = strconv.AppendInt(c, int64(score(q, idf)), 10)
		c = append(c, ',')
		c = strconv.AppendInt(c, int64(q.sec()<<flagBits|q.flags()), 10)
		p = append(p, '[')
		p = appendDecimals(p, ix.pos[q.doc][q.at:])
		p = append(p, ']')
	}
	c = append(c, "]}"...)
	p = append(p, ']')
	f.top = topDocs(kept, idf)
	return c, p, f
}

// topDocs returns the documents of the TopRecords best postings of ps,
// best first, of equal scores the first documents: the order in which the
// client ranks a one-word query. Facets score nothing and have none.
func topDocs(ps []posting, idf float64) []int32 {
	if len(ps) == 0 || ps[0].facet() {
		return nil
	}
	type sd struct {
		score float64
		doc   int32
	}
	best := make([]sd, 0, TopRecords+1)
	for _, q := range ps {
		x := sd{OneWordScore(score(q, idf), int(q.flags())), q.doc}
		if len(best) == TopRecords && x.score <= best[len(best)-1].score {
			continue // ps is in document order: an equal score comes later
		}
		i := sort.Search(len(best), func(i int) bool { return best[i].score < x.score })
		best = slices.Insert(best, i, x)
		if len(best) > TopRecords {
			best = best[:TopRecords]
		}
	}
	docs := make([]int32, len(best))
	for i, x := range best {
		docs[i] = x.doc
	}
	return docs
}

// OneWordScore is what the client ranks a document by for a query of
// one word with posting score and flags: the score raised for a title
// that has the word, more when it starts with it, and more again when it
// is the title (see titled in search.js, which computes it alike).
func OneWordScore(score, flags int) float64 {
	s := float64(score)
	if flags&flagTitle == 0 {
		return s
	}
	first := 0.0
	if flags&flagFirst != 0 {
		first = 0.25
	}
	exact := 1.0
	if flags>>flagLenShift&3 == 0 { // a title of one word: the query
		exact = 1.5
		if flags&flagFirst != 0 {
			exact = 2
		}
	}
	return s * ((1 + 0.6*1/1 + first) * exact)
}

// titleFirst is added to the score of a posting of a term in the title
// when choosing the postings a frequent term keeps, and more for a
// shorter title: pages titled with the term are kept before pages that
// only say it, the shortest titles first, so that the client knows which
// titles are the query (the flags) however common the term is.
const titleFirst = 1 << 20

// keepKey orders the postings of a frequent term for keeping.
func keepKey(p posting, idf float64) int {
	k := score(p, idf)
	if p.flags()&flagTitle != 0 {
		// shorter titles first: a title of one word is a one-word
		// query's exact match
		length := int(p.flags()>>flagLenShift&3) + 1
		k += titleFirst + (4-length)*(titleFirst/4)
	}
	return k
}

// best returns the topN postings of ps to keep, in document order (of
// equal keys, the first documents), the lowest of their keys (keepKey),
// and the lowest of their scores: the score of the documents left out.
// It ranks them in room, grown as needed and kept for the next call.
func best(ps []posting, idf float64, room *[]int) ([]posting, int, int) {
	if cap(*room) < 2*len(ps) {
		*room = make([]int, 2*len(ps))
	}
	keys, order := (*room)[:len(ps)], (*room)[len(ps):2*len(ps)]
	for i, p := range ps {
		keys[i] = keepKey(p, idf)
	}
	copy(order, keys)
	threshold := nthLargest(order, topN)
	above := 0 // how many have a key above the threshold: all kept
	for _, k := range keys {
		if k > threshold {
			above++
		}
	}
	ties := topN - above
	kept := make([]posting, 0, topN)
	rest := math.MaxInt
	for i, p := range ps {
		switch {
		case keys[i] > threshold:
		case keys[i] == threshold && ties > 0:
			ties--
		default:
			continue
		}
		kept = append(kept, p)
		rest = min(rest, score(p, idf))
	}
	return kept, threshold, rest
}

// nthLargest returns the n-th largest of xs (1-based), reordering xs:
// quickselect, linear on average.
func nthLargest(xs []int, n int) int {
	k := len(xs) - n // the index it has in ascending order
	lo, hi := 0, len(xs)-1
	for lo < hi {
		// Median of three as the pivot, for sorted and equal inputs.
		mid := lo + (hi-lo)/2
		a, b, c := xs[lo], xs[mid], xs[hi]
		pivot := max(min(a, b), min(max(a, b), c))
		i, j := lo, hi
		for i <= j {
			for xs[i] < pivot {
				i++
			}
			for xs[j] > pivot {
				j--
			}
			if i <= j {
				xs[i], xs[j] = xs[j], xs[i]
				i++
				j--
			}
		}
		switch {
		case k <= j:
			hi = j
		case k >= i:
			lo = i
		default:
			return xs[k]
		}
	}
	return xs[k]
}

// record is a result record of FORMAT.md.
type record struct {
	T string      `json:"t"`
	U string      `json:"u"`
	K string      `json:"k"`
	S string      `json:"s"`
	X string      `json:"x"`
	H [][2]string `json:"h"`
}

// writeRecords writes the record file of group g: the records of its
// documents in order, named by the group's number and a hash of its
// records, which the entry lists.
func (ix *Index) writeRecords(g int) {
	lo, hi := g*Group, min((g+1)*Group, len(ix.docs))
	if old := ix.recordOf[g]; old != "" {
		delete(ix.files, RecordFile(g, old))
	}
	b := []byte{'['}
	for i := lo; i < hi; i++ {
		d := &ix.docs[i]
		r := record{T: d.Title, U: strings.TrimPrefix(d.URL, "/"), K: d.Kind, S: d.Status, X: d.Excerpt, H: [][2]string{}}
		for _, h := range d.Headings {
			r.H = append(r.H, [2]string{h.ID, h.Text})
		}
		if i > lo {
			b = append(b, ',')
		}
		rb, _ := json.Marshal(r) // strings only
		b = append(b, rb...)
	}
	b = append(b, ']')
	sum := sha256.Sum256(b)
	ix.recordOf[g] = hex.EncodeToString(sum[:3]) // with the group number, enough to tell versions apart
	ix.put(RecordFile(g, ix.recordOf[g]), b)
}

// RecordFile is the site path of the records of group g, of hash hash.
func RecordFile(g int, hash string) string {
	return "/search/r" + strconv.Itoa(g) + "." + hash + ".json"
}

// DirChunks is how many chunks a directory file lists, and flatChunks
// the number of chunks up to which the entry lists them itself (about
// 15 KB compressed): past it,
// the entry lists directories, so that it grows a sixty-fourth as fast
// as the index (FORMAT.md, "Chunk directories").
const DirChunks = 64

var flatChunks = 1024

func (ix *Index) writeEntry() {
	e := Entry{Version: Version, Docs: len(ix.docs), Stop: StopWords, Group: Group, Records: ix.recordOf, Facets: map[string][][]any{}}
	for _, old := range ix.dirFiles {
		delete(ix.files, "/search/"+old)
	}
	ix.dirFiles = ix.dirFiles[:0]
	if len(ix.firsts) <= flatChunks {
		for i, f := range ix.firsts {
			e.Chunks = append(e.Chunks, [2]string{f, ix.chunkOf[i]})
		}
	} else {
		e.Count, e.Per = len(ix.firsts), DirChunks
		for d := 0; d*DirChunks < len(ix.firsts); d++ {
			lo, hi := d*DirChunks, min((d+1)*DirChunks, len(ix.firsts))
			b := []byte(`{"c":[`)
			for i := lo; i < hi; i++ {
				if i > lo {
					b = append(b, ',')
				}
				b = append(b, '[')
				b = appendString(b, ix.firsts[i])
				b = append(b, ',')
				b = appendString(b, ix.chunkOf[i])
				b = append(b, ']')
			}
			b = append(b, "]}"...)
			sum := sha256.Sum256(b)
			name := "d" + strconv.Itoa(d) + "." + hex.EncodeToString(sum[:4]) + ".json"
			ix.put("/search/"+name, b)
			ix.dirFiles = append(ix.dirFiles, name)
			e.Dirs = append(e.Dirs, [2]string{ix.firsts[lo], name})
		}
	}
	e.Sections = ix.sections()
	labels := map[string]string{}
	for _, d := range ix.docs {
		labels[d.Kind] = d.KindLabel
	}
	for _, name := range []string{"kind", "status", "service", "tag"} {
		var vals []string
		for t := range ix.post {
			if v, ok := strings.CutPrefix(t, name+":"); ok {
				vals = append(vals, v)
			}
		}
		slices.Sort(vals)
		e.Facets[name] = [][]any{}
		for _, v := range vals {
			row := []any{v, len(ix.post[name+":"+v])}
			if name == "kind" {
				row = append(row, labels[v])
			}
			e.Facets[name] = append(e.Facets[name], row)
		}
	}
	b, _ := json.Marshal(e)
	ix.put("/search/entry.json", b)
}

// maxSections is how many folders the entry lists at most for scoped
// searches, and minSection how many documents a folder needs.
const (
	maxSections = 200
	minSection  = 3
)

// sections returns the folders of the first two levels holding at least
// minSection documents, for searches scoped to the reader's part of the
// handbook: [path, first document, end, title], the documents of a folder
// being consecutive (they are numbered in order of URL). The title is that
// of the folder's own page, or its name.
func (ix *Index) sections() [][]any {
	type section struct {
		path       string
		first, end int
	}
	var out []section
	open := map[string]int{} // folder → its index in out
	for i, d := range ix.docs {
		u := d.URL
		for depth, at := 0, 1; depth < 2; depth++ {
			j := strings.IndexByte(u[at:], '/')
			if j < 0 || at+j+1 == len(u) {
				break // the document is the folder's page, or at the top
			}
			at += j + 1
			f := u[:at]
			if k, ok := open[f]; ok && out[k].end == i {
				out[k].end = i + 1
			} else {
				open[f] = len(out)
				out = append(out, section{f, i, i + 1})
			}
		}
	}
	out = slices.DeleteFunc(out, func(s section) bool { return s.end-s.first < minSection })
	if len(out) > maxSections {
		slices.SortStableFunc(out, func(a, b section) int { return cmp.Compare(b.end-b.first, a.end-a.first) })
		out = out[:maxSections]
		slices.SortFunc(out, func(a, b section) int { return cmp.Compare(a.path, b.path) })
	}
	rows := make([][]any, 0, len(out))
	for _, s := range out {
		title := strings.NewReplacer("-", " ", "_", " ").Replace(path.Base(s.path)) // as the sidebar names it
		if r, n := utf8.DecodeRuneInString(title); n > 0 {
			title = string(unicode.ToUpper(r)) + title[n:]
		}
		if i, ok := ix.byURL[s.path]; ok {
			title = ix.docs[i].Title
		}
		rows = append(rows, []any{s.path, s.first, s.end, title})
	}
	return rows
}

// appendString appends s as JSON, as json.Marshal writes it. Terms are
// mostly plain ASCII, which needs no escape and is appended as it is,
// without the allocation json.Marshal makes.
func appendString(b []byte, s string) []byte {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < 0x20 || c >= utf8.RuneSelf || c == '"' || c == '\\' || c == '<' || c == '>' || c == '&' {
			q, _ := json.Marshal(s)
			return append(b, q...)
		}
	}
	b = append(b, '"')
	b = append(b, s...)
	return append(b, '"')
}

// Update takes new versions of documents already in the index (same URL)
// and rewrites the chunks holding their old or new terms, their record
// files and the entry; a document the index has as it is changes nothing. Chunk boundaries stay as they were; a whole Build
// may cut them differently. It returns false, changing nothing, when a
// document is not in the index.
func (ix *Index) Update(docs []Doc) bool {
	docs = slices.Clone(docs)
	for i := range docs {
		docs[i].takeText()
	}
	ids, ok := ix.docIDs(docs)
	if !ok {
		return false
	}
	u := indexUpdate{ix: ix, touched: map[string]bool{}, groups: map[int]bool{}}
	replaced := 0
	for i, d := range docs {
		// A document as the index has it already changes nothing: a page
		// rendered again for its neighbours, a listing whose counts stayed.
		if sum := docSum(&d); sum != ix.sums[ids[i]] {
			u.replace(int32(ids[i]), d)
			ix.sums[ids[i]] = sum
			replaced++
		}
	}
	if replaced == 0 {
		return true
	}
	u.touchFamilies(u.families())
	u.rewrite()
	return true
}

// docSeed seeds docSum: the sums are compared within one process only.
var docSeed = maphash.MakeSeed()

// docSum hashes every field of d: equal sums, equal documents.
func docSum(d *Doc) uint64 {
	var h maphash.Hash
	h.SetSeed(docSeed)
	str := func(s string) {
		h.WriteString(s)
		h.WriteByte(0)
	}
	num := func(n uint64) {
		var b [8]byte
		binary.LittleEndian.PutUint64(b[:], n)
		h.Write(b[:])
	}
	list := func(ss []string) {
		num(uint64(len(ss)))
		for _, s := range ss {
			str(s)
		}
	}
	str(d.URL)
	str(d.Title)
	str(d.Kind)
	str(d.KindLabel)
	str(d.Status)
	str(d.Excerpt)
	list(d.Tags)
	list(d.Services)
	list(d.Alerts)
	num(math.Float64bits(d.Weight))
	num(uint64(len(d.Headings)))
	for _, hd := range d.Headings {
		str(hd.ID)
		str(hd.Text)
	}
	num(uint64(len(d.Body)))
	for _, p := range d.Body {
		num(uint64(p.Section))
		str(p.Text)
		if p.Code {
			h.WriteByte(1)
		} else {
			h.WriteByte(0)
		}
	}
	return h.Sum64()
}

// Holds reports whether the index has a document for each of urls and
// as many documents as urls.
func (ix *Index) Holds(urls []string) bool {
	if len(urls) != len(ix.docs) {
		return false
	}
	for _, u := range urls {
		if _, ok := ix.byURL[u]; !ok {
			return false
		}
	}
	return true
}

// docIDs returns the index of each document by URL, or false when one is
// not in the index.
func (ix *Index) docIDs(docs []Doc) ([]int, bool) {
	ids := make([]int, len(docs))
	for i, d := range docs {
		id, ok := ix.byURL[d.URL]
		if !ok {
			return nil, false
		}
		ids[i] = id
	}
	return ids, true
}

// indexUpdate is the state of one Update: the terms whose fragments must
// be encoded again and the record groups to rewrite.
type indexUpdate struct {
	ix      *Index
	touched map[string]bool
	groups  map[int]bool
}

// replace swaps document id for d in the postings, touching the terms
// whose fragments may change.
func (u *indexUpdate) replace(id int32, d Doc) {
	ix := u.ix
	gone := map[string]bool{}
	for t := range ix.terms[id].all() {
		gone[ix.in.str(t)] = true
	}
	old := ix.docs[id]
	// The chunks naming the document among a term's best are
	// those of its terms.
	named := old.Title != d.Title || old.Kind != d.Kind
	if named {
		for t := range gone {
			u.touched[t] = true
		}
	}
	ix.docs[id] = d
	a := analyze(&ix.docs[id], ix.in)
	ix.docs[id].Body = nil
	// Every posting of the document's old version is replaced or dropped
	// below: none is left pointing into its old positions.
	ix.pos[id] = a.pos
	for k := range a.occs {
		o := &a.occs[k]
		delete(gone, o.term)
		u.setPosting(id, a, o, named)
	}
	for t := range gone {
		u.dropPosting(id, t)
	}
	for _, t := range ix.near.replace(int(id), a.vocab) {
		u.touched[t] = true
	}
	ix.terms[id] = newIDSet(a.terms)
	a.done()
	u.groups[int(id)/Group] = true
}

// setPosting adds or replaces the posting of document id for the term of
// o, touching the term when its fragment may change.
func (u *indexUpdate) setPosting(id int32, a *analysis, o *occ, named bool) {
	ix := u.ix
	t := o.term
	p := posting{doc: id, weight: float32(a.weight(o)), bits: o.bits(), at: o.at}
	ps := ix.post[t]
	j, found := slices.BinarySearchFunc(ps, id, func(p posting, d int32) int { return cmp.Compare(p.doc, d) })
	if !found {
		ix.post[t] = slices.Insert(ps, j, p)
		u.touched[t] = true
		return
	}
	ps[j] = p
	if c, k, ok := ix.fragment(t); named || !ok || !ix.frags[c][k].unchangedBy(p, ix.idf(ix.docFreq(t))) {
		u.touched[t] = true
	}
}

// dropPosting removes the posting of document id for term t, and the term
// when no document is left, touching it.
func (u *indexUpdate) dropPosting(id int32, t string) {
	ix := u.ix
	ps := ix.post[t]
	j, _ := slices.BinarySearchFunc(ps, id, func(p posting, d int32) int { return cmp.Compare(p.doc, d) })
	if ps = slices.Delete(ps, j, j+1); len(ps) == 0 {
		delete(ix.post, t)
	} else {
		ix.post[t] = ps
	}
	u.touched[t] = true
}

// families returns the families of the touched terms (a term's stem, or
// the term itself when it has none), keeping each stem's list of raw
// terms in step with the postings.
func (u *indexUpdate) families() map[string]bool {
	ix := u.ix
	// A term in or out of a document may change the document frequency
	// of its family: then every term of the family scores differently.
	// A term is of its stem's family, and may head one itself: stems
	// stem further ("releas", of the code form "release", is "relea").
	fams := map[string]bool{}
	for t := range u.touched {
		if strings.HasPrefix(t, nearPrefix) {
			continue
		}
		fams[t] = true
		if s := stemOf(t); s != "" {
			fams[s] = true
			_, in := ix.post[t]
			at := slices.Index(ix.raw[s], t)
			switch {
			case in && at < 0:
				ix.raw[s] = append(ix.raw[s], t)
			case !in && at >= 0:
				ix.raw[s] = slices.Delete(ix.raw[s], at, at+1)
			}
			if len(ix.raw[s]) == 0 {
				delete(ix.raw, s)
			}
		}
	}
	return fams
}

// touchFamilies touches every term of the families in fams whose
// document frequency changed.
func (u *indexUpdate) touchFamilies(fams map[string]bool) {
	ix := u.ix
	seen := make([]uint32, len(ix.docs))
	for s := range fams {
		if ix.countFamily(s, seen) {
			if _, ok := ix.post[s]; ok {
				u.touched[s] = true
			}
			for _, t := range ix.raw[s] {
				u.touched[t] = true
			}
		}
	}
}

// rewrite encodes again the chunks holding touched terms, the touched
// record groups and the entry.
func (u *indexUpdate) rewrite() {
	ix := u.ix
	chunks := map[int]bool{}
	for t := range u.touched {
		c, k, ok := ix.fragment(t)
		chunks[c] = true
		if ok {
			ix.frags[c] = slices.Delete(ix.frags[c], k, k+1)
		}
	}
	var terms []string
	// Only the terms of the touched chunks are needed, in order.
	for t := range ix.post {
		if chunks[ix.chunkIndex(t)] {
			terms = append(terms, t)
		}
	}
	for k := range ix.near.lists {
		if t := nearPrefix + k; chunks[ix.chunkIndex(t)] {
			terms = append(terms, t)
		}
	}
	sortTerms(terms)
	ix.writeChunks(context.Background(), ix.termsByChunk(terms), chunks)
	for g := range u.groups {
		ix.writeRecords(g)
	}
	ix.writeEntry()
}
