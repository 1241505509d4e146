#!/usr/bin/env bash
# bench/analytics/run.sh — the analytics lake: the writer's rate, the API's queries against the raw DuckDB SQL, and what
# recording an event costs a request.
#
#   1. bench/analytics (Program.cs) `generate`: BENCH_EVENTS request events (2,000,000) spread over BENCH_DAYS days (7),
#      recorded through the real intake and written by the real writer to a local object store, BENCH_FILES_PER_HOUR
#      files an hour (60: one process flushing every minute, the default): events/s sustained.
#   2. `meridian serve` (Release) on that data directory with Gateway:Auth on and an admin key (`meridian keys create`);
#      each report query is asked BENCH_RUNS times (5) over HTTP (curl's total time; median), and the same SELECT is
#      run directly in DuckDB over a glob of every file (`raw`; median). The API's time includes listing and pruning the
#      partitions, checking each file's footer (cached after the first ask) and opening a locked-down DuckDB.
#      The same queries again after `meridian analytics compact` (timed) merged each closed hour into one file, and
#      `settle` deleted the merged files as the next run does after the grace; `report` times the API's two halves
#      in-process (file selection, DuckDB) beside the HTTP figure, before and after.
#   3. Cost per request: `GET /collections/countries/items?limit=10` (GeoPackage, Natural Earth countries) with wrk,
#      BENCH_DURATION s (20) per run, Analytics:Enabled=true and =false alternated over BENCH_ROUNDS rounds (2).
#   4. Prints the figures and appends a section to bench/RESULTS.md unless BENCH_NO_RESULTS=1.
#
# Usage:  bench/analytics/run.sh    Needs wrk, curl, jq and the .NET 10 SDK; the test data in ../shared/data.
set -euo pipefail

SCRIPT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO_ROOT="$(cd "$SCRIPT_DIR/../.." && pwd)"
EVENTS="${BENCH_EVENTS:-2000000}" DAYS="${BENCH_DAYS:-7}" FILES_PER_HOUR="${BENCH_FILES_PER_HOUR:-60}" RUNS="${BENCH_RUNS:-5}" DURATION="${BENCH_DURATION:-20}" ROUNDS="${BENCH_ROUNDS:-2}"
DATA_FILE="${MERIDIAN_SHARED_DATA:-$REPO_ROOT/../shared/data}/naturalearth/ne_110m_admin_0_countries.geojson"
WORK="$(mktemp -d -t meridian-bench-analytics.XXXXXX)"
# shellcheck source=../../scripts/test.sh
source "$REPO_ROOT/scripts/test.sh"
for tool in wrk curl jq dotnet; do command -v "$tool" >/dev/null || { echo "missing $tool" >&2; exit 1; }; done
[[ -f $DATA_FILE ]] || { echo "missing $DATA_FILE (set MERIDIAN_SHARED_DATA)" >&2; exit 1; }

server_pid=""
stop_server() {
    if [[ -n $server_pid ]]; then kill "$server_pid" 2>/dev/null || true; wait "$server_pid" 2>/dev/null || true; fi
    server_pid=""
}
cleanup() { stop_server; rm -rf "$WORK"; }
trap cleanup EXIT

log "building (Release)"
dotnet build "$REPO_ROOT/src/Meridian" -c Release --verbosity quiet -o "$WORK/meridian" >/dev/null
dotnet build "$SCRIPT_DIR" -c Release --verbosity quiet -o "$WORK/bench" >/dev/null
meridian() { MERIDIAN__Data="$WORK/data" dotnet "$WORK/meridian/meridian.dll" "$@"; }

log "generating $EVENTS events over $DAYS days, $FILES_PER_HOUR files an hour"
generated="$(dotnet "$WORK/bench/Meridian.Bench.Analytics.dll" generate "$WORK/data" "$EVENTS" "$DAYS" "$FILES_PER_HOUR")"
echo "$generated"
meridian ingest "$DATA_FILE" --collection countries >/dev/null
admin_key="$(meridian keys create --tenant ops --scope admin | grep -o 'mrd_[A-Za-z0-9_-]*' | head -1)"

# Starts `meridian serve` with the given settings (environment assignments) on a free port; sets $port.
start_server() {
    port="$(free_port)"
    env "$@" MERIDIAN__Data="$WORK/data" MERIDIAN__Gateway__Auth__Enabled=true \
        dotnet "$WORK/meridian/meridian.dll" serve --urls "http://127.0.0.1:$port" >"$WORK/serve.log" 2>&1 &
    server_pid=$!
    for _ in $(seq 1 600); do curl -fs "http://127.0.0.1:$port/ready" >/dev/null 2>&1 && return 0; sleep 0.1; done
    tail -20 "$WORK/serve.log" >&2
    return 1
}

median() { sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }
now="$(date -u +%Y-%m-%dT%H:%M:%SZ)"
week_ago="$(date -u -d "-$DAYS days" +%Y-%m-%dT%H:%M:%SZ)"
day_ago="$(date -u -d '-1 day' +%Y-%m-%dT%H:%M:%SZ)"
queries=("$week_ago $now endpoint none" "$week_ago $now tenant,collection day" "$day_ago $now status hour")

# One row per query: the API over HTTP, its halves in-process (file selection, DuckDB), and the raw SQL over a glob.
measure_queries() {
    local stage="$1" from to group interval url api_rows api_ms raw raw_ms report line
    for q in "${queries[@]}"; do
        read -r from to group interval <<<"$q"
        url="http://127.0.0.1:$port/admin/analytics/requests?from=$from&to=$to&groupBy=$group&interval=$interval&limit=10000"
        api_rows="$(curl -fs -H "X-API-Key: $admin_key" "$url" | jq '.rows | length')"
        api_ms="$(for _ in $(seq 1 "$RUNS"); do curl -fs -o /dev/null -w '%{time_total}\n' -H "X-API-Key: $admin_key" "$url"; done | awk '{ print $1 * 1000 }' | median)"
        report="$(dotnet "$WORK/bench/Meridian.Bench.Analytics.dll" report "$WORK/data" "$from" "$to" "$group" "$interval" "$RUNS")"
        raw="$(dotnet "$WORK/bench/Meridian.Bench.Analytics.dll" raw "$WORK/data" "$from" "$to" "$group" "$interval" "$RUNS")"
        raw_ms="$(grep -o 'median_ms=[0-9.]*' <<<"$raw" | cut -d= -f2)"
        line="| $stage | groupBy=$group interval=$interval, $(( ($(date -d "$to" +%s) - $(date -d "$from" +%s)) / 3600 )) h | $(grep -o 'files=[0-9]*' <<<"$report" | cut -d= -f2) | $api_rows | $api_ms"
        line+=" | $(grep -o ' select_ms=[0-9.]*' <<<"$report" | cut -d= -f2) | $(grep -o 'duckdb_ms=[0-9.]*' <<<"$report" | cut -d= -f2) | $(grep -o 'rows=[0-9]*' <<<"$raw" | cut -d= -f2) | $raw_ms |"
        echo "$line"
        table+="$line"$'\n'
    done
}

start_server MERIDIAN__Analytics__Enabled=true MERIDIAN__Analytics__MaintenanceMinutes=0
table=""
measure_queries "before compaction"
log "compacting"
compact_start="$(date +%s.%N)"
compacted="$(meridian analytics compact)"
compact_s="$(awk -v a="$compact_start" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f", b - a }')"
settled="$(dotnet "$WORK/bench/Meridian.Bench.Analytics.dll" settle "$WORK/data")"
echo "$compacted in ${compact_s} s; $settled"
measure_queries "after compaction"
stop_server

requests_per_second() {
    wrk -t2 -c32 -d"${DURATION}s" --latency "http://127.0.0.1:$port/collections/countries/items?limit=10" | awk '/Requests\/sec/ { print $2 }'
}
on_rates=() off_rates=()
for round in $(seq 1 "$ROUNDS"); do
    for state in true false; do
        start_server MERIDIAN__Analytics__Enabled="$state"
        wrk -t2 -c32 -d3s "http://127.0.0.1:$port/collections/countries/items?limit=10" >/dev/null # warm-up (JIT, caches)
        rate="$(requests_per_second)"
        log "round $round, analytics $state: $rate requests/s"
        if [[ $state == true ]]; then on_rates+=("$rate"); else off_rates+=("$rate"); fi
        stop_server
    done
done
on="$(printf '%s\n' "${on_rates[@]}" | median)" off="$(printf '%s\n' "${off_rates[@]}" | median)"
echo "features items with analytics on: $on requests/s, off: $off requests/s"

if [[ ${BENCH_NO_RESULTS:-0} != 1 ]]; then
    cat >>"$REPO_ROOT/bench/RESULTS.md" <<MD

## Analytics lake ($(date -u +%Y-%m-%dT%H:%MZ), commit $(git -C "$REPO_ROOT" rev-parse --short HEAD), bench/analytics/run.sh)

Machine: $(nproc) cores shared with other work, load average $(cut -d' ' -f1-3 /proc/loadavg) at the end. Command: \`bench/analytics/run.sh\`
(BENCH_EVENTS=$EVENTS, BENCH_DAYS=$DAYS, BENCH_RUNS=$RUNS, BENCH_DURATION=$DURATION, BENCH_ROUNDS=$ROUNDS).

Writer (real intake → writer → local object store, $FILES_PER_HOUR files an hour): \`$generated\`.

Compaction, \`meridian analytics compact\`: $compacted in $compact_s s; then $settled (the merged files deleted, as its next run does).

Report queries, \`/admin/analytics/requests\` over HTTP (median of $RUNS, curl's total time; partitions listed and pruned,
footers checked, DuckDB opened and locked down per query), the same path in-process split into file selection and
DuckDB (medians), against the same SELECT run directly in DuckDB over a glob of every file (median of $RUNS):

| lake | query | files read | API rows | API ms | select ms | DuckDB ms | raw rows | raw ms |
|---|---|---|---|---|---|---|---|---|
$table
Cost of recording per request: \`GET /collections/countries/items?limit=10\` (GeoPackage), wrk -t2 -c32, ${DURATION} s per run,
median of $ROUNDS rounds: analytics on **$on** requests/s, off **$off** requests/s.
MD
    log "appended to bench/RESULTS.md"
fi
