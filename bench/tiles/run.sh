#!/usr/bin/env bash
# bench/tiles/run.sh — Meridian vector tiles against raw ST_AsMVT on the same database, in one run.
#
#   1. A private PostgreSQL + PostGIS and Redis (scripts/test.sh's start_postgres / start_redis; as root), or
#      BENCH_PG (an Npgsql keyword string of an existing server; tables bench_points and bench_polygons there are
#      dropped and re-created) and BENCH_REDIS.
#   2. bench/features/generate.sql: 1,000,000 points and 100,000 polygons, GiST indexes.
#   3. Raw baseline: pgbench runs the statement Meridian sends for a tile (tile.sql.in) at random addresses.
#   4. Uncached: `meridian serve --postgres … --set Cache:Enabled=false`, wrk with tiles.lua at random addresses
#      drawn like pgbench's.
#   5. Cached: the same server with its cache (in-memory, and Redis as L2 when BENCH_CACHED_REDIS=1), wrk cycling
#      over a hot set of BENCH_HOT addresses per thread, after one pass to fill the cache.
#      Peer: bare Kestrel (bench/tiles/peer) serving the same hot set's bytes from a dictionary, right after each
#      cached run: what a cache hit costs on this machine at that moment with nothing but Kestrel in the way.
#      Each cached cell runs twice: without Accept-Encoding (uncompressed tiles) and with the header a browser sends
#      (BENCH_BROWSER_ENCODING, "gzip, deflate, br, zstd"), which gets the compressed tiles Meridian caches.
#   6. A summary table, with the goals, appended to bench/RESULTS.md (unless BENCH_NO_RESULTS=1).
#
# Environment (optional): BENCH_DURATION (s per run, 20), BENCH_WARMUP (s, 5), BENCH_CACHED_WARMUP (s of load on the
# hot set before each cached run, 30: the hit path is other code than the misses of the server warm-up, and the JIT
# tiers it up over ~30 s — dense hits measured 14k, 22k, 24k, 27.5k req/s in successive 10 s windows), BENCH_SERVER_WARMUP (s of load
# right after start-up for the JIT, 30), BENCH_CONNECTIONS (16), BENCH_THREADS (2), BENCH_SEED (42), BENCH_HOT (64),
# BENCH_COLLECTIONS ("bench_points bench_polygons"), BENCH_ZOOMS ("5-7 8-12"), BENCH_NO_RESULTS, BENCH_NOTE,
# MERIDIAN_BIN (a built meridian.dll or executable), DOTNET.
# Requirements: wrk, pgbench/psql (postgresql-15), redis-server, curl, the .NET 10 SDK.
set -euo pipefail

BENCH_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO_ROOT="$(cd "$BENCH_DIR/../.." && pwd)"
# shellcheck source=../../scripts/test.sh
source "$REPO_ROOT/scripts/test.sh"

DURATION="${BENCH_DURATION:-20}" WARMUP="${BENCH_WARMUP:-5}" SERVER_WARMUP="${BENCH_SERVER_WARMUP:-30}" CACHED_WARMUP="${BENCH_CACHED_WARMUP:-30}"
CONNECTIONS="${BENCH_CONNECTIONS:-16}" THREADS="${BENCH_THREADS:-2}" SEED="${BENCH_SEED:-42}" HOT="${BENCH_HOT:-64}"
COLLECTIONS="${BENCH_COLLECTIONS:-bench_points bench_polygons}" ZOOMS="${BENCH_ZOOMS:-5-7 8-12}"
BROWSER_ENCODING="${BENCH_BROWSER_ENCODING:-gzip, deflate, br, zstd}"
DOTNET="${DOTNET:-dotnet}" PGBIN=/usr/lib/postgresql/15/bin
WORK="$(mktemp -d -t meridian-bench-tiles.XXXXXX)"
MERIDIAN_PID="" PEER_PID=""
declare -A R

stop_meridian() {
  [[ -n $MERIDIAN_PID ]] || return 0
  kill -TERM "$MERIDIAN_PID" 2>/dev/null || true
  wait "$MERIDIAN_PID" 2>/dev/null || true
  MERIDIAN_PID=""
}
cleanup() { [[ -z $PEER_PID ]] || kill -TERM "$PEER_PID" 2>/dev/null || true; stop_meridian; on_exit; rm -rf "$WORK"; }
trap cleanup EXIT

# --- services and data ---------------------------------------------------------------------------------------
if [[ -n ${BENCH_PG:-} ]]; then export MERIDIAN_TEST_POSTGRES="$BENCH_PG"; else start_postgres; fi
if [[ -n ${BENCH_REDIS:-} ]]; then export MERIDIAN_TEST_REDIS="$BENCH_REDIS"; else start_redis; fi
conn_value() { tr ';' '\n' <<<"$MERIDIAN_TEST_POSTGRES" | awk -F= -v k="$1" 'tolower($1) == tolower(k) {print substr($0, index($0, "=") + 1)}'; }
export PGHOST="$(conn_value Host)" PGPORT="$(conn_value Port)" PGUSER="$(conn_value Username)" PGPASSWORD="$(conn_value Password)" PGDATABASE="$(conn_value Database)"
log "generating 1,000,000 points and 100,000 polygons"
"$PGBIN/psql" -X -qAt -v ON_ERROR_STOP=1 -f "$REPO_ROOT/bench/features/generate.sql" >"$WORK/generate.out"

# wrk/pgbench summaries → R[label:rps|p50|p99|errors]
record_wrk() { # label output
  local line; line="$(grep '^WRKRESULT' "$2")"
  field() { sed -n "s/.* $1=\([0-9.]*\).*/\1/p" <<<"$line"; }
  R[$1:rps]=$(awk -v r="$(field requests)" -v d="$(field duration_us)" 'BEGIN {printf "%.0f", r / (d / 1e6)}')
  R[$1:p50]=$(awk -v v="$(field p50_us)" 'BEGIN {printf "%.1f", v / 1000}')
  R[$1:p99]=$(awk -v v="$(field p99_us)" 'BEGIN {printf "%.1f", v / 1000}')
  R[$1:errors]=$(( $(field connect_errors) + $(field read_errors) + $(field write_errors) + $(field status_errors) + $(field timeouts) ))
}
run_wrk() { # label collection zmin zmax hot seconds [accept-encoding]
  wrk -t"$THREADS" -c"$CONNECTIONS" -d"${6}s" --latency -s "$BENCH_DIR/tiles.lua" "http://127.0.0.1:$PORT" -- "$2" "$3" "$4" "$SEED" "$5" "${7:-}" >"$WORK/wrk-$1.out" 2>&1
}

# --- 3. raw ST_AsMVT -------------------------------------------------------------------------------------------
for coll in $COLLECTIONS; do
  sed "s/@TABLE@/$coll/g" "$BENCH_DIR/tile.sql.in" >"$WORK/tile-$coll.sql"
  for zooms in $ZOOMS; do
    label="sql:$coll:$zooms"
    log "pgbench $coll z$zooms"
    args=(-n -M prepared -c "$CONNECTIONS" -j "$THREADS" --random-seed="$SEED" -D zmin="${zooms%-*}" -D zmax="${zooms#*-}" -D 'tsformat=YYYY-MM-DD"T"HH24:MI:SS"Z"' -f "$WORK/tile-$coll.sql")
    "$PGBIN/pgbench" "${args[@]}" -T "$WARMUP" >/dev/null 2>&1
    "$PGBIN/pgbench" "${args[@]}" -T "$DURATION" >"$WORK/pgbench-$coll-$zooms.out" 2>&1 || { cat "$WORK/pgbench-$coll-$zooms.out" >&2; exit 1; }
    R[$label:rps]=$(awk '/^tps/ {printf "%.0f", $3}' "$WORK/pgbench-$coll-$zooms.out")
    R[$label:p50]=$(awk '/^latency average/ {print $4}' "$WORK/pgbench-$coll-$zooms.out")
    R[$label:p99]="-"
  done
done

# --- 4./5. Meridian --------------------------------------------------------------------------------------------
if [[ -n ${MERIDIAN_BIN:-} ]]; then
  MERIDIAN=("$MERIDIAN_BIN")
else
  log "building Meridian (Release)"
  "$DOTNET" build "$REPO_ROOT/src/Meridian" -c Release --verbosity quiet -o "$WORK/bin" >"$WORK/build.log" 2>&1 || { cat "$WORK/build.log" >&2; exit 1; }
  MERIDIAN=("$DOTNET" "$WORK/bin/meridian.dll")
fi
[[ ${MERIDIAN[0]} == *.dll ]] && MERIDIAN=("$DOTNET" "${MERIDIAN[@]}")

start_meridian() { # label settings...
  local label=$1; shift
  PORT="$(free_port)"
  local sets=(); for s in "$@"; do sets+=(--set "$s"); done
  "${MERIDIAN[@]}" serve --postgres "$MERIDIAN_TEST_POSTGRES" --urls "http://127.0.0.1:$PORT" "${sets[@]}" >"$WORK/meridian-$label.log" 2>&1 &
  MERIDIAN_PID=$!
  for _ in $(seq 1 600); do
    [[ "$(curl -s -o /dev/null -w '%{http_code}' --max-time 1 "http://127.0.0.1:$PORT/ready" || true)" == 200 ]] && break
    sleep 0.1
  done
  log "meridian ($label) on port $PORT: ${SERVER_WARMUP}s of load for the JIT"
  local each=$(( SERVER_WARMUP / 2 > 0 ? SERVER_WARMUP / 2 : 1 ))
  for coll in $COLLECTIONS; do run_wrk "jit-$label-$coll" "$coll" 8 12 0 "$(( each / $(wc -w <<<"$COLLECTIONS") + 1 ))"; done
}

start_meridian uncached Cache:Enabled=false
for coll in $COLLECTIONS; do for zooms in $ZOOMS; do
  log "wrk uncached $coll z$zooms"
  run_wrk "warm" "$coll" "${zooms%-*}" "${zooms#*-}" 0 "$WARMUP"
  run_wrk "uncached-$coll-$zooms" "$coll" "${zooms%-*}" "${zooms#*-}" 0 "$DURATION"
  record_wrk "uncached:$coll:$zooms" "$WORK/wrk-uncached-$coll-$zooms.out"
done; done
stop_meridian

cached_settings=()
[[ ${BENCH_CACHED_REDIS:-0} == 1 ]] && cached_settings+=("Cache:Redis=$MERIDIAN_TEST_REDIS")
log "building the bare Kestrel peer (Release)"
"$DOTNET" build "$BENCH_DIR/peer" -c Release --verbosity quiet -o "$WORK/peer" >"$WORK/peer-build.log" 2>&1 || { cat "$WORK/peer-build.log" >&2; exit 1; }
start_meridian cached "${cached_settings[@]}"
MERIDIAN_PORT=$PORT PEER_PORT="$(free_port)"
"$DOTNET" "$WORK/peer/Meridian.Bench.Tiles.Peer.dll" "http://127.0.0.1:$PEER_PORT" "http://127.0.0.1:$MERIDIAN_PORT" >"$WORK/peer.log" 2>&1 &
PEER_PID=$!
for coll in $COLLECTIONS; do for zooms in $ZOOMS; do
  for coding in identity browser; do
    encoding=""; [[ $coding == browser ]] && encoding="$BROWSER_ENCODING"
    # The first pass on a cell tiers up the hit path; the compressed pass only adds that cell's compressed entries.
    fill=$CACHED_WARMUP; [[ $coding == browser ]] && fill=$(( CACHED_WARMUP / 3 + 1 ))
    PORT=$MERIDIAN_PORT
    log "wrk cached $coll z$zooms, $coding coding (hot set of $HOT per thread)"
    run_wrk "fill" "$coll" "${zooms%-*}" "${zooms#*-}" "$HOT" "$fill" "$encoding"
    run_wrk "cached-$coding-$coll-$zooms" "$coll" "${zooms%-*}" "${zooms#*-}" "$HOT" "$DURATION" "$encoding"
    record_wrk "cached-$coding:$coll:$zooms" "$WORK/wrk-cached-$coding-$coll-$zooms.out"
    # The peer's JIT has less to tier up than Meridian's hit path: a third of the warm-up.
    PORT=$PEER_PORT
    log "wrk bare Kestrel peer $coll z$zooms, $coding coding"
    run_wrk "peer-fill" "$coll" "${zooms%-*}" "${zooms#*-}" "$HOT" "$(( CACHED_WARMUP / 3 + 1 ))" "$encoding"
    run_wrk "peer-$coding-$coll-$zooms" "$coll" "${zooms%-*}" "${zooms#*-}" "$HOT" "$DURATION" "$encoding"
    record_wrk "peer-$coding:$coll:$zooms" "$WORK/wrk-peer-$coding-$coll-$zooms.out"
  done
done; done
kill -TERM "$PEER_PID" 2>/dev/null || true; wait "$PEER_PID" 2>/dev/null || true; PEER_PID=""
PORT=$MERIDIAN_PORT
stop_meridian

# --- 6. report -------------------------------------------------------------------------------------------------
v() { echo "${R[$1]:--}"; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN {if (a == "" || b == "" || a == "-" || b == "-" || b + 0 == 0) print "-"; else printf "%.2f", a / b}'; }
REPORT="$WORK/report.md"
{
  echo "| collection | zoom | raw ST_AsMVT tiles/s (mean ms) | Meridian uncached tiles/s (p50 / p99 ms) | uncached / raw | Meridian cached req/s (p50 / p99 ms) | bare Kestrel peer req/s (p50 / p99 ms) | cached / peer | Meridian cached, browser's Accept-Encoding, req/s (p50 / p99 ms) | peer, same (p50 / p99 ms) | errors |"
  echo "|---|---|---|---|---|---|---|---|---|---|---|"
  for coll in $COLLECTIONS; do for zooms in $ZOOMS; do
    cell() { echo "$(v "$1:$coll:$zooms:rps") ($(v "$1:$coll:$zooms:p50") / $(v "$1:$coll:$zooms:p99"))"; }
    errors=0; for run in uncached cached-identity peer-identity cached-browser peer-browser; do errors=$(( errors + ${R[$run:$coll:$zooms:errors]:-0} )); done
    echo "| $coll | $zooms | $(v "sql:$coll:$zooms:rps") ($(v "sql:$coll:$zooms:p50")) | $(cell uncached) | $(ratio "$(v "uncached:$coll:$zooms:rps")" "$(v "sql:$coll:$zooms:rps")") | $(cell cached-identity) | $(cell peer-identity) | $(ratio "$(v "cached-identity:$coll:$zooms:rps")" "$(v "peer-identity:$coll:$zooms:rps")") | $(cell cached-browser) | $(cell peer-browser) | $errors |"
  done; done
  echo
  echo "Goals: uncached ≥ 0.80 of raw; cached ≥ 30,000 req/s with p99 < 20 ms (the peer is no goal: it shows what the machine gave a bare cache hit in the same minute). The first cached columns send no Accept-Encoding, so tiles go uncompressed; the browser's columns send \`Accept-Encoding: $BROWSER_ENCODING\` (what MapLibre in a browser sends) and get the compressed tiles Meridian caches. wrk counts 204 (empty tile) as a success; so does pgbench an empty tile."
} >"$REPORT"
cat "$REPORT"
if [[ ${BENCH_NO_RESULTS:-0} != 1 ]]; then
  {
    echo
    echo "## Tiles, $(date -u +%Y-%m-%dT%H:%MZ)"
    echo
    echo "- Machine: $(nproc) cores, $(awk -F': ' '/^model name/ {print $2; exit}' /proc/cpuinfo); commit $(git -C "$REPO_ROOT" rev-parse --short HEAD)"
    echo "- Load: $CONNECTIONS connections, $THREADS threads, ${WARMUP} s warm-up (${CACHED_WARMUP} s before cached runs) + ${DURATION} s per run, seed $SEED, hot set $HOT per thread; cache: $([[ ${BENCH_CACHED_REDIS:-0} == 1 ]] && echo "in-memory L1 + Redis L2" || echo in-memory)"
    [[ -n ${BENCH_NOTE:-} ]] && echo "- Note: $BENCH_NOTE"
    echo
    cat "$REPORT"
  } >>"$REPO_ROOT/bench/RESULTS.md"
fi
