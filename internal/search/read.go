package search

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"strconv"
)

// Entry is the entry file, as read back.
type Entry struct {
	Version int                `json:"version"`
	Docs    int                `json:"docs"`
	Stop    []string           `json:"stop"`
	Chunks  [][2]string        `json:"chunks"`
	Group   int                `json:"group"`
	Records []string           `json:"records"`
	Facets  map[string][][]any `json:"facets"`
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
}

// Posting is one document of a term.
type Posting struct {
	Doc       int
	Score     int
	Section   int
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
// "/search/"), as the browser reads parts of it: for tests and tools.
func Read(files map[string][]byte) (*Entry, map[string]Postings, []Record, error) {
	var e Entry
	if err := json.Unmarshal(files["/search/entry.json"], &e); err != nil {
		return nil, nil, nil, fmt.Errorf("entry: %w", err)
	}
	terms := map[string]Postings{}
	for _, c := range e.Chunks {
		var chunk map[string]struct {
			DF   int    `json:"df"`
			All  string `json:"all"`
			Rest int    `json:"rest"`
			P    []int  `json:"p"`
		}
		name := "/search/" + c[1]
		if err := json.Unmarshal(files[name], &chunk); err != nil {
			return nil, nil, nil, fmt.Errorf("%s: %w", name, err)
		}
		var pos map[string][][]int
		posName := name[:len(name)-len(".json")] + ".pos.json"
		if err := json.Unmarshal(files[posName], &pos); err != nil {
			return nil, nil, nil, fmt.Errorf("%s: %w", posName, err)
		}
		for t, c := range chunk {
			ps := Postings{DF: c.DF, Rest: c.Rest}
			scored := map[int]Posting{}
			doc := 0
			for i := 0; i+2 < len(c.P); i += 3 {
				doc += c.P[i]
				p := Posting{Doc: doc, Score: c.P[i+1], Section: c.P[i+2], Scored: true}
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
		}
	}
	var recs []Record
	for g, h := range e.Records {
		name := "/search/r" + strconv.Itoa(g) + "." + h + ".json"
		var rs []Record
		if err := json.Unmarshal(files[name], &rs); err != nil {
			return nil, nil, nil, fmt.Errorf("%s: %w", name, err)
		}
		recs = append(recs, rs...)
	}
	return &e, terms, recs, nil
}
