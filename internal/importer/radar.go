package importer

import (
	"bytes"
	"cmp"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"maps"
	"slices"
	"strings"
	"time"

	"github.com/handbook-dev/handbook/internal/diag"
	"github.com/handbook-dev/handbook/internal/page"
)

// Thoughtworks' build-your-own-radar reads a sheet of blips with the
// columns name, ring, quadrant, isNew and description (newer versions:
// status instead of isNew), as CSV or as a JSON list of objects with the
// same keys. Each file is the radar on one date. A blip becomes one
// evaluation; a blip found in several files (matched by name, without
// regard to case) becomes one evaluation whose ring, quadrant and text
// are the newest file's and whose history lists its rings on the dates
// before. isNew and status are not kept: the site marks a blip new or
// moved from its history and dates.

// blip is one row of one radar file.
type blip struct {
	name, ring, quadrant, description string
	date                              time.Time
	pos                               diag.Position
	order                             int // across all files, for stable ties
}

// RadarCSV plans the evaluations of build-your-own-radar CSV files.
func RadarCSV(in []Input, opt Options) *Plan {
	p := &Plan{}
	var blips []blip
	for _, f := range in {
		blips = append(blips, readRadarCSV(p, f, opt, len(blips))...)
	}
	return radarPages(p, blips, opt).finish()
}

// RadarJSON plans the evaluations of build-your-own-radar JSON files.
func RadarJSON(in []Input, opt Options) *Plan {
	p := &Plan{}
	var blips []blip
	for _, f := range in {
		blips = append(blips, readRadarJSON(p, f, opt, len(blips))...)
	}
	return radarPages(p, blips, opt).finish()
}

func fileDate(f Input, opt Options) time.Time {
	if !f.Date.IsZero() {
		return f.Date
	}
	return opt.Today
}

func readRadarCSV(p *Plan, f Input, opt Options, order int) []blip {
	data := bytes.TrimPrefix(f.Data, []byte("\xef\xbb\xbf"))
	r := csv.NewReader(bytes.NewReader(data))
	r.FieldsPerRecord = -1
	r.LazyQuotes = true
	r.Comma = sniffComma(data)
	header, err := r.Read()
	if err != nil {
		if errors.Is(err, io.EOF) {
			p.errorf(at(f.Name, 0, 0), "the file is empty; a radar CSV starts with a header row: name,ring,quadrant,isNew,description")
		} else {
			p.errorf(csvPos(f.Name, err), "cannot read the header row: %v", csvMessage(err))
		}
		return nil
	}
	cols := map[string]int{}
	for i, h := range header {
		k := strings.ToLower(strings.TrimSpace(h))
		if _, dup := cols[k]; !dup {
			cols[k] = i
		}
	}
	col := func(names ...string) int {
		for _, n := range names {
			if i, ok := cols[n]; ok {
				return i
			}
		}
		return -1
	}
	name, ring, quad, desc := col("name", "title"), col("ring"), col("quadrant"), col("description")
	var missing []string
	for n, i := range map[string]int{"name": name, "ring": ring, "quadrant": quad} {
		if i < 0 {
			missing = append(missing, n)
		}
	}
	if len(missing) > 0 {
		slices.Sort(missing)
		p.errorf(at(f.Name, 1, 1), "the header row has no %s column; a radar CSV has the columns name, ring, quadrant, isNew and description (in any order and case)", strings.Join(missing, " or "))
		return nil
	}
	date := fileDate(f, opt)
	var out []blip
	for {
		rec, err := r.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			p.errorf(csvPos(f.Name, err), "cannot read the row: %v; the rows after it are not imported", csvMessage(err))
			break
		}
		line, _ := r.FieldPos(0)
		get := func(i int) string {
			if i < 0 || i >= len(rec) {
				return ""
			}
			return strings.TrimSpace(rec[i])
		}
		b := blip{name: get(name), ring: get(ring), quadrant: get(quad), description: get(desc), date: date, pos: at(f.Name, line, 1), order: order + len(out)}
		if b.name == "" {
			if strings.Join(rec, "") != "" {
				p.warnf(b.pos, "row has no name; it is not imported")
			}
			continue
		}
		out = append(out, b)
	}
	return out
}

// sniffComma returns the separator of a CSV file: the one of comma,
// semicolon and tab its first line has most of.
func sniffComma(data []byte) rune {
	first, _, _ := bytes.Cut(data, []byte("\n"))
	best, n := ',', bytes.Count(first, []byte(","))
	for _, c := range []rune{';', '\t'} {
		if k := bytes.Count(first, []byte(string(c))); k > n {
			best, n = c, k
		}
	}
	return best
}

func csvPos(file string, err error) diag.Position {
	var pe *csv.ParseError
	if errors.As(err, &pe) {
		return at(file, pe.Line, pe.Column)
	}
	return at(file, 0, 0)
}

func csvMessage(err error) error {
	var pe *csv.ParseError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}

func readRadarJSON(p *Plan, f Input, opt Options, order int) []blip {
	data := bytes.TrimPrefix(f.Data, []byte("\xef\xbb\xbf"))
	pos := func(off int64) diag.Position {
		line := 1 + bytes.Count(data[:off], []byte("\n"))
		col := int(off) - bytes.LastIndexByte(data[:off], '\n')
		return at(f.Name, line, col)
	}
	// The blips are a top-level list, or a list under "blips", "entries"
	// or "items".
	var raw json.RawMessage
	dec := json.NewDecoder(bytes.NewReader(data))
	if err := dec.Decode(&raw); err != nil {
		p.errorf(jsonPos(data, err, pos, f.Name), "cannot read the JSON: %v", err)
		return nil
	}
	start := len(data) - len(bytes.TrimLeft(data, " \t\r\n"))
	list := raw
	if len(raw) == 0 || raw[0] != '{' && raw[0] != '[' {
		p.errorf(pos(int64(start)), "the blips must be a list of objects with name, ring, quadrant, isNew and description")
		return nil
	}
	if raw[0] == '{' {
		var obj map[string]json.RawMessage
		_ = json.Unmarshal(raw, &obj)
		list = nil
		for _, k := range slices.Sorted(maps.Keys(obj)) {
			switch strings.ToLower(k) {
			case "blips", "entries", "items", "technologies":
				list = obj[k]
			}
		}
		if list == nil {
			p.errorf(at(f.Name, 1, 1), "the JSON has no list of blips; write a list of objects with name, ring, quadrant, isNew and description, or put it under \"blips\"")
			return nil
		}
		if start = bytes.Index(data, list); start < 0 {
			p.errorf(at(f.Name, 1, 1), "cannot find the list of blips in the file")
			return nil
		}
	}
	// Read the list element by element, to know where each one is.
	dec = json.NewDecoder(bytes.NewReader(data[start:]))
	if t, err := dec.Token(); err != nil || t != json.Delim('[') {
		p.errorf(pos(int64(start)), "the blips must be a list of objects")
		return nil
	}
	date := fileDate(f, opt)
	var out []blip
	for dec.More() {
		off := int64(start) + dec.InputOffset()
		// InputOffset is before the separator and spaces; point at the {.
		for off < int64(len(data)) && (data[off] == ',' || data[off] == ' ' || data[off] == '\n' || data[off] == '\r' || data[off] == '\t') {
			off++
		}
		var obj map[string]any
		if err := dec.Decode(&obj); err != nil {
			p.errorf(pos(off), "a blip must be an object with name, ring, quadrant and description: %v", err)
			return out
		}
		get := func(keys ...string) string {
			for _, k := range slices.Sorted(maps.Keys(obj)) {
				for _, want := range keys {
					if strings.EqualFold(k, want) {
						switch v := obj[k].(type) {
						case string:
							return strings.TrimSpace(v)
						case nil:
							return ""
						default:
							return fmt.Sprint(v)
						}
					}
				}
			}
			return ""
		}
		b := blip{name: get("name", "title"), ring: get("ring"), quadrant: get("quadrant"), description: get("description"), date: date, pos: pos(off), order: order + len(out)}
		if b.name == "" {
			p.warnf(b.pos, "blip has no name; it is not imported")
			continue
		}
		out = append(out, b)
	}
	return out
}

func jsonPos(data []byte, err error, pos func(int64) diag.Position, file string) diag.Position {
	var se *json.SyntaxError
	if errors.As(err, &se) {
		return pos(min(se.Offset, int64(len(data))))
	}
	return at(file, 0, 0)
}

// radarPages merges blips by name and plans one evaluation each.
func radarPages(p *Plan, blips []blip, opt Options) *Plan {
	groups := map[string][]blip{}
	var keys []string
	for _, b := range blips {
		k := strings.ToLower(strings.Join(strings.Fields(b.name), " "))
		if _, ok := groups[k]; !ok {
			keys = append(keys, k)
		}
		groups[k] = append(groups[k], b)
	}
	taken := map[string]bool{}
	for _, k := range keys {
		g := groups[k]
		slices.SortStableFunc(g, func(a, b blip) int { return cmp.Or(a.date.Compare(b.date), cmp.Compare(a.order, b.order)) })
		// One placement per date: the later row of a date wins.
		var placed []blip
		for _, b := range g {
			if n := len(placed); n > 0 && placed[n-1].date.Equal(b.date) {
				p.warnf(b.pos, "%q is also at %s for %s; this row is kept", b.name, placed[n-1].pos, b.date.Format("2006-01-02"))
				placed[n-1] = b
				continue
			}
			placed = append(placed, b)
		}
		cur := placed[len(placed)-1]
		fm := newFrontMatter()
		fm.set("title", cur.name)
		if ring := radarRing(p, cur, opt); ring != "" {
			fm.set("ring", ring)
		}
		fm.set("quadrant", radarQuadrant(cur.quadrant, opt))
		fm.set("date", cur.date)
		if len(placed) > 1 {
			var h []page.HistoryEntry
			for _, b := range placed[:len(placed)-1] {
				h = append(h, page.HistoryEntry{Date: b.date, Ring: radarRing(p, b, opt)})
			}
			fm.set("history", historyNode(h))
		}
		// The newest description is the page; older ones that differ
		// follow, each under its date and ring.
		var texts []string
		for _, b := range placed {
			md, _ := htmlToMarkdown(b.description)
			texts = append(texts, strings.TrimSpace(md))
		}
		body := ""
		for i := len(placed) - 1; body == "" && i >= 0; i-- {
			body = texts[i]
		}
		var earlier []string
		for i := len(placed) - 2; i >= 0; i-- {
			if texts[i] != "" && texts[i] != body {
				earlier = append(earlier, earlierText(placed[i].date, radarRing(&Plan{}, placed[i], opt), texts[i]))
			}
		}
		if len(earlier) > 0 {
			body += "\n\n## Earlier releases\n\n" + strings.Join(earlier, "\n\n")
		}
		if opt.SetKind {
			fm.set("kind", string(page.KindEvaluation))
		}
		name := uniqueName(slugWords(cur.name), taken)
		p.add(name+".md", fm.page([]byte(body)), cur.pos.File)
	}
	return p
}

func schemaOf(opt Options) page.Schema {
	if len(opt.Schema.Rings) == 0 {
		return page.DefaultSchema()
	}
	return opt.Schema
}

// radarRing is the site's name of a blip's ring; a ring the site does not
// have is written as it is, and reported.
func radarRing(p *Plan, b blip, opt Options) string {
	s := schemaOf(opt)
	if r, ok := s.Ring(b.ring); ok {
		return r
	}
	if b.ring == "" {
		p.warnf(b.pos, "%q has no ring; write one of %s in its page", b.name, strings.Join(s.Rings, ", "))
		return ""
	}
	p.warnf(b.pos, "ring %q of %q is none of the site's rings (%s); it is written as it is", b.ring, b.name, strings.Join(s.Rings, ", "))
	return b.ring
}

// radarQuadrant is the site's name of a quadrant, or the quadrant as
// written: a radar draws quadrants of its own.
func radarQuadrant(q string, opt Options) string {
	if s, ok := schemaOf(opt).Quadrant(q); ok {
		return s
	}
	return q
}

// earlierText is the text of an earlier placement, under a heading that
// says when and in which ring.
func earlierText(date time.Time, ring, text string) string {
	when := date.Format("2006-01-02")
	if ring != "" {
		when += ": " + ring
	}
	return "### " + when + "\n\n" + text
}
