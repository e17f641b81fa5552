package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/handbook-dev/handbook/internal/diag"
	"github.com/handbook-dev/handbook/internal/site"
	"github.com/handbook-dev/handbook/internal/sources"
)

// lockFile is the file, in the site folder, that pins each source to a
// commit.
const lockFile = "handbook.lock"

// catalogFiles are where a repository keeps its Backstage descriptor;
// they are checked out with a source's folders.
var catalogFiles = []string{"catalog-info.yaml", "catalog-info.yml", ".backstage"}

// sourceRule is the id of a source that cannot be gathered.
const sourceRule = "source"

// gatherOptions say how build, check and serve gather the sources.
type gatherOptions struct {
	offline bool
	update  bool
	// only, if set, names the sources update moves; the others keep
	// their pins.
	only []string
}

// gathered is what gathering the sources did.
type gathered struct {
	results []sources.Result
	lock    *sources.Lock
	// pins are the commits the sources are at now, by name.
	pins map[string]sources.Pin
	// diags are the sources that could not be brought up to date, at
	// their place in handbook.yaml.
	diags diag.List
	// notes are said once to whoever runs the command.
	notes []string
}

// gatherSources brings every source of cfg into the cache, pinned by
// handbook.lock, and adds its folders to cfg.Roots. A source that cannot
// be fetched is a finding at its entry in handbook.yaml; the site is
// built from its last good copy, or without it. The lock file is written
// only when it does not exist yet (or by handbook sources update).
func gatherSources(ctx context.Context, cfg *site.Config, opts gatherOptions) (*gathered, error) {
	g := &gathered{pins: map[string]sources.Pin{}}
	if len(cfg.Sources) == 0 {
		return g, nil
	}
	lockPath := filepath.Join(cfg.Dir, lockFile)
	_, statErr := os.Stat(lockPath)
	lock, err := sources.ReadLock(lockPath)
	if err != nil {
		return nil, usagef("%v", err)
	}
	g.lock = lock
	srcs := make([]sources.Source, len(cfg.Sources))
	for i, s := range cfg.Sources {
		// A local path stays as written (relative to the site folder), so
		// that the lock's pins hold on every machine.
		srcs[i] = sources.Source{Name: s.Name, Repo: s.Repo, Ref: s.Ref}
		for _, p := range s.Paths {
			srcs[i].Paths = append(srcs[i].Paths, p.Dir)
		}
		// The service catalog at the top of the repository, if any.
		srcs[i].Paths = append(srcs[i].Paths, catalogFiles...)
	}
	syncLock := lock
	if opts.update && len(opts.only) > 0 {
		// Only the sources named move: the others keep their pins.
		syncLock = &sources.Lock{Sources: map[string]sources.Pin{}}
		for name, pin := range lock.Sources {
			if !slices.Contains(opts.only, name) {
				syncLock.Sources[name] = pin
			}
		}
	} else if opts.update {
		syncLock = nil
	}
	g.results = sources.Sync(ctx, srcs, sources.Options{
		CacheDir: filepath.Join(cfg.Dir, ".handbook-cache", "sources"),
		Dir:      cfg.Dir,
		Offline:  opts.offline,
		Lock:     syncLock,
	})
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	var unpinned []string
	for i, res := range g.results {
		src := cfg.Sources[i]
		if res.Err != nil {
			what := "its pages are left out"
			if res.Dir != "" {
				what = "its pages are built from its last good copy, at commit " + shortHash(res.Commit)
			}
			g.diags.Errorf(src.Pos, sourceRule, "source %q cannot be gathered: %v; %s", src.Name, res.Err, what)
		}
		if res.Commit != "" && !res.Stale {
			g.pins[src.Name] = res.Pin()
			if _, ok := lock.Sources[src.Name]; !ok {
				unpinned = append(unpinned, src.Name)
			}
		}
		if res.Dir == "" {
			continue
		}
		branch := src.Ref
		if branch == "" || isCommitHash(branch) {
			branch = "main"
		}
		for _, p := range src.Paths {
			dir := filepath.Join(res.Dir, filepath.FromSlash(p.Dir))
			if fi, err := os.Stat(dir); err != nil || !fi.IsDir() {
				g.diags.Warnf(src.Pos, sourceRule, "source %q has no folder %s at commit %s; check its paths", src.Name, p.Dir, shortHash(res.Commit))
				continue
			}
			cfg.Roots = append(cfg.Roots, site.Root{
				Dir: dir, Mount: p.Mount, Kind: p.Kind, Kinds: src.Kinds,
				Source: src.Name, RepoPath: p.Dir, Repo: src.Web, Edit: src.Edit, Branch: branch,
			})
		}
	}
	switch {
	case opts.update:
	case os.IsNotExist(statErr) && !opts.offline && len(g.pins) > 0:
		// The first build pins every source, as go.sum is made.
		l := &sources.Lock{Sources: g.pins}
		if err := l.Write(lockPath); err != nil {
			return nil, err
		}
		g.notes = append(g.notes, fmt.Sprintf("pinned %d sources in %s; commit it, and move the pins with handbook sources update", len(g.pins), lockFile))
	case len(unpinned) > 0:
		g.notes = append(g.notes, fmt.Sprintf("%s not pinned in %s: built at the newest commit of its ref; run handbook sources update to pin it", strings.Join(unpinned, ", "), lockFile))
	}
	return g, nil
}

// isCommitHash reports a full commit hash, which is no branch.
func isCommitHash(s string) bool {
	if len(s) != 40 && len(s) != 64 {
		return false
	}
	return strings.Trim(s, "0123456789abcdef") == ""
}

func shortHash(h string) string { return h[:min(len(h), 12)] }

// say prints what gathering the sources has to say, before the findings.
func (g *gathered) say(gl *globals) {
	for _, n := range g.notes {
		fmt.Fprintln(gl.stderr, "note: "+n)
	}
}

type sourcesCommand struct{ g *globals }

const sourcesHelp = `Usage: handbook sources [list | update [--offline] [NAME...]]

The repositories handbook.yaml takes folders from (sources:), and the commits
handbook.lock pins them to.

  list     each source: its repository, ref, pinned commit, and the commit
           in the cache (the default)
  update   fetch each source named (all without names) and pin it to the
           newest commit of its ref; handbook.lock is rewritten

build, check and serve use the pins: the same lock file gives the same
site. --offline builds from the cache alone.`

func (c *sourcesCommand) Run(ctx context.Context, args []string) error {
	fs := flag.NewFlagSet("sources", flag.ContinueOnError)
	offline := fs.Bool("offline", false, "use the cache only, contacting no repository")
	// The action and the names come before, between or after the flags.
	var flags, rest []string
	for i := 0; i < len(args); i++ {
		a := args[i]
		if strings.HasPrefix(a, "-") {
			flags = append(flags, a)
			if name := strings.TrimLeft(a, "-"); (name == "C" || name == "config") && i+1 < len(args) {
				i++
				flags = append(flags, args[i]) // the flag's value
			}
		} else {
			rest = append(rest, a)
		}
	}
	if err := parseFlags(fs, c.g, flags, sourcesHelp); err != nil {
		return err
	}
	verb := "list"
	if len(rest) > 0 {
		verb, rest = rest[0], rest[1:]
	}
	cfg, err := loadConfig(c.g.dir, c.g.config)
	if err != nil {
		return err
	}
	if len(cfg.Sources) == 0 {
		return usagef("handbook.yaml has no sources:; see content/docs/sources.md")
	}
	names := make([]string, len(cfg.Sources))
	for i, s := range cfg.Sources {
		names[i] = s.Name
	}
	for _, n := range rest {
		if !slices.Contains(names, n) {
			return usagef("no source %q; handbook.yaml has %s", n, strings.Join(names, ", "))
		}
	}
	switch verb {
	case "list":
		if len(rest) > 0 {
			return usagef("sources list takes no names")
		}
		lock, err := sources.ReadLock(filepath.Join(cfg.Dir, lockFile))
		if err != nil {
			return usagef("%v", err)
		}
		for _, s := range cfg.Sources {
			pin := "not pinned"
			if p, ok := lock.Sources[s.Name]; ok {
				pin = shortHash(p.Commit)
			}
			ref := s.Ref
			if ref == "" {
				ref = "(default branch)"
			}
			fmt.Fprintf(c.g.stdout, "%s\t%s\t%s\t%s\n", s.Name, s.Repo, ref, pin)
		}
		return nil
	case "update":
		g, err := gatherSources(ctx, &cfg, gatherOptions{offline: *offline, update: true, only: rest})
		if err != nil {
			return err
		}
		printFindings(c.g.stderr, g.diags)
		lock := &sources.Lock{Sources: map[string]sources.Pin{}}
		for name, pin := range g.lock.Sources {
			lock.Sources[name] = pin
		}
		moved := 0
		for name, pin := range g.pins {
			if old, ok := lock.Sources[name]; !ok || old.Commit != pin.Commit {
				moved++
			}
			lock.Sources[name] = pin
		}
		if err := lock.Write(filepath.Join(cfg.Dir, lockFile)); err != nil {
			return err
		}
		if !c.g.quiet {
			fmt.Fprintf(c.g.stdout, "%d of %d sources moved; %s written\n", moved, len(g.pins), lockFile)
		}
		if g.diags.HasErrors() {
			return errProblems
		}
		return nil
	default:
		return usagef("sources: unknown action %q; use list or update", verb)
	}
}
