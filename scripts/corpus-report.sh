#!/bin/sh
# Checks each folder of ../shared/corpus (real content written by others)
# with a handbook binary and prints the findings per corpus and rule, for
# the notes of a change that touches Markdown or the rules: run it with
# the binary before and after. The corpus is copied first, so the check
# writes nothing beside it.
#   scripts/corpus-report.sh [handbook binary] [corpus folder]
set -eu
bin=${1:-bin/handbook}
corpus=${2:-../shared/corpus}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
for d in "$corpus"/*/; do
	name=$(basename "$d")
	cp -r "$d" "$work/$name"
	"$bin" -C "$work/$name" check --format json --no-cache >"$work/$name.json" 2>/dev/null || true
	python3 - "$name" "$work/$name.json" <<'PY'
import json, sys, collections
name, path = sys.argv[1], sys.argv[2]
try:
    data = json.load(open(path))
except Exception as e:
    print(f"{name}: no JSON ({e})")
    sys.exit()
items = data if isinstance(data, list) else data.get("findings") or data.get("diagnostics") or []
c = collections.Counter((d.get("severity"), d.get("rule")) for d in items)
total = sum(c.values())
print(f"{name}: {total} findings")
for (sev, rule), n in sorted(c.items(), key=lambda x: (-x[1], x[0][1] or "")):
    print(f"  {n:5d} {sev} {rule}")
PY
done
