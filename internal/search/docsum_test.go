package search

import (
	"maps"
	"reflect"
	"testing"
)

// TestDocSumCoversEveryField: changing any field of a document, or of one
// of its headings or pieces, changes its sum, by which Update skips a
// document it has already. A field added to Doc and left out of docSum
// fails here.
func TestDocSumCoversEveryField(t *testing.T) {
	base := Doc{URL: "/a/", Title: "A", Kind: "runbook", KindLabel: "Runbooks", Status: "accepted", Excerpt: "E",
		Tags: []string{"t"}, Services: []string{"s"}, Alerts: []string{"x"}, Weight: 1,
		Headings: []Heading{{ID: "h", Text: "H"}}, Body: []Piece{{Section: 1, Text: "body"}}}
	sum := docSum(&base)
	var vary func(v reflect.Value, path string)
	check := func(path string) {
		if docSum(&base) == sum {
			t.Errorf("changing %s leaves the sum as it was", path)
		}
	}
	// Each leaf is changed in place, checked and put back.
	vary = func(v reflect.Value, path string) {
		switch v.Kind() {
		case reflect.Struct:
			for i := 0; i < v.NumField(); i++ {
				vary(v.Field(i), path+"."+v.Type().Field(i).Name)
			}
		case reflect.Slice:
			for i := 0; i < v.Len(); i++ {
				vary(v.Index(i), path+"[]")
			}
			old := v.Interface()
			v.Set(reflect.MakeSlice(v.Type(), 0, 0))
			check(path + " (emptied)")
			v.Set(reflect.ValueOf(old))
		case reflect.String:
			old := v.String()
			v.SetString(old + "!")
			check(path)
			v.SetString(old)
		case reflect.Int:
			old := v.Int()
			v.SetInt(old + 1)
			check(path)
			v.SetInt(old)
		case reflect.Float64:
			old := v.Float()
			v.SetFloat(old + 0.5)
			check(path)
			v.SetFloat(old)
		case reflect.Bool:
			v.SetBool(!v.Bool())
			check(path)
			v.SetBool(!v.Bool())
		case reflect.Func:
			// Text is made into Body (takeText) before a sum is taken.
			if path != "Doc.Text" {
				t.Errorf("%s: a func, which this test does not vary", path)
			}
		default:
			t.Errorf("%s: a %s, which this test does not vary", path, v.Kind())
		}
	}
	vary(reflect.ValueOf(&base).Elem(), "Doc")
	if docSum(&base) != sum {
		t.Fatal("the document was not put back as it was")
	}
}

// TestUpdateSameDocs: documents the index has already, as they are,
// change none of its files.
func TestUpdateSameDocs(t *testing.T) {
	docs := []Doc{
		{URL: "/a/", Title: "Alpha", Kind: "page", Body: []Piece{{Text: "failover of the primary"}}},
		{URL: "/b/", Title: "Beta", Kind: "runbook", Tags: []string{"db"}, Body: []Piece{{Text: "kubectl rollout", Code: true}}},
	}
	ix := Build(docs)
	before, held := ix.Files(), maps.Clone(ix.Held())
	if !ix.Update(docs) {
		t.Fatal("Update refused known documents")
	}
	for p, b := range ix.Held() {
		if o, ok := held[p]; !ok || &o[0] != &b[0] {
			t.Errorf("%s written again", p)
		}
	}
	for p, b := range ix.Files() {
		if o, ok := before[p]; !ok || string(o) != string(b) {
			t.Errorf("%s changed", p)
		}
	}
	changed := docs[1]
	changed.Title = "Beta, renamed"
	ix.Update([]Doc{changed})
	if string(before["/search/entry.json"]) == string(ix.Files()["/search/entry.json"]) {
		t.Error("a changed title left the entry as it was")
	}
}
