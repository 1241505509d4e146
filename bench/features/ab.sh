#!/usr/bin/env bash
# bench/features/ab.sh — an A/B of two Meridian builds serving item pages from one PostGIS database, loaded in turn
# (round after round, so that a change in the machine's speed falls on both alike).
#   BENCH_POSTGRES="Host=127.0.0.1;Port=5432;Username=u;Password=p;Database=postgres" \
#     bench/features/ab.sh /path/to/build-a/meridian /path/to/build-b/meridian [ROUNDS]
# BENCH_POSTGRES: an Npgsql connection string of a PostGIS server where the user may create databases; the script
# creates a database "abfeat" with bench/features/generate.sql's data (1,000,000 points) and drops it at the end.
# wrk -t2 -c16, 20 s warm-up per build, 10 s per load, limits 10 and 100, bbox.lua's 3-degree boxes. Needs wrk, psql.
set -euo pipefail
cd "$(dirname "$0")/../.."
A=$1; B=$2; ROUNDS=${3:-3}
PGURL=$(BENCH_POSTGRES=$BENCH_POSTGRES python3 -c '
import os, urllib.parse as u
kv = dict(p.split("=", 1) for p in os.environ["BENCH_POSTGRES"].split(";") if p)
user, password = u.quote(kv["Username"]), u.quote(kv.get("Password", ""))
print("postgresql://%s:%s@%s:%s" % (user, password, kv["Host"], kv.get("Port", "5432")))')
psql "$PGURL/postgres" -qc "DROP DATABASE IF EXISTS abfeat" -c "CREATE DATABASE abfeat"
psql "$PGURL/abfeat" -q -f bench/features/generate.sql >/dev/null
CONN=$(sed -E 's/(^|;)Database=[^;]*/\1Database=abfeat/' <<<"$BENCH_POSTGRES")
WORK=$(mktemp -d); PIDS=()
cleanup() {
  for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${PIDS[@]}"; do for _ in $(seq 1 350); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done; done
  psql "$PGURL/postgres" -qc "DROP DATABASE IF EXISTS abfeat WITH (FORCE)"; rm -rf "$WORK"
}
trap cleanup EXIT
export Logging__LogLevel__Default=Warning
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }
PA=$(free_port); PB=$(free_port)
"$A" serve --data "$WORK/a" --postgres "$CONN" --urls "http://127.0.0.1:$PA" >"$WORK/a.log" 2>&1 & PIDS+=($!)
"$B" serve --data "$WORK/b" --postgres "$CONN" --urls "http://127.0.0.1:$PB" >"$WORK/b.log" 2>&1 & PIDS+=($!)
for port in $PA $PB; do
  for _ in $(seq 1 300); do curl -fs -o /dev/null "http://127.0.0.1:$port/ready" && break; sleep 0.2; done
  wrk -t2 -c16 -d20s -s bench/features/bbox.lua "http://127.0.0.1:$port" -- bench_points 100 3000 >/dev/null
done
rps() { wrk -t2 -c16 -d10s -s bench/features/bbox.lua "http://127.0.0.1:$1" -- bench_points "$2" 3000 "$3" | awk '/Requests\/sec/ {printf "%d", $2}'; }
echo "A: $A   B: $B"
echo "| round | limit | A req/s | B req/s | B/A |"
echo "|---|---|---|---|---|"
for round in $(seq 1 "$ROUNDS"); do for limit in 10 100; do
  a=$(rps "$PA" "$limit" "$round"); b=$(rps "$PB" "$limit" "$round")
  python3 -c "print(f'| $round | $limit | $a | $b | {$b/$a:.2f} |')"
done; done
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg), cores: $(nproc)"
