cap() { local n=$1; shift; curl -sS -i --raw --max-time 20 "$@" > /tmp/live-lab/raw/$n.raw; echo "== $n"; head -c 600 /tmp/live-lab/raw/$n.raw; echo; }
