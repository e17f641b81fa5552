package page

import (
	"fmt"
	"strings"
	"unicode"

	"gopkg.in/yaml.v3"

	"github.com/handbook-dev/handbook/internal/diag"
)

// Radars from other tools name their rings and quadrants in their own
// words: Thoughtworks writes "Languages & Frameworks", AOE's radar
// "languages-and-frameworks" and "methods-and-patterns", teams "ADOPT" or
// "Hold on". A value names a ring or quadrant of the schema when their
// RadarKeys are equal, or through one of the synonyms below.

// ringSynonyms map the RadarKey of a ring name found in the wild to the
// default ring it means.
var ringSynonyms = synonyms(map[string][]string{
	"adopt":  {"adopted", "adoption", "use", "in use", "recommended"},
	"trial":  {"trialing", "trialling", "try", "in trial", "trial it"},
	"assess": {"assessing", "assessment", "evaluate", "evaluating", "explore"},
	"hold":   {"hold on", "on hold", "avoid", "stop", "retire", "retired", "caution"},
})

// quadrantSynonyms map the RadarKey of a quadrant name of AOE's radar to
// the default quadrant it means. Thoughtworks' "Languages & Frameworks",
// which the defaults split in two, is not one: it stays a quadrant of its
// own (see Schema.OpenQuadrants).
var quadrantSynonyms = synonyms(map[string][]string{
	"techniques": {"methods and patterns", "methods & patterns"},
	"platforms":  {"platforms and operations", "platforms & operations"},
})

func synonyms(m map[string][]string) map[string]string {
	out := map[string]string{}
	for target, names := range m {
		for _, n := range names {
			out[RadarKey(n)] = RadarKey(target)
		}
	}
	return out
}

// andReplacer spells out the ampersands and pluses of radar names.
var andReplacer = strings.NewReplacer("&", " and ", "+", " and ")

// RadarKey is the form in which two names of a ring or quadrant are
// compared: lower case, "&" and "+" read as "and", every run of hyphens,
// underscores, spaces and other punctuation one space, a plural "s"
// dropped. "Languages & Frameworks" and "languages-and-frameworks" have
// the same key.
func RadarKey(s string) string {
	s = andReplacer.Replace(strings.ToLower(s))
	words := strings.FieldsFunc(s, func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) })
	for i, w := range words {
		if len(w) > 3 && strings.HasSuffix(w, "s") && !strings.HasSuffix(w, "ss") {
			words[i] = w[:len(w)-1]
		}
	}
	return strings.Join(words, " ")
}

// Ring returns the ring of s.Rings that v names: the same name but for
// case, spacing, punctuation and plural ("ADOPT", "Adopt"), or a synonym
// of a default ring that s has ("on hold", "hold on" and "avoid" for hold).
func (s Schema) Ring(v string) (string, bool) {
	return match(v, s.Rings, ringSynonyms)
}

// Quadrant returns the quadrant of s.Quadrants that v names: the same name
// but for case, spacing, punctuation and plural ("Languages & Frameworks"
// for languages-and-frameworks, "Tools" for tools), or the name AOE's
// radar gives a default quadrant that s has ("methods-and-patterns" for
// techniques, "platforms-and-operations" for platforms).
func (s Schema) Quadrant(v string) (string, bool) {
	return match(v, s.Quadrants, quadrantSynonyms)
}

func match(v string, set []string, syn map[string]string) (string, bool) {
	k := RadarKey(v)
	if k == "" {
		return "", false
	}
	for _, x := range set {
		if RadarKey(x) == k {
			return x, true
		}
	}
	if t, ok := syn[k]; ok {
		for _, x := range set {
			if RadarKey(x) == t {
				return x, true
			}
		}
	}
	return "", false
}

// misspelled returns the quadrant of s that v is a misspelling of, by its
// name or a synonym ("tols" for tools), or "".
func (s Schema) misspelled(v string) string {
	k := RadarKey(v)
	best, bestD := "", 3
	try := func(key, q string) {
		d := diag.EditDistance(k, key)
		if d > 0 && d < 3 && (d == 1 || len(k) > 5) && (d < bestD || d == bestD && q < best) {
			best, bestD = q, d
		}
	}
	for _, q := range s.Quadrants {
		try(RadarKey(q), q)
		for syn, target := range quadrantSynonyms {
			if target == RadarKey(q) {
				try(syn, q)
			}
		}
	}
	return best
}

// ring reads a ring (name is the field's name in messages): the schema's
// ring it names or, reported, the value as written, which the radar draws
// in a ring of its own.
func (r *reader) ring(v *yaml.Node, name string, schema Schema) string {
	ring, s, ok := r.allowed(v, choice{name: name, norm: schema.Ring, bad: func(s string) string {
		return fmt.Sprintf("ring %q is not allowed; use one of %s", s, quoteList(schema.Rings))
	}})
	if !ok {
		return s
	}
	return ring
}

// quadrant reads a quadrant: the schema's quadrant it names, and the name
// as written, for display. A value that names none is kept as written: the
// radar draws it as a quadrant of its own. It is reported when the site
// lists its quadrants, or when it looks like a misspelling of one.
func (r *reader) quadrant(v *yaml.Node, schema Schema) (quadrant, label string) {
	q, s, ok := r.allowed(v, choice{name: "quadrant", norm: schema.Quadrant, bad: func(s string) string {
		switch near := schema.misspelled(s); {
		case !schema.OpenQuadrants:
			return fmt.Sprintf("quadrant %q is not allowed; use one of %s", s, quoteList(schema.Quadrants))
		case near != "":
			return fmt.Sprintf("quadrant %q looks like a misspelling of %q; fix it, or list the radar's quadrants under radar.quadrants in handbook.yaml", s, near)
		}
		return ""
	}})
	if !ok {
		return s, s
	}
	return q, s
}
