package site

import (
	"path"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Slug turns a file or folder name into a URL segment: lower case, runs of
// anything but letters, digits, dots and underscores become one hyphen.
func Slug(s string) string {
	if isSlug(s) {
		return s // most names are slugs already: nothing to make
	}
	return slug(s)
}

// slug is Slug, made rune by rune.
func slug(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	dash := false
	for _, r := range s {
		switch {
		case unicode.IsLetter(r) || unicode.IsDigit(r) || r == '_' || r == '.':
			if dash && b.Len() > 0 {
				b.WriteByte('-')
			}
			dash = false
			b.WriteRune(unicode.ToLower(r))
		default:
			dash = true
		}
	}
	return strings.Trim(b.String(), ".")
}

// isSlug reports whether Slug(s) is s: s is made of lower-case ASCII
// letters, digits, '_', '.' and single dashes between them, and neither
// starts nor ends with a dash or a dot.
func isSlug(s string) bool {
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case 'a' <= c && c <= 'z' || '0' <= c && c <= '9' || c == '_':
		case c == '.':
			if i == 0 || i == len(s)-1 {
				return false
			}
		case c == '-':
			if i == 0 || i == len(s)-1 || s[i-1] == '-' {
				return false
			}
		default:
			return false
		}
	}
	return true
}

// isIndex reports whether a Markdown file stands for its folder.
func isIndex(stem string) bool {
	switch strings.ToLower(stem) {
	case "index", "_index", "readme":
		return true
	}
	return false
}

// pageURL returns the site path of a Markdown file at rel (slash-separated,
// relative to its root) under mount.
func pageURL(mount, rel string) string {
	dir, file := path.Split(rel)
	stem := strings.TrimSuffix(file, path.Ext(file))
	var segs []string
	for _, d := range strings.Split(strings.Trim(dir, "/"), "/") {
		if d != "" {
			segs = append(segs, Slug(d))
		}
	}
	if !isIndex(stem) {
		segs = append(segs, Slug(stem))
	}
	u := mount + strings.Join(segs, "/")
	if !strings.HasSuffix(u, "/") {
		u += "/"
	}
	return u
}

// fileURL returns the site path of a static file: its folders slugged like
// pages, its name kept.
func fileURL(mount, rel string) string {
	dir, file := path.Split(rel)
	var segs []string
	for _, d := range strings.Split(strings.Trim(dir, "/"), "/") {
		if d != "" {
			segs = append(segs, Slug(d))
		}
	}
	segs = append(segs, file)
	return mount + strings.Join(segs, "/")
}

// titleFromName turns a file or folder name into a title: "db-failover"
// becomes "Db failover".
func titleFromName(name string) string {
	name = strings.TrimSuffix(name, path.Ext(name))
	name = strings.NewReplacer("-", " ", "_", " ").Replace(name)
	name = strings.TrimSpace(name)
	if name == "" {
		return "Home"
	}
	r, n := utf8.DecodeRuneInString(name)
	return string(unicode.ToUpper(r)) + name[n:]
}
