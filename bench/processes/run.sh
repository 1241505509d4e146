#!/usr/bin/env bash
# bench/processes/run.sh — the process library on PostGIS, against hand-written SQL in the same run.
#
#   1. A private PostgreSQL + PostGIS (scripts/test.sh's start_postgres; as root), or BENCH_PG (an Npgsql keyword
#      string of an existing server; its tables bench_points and bench_polygons are dropped and re-created).
#   2. bench/features/generate.sql: 1,000,000 points and 100,000 polygons, GiST indexes.
#   3. Buffer + dissolve of the 100,000 polygons, BENCH_REPEAT times each, alternating:
#        SQL:      CREATE TABLE … AS SELECT ST_Multi(ST_Union(ST_Buffer(geom::geography, D)::geometry)) FROM bench_polygons
#                  WHERE ST_Within(geom, ST_MakeEnvelope(-179, -80, 179, 80, 4326))
#        Meridian: POST /processes/buffer/execution {"input": {"collection": "bench_polygons", "filter":
#                  "S_WITHIN(geom, BBOX(-179, -80, 179, 80))"}, "distance": D, "dissolve": true, "output": {"collection": …}}
#                  (synchronous), which Meridian runs as one statement.
#      Both leave out the polygons within a degree of the antimeridian: geography buffers across it come back
#      self-intersecting and GEOS cannot union them (Meridian answers that with a 400 naming the input).
#      Goal: Meridian within 1.5x of the SQL (best of the repeats each).
#   4. Buffer of the 1,000,000 points through NetTopologySuite (the streaming path: a PostGIS collection into a
#      GeoJSON file in the object store), on a fresh server: its peak RSS (VmHWM) and RSS sampled every 0.5 s.
#      Goal: < 500 MB.
#   5. A summary table appended to bench/RESULTS.md (unless BENCH_NO_RESULTS=1).
#
# Environment (optional): BENCH_DISTANCE (metres, 1000), BENCH_REPEAT (2), BENCH_SKIP_MEMORY=1, BENCH_NO_RESULTS=1,
# BENCH_NOTE, MERIDIAN_BIN (a built meridian.dll or executable), DOTNET.
# Requirements: psql (postgresql-15), curl, the .NET 10 SDK.
set -euo pipefail

BENCH_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO_ROOT="$(cd "$BENCH_DIR/../.." && pwd)"
# shellcheck source=../../scripts/test.sh
source "$REPO_ROOT/scripts/test.sh"

DISTANCE="${BENCH_DISTANCE:-1000}" REPEAT="${BENCH_REPEAT:-2}"
DOTNET="${DOTNET:-dotnet}" PGBIN=/usr/lib/postgresql/15/bin
WORK="$(mktemp -d -t meridian-bench-processes.XXXXXX)"
API_KEY="bench-processes-$(head -c 12 /dev/urandom | od -An -tx1 | tr -d ' \n')"
MERIDIAN_PID=""

stop_meridian() {
  [[ -n $MERIDIAN_PID ]] || return 0
  kill -TERM "$MERIDIAN_PID" 2>/dev/null || true
  wait "$MERIDIAN_PID" 2>/dev/null || true
  MERIDIAN_PID=""
}
cleanup() { stop_meridian; on_exit; rm -rf "$WORK"; }
trap cleanup EXIT

# --- 1./2. services and data ---------------------------------------------------------------------------------
if [[ -n ${BENCH_PG:-} ]]; then export MERIDIAN_TEST_POSTGRES="$BENCH_PG"; else start_postgres; fi
conn_value() { tr ';' '\n' <<<"$MERIDIAN_TEST_POSTGRES" | awk -F= -v k="$1" 'tolower($1) == tolower(k) {print substr($0, index($0, "=") + 1)}'; }
export PGHOST="$(conn_value Host)" PGPORT="$(conn_value Port)" PGUSER="$(conn_value Username)" PGPASSWORD="$(conn_value Password)" PGDATABASE="$(conn_value Database)"
PSQL=("$PGBIN/psql" -X -qAt -v ON_ERROR_STOP=1)
log "generating 1,000,000 points and 100,000 polygons"
"${PSQL[@]}" -f "$REPO_ROOT/bench/features/generate.sql" >"$WORK/generate.out"

if [[ -n ${MERIDIAN_BIN:-} ]]; then
  MERIDIAN=("$MERIDIAN_BIN")
else
  log "building Meridian (Release)"
  "$DOTNET" build "$REPO_ROOT/src/Meridian" -c Release --verbosity quiet -o "$WORK/bin" >"$WORK/build.log" 2>&1 || { cat "$WORK/build.log" >&2; exit 1; }
  MERIDIAN=("$WORK/bin/meridian.dll")
fi
[[ ${MERIDIAN[0]} == *.dll ]] && MERIDIAN=("$DOTNET" "${MERIDIAN[@]}")

start_meridian() { # label
  PORT="$(free_port)"
  MERIDIAN__Security__ApiKeys__0="$API_KEY" "${MERIDIAN[@]}" serve --postgres "$MERIDIAN_TEST_POSTGRES" --data "$WORK/data-$1" \
    --urls "http://127.0.0.1:$PORT" >"$WORK/meridian-$1.log" 2>&1 &
  MERIDIAN_PID=$!
  for _ in $(seq 1 600); do
    [[ "$(curl -s -o /dev/null -w '%{http_code}' --max-time 1 "http://127.0.0.1:$PORT/ready" || true)" == 200 ]] && return 0
    sleep 0.1
  done
  cat "$WORK/meridian-$1.log" >&2
  return 1
}

execute() { # process body → prints seconds; fails on anything but 200
  local out="$WORK/execute.out" status
  status="$(curl -s -o "$out" -w '%{http_code} %{time_total}' --max-time 3600 -X POST "http://127.0.0.1:$PORT/processes/$1/execution" \
    -H "X-API-Key: $API_KEY" -H 'Content-Type: application/json' -d "$2")"
  [[ ${status%% *} == 200 ]] || { echo "HTTP ${status%% *}: $(head -c 2000 "$out")" >&2; return 1; }
  echo "${status#* }"
}

seconds_since() { awk -v a="$1" -v b="$(date +%s%N)" 'BEGIN {printf "%.2f", (b - a) / 1e9}'; }
best() { tr ' ' '\n' <<<"$1" | grep -v '^$' | sort -g | head -1; }
cpu_busy() { # percent of the machine busy over the last second
  read -r _ a1 b1 c1 d1 e1 f1 g1 _ </proc/stat; sleep 1; read -r _ a2 b2 c2 d2 e2 f2 g2 _ </proc/stat
  awk -v busy=$(( (a2 + b2 + c2 + f2 + g2) - (a1 + b1 + c1 + f1 + g1) )) -v idle=$(( (d2 + e2) - (d1 + e1) )) 'BEGIN {printf "%.0f", 100 * busy / (busy + idle)}'
}

# --- 3. buffer + dissolve of the polygons ---------------------------------------------------------------------
CPU_BEFORE="$(cpu_busy)"
start_meridian dissolve
SQL_TIMES="" MERIDIAN_TIMES=""
for i in $(seq 1 "$REPEAT"); do
  log "hand-written SQL, run $i"
  # Dropped before the SQL run, so that Meridian's catalog (rediscovered every 5 s) no longer lists it when asked.
  "${PSQL[@]}" -c "DROP TABLE IF EXISTS sql_dissolved; DROP TABLE IF EXISTS meridian_dissolved"
  t0=$(date +%s%N)
  "${PSQL[@]}" -c "CREATE TABLE sql_dissolved AS SELECT ST_Multi(ST_Union(ST_Buffer(geom::geography, $DISTANCE)::geometry)) AS geom FROM bench_polygons WHERE ST_Within(geom, ST_MakeEnvelope(-179, -80, 179, 80, 4326))"
  SQL_TIMES+=" $(seconds_since "$t0")"
  log "hand-written SQL, run $i: ${SQL_TIMES##* } s"
  log "Meridian buffer + dissolve, run $i"
  MERIDIAN_TIMES+=" $(execute buffer "{\"inputs\": {\"input\": {\"collection\": \"bench_polygons\", \"filter\": \"S_WITHIN(geom, BBOX(-179, -80, 179, 80))\"}, \"distance\": $DISTANCE, \"dissolve\": true, \"output\": {\"collection\": \"meridian_dissolved\"}}}")"
  log "Meridian, run $i: ${MERIDIAN_TIMES##* } s"
done
SQL_AREA="$("${PSQL[@]}" -c "SELECT round(ST_Area(geom::geography)) FROM sql_dissolved")"
MERIDIAN_AREA="$("${PSQL[@]}" -c "SELECT round(ST_Area(geom::geography)) FROM meridian_dissolved")"
stop_meridian
SQL_BEST="$(best "$SQL_TIMES")" MERIDIAN_BEST="$(best "$MERIDIAN_TIMES")"
RATIO="$(awk -v m="$MERIDIAN_BEST" -v s="$SQL_BEST" 'BEGIN {printf "%.2f", m / s}')"
log "SQL:$SQL_TIMES s; Meridian:$MERIDIAN_TIMES s; ratio $RATIO; areas $SQL_AREA / $MERIDIAN_AREA m²"

# --- 4. streaming buffer of the points -------------------------------------------------------------------------
PEAK_MB="-" SAMPLED_MB="-" STREAM_S="-" FEATURES="-"
if [[ ${BENCH_SKIP_MEMORY:-0} != 1 ]]; then
  start_meridian memory
  log "Meridian buffer of 1,000,000 points into a GeoJSON file (NetTopologySuite, streaming)"
  ( max=0; while kill -0 "$MERIDIAN_PID" 2>/dev/null; do
      rss=$(awk '/^VmRSS/ {print $2}' "/proc/$MERIDIAN_PID/status" 2>/dev/null || echo 0)
      (( rss > max )) && max=$rss && echo "$max" >"$WORK/rss-max"
      sleep 0.5
    done ) &
  SAMPLER=$!
  STREAM_S="$(execute buffer "{\"inputs\": {\"input\": {\"collection\": \"bench_points\"}, \"distance\": $DISTANCE, \"output\": {\"format\": \"geojson\"}}, \"response\": \"document\"}")"
  FEATURES="$(sed -n 's/.*"features":\([0-9]*\).*/\1/p' "$WORK/execute.out")"
  PEAK_MB=$(( $(awk '/^VmHWM/ {print $2}' "/proc/$MERIDIAN_PID/status") / 1024 ))
  stop_meridian
  wait "$SAMPLER" 2>/dev/null || true
  SAMPLED_MB=$(( $(cat "$WORK/rss-max" 2>/dev/null || echo 0) / 1024 ))
  log "streamed $FEATURES buffers in $STREAM_S s; peak RSS $PEAK_MB MB (sampled max $SAMPLED_MB MB)"
fi
CPU_AFTER="$(cpu_busy)"

# --- 5. report -------------------------------------------------------------------------------------------------
pass() { awk -v v="$1" -v g="$2" 'BEGIN {if (v == "-") print "-"; else if (v + 0 < g + 0) print "PASS"; else print "FAIL"}'; }
REPORT="$WORK/report.md"
{
  echo "| case | hand-written SQL (s) | Meridian (s) | Meridian / SQL | goal |"
  echo "|---|---|---|---|---|"
  echo "| buffer ${DISTANCE} m + dissolve, 100,000 polygons (PostGIS) | best $SQL_BEST (runs:$SQL_TIMES) | best $MERIDIAN_BEST (runs:$MERIDIAN_TIMES) | $RATIO | < 1.5 $(pass "$RATIO" 1.5) |"
  echo
  echo "| case | features | seconds | peak RSS (VmHWM) | max sampled RSS | goal |"
  echo "|---|---|---|---|---|---|"
  echo "| buffer ${DISTANCE} m of 1,000,000 points → GeoJSON file (NetTopologySuite, streaming) | $FEATURES | $STREAM_S | $PEAK_MB MB | $SAMPLED_MB MB | < 500 MB $(pass "$PEAK_MB" 500) |"
  echo
  echo "Dissolved area: SQL $SQL_AREA m², Meridian $MERIDIAN_AREA m² (the same statement shape: they must agree). Machine busy before/after: ${CPU_BEFORE}% / ${CPU_AFTER}%."
} >"$REPORT"
cat "$REPORT"
if [[ ${BENCH_NO_RESULTS:-0} != 1 ]]; then
  {
    echo
    echo "## Processes, $(date -u +%Y-%m-%dT%H:%MZ) (bench/processes/run.sh, src $(git -C "$REPO_ROOT" rev-parse --short HEAD))"
    echo
    [[ -n ${BENCH_NOTE:-} ]] && { echo "$BENCH_NOTE"; echo; }
    cat "$REPORT"
  } >>"$REPO_ROOT/bench/RESULTS.md"
fi
