package sitegen

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"math/rand/v2"
	"os"
	"os/exec"
	"path"
	"path/filepath"
	"slices"
	"strings"
)

// GitHistory makes the folder dir, a generated site, a git repository whose
// branch main has the given number of commits and ends with exactly the
// files in dir, so that the work tree is clean. The history spans the four
// years before Today, made by 15 people:
//
//   - the first commit imports a twentieth of the files (more when there
//     are fewer commits than files); every other file is added later, one
//     per commit;
//   - every later commit touches 1–3 pages: adds one, edits others (recent
//     pages more often), and earlier versions of a page are shorter, with
//     a line that the next version rewrites;
//   - one page in 25 of those edited more than once is renamed, with an
//     edit, on one of its edits; now and then a draft is added and later
//     deleted;
//   - subjects say what was done to which page ("Add runbook for …",
//     "… : clarify the steps", "Rename … to …").
//
// The same files and seed give the same commits, hashes included. The
// commits are written by git fast-import, so 20,000 commits over 10,000
// pages take seconds, not hours. dir must not already be in a repository of
// its own (a .git folder in dir), and holds only regular files.
func GitHistory(ctx context.Context, dir string, commits int, seed uint64) error {
	if commits < 1 {
		return fmt.Errorf("sitegen: %d commits: need at least one", commits)
	}
	gitPath, err := exec.LookPath("git")
	if err != nil {
		return fmt.Errorf("sitegen: %w", err)
	}
	if _, err := os.Lstat(filepath.Join(dir, ".git")); err == nil {
		return fmt.Errorf("sitegen: %s is already a git repository", dir)
	}
	files, err := listFiles(dir)
	if err != nil {
		return fmt.Errorf("sitegen: %w", err)
	}
	if len(files) == 0 {
		return fmt.Errorf("sitegen: no files in %s", dir)
	}
	h := planHistory(files, commits, seed)

	run := func(stdin io.Reader, args ...string) error {
		cmd := exec.CommandContext(ctx, gitPath, append([]string{"-C", dir}, args...)...)
		// glibc gives memory back after every blob unless told not to,
		// which makes fast-import many times slower on some machines.
		cmd.Env = append(os.Environ(), "LC_ALL=C", "MALLOC_TRIM_THRESHOLD_=268435456", "MALLOC_TOP_PAD_=67108864")
		cmd.Stdin = stdin
		if out, err := cmd.CombinedOutput(); err != nil {
			return fmt.Errorf("sitegen: git %s: %w: %s", args[0], err, bytes.TrimSpace(out))
		}
		return nil
	}
	if err := run(nil, "init", "-q", "--initial-branch=main"); err != nil {
		return err
	}
	pr, pw := io.Pipe()
	werr := make(chan error, 1)
	go func() {
		err := h.write(pw, dir)
		pw.CloseWithError(err)
		werr <- err
	}()
	err = run(pr, "fast-import", "--quiet", "--done")
	pr.CloseWithError(errors.New("git fast-import stopped"))
	if e := <-werr; e != nil && err == nil {
		err = fmt.Errorf("sitegen: %w", e)
	}
	if err != nil {
		return err
	}
	// The index as HEAD has it; the files in dir are already its tree.
	return run(nil, "reset", "-q")
}

// listFiles returns the files below dir, relative and slash-separated, in
// order.
func listFiles(dir string) ([]string, error) {
	var files []string
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			return nil
		}
		if !d.Type().IsRegular() {
			return fmt.Errorf("%s is not a regular file", p)
		}
		rel, err := filepath.Rel(dir, p)
		if err != nil {
			return err
		}
		files = append(files, filepath.ToSlash(rel))
		return nil
	})
	slices.Sort(files)
	return files, err
}

// opKind is what a commit does to one file.
type opKind uint8

const (
	opWrite     opKind = iota // write a version of a page (adds it when new)
	opRename                  // move a page from its old path, with an edit
	opDraft                   // add a draft
	opDropDraft               // delete a draft
)

type op struct {
	kind    opKind
	file    int32 // page index, or draft number
	version int32 // for opWrite and opRename
}

type gitAuthor struct{ name, email string }

var gitAuthors = []gitAuthor{
	{"Maya Lindqvist", "maya.lindqvist@example.com"},
	{"Tomás Ferreira", "tomas@example.com"},
	{"Priya Raman", "priya.raman@example.com"},
	{"Jonas Becker", "jbecker@example.com"},
	{"Aiko Tanaka", "aiko.tanaka@example.com"},
	{"Sam Okafor", "sam.okafor@example.com"},
	{"Lena Novak", "lena@example.com"},
	{"Diego Alvarez", "diego.alvarez@example.com"},
	{"Hannah Schmidt", "hannah.schmidt@example.com"},
	{"Wei Chen", "wei.chen@example.com"},
	{"Fatima Zahra", "fatima@example.com"},
	{"Oliver Brown", "oliver.brown@example.com"},
	{"Ines Duarte", "ines.duarte@example.com"},
	{"Kofi Mensah", "kofi.mensah@example.com"},
	{"Release Bot", "release-bot@example.com"},
}

// history is the plan of every commit, made before any is written.
type history struct {
	seed     uint64
	files    []string // final paths
	versions []int32  // per file: how many versions it has
	renameAt []int32  // per file: the version written by a rename, 0 for none
	oldPath  []string // per file: its path before the rename
	commits  [][]op
	authors  []int // per commit: index in gitAuthors
	times    []int64
	// draftAt is the commit that adds draft i.
	draftAt []int
}

func planHistory(files []string, commits int, seed uint64) *history {
	r := rand.New(rand.NewPCG(seed, seed^0x5851f42d4c957f2d))
	n := len(files)
	h := &history{
		seed: seed, files: files,
		versions: make([]int32, n), renameAt: make([]int32, n), oldPath: make([]string, n),
		commits: make([][]op, commits), authors: make([]int, commits), times: make([]int64, commits),
	}

	// The order pages arrive in; handbook.yaml comes first.
	order := r.Perm(n)
	if i := slices.Index(files, "handbook.yaml"); i >= 0 {
		j := slices.Index(order, i)
		order[0], order[j] = order[j], order[0]
	}
	initial := min(n, max(1, n/20, n-(commits-1)))
	addAt := make([]int, commits) // commit → 1 + page it adds, 0 for none
	if later := n - initial; later > 0 {
		picks := r.Perm(commits - 1)[:later]
		slices.Sort(picks)
		for i, c := range picks {
			addAt[c+1] = 1 + order[initial+i]
		}
	}

	touches := make([][]int32, n) // per file, the commits that write it
	var added []int32
	write := func(c int, f int32) {
		h.commits[c] = append(h.commits[c], op{kind: opWrite, file: f})
		touches[f] = append(touches[f], int32(c))
	}
	for _, f := range order[:initial] {
		write(0, int32(f))
		added = append(added, int32(f))
	}
	dropAt := map[int][]int32{} // commit → drafts it deletes
	for c := 1; c < commits; c++ {
		edits := 1 + r.IntN(3)
		if a := addAt[c]; a > 0 {
			write(c, int32(a-1))
			edits--
		}
		for range edits {
			// Recent pages are worked on more than old ones.
			var f int32
			for try := 0; try < 8; try++ {
				if r.IntN(10) < 6 {
					f = added[len(added)-1-r.IntN(min(len(added), 300))]
				} else {
					f = added[r.IntN(len(added))]
				}
				if !slices.ContainsFunc(h.commits[c], func(o op) bool { return o.kind == opWrite && o.file == f }) {
					write(c, f)
					break
				}
			}
		}
		if a := addAt[c]; a > 0 {
			added = append(added, int32(a-1))
		}
		if d := 1 + r.IntN(200); r.IntN(100) == 0 && c+d < commits {
			id := int32(len(h.draftAt))
			h.draftAt = append(h.draftAt, c)
			h.commits[c] = append(h.commits[c], op{kind: opDraft, file: id})
			dropAt[c+d] = append(dropAt[c+d], id)
		}
		for _, id := range dropAt[c] {
			h.commits[c] = append(h.commits[c], op{kind: opDropDraft, file: id})
		}
	}

	// Number the versions, and rename one page in 25 of those written more
	// than once, on one of its later writes.
	used := map[string]bool{}
	for _, f := range files {
		used[f] = true
	}
	for f, ts := range touches {
		h.versions[f] = int32(len(ts))
		if len(ts) < 2 || r.IntN(25) != 0 {
			continue
		}
		h.renameAt[f] = int32(1 + r.IntN(len(ts)-1))
		dir, base := path.Split(files[f])
		old := dir + "wip-" + base
		if r.IntN(2) == 0 {
			old = "content/incoming/" + base
		}
		for i := 2; used[old]; i++ {
			old = fmt.Sprintf("content/incoming/%d-%s", i, base)
		}
		used[old] = true
		h.oldPath[f] = old
	}
	next := make([]int32, n)
	for c, ops := range h.commits {
		for i, o := range ops {
			if o.kind != opWrite {
				continue
			}
			v := next[o.file]
			next[o.file]++
			ops[i].version = v
			if v == h.renameAt[o.file] && v > 0 {
				ops[i].kind = opRename
			}
		}
		h.commits[c] = ops
	}

	// Authors: a few people make most commits.
	weights := make([]int, len(gitAuthors))
	total := 0
	for i := range weights {
		weights[i] = 60 / (i + 1)
		total += weights[i]
	}
	start := Today.AddDate(-4, 0, 0).Unix()
	step := (Today.Unix() - start) / int64(commits)
	for c := range h.commits {
		x := r.IntN(total)
		for i, w := range weights {
			if x < w {
				h.authors[c] = i
				break
			}
			x -= w
		}
		h.times[c] = start + int64(c)*step + r.Int64N(max(step, 1))
	}
	return h
}

// write writes the fast-import stream of h, reading the pages' final
// versions from dir.
func (h *history) write(w io.Writer, dir string) error {
	bw := bufio.NewWriterSize(w, 1<<20)
	for c, ops := range h.commits {
		a := gitAuthors[h.authors[c]]
		email := a.email
		if c%7 == 3 && h.authors[c] == 5 {
			// One person sometimes spells their address in capitals.
			email = "Sam.Okafor@Example.com"
		}
		r := rand.New(rand.NewPCG(h.seed^uint64(c), 0x2545f4914f6cdd1d))
		msg := h.subject(c, ops, r)
		who := fmt.Sprintf("%s <%s> %d +0000", a.name, email, h.times[c])
		fmt.Fprintf(bw, "commit refs/heads/main\nauthor %s\ncommitter %s\ndata %d\n%s\n", who, who, len(msg), msg)
		for _, o := range ops {
			switch o.kind {
			case opWrite, opRename:
				name := h.files[o.file]
				if o.kind == opRename {
					fmt.Fprintf(bw, "D %s\n", fiPath(h.oldPath[o.file]))
				} else if o.version < h.renameAt[o.file] {
					name = h.oldPath[o.file]
				}
				body, err := h.version(dir, o.file, o.version)
				if err != nil {
					return err
				}
				fmt.Fprintf(bw, "M 100644 inline %s\ndata %d\n", fiPath(name), len(body))
				bw.Write(body)
				bw.WriteByte('\n')
			case opDraft:
				body := draft(rand.New(rand.NewPCG(h.seed, uint64(o.file))), int(o.file))
				fmt.Fprintf(bw, "M 100644 inline %s\ndata %d\n%s\n", fiPath(draftPath(int(o.file))), len(body), body)
			case opDropDraft:
				fmt.Fprintf(bw, "D %s\n", fiPath(draftPath(int(o.file))))
			}
		}
		bw.WriteByte('\n')
	}
	bw.WriteString("done\n")
	return bw.Flush()
}

// version is the content of version v of file f: the file itself for the
// last one, else its first 70–100% of lines, growing with v, with one
// line not yet in its final form.
func (h *history) version(dir string, f, v int32) ([]byte, error) {
	body, err := os.ReadFile(filepath.Join(dir, filepath.FromSlash(h.files[f])))
	if err != nil {
		return nil, err
	}
	last := h.versions[f] - 1
	if v == last {
		return body, nil
	}
	lines := bytes.SplitAfter(body, []byte("\n"))
	keep := max(1, len(lines)*int(70+30*v/last)/100)
	lines = lines[:keep]
	r := rand.New(rand.NewPCG(h.seed^uint64(f), uint64(v)))
	i := r.IntN(len(lines))
	line := bytes.TrimSuffix(lines[i], []byte("\n"))
	lines[i] = fmt.Appendf(nil, "%s (TODO: %s %s)\n", line, verbs[r.IntN(len(verbs))], words[r.IntN(len(words))])
	return bytes.Join(lines, nil), nil
}

func draftPath(id int) string { return fmt.Sprintf("content/drafts/draft-%d.md", id) }

func draft(r *rand.Rand, id int) string {
	var b strings.Builder
	fmt.Fprintf(&b, "---\ntitle: \"Draft %d: %s\"\n---\n\n", id, title(r))
	for range 3 + r.IntN(4) {
		b.WriteString(paragraph(r) + "\n\n")
	}
	return b.String()
}

// subject is the first line of commit c's message.
func (h *history) subject(c int, ops []op, r *rand.Rand) string {
	if c == 0 {
		return "Import the handbook"
	}
	o := ops[0]
	switch o.kind {
	case opDraft:
		return fmt.Sprintf("Start a draft on %s", words[r.IntN(len(words))])
	case opDropDraft:
		return fmt.Sprintf("Remove draft-%d", o.file)
	case opRename:
		return fmt.Sprintf("Rename %s to %s", path.Base(h.oldPath[o.file]), path.Base(h.files[o.file]))
	}
	p := h.files[o.file]
	name := strings.TrimSuffix(path.Base(p), path.Ext(p))
	kind := pageKind(p)
	if o.version == 0 {
		switch kind {
		case "runbook":
			return "Add runbook for " + name
		case "ADR":
			return "ADR: propose " + name
		case "postmortem":
			return "Postmortem: " + name
		case "post":
			return "Post: " + name
		}
		return fmt.Sprintf("Add %s %s", kind, name)
	}
	generic := []string{
		"Update %s", "Fix typos in %s", "%s: clarify the steps", "%s: fix a broken link",
		"%s: update owners", "Reword %s after review", "%s: add more detail",
	}
	special := map[string][]string{
		"runbook":    {"%s: update escalation contacts", "%s: add diagnosis for " + words[r.IntN(len(words))], "%s: new dashboard links"},
		"ADR":        {"%s: record the decision outcome", "%s: add considered options"},
		"postmortem": {"%s: add action items", "%s: complete the timeline"},
	}
	t := append(generic, special[kind]...)
	return fmt.Sprintf(t[r.IntN(len(t))], name)
}

// pageKind names the kind of page at p, for commit subjects.
func pageKind(p string) string {
	switch {
	case strings.HasPrefix(p, "runbooks/"):
		return "runbook"
	case strings.HasPrefix(p, "content/adr/"):
		return "ADR"
	case strings.HasPrefix(p, "content/postmortems/"):
		return "postmortem"
	case strings.HasPrefix(p, "content/evaluations/"):
		return "evaluation"
	case strings.HasPrefix(p, "content/posts/"):
		return "post"
	case strings.HasPrefix(p, "content/guides/"):
		return "guide"
	case strings.HasSuffix(p, ".md"):
		return "page"
	}
	return "file"
}

// fiPath writes a path for fast-import: as it is, unless it must be
// quoted.
func fiPath(p string) string {
	if !strings.ContainsAny(p, "\n\"\\") && !strings.HasPrefix(p, " ") {
		return p
	}
	r := strings.NewReplacer(`\`, `\\`, `"`, `\"`, "\n", `\n`)
	return `"` + r.Replace(p) + `"`
}
