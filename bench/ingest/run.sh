#!/usr/bin/env bash
# bench/ingest/run.sh — `meridian ingest` against `ogr2ogr -f PostgreSQL` (PG_USE_COPY=YES), side by side in one
# run on the same database, for the 1,000,000-point and 100,000-polygon GeoJSON files.
#
#   1. PostgreSQL+PostGIS (private, via scripts/test.sh's start_postgres; or BENCH_PG, an Npgsql keyword string);
#      the data of bench/features/generate.sql
#      exported once to GeoJSON with ogr2ogr (points.geojson ~ 190 MB, polygons.geojson).
#   2. Meridian as released: `dotnet publish -r linux-x64` (ReadyToRun), unless MERIDIAN_BIN names a build. A
#      `meridian serve` of it on the same database, warmed by one untimed ingest of each file.
#   3. For each file, alternately (BENCH_ROUNDS times): ogr2ogr into a fresh table; `meridian ingest FILE` (a
#      process of its own, cold); `meridian ingest FILE --server URL` (the file uploaded to the running server,
#      which loads it as a job; timed until the CLI has seen the job end). Each under /usr/bin/time -v for wall
#      time and peak RSS (the server's peak is its VmHWM at the end); row counts checked.
#   4. Prints features/s, the ratios (goal: Meridian >= 1.5x ogr2ogr) and peak RSS (goal: < 400 MB), and appends a
#      section to bench/RESULTS.md unless BENCH_NO_RESULTS=1.
#
# Usage (as root):  bench/ingest/run.sh      Environment: BENCH_PG, BENCH_ROUNDS (default 2), BENCH_KEEP=1, MERIDIAN_BIN.
set -euo pipefail

SCRIPT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO_ROOT="$(cd "$SCRIPT_DIR/../.." && pwd)"
ROUNDS="${BENCH_ROUNDS:-2}"
WORK="$(mktemp -d -t meridian-bench-ingest.XXXXXX)"
# shellcheck source=../../scripts/test.sh
source "$REPO_ROOT/scripts/test.sh"

SERVER_PID=
cleanup() {
    [[ -n "$SERVER_PID" ]] && kill "$SERVER_PID" 2>/dev/null && wait "$SERVER_PID" 2>/dev/null
    on_exit
    if [[ "${BENCH_KEEP:-0}" == 1 ]]; then log "kept $WORK"; else rm -rf "$WORK"; fi
}
trap cleanup EXIT

if [[ -n ${BENCH_PG:-} ]]; then export MERIDIAN_TEST_POSTGRES="$BENCH_PG"; PG_DESC="existing server"; else start_postgres; PG_DESC="private PostgreSQL 15 (fsync off)"; fi
conn_value() { tr ';' '\n' <<<"$MERIDIAN_TEST_POSTGRES" | awk -F= -v k="$1" 'tolower($1) == tolower(k) {print substr($0, index($0, "=") + 1)}'; }
export PGHOST="$(conn_value Host)" PGPORT="$(conn_value Port)" PGUSER="$(conn_value Username)" PGPASSWORD="$(conn_value Password)" PGDATABASE="$(conn_value Database)"
NPGSQL_CONN="$MERIDIAN_TEST_POSTGRES"
OGR_PG="PG:host=$PGHOST port=$PGPORT dbname=$PGDATABASE user=$PGUSER password=$PGPASSWORD"
PSQL=(/usr/lib/postgresql/15/bin/psql -X -v ON_ERROR_STOP=1 -qAt)
"${PSQL[@]}" -F ' ' -f "$REPO_ROOT/bench/features/generate.sql" >/dev/null
for table in bench_points bench_polygons; do
    # Names in public, where generate.sql put them: the server below makes a schema named after the database user
    # (its job store), and GDAL resolves an unqualified name in the first schema of the search path only.
    ogr2ogr -f GeoJSON "$WORK/$table.geojson" "$OGR_PG" "public.$table" -lco RFC7946=YES -lco WRITE_BBOX=NO
    log "exported $table: $(du -m "$WORK/$table.geojson" | cut -f1) MB"
done

if [[ -n "${MERIDIAN_BIN:-}" ]]; then
    MERIDIAN=("$MERIDIAN_BIN")
else
    log "publishing Meridian (Release, linux-x64: ReadyToRun)"
    dotnet publish "$REPO_ROOT/src/Meridian" -c Release -r linux-x64 --self-contained false -o "$WORK/meridian" -v q -nologo >/dev/null
    MERIDIAN=("$WORK/meridian/meridian")
fi

SERVER_PORT=$(free_port)
SERVER_URL="http://127.0.0.1:$SERVER_PORT"
MERIDIAN_API_KEY="bench-$(head -c 16 /dev/urandom | od -An -tx1 | tr -d ' \n')"
export MERIDIAN_API_KEY
MERIDIAN__Security__ApiKeys__0="$MERIDIAN_API_KEY" "${MERIDIAN[@]}" serve --data "$WORK/server" --postgres "$NPGSQL_CONN" \
    --urls "$SERVER_URL" >"$WORK/server.log" 2>&1 &
SERVER_PID=$!
for _ in $(seq 1 300); do
    [[ "$(curl -s -o /dev/null -w '%{http_code}' "$SERVER_URL/ready")" == 200 ]] && break
    kill -0 "$SERVER_PID" 2>/dev/null || { cat "$WORK/server.log" >&2; exit 1; }
    sleep 0.1
done
for table in bench_points bench_polygons; do
    "${PSQL[@]}" -c "DROP TABLE IF EXISTS public.\"warm_$table\"" >/dev/null
    "${MERIDIAN[@]}" ingest "$WORK/$table.geojson" --collection "warm_$table" --server "$SERVER_URL" >/dev/null 2>&1 \
        || { log "warm-up ingest into the server failed"; cat "$WORK/server.log" >&2; exit 1; }
    "${PSQL[@]}" -c "DROP TABLE public.\"warm_$table\"" >/dev/null
done
log "meridian serve on $SERVER_URL, warmed by one ingest of each file"

# measure NAME TABLE CMD... : runs the command under /usr/bin/time -v, checks the row count, prints "seconds rss_mb"
measure() {
    local name=$1 table=$2; shift 2
    "${PSQL[@]}" -c "DROP TABLE IF EXISTS public.\"$table\"" >/dev/null
    /usr/bin/time -v -o "$WORK/$name.time" "$@" >"$WORK/$name.out" 2>&1 || { cat "$WORK/$name.out" >&2; exit 1; }
    local seconds rss rows
    seconds=$(awk -F': ' '/Elapsed \(wall clock\)/ {n=split($2,p,":"); s=0; for(i=1;i<=n;i++) s=s*60+p[i]; print s}' "$WORK/$name.time")
    rss=$(awk -F': ' '/Maximum resident set size/ {printf "%d", $2/1024}' "$WORK/$name.time")
    rows=$("${PSQL[@]}" -c "SELECT count(*) FROM public.\"$table\"")
    echo "$seconds $rss $rows"
}

declare -A BEST_RATE BEST_RSS
summary=()
for table in bench_points bench_polygons; do
    expected=$("${PSQL[@]}" -c "SELECT count(*) FROM public.$table")
    for round in $(seq 1 "$ROUNDS"); do
        read -r s_ogr rss_ogr rows_ogr < <(PG_USE_COPY=YES measure "ogr-$table-$round" "ogr_$table" \
            ogr2ogr -f PostgreSQL "$OGR_PG" "$WORK/$table.geojson" -nln "ogr_$table" -lco SCHEMA=public -lco GEOMETRY_NAME=geom -lco SPATIAL_INDEX=GIST)
        read -r s_mer rss_mer rows_mer < <(measure "meridian-$table-$round" "meridian_$table" \
            "${MERIDIAN[@]}" ingest "$WORK/$table.geojson" --collection "meridian_$table" --postgres "$NPGSQL_CONN")
        read -r s_srv _ rows_srv < <(measure "server-$table-$round" "server_$table" \
            "${MERIDIAN[@]}" ingest "$WORK/$table.geojson" --collection "server_$table" --server "$SERVER_URL")
        [[ "$rows_ogr" == "$expected" && "$rows_mer" == "$expected" && "$rows_srv" == "$expected" ]] \
            || { log "row counts differ: $expected / $rows_ogr / $rows_mer / $rows_srv"; exit 1; }
        r_ogr=$(awk -v n="$expected" -v s="$s_ogr" 'BEGIN { printf "%d", n / s }')
        r_mer=$(awk -v n="$expected" -v s="$s_mer" 'BEGIN { printf "%d", n / s }')
        r_srv=$(awk -v n="$expected" -v s="$s_srv" 'BEGIN { printf "%d", n / s }')
        log "$table round $round: ogr2ogr ${s_ogr}s ${r_ogr}/s ${rss_ogr} MB | meridian ${s_mer}s ${r_mer}/s ${rss_mer} MB | --server ${s_srv}s ${r_srv}/s"
        (( r_ogr > ${BEST_RATE[ogr-$table]:-0} )) && BEST_RATE[ogr-$table]=$r_ogr BEST_RSS[ogr-$table]=$rss_ogr
        (( r_mer > ${BEST_RATE[mer-$table]:-0} )) && BEST_RATE[mer-$table]=$r_mer BEST_RSS[mer-$table]=$rss_mer
        (( r_srv > ${BEST_RATE[srv-$table]:-0} )) && BEST_RATE[srv-$table]=$r_srv
    done
    ratio=$(awk -v a="${BEST_RATE[mer-$table]}" -v b="${BEST_RATE[ogr-$table]}" 'BEGIN { printf "%.2f", a / b }')
    ratio_srv=$(awk -v a="${BEST_RATE[srv-$table]}" -v b="${BEST_RATE[ogr-$table]}" 'BEGIN { printf "%.2f", a / b }')
    summary+=("| $table | $expected | ${BEST_RATE[ogr-$table]} | ${BEST_RSS[ogr-$table]} | ${BEST_RATE[mer-$table]} | ${BEST_RSS[mer-$table]} | $ratio | ${BEST_RATE[srv-$table]} | $ratio_srv |")
done
SERVER_PEAK=$(awk '/VmHWM/ {printf "%d", $2 / 1024}' "/proc/$SERVER_PID/status")

table_text=$(printf '%s\n' "| file | features | ogr2ogr features/s | ogr2ogr peak MB | meridian features/s | meridian peak MB | meridian/ogr2ogr | meridian --server features/s | --server/ogr2ogr |" \
    "|---|---|---|---|---|---|---|---|---|" "${summary[@]}")
table_text+=$'\n\n'"The server's peak RSS over the warm-up and every round: $SERVER_PEAK MB."
echo "$table_text"
if [[ "${BENCH_NO_RESULTS:-0}" != 1 ]]; then
    {
        printf '\n## Ingest: meridian ingest vs ogr2ogr (%s, bench/ingest/run.sh)\n\n' "$(date -u +%Y-%m-%dT%H:%MZ)"
        printf 'GeoJSON exported from bench/features/generate.sql; best of %s rounds each, alternating; %s; ogr2ogr %s with PG_USE_COPY=YES.\n' \
            "$ROUNDS" "$PG_DESC" "$(ogr2ogr --version | cut -d, -f1)"
        printf 'Goals: meridian >= 1.5x ogr2ogr features/s; meridian peak RSS < 400 MB.\n\n%s\n' "$table_text"
    } >>"$REPO_ROOT/bench/RESULTS.md"
fi
