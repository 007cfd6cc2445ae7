#!/usr/bin/env bash
# Prints the exported surface (names per kind, `go doc -all` lines) of the public packages: scripts/surface.sh [pkg...]
set -euo pipefail
cd "$(dirname "$0")/.."
exec go run scripts/surface.go "$@"
