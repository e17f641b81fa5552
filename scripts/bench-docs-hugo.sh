#!/usr/bin/env bash
# Builds ../shared/corpus/docs-hugo with handbook and with Debian's hugo
# (minimal layout), alternating, and prints wall time and peak memory of
# each run and the medians. Hugo's shortcode braces are defused in a
# temporary copy ({{ -> { {) for both tools so that hugo does not stop on them.
set -euo pipefail
runs=${RUNS:-5}
here=$(cd "$(dirname "$0")/.." && pwd)
corpus=${CORPUS:-$here/../shared/corpus/docs-hugo/docs/content/en}
command -v hugo >/dev/null || { apt-get update -qq && apt-get install -y -qq hugo >/dev/null; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/site/content"
cp -r "$corpus"/. "$work/site/content/"
find "$work/site/content" -name '*.md' -exec sed -i 's/{{/{ {/g; s/}}/} }/g' {} +
mkdir -p "$work/site/layouts/_default"
cat > "$work/site/layouts/_default/baseof.html" <<'HTML'
<!doctype html><html><head><meta charset="utf-8"><title>{{ .Title }}</title></head><body>{{ block "main" . }}{{ end }}</body></html>
HTML
cat > "$work/site/layouts/_default/single.html" <<'HTML'
{{ define "main" }}<h1>{{ .Title }}</h1>{{ .TableOfContents }}{{ .Content }}{{ end }}
HTML
cat > "$work/site/layouts/_default/list.html" <<'HTML'
{{ define "main" }}<h1>{{ .Title }}</h1>{{ .Content }}<ul>{{ range .Pages }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a></li>{{ end }}</ul>{{ end }}
HTML
cp "$work/site/layouts/_default/list.html" "$work/site/layouts/index.html"
printf 'baseURL = "https://example.com/"\ntitle = "bench"\ndisableKinds = ["RSS"]\n[markup.goldmark.renderer]\nunsafe = false\n[markup.highlight]\nnoClasses = false\n' > "$work/site/hugo.toml"
(cd "$here" && go build -o "$work/handbook" ./cmd/handbook)
measure() { # name, command...
  local name=$1; shift
  /usr/bin/time -f "%e %M" -o "$work/time" "$@" >/dev/null 2>&1 || true
  read -r secs kb < <(tail -1 "$work/time")
  echo "$name $secs $kb" | tee -a "$work/results"
}
for i in $(seq "$runs"); do
  measure handbook "$work/handbook" -C "$work/site" build --out "$work/out-handbook"
  rm -rf "$work/out-hugo"
  measure hugo hugo --quiet -s "$work/site" -d "$work/out-hugo"
done
echo "pages: handbook $(find "$work/out-handbook" -name '*.html' | wc -l) html, hugo $(find "$work/out-hugo" -name '*.html' | wc -l) html"
median() { sort -n | awk '{a[NR]=$1} END {printf "%s %s %s\n", a[int((NR+1)/2)], a[1], a[NR]}'; }
for tool in handbook hugo; do
  read -r tm tmin tmax < <(awk -v t=$tool '$1==t {print $2}' "$work/results" | median)
  read -r mm _ _ < <(awk -v t=$tool '$1==t {print $3}' "$work/results" | median)
  printf '%-9s wall median %s s (min %s, max %s), peak RSS median %d MB\n' "$tool" "$tm" "$tmin" "$tmax" "$((mm / 1024))"
  echo "$tool $tm $mm" >> "$work/medians"
done
awk '{t[$1]=$2; m[$1]=$3} END {printf "ratio handbook/hugo: wall %.2f, memory %.2f\n", t["handbook"]/t["hugo"], m["handbook"]/m["hugo"]}' "$work/medians"
