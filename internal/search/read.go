package search

import (
	"cmp"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
)

// Entry is the entry file, as read back.
type Entry struct {
	Version int         `json:"version"`
	Docs    int         `json:"docs"`
	Stop    []string    `json:"stop"`
	Chunks  [][2]string `json:"chunks,omitempty"`
	// Dirs, Count and Per replace Chunks in a large index: directories
	// of Per chunks each, Count chunks in all.
	Dirs    [][2]string        `json:"dirs,omitempty"`
	Count   int                `json:"count,omitempty"`
	Per     int                `json:"per,omitempty"`
	Group   int                `json:"group"`
	Records []string           `json:"records"`
	Facets  map[string][][]any `json:"facets"`
	// Sections are folders for scoped searches: [path, first document,
	// end, title].
	Sections [][]any `json:"sections"`
}

// Postings are one term's documents, as read back: every document having
// the term, with its score, section and positions when the index keeps
// them (Scored).
type Postings struct {
	DF   int
	Docs []Posting
	// Rest is the score of documents of a frequent term that kept no score
	// of their own (Scored false).
	Rest int
	// Near are the words of a near list (pseudo-terms "~abc"), most
	// frequent first.
	Near []NearWord
}

// NearWord is a word of a near list and its document frequency.
type NearWord struct {
	Word string
	DF   int
}

// Posting is one document of a term.
type Posting struct {
	Doc     int
	Score   int
	Section int
	// Flags are the posting's flags: 1 the term is in the title or alert
	// names, 2 it is the title's first word, then two bits of the length
	// of that name less one (FORMAT.md).
	Flags     int
	Positions []int
	Scored    bool
}

// Record is a result record, as read back.
type Record struct {
	Title    string      `json:"t"`
	URL      string      `json:"u"`
	Kind     string      `json:"k"`
	Status   string      `json:"s"`
	Excerpt  string      `json:"x"`
	Headings [][2]string `json:"h"`
}

// Read reads a whole index back from its files (site paths under
// "/search/"), as the browser reads parts of it: for tests and tools. It
// also checks what the client relies on: that each chunk names the
// TopRecords best documents of each of its terms, as their records say.
func Read(files map[string][]byte) (*Entry, map[string]Postings, []Record, error) {
	var e Entry
	if err := json.Unmarshal(files["/search/entry.json"], &e); err != nil {
		return nil, nil, nil, fmt.Errorf("entry: %w", err)
	}
	if e.Version != Version {
		return nil, nil, nil, fmt.Errorf("entry: version %d, want %d", e.Version, Version)
	}
	if len(e.Dirs) > 0 {
		for i, d := range e.Dirs {
			var dir struct {
				C [][2]string `json:"c"`
			}
			if err := json.Unmarshal(files["/search/"+d[1]], &dir); err != nil {
				return nil, nil, nil, fmt.Errorf("directory %s: %w", d[1], err)
			}
			if len(dir.C) == 0 || dir.C[0][0] != d[0] || len(dir.C) != min(e.Per, e.Count-i*e.Per) {
				return nil, nil, nil, fmt.Errorf("directory %s: %d chunks from %q, the entry says %q", d[1], len(dir.C), dir.C, d[0])
			}
			e.Chunks = append(e.Chunks, dir.C...)
		}
	}
	terms := map[string]Postings{}
	named := map[string]map[int][3]string{} // chunk → documents it names
	for _, c := range e.Chunks {
		var file struct {
			T map[string]struct {
				DF   int    `json:"df"`
				All  string `json:"all"`
				Rest int    `json:"rest"`
				P    []int  `json:"p"`
				N    []any  `json:"n"`
			} `json:"t"`
			D map[int][3]string `json:"d"`
		}
		name := "/search/" + c[1]
		if err := json.Unmarshal(files[name], &file); err != nil {
			return nil, nil, nil, fmt.Errorf("%s: %w", name, err)
		}
		chunk := file.T
		var pos map[string][][]int
		posName := name[:len(name)-len(".json")] + ".pos.json"
		if err := json.Unmarshal(files[posName], &pos); err != nil {
			return nil, nil, nil, fmt.Errorf("%s: %w", posName, err)
		}
		for t, c := range chunk {
			ps := Postings{DF: c.DF, Rest: c.Rest}
			for i := 0; i+1 < len(c.N); i += 2 {
				w, _ := c.N[i].(string)
				df, _ := c.N[i+1].(float64)
				ps.Near = append(ps.Near, NearWord{Word: w, DF: int(df)})
			}
			scored := map[int]Posting{}
			doc := 0
			for i := 0; i+2 < len(c.P); i += 3 {
				doc += c.P[i]
				p := Posting{Doc: doc, Score: c.P[i+1], Section: c.P[i+2] >> flagBits, Flags: c.P[i+2] & (1<<flagBits - 1), Scored: true}
				if i/3 < len(pos[t]) {
					p.Positions = pos[t][i/3]
				}
				scored[doc] = p
			}
			if c.All != "" {
				bits, err := base64.StdEncoding.DecodeString(c.All)
				if err != nil {
					return nil, nil, nil, fmt.Errorf("%s: term %s: %w", name, strconv.Quote(t), err)
				}
				for d := range e.Docs {
					if d>>3 < len(bits) && bits[d>>3]&(1<<(d&7)) != 0 {
						p, ok := scored[d]
						if !ok {
							p = Posting{Doc: d, Score: c.Rest}
						}
						ps.Docs = append(ps.Docs, p)
					}
				}
			} else {
				doc = 0
				for i := 0; i+2 < len(c.P); i += 3 {
					doc += c.P[i]
					ps.Docs = append(ps.Docs, scored[doc])
				}
			}
			terms[t] = ps
			named[t] = file.D
		}
	}
	var recs []Record
	for g, h := range e.Records {
		name := RecordFile(g, h)
		var group []Record
		if err := json.Unmarshal(files[name], &group); err != nil {
			return nil, nil, nil, fmt.Errorf("%s: %w", name, err)
		}
		if want := min((g+1)*e.Group, e.Docs) - g*e.Group; len(group) != want {
			return nil, nil, nil, fmt.Errorf("%s: %d records, want %d", name, len(group), want)
		}
		recs = append(recs, group...)
	}
	for t, ps := range terms {
		for _, d := range topOf(ps) {
			got, ok := named[t][d]
			if d >= len(recs) {
				return nil, nil, nil, fmt.Errorf("term %q: document %d has no record", t, d)
			}
			if want := [3]string{recs[d].Title, recs[d].URL, recs[d].Kind}; !ok || got != want {
				return nil, nil, nil, fmt.Errorf("term %q: its chunk names document %d %q, want %q", t, d, got, want)
			}
		}
	}
	return &e, terms, recs, nil
}

// topOf returns the documents of the TopRecords best scored postings, as
// a query of one word ranks them (OneWordScore), of equal scores the first
// documents.
func topOf(ps Postings) []int {
	var scored []Posting
	for _, p := range ps.Docs {
		if p.Scored && p.Score > 0 {
			scored = append(scored, p)
		}
	}
	slices.SortStableFunc(scored, func(a, b Posting) int {
		return cmp.Compare(OneWordScore(b.Score, b.Flags), OneWordScore(a.Score, a.Flags))
	})
	var docs []int
	for _, p := range scored[:min(len(scored), TopRecords)] {
		docs = append(docs, p.Doc)
	}
	return docs
}
