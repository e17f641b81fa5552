package main

import (
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"time"

	"gopkg.in/yaml.v3"

	"github.com/handbook-dev/handbook/internal/diag"
	"github.com/handbook-dev/handbook/internal/extlink"
	"github.com/handbook-dev/handbook/internal/lint"
	"github.com/handbook-dev/handbook/internal/page"
	"github.com/handbook-dev/handbook/internal/site"
)

// configError is a handbook.yaml that cannot be used: every problem in it,
// sorted, each at its line and column. It comes wrapped in a usageError
// (exit status 2); its message is a line that counts the problems, then
// one line for each.
type configError struct {
	file  string
	diags diag.List
}

func (e *configError) Error() string {
	var b strings.Builder
	n := len(e.diags)
	fmt.Fprintf(&b, "%s has %d error", e.file, n)
	if n != 1 {
		b.WriteString("s")
	}
	b.WriteString(":")
	for _, d := range e.diags {
		b.WriteString("\n")
		b.WriteString(d.String())
	}
	return b.String()
}

// Diagnostics returns the problems, for those that show them one by one,
// such as the preview's overlay.
func (e *configError) Diagnostics() diag.List { return e.diags }

// loadConfig returns the site configuration for the site folder dir, read
// from file (or dir/handbook.yaml when file is "" and it exists).
func loadConfig(dir, file string) (site.Config, error) {
	cfg, _, err := readConfig(dir, file)
	return cfg, err
}

// readConfig is loadConfig that also returns the settings of check
// --external. Every problem with the file is reported at once, in a
// configError.
func readConfig(dir, file string) (site.Config, extlink.Options, error) {
	var ext extlink.Options
	abs, err := siteFolder(dir)
	if err != nil {
		return site.Config{}, ext, err
	}
	cfg := site.DefaultConfig(abs)
	if epoch := os.Getenv("SOURCE_DATE_EPOCH"); epoch != "" {
		if n, err := strconv.ParseInt(epoch, 10, 64); err == nil {
			cfg.Now = time.Unix(n, 0).UTC()
		}
	}
	explicit := file != ""
	if !explicit {
		file = filepath.Join(abs, "handbook.yaml")
	} else if !filepath.IsAbs(file) {
		file = filepath.Join(abs, file)
	}
	r := newConfigReader(shownName(abs, file), &cfg)
	data, err := os.ReadFile(file)
	switch {
	case err == nil:
		r.read(data)
	case explicit || !errors.Is(err, fs.ErrNotExist):
		return cfg, ext, usagef("config: %v", err)
	}
	if len(r.diags) == 0 {
		if ext, err = r.ext.options(abs); err != nil {
			if r.ignoreFile == nil { // the default .handbook-linkignore
				return cfg, ext, usagef("check.external: %v", err)
			}
			// The file's own findings, one line each, joined into one.
			r.errorf(r.ignoreFile, "check.external: %s", strings.ReplaceAll(err.Error(), "\n", "; "))
		}
	}
	if len(r.diags) > 0 {
		r.diags.Sort()
		return cfg, ext, &usageError{&configError{file: r.file, diags: r.diags}}
	}
	return cfg, ext, nil
}

// siteFolder returns the absolute path of the site folder dir.
func siteFolder(dir string) (string, error) {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return "", usagef("site folder: %v", err)
	}
	if fi, err := os.Stat(abs); err != nil {
		return "", usagef("site folder: %v", err)
	} else if !fi.IsDir() {
		return "", usagef("site folder %s is not a folder", dir)
	}
	return abs, nil
}

// shownName is the name of the configuration file in messages: relative to
// the site folder when it is inside.
func shownName(dir, file string) string {
	if r, err := filepath.Rel(dir, file); err == nil && !strings.HasPrefix(r, "..") {
		return filepath.ToSlash(r)
	}
	return file
}

// top reads the whole file: every key of configuration.md, in its order.
func (r *configReader) top(doc *yaml.Node) {
	c := r.cfg
	r.section(doc, "", []field{
		{"title", func(v *yaml.Node, p string) { r.nonEmpty(v, p, &c.Title) }},
		{"description", func(v *yaml.Node, p string) { c.Description, _ = r.str(v, p) }},
		{"base_url", func(v *yaml.Node, p string) { r.nonEmpty(v, p, &c.BaseURL); r.checkURL(v, p) }},
		{"language", func(v *yaml.Node, p string) { r.nonEmpty(v, p, &c.Language) }},
		{"roots", r.roots},
		{"kinds", r.kinds},
		{"extra_fields", r.extraFields},
		{"markdown", func(v *yaml.Node, p string) {
			r.section(v, p, []field{{"unsafe", func(v *yaml.Node, p string) { r.boolean(v, p, &c.Unsafe) }}})
		}},
		{"postmortem", r.postmortem},
		{"radar", r.radar},
		{"visibility", r.visibility},
		{"public", r.public},
		{"profiles", r.profiles},
		{"check", func(v *yaml.Node, p string) { r.section(v, p, []field{{"external", r.external}}) }},
		{"rules", r.rules},
		{"imported", r.imported},
		{"git", r.git},
		{"sources", r.sources},
		{"review", func(v *yaml.Node, p string) {
			r.section(v, p, []field{{"from_git", func(v *yaml.Node, p string) { r.boolean(v, p, &c.Git.ReviewFromGit) }}})
		}},
		{"feed", func(v *yaml.Node, p string) {
			r.section(v, p, []field{{"changes", func(v *yaml.Node, p string) { r.boolean(v, p, &c.Git.FeedChanges) }}})
		}},
	})
}

// git reads git: what the site takes from its repository.
func (r *configReader) git(v *yaml.Node, at string) {
	g := &r.cfg.Git
	history := true
	var repoNode *yaml.Node
	r.section(v, at, []field{
		{"history", func(v *yaml.Node, p string) { r.boolean(v, p, &history) }},
		{"repo", func(v *yaml.Node, p string) {
			if s, ok := r.str(v, p); ok && s != "" {
				if u, err := url.Parse(s); err != nil || u.Host == "" || (u.Scheme != "https" && u.Scheme != "http") {
					r.errorf(v, "%s%q is not the web address of a repository; write it as https://github.com/acme/handbook", prefix(p), s)
					return
				}
				g.Repo, repoNode = strings.TrimSuffix(strings.TrimSuffix(s, "/"), ".git"), v
			}
		}},
		{"host", func(v *yaml.Node, p string) {
			if s, ok := r.oneOf(v, p, "", site.Forges); ok {
				g.Host = s
			}
		}},
		{"branch", func(v *yaml.Node, p string) { r.nonEmpty(v, p, &g.Branch) }},
		{"edit", func(v *yaml.Node, p string) { g.Edit = r.editPattern(v, p) }},
	})
	g.Off = !history
	if repoNode != nil && g.Host == "" && g.Edit == "" && site.ForgeOf(g.Repo) == "" {
		r.errorf(repoNode, "%scannot tell the forge of %s from its host name; add host: %s, or an edit: pattern", prefix(join(at, "repo")), g.Repo, orList(site.Forges))
	}
}

// editPattern reads an edit-link pattern: an address with {path} in it.
func (r *configReader) editPattern(v *yaml.Node, at string) string {
	s, ok := r.str(v, at)
	if !ok || s == "" {
		return ""
	}
	if !strings.Contains(s, "{path}") {
		r.errorf(v, "%s%q has no {path}; write the address of the editor with {repo}, {branch} and {path}, such as {repo}/edit/{branch}/{path}", prefix(at), s)
		return ""
	}
	return s
}

// nonEmpty sets *dst to the value at v unless it is missing or empty.
func (r *configReader) nonEmpty(v *yaml.Node, at string, dst *string) {
	if s, ok := r.str(v, at); ok && s != "" {
		*dst = s
	}
}

// checkURL reports a base_url that is no URL, or names a scheme without a
// host.
func (r *configReader) checkURL(v *yaml.Node, at string) {
	n := r.value(v)
	if n == nil || n.Kind != yaml.ScalarNode {
		return
	}
	if u, err := url.Parse(n.Value); err != nil || u.Scheme != "" && u.Host == "" {
		r.errorf(v, "%s%q is not a URL; write a path such as / or a full address such as https://example.com/handbook/", prefix(at), n.Value)
	}
}

// roots reads roots: when given, the list replaces the default roots.
func (r *configReader) roots(v *yaml.Node, at string) {
	var roots []site.Root
	for _, item := range r.items(v, at) {
		root := site.Root{Mount: "/"}
		r.section(item, at, []field{
			{"dir", func(v *yaml.Node, p string) { root.Dir, _ = r.str(v, p) }},
			{"mount", func(v *yaml.Node, p string) { r.nonEmpty(v, p, &root.Mount) }},
			{"kind", func(v *yaml.Node, p string) { root.Kind, _ = r.kind(v, p) }},
			{"edit", func(v *yaml.Node, p string) { root.Edit = r.editPattern(v, p) }},
		})
		if m := r.value(item); root.Dir == "" && (m == nil || m.Kind == yaml.MappingNode) {
			r.errorf(item, "%severy root needs a dir, such as {dir: content, mount: /}", prefix(at))
		}
		roots = append(roots, root)
	}
	if len(roots) > 0 {
		r.cfg.Roots = roots
	}
}

// kind reads the name of a page kind.
func (r *configReader) kind(v *yaml.Node, at string) (page.Kind, bool) {
	s, ok := r.str(v, at)
	if !ok {
		return "", false
	}
	if k, ok := page.ParseKind(s); ok {
		return k, true
	}
	r.errorf(v, "%sunknown kind %q; %s", prefix(at), s, kindHint(s))
	return "", false
}

func kindHint(s string) string {
	names := make([]string, len(page.Kinds))
	for i, k := range page.Kinds {
		names[i] = string(k)
	}
	if near := diag.Nearest(s, names); near != "" {
		return fmt.Sprintf("did you mean %q?", near)
	}
	return "use " + orList(names)
}

// kinds reads kinds: folder names that give their pages a kind.
func (r *configReader) kinds(v *yaml.Node, at string) {
	for _, e := range r.entries(v, at) {
		if k, ok := r.kind(e.value, join(at, e.key.Value)); ok {
			r.cfg.KindDirs[strings.ToLower(e.key.Value)] = k
		}
	}
}

func (r *configReader) extraFields(v *yaml.Node, at string) {
	names, _ := r.strs(v, at)
	for _, f := range names {
		r.cfg.Schema.ExtraFields = append(r.cfg.Schema.ExtraFields, strings.ToLower(f))
	}
}

func (r *configReader) postmortem(v *yaml.Node, at string) {
	c := r.cfg
	r.section(v, at, []field{
		{"severities", func(v *yaml.Node, p string) { r.scale(v, p, &c.Schema.Severities) }},
		{"blame_words", func(v *yaml.Node, p string) {
			if words, _ := r.strs(v, p); words != nil {
				c.Check.BlameWords = words // [] turns blameless-language off
			}
		}},
	})
}

func (r *configReader) radar(v *yaml.Node, at string) {
	s := &r.cfg.Schema
	r.section(v, at, []field{
		{"rings", func(v *yaml.Node, p string) { r.scale(v, p, &s.Rings) }},
		{"quadrants", func(v *yaml.Node, p string) {
			if r.scale(v, p, &s.Quadrants) {
				s.OpenQuadrants = false
			}
		}},
	})
}

// scale reads a list of names, such as the radar's rings, into *dst when
// it is not empty (an empty one keeps the default). A name must not be
// empty nor given twice. It reports whether *dst was set.
func (r *configReader) scale(v *yaml.Node, at string, dst *[]string) bool {
	names, nodes := r.strs(v, at)
	seen := map[string]bool{}
	for i, s := range names {
		key := strings.ToLower(strings.TrimSpace(s))
		switch {
		case key == "":
			r.errorf(nodes[i], "%san empty name", prefix(at))
		case seen[key]:
			r.errorf(nodes[i], "%s%q is given twice", prefix(at), s)
		}
		seen[key] = true
	}
	if len(names) == 0 {
		return false
	}
	*dst = names
	return true
}

var visibilities = []string{"internal", "public"}

func (r *configReader) visibility(v *yaml.Node, at string) {
	if s, ok := r.str(v, at); ok && s != "" {
		if _, ok := r.oneOf(v, at, "", visibilities); ok {
			r.cfg.Schema.Visibility = s
		}
	}
}

func (r *configReader) public(v *yaml.Node, at string) {
	c := &r.cfg.Check
	r.section(v, at, []field{
		{"internal_hosts", func(v *yaml.Node, p string) { c.InternalHosts = r.globs(v, p) }},
		{"allowed_emails", func(v *yaml.Node, p string) { c.AllowedEmails = r.globs(v, p) }},
	})
}

// globs reads a list of shell patterns.
func (r *configReader) globs(v *yaml.Node, at string) []string {
	pats, nodes := r.strs(v, at)
	for i, pat := range pats {
		if _, err := path.Match(pat, ""); err != nil {
			r.errorf(nodes[i], "%spattern %q is not a valid glob: %v", prefix(at), pat, err)
		}
	}
	return pats
}

// imported reads imported: globs of paths inside the site root.
func (r *configReader) imported(v *yaml.Node, at string) {
	globs, nodes := r.strs(v, at)
	for i, g := range globs {
		clean := path.Clean(strings.TrimPrefix(filepath.ToSlash(g), "./"))
		if g == "" || clean == "." || clean == ".." || strings.HasPrefix(clean, "/") || strings.HasPrefix(clean, "../") {
			r.errorf(nodes[i], "%s%q is not a glob of paths inside the site root, such as content/legacy/**", prefix(at), g)
			continue
		}
		if _, err := path.Match(clean, ""); err != nil {
			r.errorf(nodes[i], "%spattern %q is not a valid glob: %v", prefix(at), g, err)
			continue
		}
		r.cfg.Imported = append(r.cfg.Imported, clean)
	}
}

// rules reads rules: a severity by rule id.
func (r *configReader) rules(v *yaml.Node, at string) {
	for _, e := range r.entries(v, at) {
		id, p := e.key.Value, join(at, e.key.Value)
		if _, ok := lint.Lookup(id); !ok {
			hint := "the rules are listed by handbook check --help"
			if near := diag.Nearest(id, ruleIDs()); near != "" {
				hint = fmt.Sprintf("did you mean %q?", near)
			}
			r.errorf(e.key, "%sunknown rule %q; %s", prefix(at), id, hint)
		}
		sev, ok := r.str(e.value, p)
		switch {
		case !ok && r.value(e.value) == nil:
			r.errorf(e.key, "%sno severity; give error, warning, info or off", prefix(p))
		case !ok || sev == "off":
		default:
			if _, known := diag.ParseSeverity(sev); !known {
				_, ok = r.oneOf(e.value, p, "severity", []string{"error", "warning", "info", "off"})
			}
		}
		if ok {
			if r.cfg.Rules == nil {
				r.cfg.Rules = map[string]string{}
			}
			r.cfg.Rules[id] = sev
		}
	}
}

func ruleIDs() []string {
	var ids []string
	for _, ri := range lint.Catalog() {
		ids = append(ids, ri.ID)
	}
	return ids
}

// external reads check.external into r.ext; readConfig turns it into the
// checker's options once every value is known to be good.
func (r *configReader) external(v *yaml.Node, at string) {
	x := &r.ext
	r.section(v, at, []field{
		{"ignore", func(v *yaml.Node, p string) { x.Ignore = r.regexps(v, p) }},
		{"ignore_file", func(v *yaml.Node, p string) {
			if s, ok := r.str(v, p); ok {
				x.IgnoreFile, r.ignoreFile = s, v
			}
		}},
		{"accept", func(v *yaml.Node, p string) { x.Accept = r.httpStatuses(v, p) }},
		{"per_host", func(v *yaml.Node, p string) { r.integer(v, p, &x.PerHost) }},
		{"concurrency", func(v *yaml.Node, p string) { r.integer(v, p, &x.Concurrency) }},
		{"spacing", func(v *yaml.Node, p string) { r.duration(v, p, &x.Spacing) }},
		{"retries", func(v *yaml.Node, p string) { r.integer(v, p, &x.Retries) }},
		{"timeout", func(v *yaml.Node, p string) { r.duration(v, p, &x.Timeout) }},
		{"budget", func(v *yaml.Node, p string) { r.duration(v, p, &x.Budget) }},
		{"max_retry_after", func(v *yaml.Node, p string) { r.duration(v, p, &x.MaxRetryAfter) }},
		{"cache", func(v *yaml.Node, p string) {
			if s, ok := r.str(v, p); ok {
				x.Cache = &s
			}
		}},
		{"cache_ttl", r.cacheTTL},
	})
}

// regexps reads a list of Go regular expressions.
func (r *configReader) regexps(v *yaml.Node, at string) []string {
	pats, nodes := r.strs(v, at)
	for i, p := range pats {
		if _, err := regexp.Compile(p); err != nil {
			r.errorf(nodes[i], "%s%q is not a regular expression: %v", prefix(at), p, err)
		}
	}
	return pats
}

// httpStatuses reads a list of HTTP status codes.
func (r *configReader) httpStatuses(v *yaml.Node, at string) []int {
	var codes []int
	for _, item := range r.items(v, at) {
		code := -1
		r.integer(item, at, &code)
		switch {
		case code == -1:
		case code < 100 || code > 999:
			r.errorf(item, "%s%d is not an HTTP status", prefix(at), code)
		default:
			codes = append(codes, code)
		}
	}
	return codes
}

var cacheVerdicts = []string{"ok", "broken", "unverifiable"}

func (r *configReader) cacheTTL(v *yaml.Node, at string) {
	for _, e := range r.entries(v, at) {
		name := e.key.Value
		if !cacheVerdict(name) {
			hint := "use " + orList(cacheVerdicts)
			if near := diag.Nearest(name, cacheVerdicts); near != "" {
				hint = fmt.Sprintf("did you mean %q?", near)
			}
			r.errorf(e.key, "%s%q is not a verdict; %s", prefix(at), name, hint)
			continue
		}
		var d string
		if r.duration(e.value, join(at, name), &d); d != "" {
			if r.ext.CacheTTL == nil {
				r.ext.CacheTTL = map[string]string{}
			}
			r.ext.CacheTTL[name] = d
		}
	}
}

// profiles reads profiles: each a site for other readers.
func (r *configReader) profiles(v *yaml.Node, at string) {
	for _, e := range r.entries(v, at) {
		name := e.key.Value
		if strings.TrimSpace(name) == "" {
			r.errorf(e.key, "%sa profile needs a name", prefix(at))
			continue
		}
		if r.cfg.Profiles == nil {
			r.cfg.Profiles = map[string]*site.Profile{}
		}
		r.cfg.Profiles[name] = r.profile(name, e.value, join(at, name))
	}
}

// profile reads one profile: each key given replaces the default
// (site.DefaultProfile).
func (r *configReader) profile(name string, v *yaml.Node, at string) *site.Profile {
	pr := site.DefaultProfile(name)
	r.section(v, at, []field{
		{"base_url", func(v *yaml.Node, p string) { pr.BaseURL, _ = r.str(v, p); r.checkURL(v, p) }},
		{"title", func(v *yaml.Node, p string) { pr.Title, _ = r.str(v, p) }},
		{"description", func(v *yaml.Node, p string) { pr.Description, _ = r.str(v, p) }},
		{"visibility", func(v *yaml.Node, p string) {
			if vis := r.visibilityList(v, p); vis != nil {
				pr.Visibility = vis
			}
		}},
		{"kinds", func(v *yaml.Node, p string) { pr.Kinds = r.kindList(v, p) }},
		{"status", func(v *yaml.Node, p string) {
			if st := r.statuses(v, p); st != nil {
				pr.Status = st
			}
		}},
		{"internal_fields", func(v *yaml.Node, p string) {
			if fields, _ := r.strs(v, p); fields != nil {
				pr.InternalFields = fields
			}
		}},
		{"other_pages_at", func(v *yaml.Node, p string) { pr.OtherPagesAt = r.otherPagesAt(v, p) }},
	})
	return pr
}

func (r *configReader) visibilityList(v *yaml.Node, at string) []string {
	vis, nodes := r.strs(v, at)
	for _, n := range nodes {
		r.oneOf(n, at, "", visibilities)
	}
	return vis
}

func (r *configReader) kindList(v *yaml.Node, at string) []page.Kind {
	var kinds []page.Kind
	for _, item := range r.items(v, at) {
		if k, ok := r.kind(item, at); ok {
			kinds = append(kinds, k)
		}
	}
	return kinds
}

// statuses reads a profile's status: the statuses pages of a kind need.
// It returns nil when the key is missing or not a mapping.
func (r *configReader) statuses(v *yaml.Node, at string) map[page.Kind][]string {
	if m := r.value(v); m == nil || m.Kind != yaml.MappingNode {
		r.entries(v, at) // reports what is not a mapping
		return nil
	}
	out := map[page.Kind][]string{}
	for _, e := range r.entries(v, at) {
		kind, ok := r.kind(e.key, at)
		p := join(at, e.key.Value)
		list, nodes := r.strs(e.value, p)
		if !ok {
			continue
		}
		for i, s := range list {
			r.checkStatus(kind, s, nodes[i], p)
		}
		out[kind] = list
	}
	return out
}

// checkStatus reports a status no page of the kind can have; rings are
// checked once the radar is read.
func (r *configReader) checkStatus(kind page.Kind, s string, n *yaml.Node, at string) {
	switch kind {
	case page.KindADR:
		r.oneOf(n, at, "", page.ADRStatuses)
	case page.KindPostmortem:
		r.oneOf(n, at, "", page.PostmortemStatuses)
	case page.KindEvaluation:
		r.rings = append(r.rings, ringRef{n, at})
	default:
		r.errorf(n, "%s%s pages have no status; only adr, postmortem and evaluation (its ring) do", prefix(at), kind)
	}
}

// ringRef is a ring a profile names, with its key's path.
type ringRef struct {
	node *yaml.Node
	at   string
}

// checkRings reports the rings profiles name that the radar has not.
func (r *configReader) checkRings() {
	for _, ref := range r.rings {
		r.oneOf(ref.node, ref.at, "ring", r.cfg.Schema.Rings)
	}
}

// otherPagesAt reads an absolute URL, and ends it with "/".
func (r *configReader) otherPagesAt(v *yaml.Node, at string) string {
	s, ok := r.str(v, at)
	if !ok || s == "" {
		return ""
	}
	if u, err := url.Parse(s); err != nil || u.Scheme == "" || u.Host == "" {
		r.errorf(v, "%s%q is not an absolute URL, such as https://example.com/handbook/", prefix(at), s)
		return ""
	}
	return strings.TrimSuffix(s, "/") + "/"
}

// sourceName is what a source's name may be: it names a folder of the
// cache and starts positions.
var sourceName = regexp.MustCompile(`^[a-z0-9][a-z0-9._-]*$`)

// sources reads sources: the repositories the site takes folders from.
func (r *configReader) sources(v *yaml.Node, at string) {
	seen := map[string]bool{}
	for _, item := range r.items(v, at) {
		src := site.Source{Pos: r.pos(item)}
		var nameNode *yaml.Node
		r.section(item, at, []field{
			{"name", func(v *yaml.Node, p string) { src.Name, _ = r.str(v, p); nameNode = v }},
			{"repo", func(v *yaml.Node, p string) { src.Repo, _ = r.str(v, p) }},
			{"ref", func(v *yaml.Node, p string) { src.Ref, _ = r.str(v, p) }},
			{"web", func(v *yaml.Node, p string) {
				if s, ok := r.str(v, p); ok && s != "" {
					if u, err := url.Parse(s); err != nil || u.Host == "" {
						r.errorf(v, "%s%q is not a web address; write it as https://github.com/acme/payments", prefix(p), s)
						return
					}
					src.Web = strings.TrimSuffix(strings.TrimSuffix(s, "/"), ".git")
				}
			}},
			{"edit", func(v *yaml.Node, p string) { src.Edit = r.editPattern(v, p) }},
			{"kinds", func(v *yaml.Node, p string) { src.Kinds = r.kindList(v, p) }},
			{"paths", func(v *yaml.Node, p string) { src.Paths = r.sourcePaths(v, p) }},
		})
		if m := r.value(item); m == nil || m.Kind != yaml.MappingNode {
			continue
		}
		if src.Repo == "" {
			r.errorf(item, "%severy source needs a repo: a git URL or a local path", prefix(at))
			continue
		}
		if src.Name == "" {
			src.Name = defaultSourceName(src.Repo)
		}
		if !sourceName.MatchString(src.Name) {
			n := item
			if nameNode != nil {
				n = nameNode
			}
			r.errorf(n, "%ssource name %q must be lower-case letters, digits, '.', '_' or '-'; it names a folder and starts positions", prefix(at), src.Name)
			continue
		}
		if seen[src.Name] {
			r.errorf(item, "%ssource %q is given twice; give one of them another name", prefix(at), src.Name)
			continue
		}
		seen[src.Name] = true
		if src.Web == "" && (strings.HasPrefix(src.Repo, "https://") || strings.HasPrefix(src.Repo, "http://")) {
			src.Web = strings.TrimSuffix(strings.TrimSuffix(src.Repo, "/"), ".git")
		}
		if len(src.Paths) == 0 {
			src.Paths = []site.Root{{Dir: "docs", Mount: "/" + src.Name + "/"}}
		}
		for i := range src.Paths {
			if src.Paths[i].Mount == "" {
				src.Paths[i].Mount = "/" + src.Name + "/" + path.Base(src.Paths[i].Dir) + "/"
			}
		}
		r.cfg.Sources = append(r.cfg.Sources, src)
	}
}

// sourcePaths reads a source's paths: folders in its repository, each a
// name ("docs/runbooks") or a mapping like a root's.
func (r *configReader) sourcePaths(v *yaml.Node, at string) []site.Root {
	var out []site.Root
	for _, item := range r.items(v, at) {
		var p site.Root
		if n := r.value(item); n != nil && n.Kind == yaml.ScalarNode {
			p.Dir, _ = r.str(item, at)
		} else {
			r.section(item, at, []field{
				{"dir", func(v *yaml.Node, k string) { p.Dir, _ = r.str(v, k) }},
				{"mount", func(v *yaml.Node, k string) { r.nonEmpty(v, k, &p.Mount) }},
				{"kind", func(v *yaml.Node, k string) { p.Kind, _ = r.kind(v, k) }},
			})
		}
		p.Dir = strings.Trim(p.Dir, "/")
		clean := path.Clean(p.Dir)
		if p.Dir == "" || clean != p.Dir || strings.HasPrefix(clean, "../") || clean == ".." || clean == "." || strings.Contains(p.Dir, "\\") {
			r.errorf(item, "%s%q is not a folder inside the repository; write it as docs/runbooks", prefix(at), p.Dir)
			continue
		}
		if p.Mount != "" {
			p.Mount = "/" + strings.Trim(p.Mount, "/") + "/"
			if p.Mount == "//" {
				p.Mount = "/"
			}
		}
		out = append(out, p)
	}
	return out
}

// defaultSourceName is a source's name when handbook.yaml gives none: the
// last part of its repository's address, without .git, lower-cased.
func defaultSourceName(repo string) string {
	repo = strings.TrimSuffix(strings.TrimRight(repo, "/\\"), ".git")
	if i := strings.LastIndexAny(repo, "/\\:"); i >= 0 {
		repo = repo[i+1:]
	}
	return strings.ToLower(repo)
}
