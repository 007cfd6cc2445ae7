#!/usr/bin/env bash
# The README's test command: every test of every package, under the race
# detector, including the committed fuzz seed corpora (go test runs them as
# ordinary tests). Extra arguments go to go test, e.g. scripts/test.sh -v.
set -euo pipefail
cd "$(dirname "$0")/.."

race=-race
if [ "$(go env CGO_ENABLED)" != "1" ] || ! command -v "$(go env CC)" >/dev/null 2>&1; then
	# The race detector needs cgo and a C compiler; .ci/run installs gcc.
	echo "scripts/test.sh: no C compiler, running without -race" >&2
	race=
fi
exec go test $race -count=1 -timeout 20m "$@" ./...
