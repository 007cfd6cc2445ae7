#!/usr/bin/env bash
# Fuzz every fuzz target in the module for a given time each.
#
#   scripts/fuzz.sh            # 30s per target
#   scripts/fuzz.sh 5m         # 5 minutes per target
#   scripts/fuzz.sh 1m ./probe # only the targets of one package
#
# New failing inputs land in the package's testdata/fuzz/<Target>/ and
# become seeds that `go test ./...` (and CI) runs from then on: commit them
# with the fix.
set -euo pipefail
cd "$(dirname "$0")/.."
fuzztime=${1:-30s}
shift || true
pkgs=("$@")
[ ${#pkgs[@]} -gt 0 ] || pkgs=(./...)

status=0
for pkg in $(go list "${pkgs[@]}"); do
	dir=$(go list -f '{{.Dir}}' "$pkg")
	targets=$(grep -ho '^func Fuzz[A-Za-z0-9_]*' "$dir"/*_test.go 2>/dev/null | sed 's/^func //' | sort -u || true)
	for t in $targets; do
		echo "== $pkg $t ($fuzztime)"
		if ! go test -run='^$' -fuzz="^${t}\$" -fuzztime="$fuzztime" "$pkg"; then
			status=1
		fi
	done
done
exit $status
