# handbook — make targets. `make run` previews the project's own handbook
# live; `make test` installs what the tests need and runs them all.

GO      ?= go
BIN     ?= bin/handbook
VERSION ?= $(shell git describe --tags --always --dirty 2>/dev/null || echo dev)
PORT    ?= 1313

.PHONY: build test run bench bench-compare bench-quality bench-profile bench-docs-hugo corpus-report test-deps vet clean

build:
	$(GO) build -ldflags "-X main.version=$(VERSION)" -o $(BIN) ./cmd/handbook

# Installs Chromium for the browser tests when it is missing (Debian).
test-deps:
	@scripts/install-test-deps.sh

vet:
	@test -z "$$(gofmt -l .)" || { echo "gofmt needed:"; gofmt -l .; exit 1; }
	$(GO) vet ./...

test: test-deps vet
	HANDBOOK_REQUIRE_BROWSER=1 HANDBOOK_REQUIRE_CORPUS=$$(test -d ../shared/corpus && echo 1) $(GO) test ./...

# Previews the project's own handbook with handbook serve on
# http://127.0.0.1:$(PORT)/ (rebuilt on every save, the browser reloads by
# itself), opening a browser when one is available.
run: build
	$(BIN) serve --port $(PORT) --open

bench:
	$(GO) test -run '^$$' -bench . -benchmem ./...

# handbook side by side with the tools it replaces (hugo for build and
# serve, linkchecker for check, Pagefind from npm for search), on
# generated sites of 1,000 and 10,000 pages; prints the table and writes
# it into content/docs/benchmarks.md with a chart. About half an hour:
# LinkChecker runs until its cap. Each kind of edit under serve is a row;
# -tasks serve-memory adds 200 edits with the server's memory after each,
# and -sizes 10000,100000 the growth from one size to the next (the other
# tools are not run above -peer-max, 10,000 pages).
bench-compare:
	$(GO) run ./cmd/benchcompare -runs 3 -sizes 1000,10000

# Search quality: the judged queries of internal/searcheval on the site
# built from ../shared/corpus, handbook's search against Pagefind's (from
# npm) in headless Chromium; prints MRR@10 and success@1 by query type and
# writes them into content/docs/benchmarks.md. A few minutes.
bench-quality:
	$(GO) run ./cmd/benchcompare -tasks quality

# CPU and memory profiles of a 10,000-page build, in bench/.
bench-profile: build
	rm -rf bench/site bench/out && mkdir -p bench
	$(GO) run ./cmd/gensite -n 10000 -out bench/site
	# The generated site has the findings real content has: exit 1 is a finished build.
	HANDBOOK_CPUPROFILE=bench/cpu.prof HANDBOOK_MEMPROFILE=bench/mem.prof $(BIN) -C bench/site --quiet build --out ../out || test $$? -eq 1
	$(GO) tool pprof -top -nodecount 25 $(BIN) bench/cpu.prof | tail -26
	$(GO) tool pprof -sample_index=alloc_space -top -nodecount 15 $(BIN) bench/mem.prof | tail -16
	rm -rf bench/site bench/out

# The kinds recognised and the findings by rule on every folder of
# ../shared/corpus, written into content/docs/corpus-report.md (a test
# compares it).
corpus-report:
	$(GO) test ./internal/build -run TestCorpusReport -count=1 -update

# handbook against Debian's hugo on ../shared/corpus/docs-hugo.
bench-docs-hugo:
	scripts/bench-docs-hugo.sh

clean:
	rm -rf bin public
