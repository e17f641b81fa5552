// Command benchcompare measures handbook against the tools a team would
// otherwise glue together, on the same generated content, on this machine,
// in one run: `handbook build` against Hugo (Debian's package, installed if
// missing) building the same Markdown with a minimal layout, and `handbook
// check` (first with no parse cache, then with the cache of the run
// before) against LinkChecker (Debian's package) crawling the same site's
// HTML, served on 127.0.0.1, with anchors checked and external links not.
// LinkChecker is slow: it runs once per size, stopped at -linkchecker-cap,
// in which case its figure is a lower bound (marked ≥). And `handbook
// serve` against `hugo server`: the time from saving a page to the reload
// message reaching a connected client (see compareServe).
//
// Tools are alternated run by run, and the builds and checks of the sites
// of every size taken in turn, round by round (so that the growth from one
// size to the next compares runs the machine made under the same load); each
// figure is the median of -runs runs with the min–max beside it, and the
// ratio handbook ÷ peer. Wall time is measured around the process, peak
// memory is the child's maximum resident set size, CPU time its user and
// system time. The Markdown table is printed, written between the markers
// of the benchmark page of the project's handbook, together with the
// date, CPU and core count, and drawn as an SVG bar chart beside it.
//
// The quality task, run only when named (-tasks quality, make
// bench-quality), measures whether each search finds what readers look
// for rather than how fast: the judged queries of package searcheval on
// the site built from -corpus, handbook's search against Pagefind's, and
// writes its table between markers of its own (see compareQuality).
//
// Usage (from the repository root; make bench-compare, make bench-quality):
//
//	benchcompare [-runs 3] [-sizes 1000,10000] [-page content/docs/benchmarks.md] [-linkchecker-cap 10m] [-serve-edits 5]
//	benchcompare -tasks quality [-corpus ../shared/corpus] [-queries file.tsv] [-work dir]
package main

import (
	"bufio"
	"bytes"
	"errors"
	"flag"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/handbook-dev/handbook/internal/render"
	"github.com/handbook-dev/handbook/internal/sitegen"
)

const (
	startMarker = "<!-- benchcompare:start -->"
	endMarker   = "<!-- benchcompare:end -->"
)

// tool is one command measured on one site.
type tool struct {
	name string
	// cmd returns the command line for a site folder and an output folder.
	cmd func(site, out string) []string
}

// sample is one measured run.
type sample struct {
	wall time.Duration
	rss  int64 // KiB
	// cpu is the process's user and system time, where measured (a
	// process run by measure); 0 elsewhere.
	cpu time.Duration
	// capped is true for a run stopped at its time cap: wall is a lower
	// bound.
	capped bool
}

// row is one comparison: ours against a peer on one site.
type row struct {
	task       string
	size       int
	ours, peer string
	a, b       []sample
	// rounds is true when a[i] was taken in round i, in turn with the
	// same task's other sizes (compareBuilds, compareChecks): the growth
	// is then also given round by round.
	rounds bool
}

func main() {
	runs := flag.Int("runs", 3, "runs of each tool (at least 3)")
	sizesFlag := flag.String("sizes", "1000,10000", "site sizes in pages, comma-separated")
	pagePath := flag.String("page", "content/docs/benchmarks.md", "handbook page to write the results into")
	work := flag.String("work", "", "work folder (default: a temporary folder, removed after)")
	flag.StringVar(&handbookBin, "handbook", "", "the handbook binary to measure (default: built from ./cmd/handbook into the work folder)")
	lcCap := flag.Duration("linkchecker-cap", 10*time.Minute, "stop LinkChecker after this long on one site")
	edits := flag.Int("serve-edits", 5, "edits of each kind measured per preview server and size (0: no preview comparison)")
	flag.IntVar(&peerMax, "peer-max", 10000, "largest site the other tools (Hugo, LinkChecker, Pagefind) are run on; above it handbook runs alone")
	flag.IntVar(&memoryEdits, "memory-edits", 200, "edits of the serve-memory task")
	flag.IntVar(&visibleEdits, "visible-edits", 9, "edits of the serve-visible task")
	tasksFlag := flag.String("tasks", "build,check,serve,serve-visible,search", "comparisons to run, comma-separated: build, check, serve (each kind of edit, -serve-edits of each), serve-visible (save → new text in Chromium's DOM), search (Pagefind, from npm); and, only when named, rebuild (each tool building again into the output of its last build), serve-memory (handbook serve's resident memory after each of -memory-edits edits), mix (the generator's make-up against the corpora, -corpus), quality (judged queries on the -corpus site, handbook against Pagefind: make bench-quality) and search-scale (handbook's search alone, for sizes Pagefind takes too long on: -tasks search-scale -sizes 100000)")
	flag.Parse()
	linkcheckerCap, serveEdits = *lcCap, *edits
	for _, t := range strings.Split(*tasksFlag, ",") {
		tasks[strings.TrimSpace(t)] = true
	}
	if err := run(*runs, *sizesFlag, *pagePath, *work); err != nil {
		fmt.Fprintln(os.Stderr, "benchcompare:", err)
		os.Exit(1)
	}
}

// linkcheckerCap is how long LinkChecker may run on one site;
// serveEdits how many edits each preview server is measured on.
var (
	linkcheckerCap time.Duration
	serveEdits     int
	// peerMax is the largest size the other tools run on; memoryEdits and
	// visibleEdits the edits of the serve-memory and serve-visible tasks.
	peerMax, memoryEdits, visibleEdits int
	// handbookBin is -handbook.
	handbookBin string
	// tasks are the comparisons to run (-tasks).
	tasks = map[string]bool{}
)

// run runs the comparisons of -tasks on a generated site of each size,
// prints the Markdown table and writes it into the page at pagePath.
func run(runs int, sizesFlag, pagePath, work string) error {
	if runs < 3 {
		return errors.New("-runs must be at least 3")
	}
	sizes, err := parseSizes(sizesFlag)
	if err != nil {
		return err
	}
	if work == "" {
		dir, err := os.MkdirTemp("", "benchcompare-")
		if err != nil {
			return err
		}
		defer os.RemoveAll(dir)
		work = dir
	}
	if tasks["mix"] {
		if err := compareMix(work, pagePath, sizes[0]); err != nil {
			return fmt.Errorf("mix: %w", err)
		}
	}
	if tasks["quality"] {
		if err := compareQuality(work, pagePath); err != nil {
			return fmt.Errorf("quality: %w", err)
		}
	}
	if !tasks["build"] && !tasks["rebuild"] && !tasks["check"] && !tasks["serve"] && !tasks["search"] && !tasks["search-scale"] && !tasks["serve-memory"] && !tasks["serve-visible"] {
		return nil
	}
	if err := ensure("hugo", "hugo"); err != nil {
		return err
	}
	if err := ensure("linkchecker", "linkchecker"); err != nil {
		return err
	}
	b, err := newBench(runs, work)
	if err != nil {
		return err
	}
	defer b.removeLeft()
	if tasks["build"] {
		rows, err := b.compareBuilds(sizes)
		if err != nil {
			return err
		}
		b.rows = append(b.rows, rows...)
	}
	if tasks["check"] {
		rows, err := b.compareChecks(sizes)
		if err != nil {
			return err
		}
		b.rows = append(b.rows, rows...)
	}
	for _, n := range sizes {
		if err := b.size(n); err != nil {
			return err
		}
	}
	// Each size's rows together, its builds' and checks' first, as they
	// were listed before those of all sizes were taken in turn.
	slices.SortStableFunc(b.rows, func(x, y row) int { return x.size - y.size })
	table := markdownTable(b.rows, runs)
	if len(b.visible) > 0 {
		table += "\n\n| save → new text in Chromium | edits | reload request sent, median (min–max) | text in the DOM | the frame after it |\n| ---: | ---: | ---: | ---: | ---: |\n" + strings.Join(b.visible, "\n") +
			"\n\nhandbook serve, headless Chromium showing the edited runbook; times from the file's save. The text is looked for by a MutationObserver installed in every document of the tab; the request time is the browser's, from its DevTools protocol.\n"
	}
	if len(b.memory) > 0 {
		table += "\n\n" + memoryTable(b.memory)
	}
	if g := growthTable(b.rows, b.memory); g != "" {
		table += "\n\n" + g
	}
	if len(b.searchTables) > 0 {
		table += "\n\n" + strings.Join(b.searchTables, "\n\n")
	}
	fmt.Println(table)
	return writePage(pagePath, table, b.rows)
}

// leave notes a folder the run no longer needs, removed when it ends
// (removeLeft) rather than now. Removing a site or a build's output
// between two measures would slow the next by the file system, not the
// tool: on ext4 without a journal (this machine's), creating a file or
// folder skips every inode freed in the last minute (six, while the
// block of the inode table holding it is not yet written back), one by
// one (fs/ext4/ialloc.c, recently_deleted). The 25,000 inodes of a
// 10,000-page output, removed just before the next build, made either
// tool's build spend several seconds more in the kernel, more in one run
// than in another.
func (b *bench) leave(dir string) { b.left = append(b.left, dir) }

// removeLeft removes the folders left (leave), and the output before the
// last that handbook keeps beside each output it built again (ADR-0019).
func (b *bench) removeLeft() {
	for _, dir := range b.left {
		os.RemoveAll(dir)
		spares, _ := filepath.Glob(filepath.Join(filepath.Dir(dir), ".handbook-old-"+filepath.Base(dir)+"-*"))
		for _, sp := range spares {
			os.RemoveAll(sp)
		}
	}
}

// parseSizes parses the comma-separated site sizes of -sizes.
func parseSizes(sizesFlag string) ([]int, error) {
	var sizes []int
	for _, s := range strings.Split(sizesFlag, ",") {
		n, err := strconv.Atoi(strings.TrimSpace(s))
		if err != nil || n <= 0 {
			return nil, fmt.Errorf("bad size %q", s)
		}
		sizes = append(sizes, n)
	}
	return sizes, nil
}

// bench is the state of a run: the tools compared, where they work, and
// the results gathered so far.
type bench struct {
	// left are folders to remove when the run ends (leave).
	left              []string
	runs              int
	work              string
	handbook, hugoDir string
	ours, hugo        tool
	rows              []row
	searchTables      []string
	visible           []string       // rows of the serve-visible table
	memory            []memorySeries // of the serve-memory task
	// sites are the generated sites by size (site).
	sites map[int]string
}

// newBench builds handbook into work and sets Hugo up there.
func newBench(runs int, work string) (*bench, error) {
	work, _ = filepath.Abs(work)
	handbook := filepath.Join(work, "handbook")
	if handbookBin != "" {
		handbook, _ = filepath.Abs(handbookBin)
	} else if out, err := exec.Command("go", "build", "-o", handbook, "./cmd/handbook").CombinedOutput(); err != nil {
		return nil, fmt.Errorf("build handbook: %v\n%s", err, out)
	}
	hugoDir, err := hugoSetup(work)
	if err != nil {
		return nil, err
	}
	ours := tool{"handbook build", func(site, out string) []string {
		return []string{handbook, "-C", site, "--quiet", "build", "--out", out}
	}}
	hugo := tool{"hugo", func(site, out string) []string {
		return []string{"hugo", "--quiet", "-s", site, "--config", filepath.Join(hugoDir, "hugo.toml"), "--layoutDir", filepath.Join(hugoDir, "layouts"), "-d", out}
	}}
	return &bench{runs: runs, work: work, handbook: handbook, hugoDir: hugoDir, ours: ours, hugo: hugo}, nil
}

// site returns the generated site of n pages, generating it the first
// time.
func (b *bench) site(n int) (string, error) {
	if site, ok := b.sites[n]; ok {
		return site, nil
	}
	site := filepath.Join(b.work, fmt.Sprintf("site-%d", n))
	fmt.Fprintf(os.Stderr, "generating %d pages…\n", n)
	if err := sitegen.Generate(site, n, 1); err != nil {
		return "", err
	}
	if b.sites == nil {
		b.sites = map[int]string{}
	}
	b.sites[n] = site
	return site, nil
}

// size runs the comparisons of -tasks but the build and check
// (compareBuilds, compareChecks) on the site of n pages, adding their rows
// and search table, and leaves the site to be removed when the run ends.
func (b *bench) size(n int) error {
	site, err := b.site(n)
	if err != nil {
		return err
	}
	if tasks["rebuild"] {
		rr, err := b.compareRebuild(site, n)
		if err != nil {
			return err
		}
		b.rows = append(b.rows, rr)
	}
	if serveEdits > 0 && tasks["serve"] {
		sr, err := compareServe(b.handbook, site, b.hugoDir, n, serveEdits)
		if err != nil {
			return err
		}
		b.rows = append(b.rows, sr...)
	}
	if tasks["serve-visible"] {
		vs, err := serveVisible(b.handbook, b.work, site, n, visibleEdits)
		if err != nil {
			fmt.Fprintf(os.Stderr, "benchcompare: save → visible skipped: %v\n", err)
		} else {
			b.visible = append(b.visible, visibleTable(n, vs))
		}
	}
	if tasks["serve-memory"] {
		m, err := serveMemory(b.handbook, site, n, memoryEdits)
		if err != nil {
			return fmt.Errorf("serve-memory: %w", err)
		}
		b.memory = append(b.memory, m)
	}
	if tasks["search"] && n > peerMax {
		fmt.Fprintf(os.Stderr, "benchcompare: search comparison skipped at %d pages (above -peer-max %d)\n", n, peerMax)
	} else if tasks["search"] {
		var buildMedian time.Duration
		for _, r := range b.rows {
			if r.task == "build" && r.size == n && len(r.a) > 0 {
				w, _ := stats(r.a)
				buildMedian = w[0]
			}
		}
		st, err := compareSearch(b.handbook, b.work, site, n, b.runs, buildMedian)
		if err != nil {
			fmt.Fprintf(os.Stderr, "benchcompare: search comparison skipped: %v\n", err)
		} else {
			b.searchTables = append(b.searchTables, st)
		}
	}
	if tasks["search-scale"] {
		st, err := scaleSearch(b.handbook, b.work, site, n)
		if err != nil {
			return fmt.Errorf("search-scale: %w", err)
		}
		fmt.Println(st)
		b.searchTables = append(b.searchTables, st)
	}
	b.leave(site)
	idle.add(site)
	return nil
}

// compareBuilds measures handbook build against Hugo on the site of each
// size, round by round: each round builds every size once, in turn (the
// sizes in the other order every other round), each size with the tools
// alternating which goes first (order). The growth from one size to the
// next divides figures taken minutes apart; measured size after size, it
// moved with the machine's load from one run to the next (10.2× and 12.3×
// for the same binary, a quarter of an hour apart, its 10,000-page builds
// a seventh faster in the second run, the 100,000-page ones within 5%),
// where builds of the two sizes taken in turn see the same machine.
func (b *bench) compareBuilds(sizes []int) ([]row, error) {
	sites, err := b.sitesOf(sizes)
	if err != nil {
		return nil, err
	}
	rows := make([]row, len(sizes))
	for k, n := range sizes {
		rows[k] = row{task: "build", size: n, ours: b.ours.name, peer: b.hugo.name, rounds: true}
	}
	// Every build writes into a folder of its own, which does not exist
	// yet, as in CI; they are removed when the whole run ends
	// (bench.leave).
	err = b.inRounds(len(sizes), func(k, i int) error { return b.buildRun(&rows[k], sites[k], i) })
	return rows, err
}

// sitesOf returns the generated site of each size (site).
func (b *bench) sitesOf(sizes []int) ([]string, error) {
	sites := make([]string, len(sizes))
	for k, n := range sizes {
		site, err := b.site(n)
		if err != nil {
			return nil, err
		}
		sites[k] = site
	}
	return sites, nil
}

// inRounds calls run(k, i) for each of n sizes, by index k, in each round
// i of -runs, in roundOrder, until one fails.
func (b *bench) inRounds(n int, run func(k, i int) error) error {
	for i := 0; i < b.runs; i++ {
		for _, k := range roundOrder(i, n) {
			if err := run(k, i); err != nil {
				return err
			}
		}
	}
	return nil
}

// roundOrder returns the order in which round i takes the sites of n
// sizes, by index: ascending in even rounds, descending in odd ones, so
// that no size always runs just after another's.
func roundOrder(i, n int) []int {
	order := make([]int, n)
	for j := range order {
		order[j] = j
		if i%2 == 1 {
			order[j] = n - 1 - j
		}
	}
	return order
}

// buildRun runs round i of the build comparison of r on site: each tool
// once.
func (b *bench) buildRun(r *row, site string, i int) error {
	n := r.size
	for _, t := range b.order(i, n) {
		out := filepath.Join(b.work, fmt.Sprintf("out-%s-%d-%d", strings.Fields(t.name)[0], n, i+1))
		os.RemoveAll(out) // left by an interrupted run
		b.leave(out)
		s, err := measure(t.cmd(site, out))
		if err != nil {
			return fmt.Errorf("%s on %d pages: %w", t.name, n, err)
		}
		fmt.Fprintf(os.Stderr, "  %-15s %6d pages  run %d: %v, %d MB, CPU %v\n", t.name, n, i+1, s.wall.Round(time.Millisecond), s.rss>>10, s.cpu.Round(time.Millisecond))
		idle.add(out)
		if t.name == b.ours.name {
			r.a = append(r.a, s)
		} else {
			r.b = append(r.b, s)
		}
	}
	return nil
}

// order returns the tools run i of a size n site runs, alternating which
// goes first, so that neither always runs on a warmer machine; above
// -peer-max, handbook alone.
func (b *bench) order(i, n int) []tool {
	switch {
	case n > peerMax:
		return []tool{b.ours}
	case i%2 == 1:
		return []tool{b.hugo, b.ours}
	}
	return []tool{b.ours, b.hugo}
}

// compareRebuild measures handbook build against Hugo building the same
// site again into the output of its last build, as on an author's machine
// (handbook writes into the output before the last, ADR-0019; Hugo writes
// over its output in place); each tool's first build, into a new folder,
// is not measured.
func (b *bench) compareRebuild(site string, n int) (row, error) {
	ours, hugo := b.ours, b.hugo
	r := row{task: "rebuild", size: n, ours: ours.name, peer: hugo.name}
	defer func() {
		for _, t := range []tool{ours, hugo} {
			idle.add(filepath.Join(b.work, fmt.Sprintf("out-%s-%d-again", strings.Fields(t.name)[0], n)))
		}
	}()
	for i := 0; i <= b.runs; i++ {
		for _, t := range b.order(i, n) {
			out := filepath.Join(b.work, fmt.Sprintf("out-%s-%d-again", strings.Fields(t.name)[0], n))
			if i == 0 {
				os.RemoveAll(out) // left by an interrupted run
				b.leave(out)
			}
			s, err := measure(t.cmd(site, out))
			if err != nil {
				return r, fmt.Errorf("%s on %d pages, again: %w", t.name, n, err)
			}
			if i == 0 {
				continue
			}
			fmt.Fprintf(os.Stderr, "  %-15s %6d pages  rebuild %d: %v, %d MB\n", t.name, n, i, s.wall.Round(time.Millisecond), s.rss>>10)
			if t.name == ours.name {
				r.a = append(r.a, s)
			} else {
				r.b = append(r.b, s)
			}
		}
	}
	return r, nil
}

// compareChecks measures handbook check on the site of each size, cold
// (--no-cache) and with the parse cache of the run before, round by round
// as compareBuilds does, then LinkChecker once on each size up to
// -peer-max, crawling the HTML handbook builds from the site, served on
// 127.0.0.1. It returns the cold and the cached row of each size.
func (b *bench) compareChecks(sizes []int) ([]row, error) {
	sites, err := b.sitesOf(sizes)
	if err != nil {
		return nil, err
	}
	rows := make([]row, 0, 2*len(sizes))
	for _, n := range sizes {
		rows = append(rows,
			row{task: "check (cold)", size: n, ours: "handbook check", peer: "linkchecker", rounds: true},
			row{task: "check (cached)", size: n, ours: "handbook check", peer: "linkchecker", rounds: true})
	}
	if err := b.inRounds(len(sizes), func(k, i int) error { return checkRun(b.handbook, sites[k], &rows[2*k], &rows[2*k+1], i) }); err != nil {
		return nil, err
	}
	for k, n := range sizes {
		if n > peerMax {
			continue
		}
		lc, err := linkcheck(b.handbook, b.work, sites[k], n)
		if err != nil {
			return nil, err
		}
		rows[2*k].b = []sample{lc}
		rows[2*k+1].b = []sample{lc}
	}
	return rows, nil
}

// checkRun runs round i of handbook check on site: once with no parse
// cache (cold) and once with the cache of a run before (warm).
func checkRun(handbook, site string, cold, warm *row, i int) error {
	n := cold.size
	os.RemoveAll(filepath.Join(site, ".handbook-cache"))
	s, err := measure([]string{handbook, "-C", site, "--quiet", "check", "--no-cache"})
	if err != nil {
		return fmt.Errorf("handbook check on %d pages: %w", n, err)
	}
	cold.a = append(cold.a, s)
	// The cache of the run before: one run fills it, the next uses it.
	if _, err := measure([]string{handbook, "-C", site, "--quiet", "check"}); err != nil {
		return err
	}
	s2, err := measure([]string{handbook, "-C", site, "--quiet", "check"})
	if err != nil {
		return err
	}
	warm.a = append(warm.a, s2)
	fmt.Fprintf(os.Stderr, "  handbook check  %6d pages  run %d: %v cold, %v cached\n", n, i+1, s.wall.Round(time.Millisecond), s2.wall.Round(time.Millisecond))
	return nil
}

// linkcheck measures LinkChecker, once, crawling the HTML handbook builds
// from site, served on 127.0.0.1, with anchors checked and other sites
// not, stopped at -linkchecker-cap.
func linkcheck(handbook, work, site string, n int) (sample, error) {
	out := filepath.Join(work, "out-check")
	os.RemoveAll(out)
	if _, err := measure([]string{handbook, "-C", site, "--quiet", "build", "--out", out}); err != nil {
		return sample{}, fmt.Errorf("build for linkchecker: %w", err)
	}
	defer os.RemoveAll(out)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return sample{}, err
	}
	srv := &http.Server{Handler: http.FileServer(http.Dir(out))}
	go srv.Serve(ln)
	defer srv.Close()
	rc := filepath.Join(work, "linkcheckerrc")
	// Anchors checked, other sites not, no rate limit on our own server.
	if err := os.WriteFile(rc, []byte("[checking]\nthreads=10\nmaxrequestspersecond=1000\n[filtering]\ncheckextern=0\n[AnchorCheck]\n"), 0o644); err != nil {
		return sample{}, err
	}
	fmt.Fprintf(os.Stderr, "  linkchecker     %6d pages  (up to %v)…\n", n, linkcheckerCap)
	lc, err := measureCapped([]string{"linkchecker", "-f", rc, "--no-status", "--no-warnings", "-o", "none", "http://" + ln.Addr().String() + "/"}, linkcheckerCap)
	if err != nil {
		return sample{}, fmt.Errorf("linkchecker on %d pages: %w", n, err)
	}
	fmt.Fprintf(os.Stderr, "  linkchecker     %6d pages: %v%s, %d MB\n", n, lc.wall.Round(time.Millisecond), map[bool]string{true: " (stopped)"}[lc.capped], lc.rss>>10)
	return lc, nil
}

// measureCapped runs a command that may take very long, stopping it at
// limit; exit code 1 (problems found) counts as a finished run.
func measureCapped(args []string, limit time.Duration) (sample, error) {
	quiesce()
	cmd := exec.Command(args[0], args[1:]...)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	start := time.Now()
	if err := cmd.Start(); err != nil {
		return sample{}, err
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	capped := false
	var err error
	select {
	case err = <-done:
	case <-time.After(limit):
		capped = true
		cmd.Process.Kill()
		<-done
		err = nil
	}
	wall := time.Since(start)
	var ee *exec.ExitError
	if err != nil && !(errors.As(err, &ee) && ee.ExitCode() == 1) {
		return sample{}, fmt.Errorf("%v: %s", err, strings.TrimSpace(stderr.String()))
	}
	ru, _ := cmd.ProcessState.SysUsage().(*syscall.Rusage)
	s := sample{wall: wall, capped: capped}
	if ru != nil {
		s.rss = ru.Maxrss
	}
	return s, nil
}

// ensure installs a Debian package when its command is missing.
func ensure(command, pkg string) error {
	if _, err := exec.LookPath(command); err == nil {
		return nil
	}
	fmt.Fprintf(os.Stderr, "installing %s…\n", pkg)
	sudo := []string{}
	if os.Geteuid() != 0 {
		sudo = []string{"sudo"}
	}
	for _, args := range [][]string{{"apt-get", "update", "-qq"}, {"apt-get", "install", "-y", "-qq", pkg}} {
		cmd := exec.Command(append(sudo, args...)[0], append(sudo, args...)[1:]...)
		cmd.Env = append(os.Environ(), "DEBIAN_FRONTEND=noninteractive")
		if out, err := cmd.CombinedOutput(); err != nil {
			return fmt.Errorf("install %s: %v\n%s", pkg, err, out)
		}
	}
	return nil
}

// hugoSetup writes the minimal Hugo layout and config the comparison uses:
// the same two content roots, a page with its title, table of contents and
// content, and section lists.
func hugoSetup(work string) (string, error) {
	dir := filepath.Join(work, "hugo")
	files := map[string]string{
		"hugo.toml": `baseURL = "https://example.com/"
title = "bench"
[markup.highlight]
noClasses = false
[[module.mounts]]
source = "content"
target = "content"
[[module.mounts]]
source = "runbooks"
target = "content/runbooks"
`,
		"layouts/_default/baseof.html": `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>{{ .Title }}</title></head><body>{{ block "main" . }}{{ end }}</body></html>`,
		"layouts/_default/single.html": `{{ define "main" }}<h1>{{ .Title }}</h1>{{ .TableOfContents }}{{ .Content }}{{ end }}`,
		"layouts/_default/list.html":   `{{ define "main" }}<h1>{{ .Title }}</h1>{{ .Content }}<ul>{{ range .Pages }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a></li>{{ end }}</ul>{{ end }}`,
	}
	for name, data := range files {
		p := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			return "", err
		}
		if err := os.WriteFile(p, []byte(data), 0o644); err != nil {
			return "", err
		}
	}
	return dir, nil
}

// quiesce writes out what earlier runs left to write (sync(2), which
// waits for it) before a run is timed. A build's output goes to the page
// cache and is flushed to disk later by the kernel's threads, which on a
// machine with two cores could take a core and the disk from the next
// run: with quiesce each run starts with nothing pending. Measured on
// 100,000-page builds it changed nothing beyond this machine's noise
// (63.4 s without, 63.5 s with); it rules the effect out rather than
// making runs faster. Each run still pays for flushing what it writes
// itself, when that is more than the kernel holds back.
//
// It then has the kernel drop the cached pages of the folders no run
// reads any more (idle): see idleFolders.
func quiesce() {
	syscall.Sync()
	idle.drop()
}

// idle holds the folders that no later run reads.
var idle idleFolders

// idleFolders are the outputs of runs already measured and the sites of
// sizes done with. They stay on disk until the whole run ends (leave),
// but their pages need not stay in the page cache: a 100,000-page build
// writes 3.1 GB of output, and the five such outputs of the build and
// rebuild tasks, with the smaller size's, filled this machine's 24 GB,
// so that the later builds ran while the kernel reclaimed the earlier
// ones' pages (1.6 million pages scanned in one build): the same
// 100,000-page build took 60.5 s with the cache that full and 53.6 s
// with it emptied, where a 10,000-page build, measured first, never met
// it. Dropping the pages of files no run reads (posix_fadvise
// POSIX_FADV_DONTNEED, once the sync has written them) measures each
// run on a machine with its memory free, as a CI runner's, without
// removing anything, and without root.
type idleFolders struct {
	dirs    []string
	dropped map[string]bool // folders whose pages are dropped already
}

// add notes folders that no later run reads.
func (f *idleFolders) add(dirs ...string) { f.dirs = append(f.dirs, dirs...) }

// drop drops the cached pages of every idle folder's files, and of the
// outputs before the last that handbook keeps beside its outputs
// (ADR-0019), each folder once: nothing writes to an idle folder.
func (f *idleFolders) drop() {
	for _, d := range f.dirs {
		spares, _ := filepath.Glob(filepath.Join(filepath.Dir(d), ".handbook-old-"+filepath.Base(d)+"-*"))
		for _, dir := range append([]string{d}, spares...) {
			if f.dropped[dir] {
				continue
			}
			if f.dropped == nil {
				f.dropped = map[string]bool{}
			}
			f.dropped[dir] = true
			dropCached(dir)
		}
	}
}

// measure runs a command and returns its wall time and peak memory. What
// earlier runs wrote is on disk first (quiesce).
func measure(args []string) (sample, error) {
	quiesce()
	cmd := exec.Command(args[0], args[1:]...)
	// The generated site is current on sitegen.Today: no runbook is due.
	cmd.Env = append(os.Environ(), fmt.Sprintf("SOURCE_DATE_EPOCH=%d", sitegen.Today.Unix()))
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	start := time.Now()
	err := cmd.Run()
	wall := time.Since(start)
	if err != nil && !foundProblems(args, err, stderr.Bytes()) {
		return sample{}, fmt.Errorf("%v: %.2000s", err, strings.TrimSpace(stderr.String()))
	}
	ru, ok := cmd.ProcessState.SysUsage().(*syscall.Rusage)
	if !ok {
		return sample{}, errors.New("no resource usage on this system")
	}
	cpu := time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
	return sample{wall: wall, rss: ru.Maxrss, cpu: cpu}, nil
}

// foundProblems reports whether err is handbook's exit code 1 for
// findings: the site was built or checked, and has findings (a generated
// site has the findings real content has). Exit code 1 is also a build
// that failed (a full disk, an interrupt), which prints the line
// "handbook build: …" to stderr where findings print their paths; such a
// run is not a finished one, however long it took.
func foundProblems(args []string, err error, stderr []byte) bool {
	var ee *exec.ExitError
	ours := strings.Contains(filepath.Base(args[0]), "handbook")
	if handbookBin != "" {
		if abs, _ := filepath.Abs(handbookBin); abs == args[0] || handbookBin == args[0] {
			ours = true
		}
	}
	return ours && errors.As(err, &ee) && ee.ExitCode() == 1 && !failureLine.Match(stderr)
}

// failureLine is the line handbook prints when a command fails.
var failureLine = regexp.MustCompile(`(?m)^handbook [a-z-]+: `)

// stats returns the median, min and max of the samples' walls and rss.
func stats(s []sample) (wall [3]time.Duration, rss [3]int64) {
	if len(s) == 0 {
		return
	}
	w := make([]time.Duration, len(s))
	m := make([]int64, len(s))
	for i, x := range s {
		w[i], m[i] = x.wall, x.rss
	}
	slices.Sort(w)
	slices.Sort(m)
	return [3]time.Duration{w[len(w)/2], w[0], w[len(w)-1]}, [3]int64{m[len(m)/2], m[0], m[len(m)-1]}
}

func secs(d time.Duration) string { return fmt.Sprintf("%.2f s", d.Seconds()) }

// atLeast is "≥ " when a run was stopped at its cap.
func atLeast(s []sample) string {
	for _, x := range s {
		if x.capped {
			return "≥ "
		}
	}
	return ""
}
func mb(k int64) string { return fmt.Sprintf("%d MB", k>>10) }

func markdownTable(rows []row, runs int) string {
	var b strings.Builder
	fmt.Fprintf(&b, "| task | pages | tool | wall time, median (min–max) | peak memory, median (min–max) |\n")
	fmt.Fprintf(&b, "| --- | ---: | --- | --- | --- |\n")
	for _, r := range rows {
		for _, side := range []struct {
			name string
			s    []sample
		}{{r.ours, r.a}, {r.peer, r.b}} {
			w, m := stats(side.s)
			switch {
			case side.name == "":
				// A row of handbook's alone (no peer measures it).
			case len(side.s) == 0:
				fmt.Fprintf(&b, "| %s | %d | %s | not run (above -peer-max %d pages) | |\n", r.task, r.size, side.name, peerMax)
			case len(side.s) == 1:
				fmt.Fprintf(&b, "| %s | %d | %s | %s%s (1 run) | %s |\n", r.task, r.size, side.name, atLeast(side.s), secs(w[0]), mb(m[0]))
			default:
				fmt.Fprintf(&b, "| %s | %d | %s | %s (%s–%s) | %s (%s–%s) |\n", r.task, r.size, side.name,
					secs(w[0]), secs(w[1]), secs(w[2]), mb(m[0]), mb(m[1]), mb(m[2]))
			}
		}
		if len(r.a) == 0 || len(r.b) == 0 {
			continue
		}
		wa, ma := stats(r.a)
		wb, mb2 := stats(r.b)
		ratio := "≤"
		if atLeast(r.b) == "" {
			ratio = ""
		}
		fmt.Fprintf(&b, "| %s | %d | **ratio** handbook ÷ %s | **%s%.3g×** | **%.2f×** |\n", r.task, r.size, r.peer,
			ratio, wa[0].Seconds()/wb[0].Seconds(), float64(ma[0])/float64(mb2[0]))
	}
	fmt.Fprintf(&b, "\nMedians of %d runs of each tool, alternating (LinkChecker: one run, stopped at %v; ≥ marks a run stopped there, whose ratio is then an upper bound); lower is better. A serve row is the median of %d edits of its kind, from the save to the reload event for a page showing the edited file (handbook) or to the livereload message (Hugo), and for handbook to the event after which every page is up to date (later when the first was a first look at the edited page); its memory is the server's peak over all edits; the start row is from the start of the process to its first page served, with the resident memory then.\n", runs, linkcheckerCap, serveEdits)
	return b.String()
}

// growthTable returns, when more than one size was measured, handbook's
// medians at each size and the factor from each size to the next (time
// and memory), for the tasks measured at every size.
func growthTable(rows []row, mem []memorySeries) string {
	type key struct{ task, what string }
	vals := map[key]map[int]float64{}
	var keys []key
	var sizes []int
	add := func(k key, n int, v float64) {
		if vals[k] == nil {
			vals[k] = map[int]float64{}
			keys = append(keys, k)
		}
		vals[k][n] = v
		if !slices.Contains(sizes, n) {
			sizes = append(sizes, n)
		}
	}
	rounds := map[string]map[int][]sample{}
	for _, r := range rows {
		if len(r.a) == 0 {
			continue
		}
		if r.rounds {
			if rounds[r.task] == nil {
				rounds[r.task] = map[int][]sample{}
			}
			rounds[r.task][r.size] = r.a
		}
		w, m := stats(r.a)
		add(key{r.task, "time"}, r.size, w[0].Seconds())
		if c, ok := medianCPU(r.a); ok {
			add(key{r.task, "CPU time"}, r.size, c.Seconds())
		}
		if !strings.HasPrefix(r.task, "serve: ") || strings.Contains(r.task, "start") {
			add(key{r.task, "memory"}, r.size, float64(m[0]))
		}
	}
	for _, m := range mem {
		_, _, top, last := m.summary()
		add(key{fmt.Sprintf("serve: %d edits", len(m.after)), "memory, max"}, m.n, float64(top))
		add(key{fmt.Sprintf("serve: %d edits", len(m.after)), "memory, last"}, m.n, float64(last))
	}
	slices.Sort(sizes)
	if len(sizes) < 2 {
		return ""
	}
	var b strings.Builder
	b.WriteString("| growth (handbook) | measure |")
	for _, n := range sizes {
		fmt.Fprintf(&b, " %d pages |", n)
	}
	for i := 1; i < len(sizes); i++ {
		fmt.Fprintf(&b, " %d ÷ %d |", sizes[i], sizes[i-1])
	}
	b.WriteString("\n| --- | --- |" + strings.Repeat(" ---: |", 2*len(sizes)-1) + "\n")
	for _, k := range keys {
		fmt.Fprintf(&b, "| %s | %s |", k.task, k.what)
		for _, n := range sizes {
			v, ok := vals[k][n]
			switch {
			case !ok:
				b.WriteString(" |")
			case strings.HasSuffix(k.what, "time"):
				fmt.Fprintf(&b, " %s |", fmtSecs(v))
			default:
				fmt.Fprintf(&b, " %s |", mb(int64(v)))
			}
		}
		for i := 1; i < len(sizes); i++ {
			x, okx := vals[k][sizes[i]]
			y, oky := vals[k][sizes[i-1]]
			if okx && oky && y > 0 {
				fmt.Fprintf(&b, " **%.1f×** |", x/y)
			} else {
				b.WriteString(" |")
			}
		}
		b.WriteString("\n")
		if k.what != "time" && k.what != "CPU time" || rounds[k.task] == nil {
			continue
		}
		// The same factor round by round: each round's figure at the
		// larger size divided by the same round's at the smaller, taken
		// minutes apart rather than across the whole run.
		fmt.Fprintf(&b, "| %s | %s, round by round |%s", k.task, k.what, strings.Repeat(" |", len(sizes)))
		for i := 1; i < len(sizes); i++ {
			f := roundFactors(rounds[k.task][sizes[i]], rounds[k.task][sizes[i-1]], k.what == "CPU time")
			if len(f) == 0 {
				b.WriteString(" |")
				continue
			}
			fmt.Fprintf(&b, " **%.1f×** (%.1f–%.1f×) |", f[len(f)/2], f[0], f[len(f)-1])
		}
		b.WriteString("\n")
	}
	fmt.Fprintf(&b, "\nThe factor is the figure at the larger size divided by the one at the smaller; linear growth is the ratio of the sizes. The builds and checks of all sizes are taken in turn, round by round; \"round by round\" is the median (min–max) of each round's factor, which divides two runs taken minutes apart rather than medians over the whole run. CPU time is the process's user and system time, median of its runs.\n")
	return b.String()
}

// roundFactors returns, sorted, the factors of round by round samples:
// the wall (or CPU) time of large[i] divided by that of small[i], for
// each round both have, and none when a figure is missing.
func roundFactors(large, small []sample, cpu bool) []float64 {
	var f []float64
	for i := range min(len(large), len(small)) {
		x, y := large[i].wall, small[i].wall
		if cpu {
			x, y = large[i].cpu, small[i].cpu
		}
		if x <= 0 || y <= 0 {
			return nil
		}
		f = append(f, float64(x)/float64(y))
	}
	slices.Sort(f)
	return f
}

// medianCPU returns the median CPU time of samples that all have one.
func medianCPU(s []sample) (time.Duration, bool) {
	c := make([]time.Duration, 0, len(s))
	for _, x := range s {
		if x.cpu <= 0 {
			return 0, false
		}
		c = append(c, x.cpu)
	}
	if len(c) == 0 {
		return 0, false
	}
	slices.Sort(c)
	return c[len(c)/2], true
}

// fmtSecs writes a time in seconds, in ms under one second.
func fmtSecs(s float64) string {
	if s < 1 {
		return fmt.Sprintf("%.0f ms", s*1000)
	}
	return fmt.Sprintf("%.2f s", s)
}

func cpuModel() string {
	f, err := os.Open("/proc/cpuinfo")
	if err != nil {
		return runtime.GOARCH
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if k, v, ok := strings.Cut(sc.Text(), ":"); ok && strings.TrimSpace(k) == "model name" {
			return strings.TrimSpace(v)
		}
	}
	return runtime.GOARCH
}

func version(args ...string) string {
	out, err := exec.Command(args[0], args[1:]...).Output()
	if err != nil {
		return "unknown"
	}
	return strings.TrimSpace(strings.SplitN(string(out), "\n", 2)[0])
}

// writePage replaces the part of the benchmark page between the markers
// with the new results, and writes the chart beside it.
func writePage(pagePath, table string, rows []row) error {
	var bars []render.Bar
	for _, r := range rows {
		if len(r.a) == 0 || len(r.b) == 0 {
			continue
		}
		wa, ma := stats(r.a)
		wb, mb2 := stats(r.b)
		bars = append(bars,
			render.Bar{Label: fmt.Sprintf("%s wall time, %d pages", r.task, r.size), Value: wa[0].Seconds() / wb[0].Seconds(), Note: secs(wa[0]) + " vs " + atLeast(r.b) + secs(wb[0])},
			render.Bar{Label: fmt.Sprintf("%s peak memory, %d pages", r.task, r.size), Value: float64(ma[0]) / float64(mb2[0]), Note: mb(ma[0]) + " vs " + mb(mb2[0])},
		)
	}
	svgName := strings.TrimSuffix(filepath.Base(pagePath), ".md") + "-ratios.svg"
	svg := render.BarChart("handbook ÷ the other tool (lower is better)", "×", 1, bars)
	if err := os.WriteFile(filepath.Join(filepath.Dir(pagePath), svgName), svg, 0o644); err != nil {
		return err
	}
	old, err := os.ReadFile(pagePath)
	if err != nil {
		return fmt.Errorf("benchmark page: %w", err)
	}
	i, j := bytes.Index(old, []byte(startMarker)), bytes.Index(old, []byte(endMarker))
	if i < 0 || j < i {
		return fmt.Errorf("benchmark page %s has no %s … %s markers", pagePath, startMarker, endMarker)
	}
	var b bytes.Buffer
	b.Write(old[:i+len(startMarker)])
	fmt.Fprintf(&b, "\n\nMeasured on %s with `make bench-compare`: %s, %d cores, %s, %s, handbook at commit %s.\n\n",
		time.Now().UTC().Format("2006-01-02"), cpuModel(), runtime.NumCPU(), runtime.Version(), version("hugo", "version")+", "+version("linkchecker", "--version"), version("git", "rev-parse", "--short", "HEAD"))
	b.WriteString(table)
	fmt.Fprintf(&b, "\n![Bar chart of the ratios in the table: handbook's figure divided by the other tool's](%s)\n\n", svgName)
	b.Write(old[j:])
	return os.WriteFile(pagePath, b.Bytes(), 0o644)
}
