#!/usr/bin/env bash
# bench/features/run.sh — Meridian OGC API – Features benchmark against raw SQL on the same database.
#
# What it does (in one run, on one machine, everything on 127.0.0.1):
#   1. Starts a private PostgreSQL 15 + PostGIS in a temp dir on a free loopback port (as the `postgres`
#      user via runuser, since PostgreSQL refuses to run as root), or uses an existing server when
#      BENCH_PG is given.
#   2. Generates deterministic data with SQL (generate.sql, setseed): 1,000,000 points (bench_points) and
#      100,000 small squares/hexagons (bench_polygons), GIST indexes, VACUUM ANALYZE; prints a fingerprint.
#   3. Exports both tables to a GeoPackage with ogr2ogr (bench.gpkg, fid = id, R-tree index).
#   4. Raw SQL baseline: pgbench (-c 16 -j 2) with a custom script that picks the same random bboxes and
#      builds the same GeoJSON FeatureCollection in SQL (json_build_object/json_agg over
#      ST_Intersects(geom, envelope) ORDER BY id LIMIT n, with all properties).
#   5. Builds Meridian in Release once (dotnet build src/Meridian -c Release) and runs the built binary:
#      `meridian serve --postgres "<npgsql conn string>" --urls http://127.0.0.1:PORT`; measures start-up to
#      ready (first 200 from /ready) and idle RSS (VmRSS from /proc/PID/status after ready + idle pause);
#      then wrk (16 connections, 2 threads, --latency) with bbox.lua for each collection and limit.
#   6. Same wrk runs against `meridian serve --gpkg bench.gpkg`.
#   7. The CQL2 case (BENCH_CQL2=0 skips it): bench_points, limit=100, a 5-degree box and
#      filter=category < 5 AND S_INTERSECTS(geom, BBOX(...)) through Meridian (wrk, bbox.lua in cql2 mode) side
#      by side with the hand-written SQL of the same shape (pgbench: WHERE t.category < 5 AND ST_Intersects(...),
#      the same FeatureCollection built in SQL); the ratio goes in the report (goal >= 70%).
#   8. Prints a summary table and replaces/appends today's section in bench/RESULTS.md.
#   Everything it started (PostgreSQL, Meridian) is stopped on exit (trap), by PID.
#
# Usage (as root, from anywhere):   bench/features/run.sh
#
# Box sizes (the bbox is a BOX x BOX degree square, lower-left corner uniform in whole millidegrees so the
# box stays inside the data extent lon -180..180, lat -80..80):
#   points:   1e6 / (360 * 160 sq deg) = 17.36 points per square degree
#             limit=100  -> 3 deg box:  9 sq deg * 17.36 =  156 expected rows (sd ~12.5; <100 is 4.5 sd away)
#             limit=1000 -> 8 deg box: 64 sq deg * 17.36 = 1111 expected rows (sd ~33;   <1000 is 3.3 sd away)
#   polygons: 1e5 / 57,600 = 1.736 polygons per square degree
#             limit=100  -> 10 deg box: 100 sq deg * 1.736 =  174 expected rows (sd ~13; 5.6 sd)
#             limit=1000 -> 26 deg box: 676 sq deg * 1.736 = 1174 expected rows (sd ~34; 5.1 sd)
#   so practically every page is full, and the database must find and sort all matching rows to return the
#   first n by id.
#
# Environment (all optional):
#   BENCH_PG            libpq keyword string of an existing server to use instead of a private one, e.g.
#                       "host=127.0.0.1 port=5432 dbname=bench user=postgres password=secret"
#                       (keywords host port dbname user password; no spaces inside values). The tables
#                       bench_points and bench_polygons in schema public are DROPPED and re-created.
#   BENCH_DURATION      seconds per measured load run (default 20)
#   BENCH_WARMUP        seconds of warm-up before each measured run (default 5)
#   BENCH_SERVER_WARMUP seconds of load each Meridian server gets right after start-up, spread over all the
#                       cases, before any measurement (default 40): .NET's tiered JIT needs ~25-30 s of load
#                       on 2 busy cores to settle, and without this the first case measured pays for it
#   BENCH_CONNECTIONS   wrk connections / pgbench clients (default 16)
#   BENCH_THREADS       wrk threads / pgbench jobs (default 2)
#   BENCH_SEED          seed for wrk's and pgbench's random bboxes (default 42)
#   BENCH_COLLECTIONS   collections to load-test (default "bench_points bench_polygons")
#   BENCH_LIMITS        page sizes (default "100 1000")
#   BENCH_PGBENCH_MODE  pgbench query protocol: prepared (default), extended or simple
#   BENCH_SQL_ROWS=0    skip the informative pgbench run that fetches the same page as plain rows (no JSON)
#   BENCH_CQL2=0        skip the CQL2 filter case (it needs bench_points in BENCH_COLLECTIONS)
#   BENCH_SKIP_MERIDIAN=1  only the SQL baseline (no build, no wrk)
#   BENCH_SKIP_GPKG=1      no GeoPackage export / runs
#   BENCH_NO_RESULTS=1     do not touch bench/RESULTS.md
#   BENCH_NOTE          free text added to the RESULTS.md section (e.g. "integrator was compiling")
#   BENCH_KEEP=1        keep the temp dir (logs, pgbench scripts, bench.gpkg) after the run
#   DOTNET              dotnet executable (default: dotnet)
#   MERIDIAN_BIN        an already built meridian executable or meridian.dll to run instead of building
#
# Requirements: postgresql-15-postgis-3 (binaries in /usr/lib/postgresql/15/bin), gdal-bin (ogr2ogr), wrk,
# curl, the .NET 10 SDK. Every load run is bounded in time (wrk -d, pgbench -T) and every wait has a timeout.
set -euo pipefail

SCRIPT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO_ROOT="$(cd "$SCRIPT_DIR/../.." && pwd)"
PGBIN="${PGBIN:-/usr/lib/postgresql/15/bin}"
DOTNET="${DOTNET:-dotnet}"

DURATION="${BENCH_DURATION:-20}"
WARMUP="${BENCH_WARMUP:-5}"
SERVER_WARMUP="${BENCH_SERVER_WARMUP:-40}"
CONNECTIONS="${BENCH_CONNECTIONS:-16}"
THREADS="${BENCH_THREADS:-2}"
SEED="${BENCH_SEED:-42}"
COLLECTIONS="${BENCH_COLLECTIONS:-bench_points bench_polygons}"
LIMITS="${BENCH_LIMITS:-100 1000}"
PGBENCH_MODE="${BENCH_PGBENCH_MODE:-prepared}"
RESULTS_FILE="$REPO_ROOT/bench/RESULTS.md"

# Goals from the issue.
GOAL_RATIO=0.70        # Meridian (PostGIS) throughput / raw SQL throughput, limit=100
GOAL_P99_MS=50         # Meridian p99 at limit=100
GOAL_GPKG_FACTOR=2     # GeoPackage throughput within 2x of PostGIS
GOAL_RSS_MB=150        # idle RSS of meridian serve
GOAL_READY_S=2         # start-up to /ready == 200

log() { printf '[%(%H:%M:%S)T] %s\n' -1 "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }

# The CQL2 case: half of the points have category < 5, so a 5-degree box holds ~217 matches (sd ~15): full pages.
CQL2_COLLECTION=bench_points
CQL2_LIMIT=100
CQL2_BOX=5000
CQL2_CATEGORY=5

# Box side in millidegrees for a collection and limit (see the arithmetic at the top), or for the CQL2 case.
box_mdeg() { # collection limit [mode]
    [[ "${3:-}" == cql2 ]] && { echo "$CQL2_BOX"; return; }
    case "$1:$2" in
        bench_points:100) echo 3000 ;;
        bench_points:1000) echo 8000 ;;
        bench_polygons:100) echo 10000 ;;
        bench_polygons:1000) echo 26000 ;;
        *) die "no box size defined for collection $1 limit $2" ;;
    esac
}

for tool in "$PGBIN/psql" "$PGBIN/pgbench" curl ss awk; do
    command -v "$tool" >/dev/null || die "missing $tool"
done
[[ "${BENCH_SKIP_MERIDIAN:-0}" == 1 ]] || command -v wrk >/dev/null || die "missing wrk"
[[ "${BENCH_SKIP_GPKG:-0}" == 1 ]] || command -v ogr2ogr >/dev/null || die "missing ogr2ogr (gdal-bin)"

RUN_KEY="$(date -u +%Y-%m-%dT%H:%MZ)"
WORK="$(mktemp -d /tmp/meridian-bench.XXXXXX)"
chmod 755 "$WORK"
PG_STARTED=0
PGDATA_DIR="$WORK/pgdata"
MERIDIAN_PID=""

PID_postgis="" PID_gpkg=""

stop_pid() { # pid
    local pid="$1"
    if [[ -n "$pid" ]] && kill -0 "$pid" 2>/dev/null; then
        kill -TERM "$pid" 2>/dev/null || true
        for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
        kill -KILL "$pid" 2>/dev/null || true
        wait "$pid" 2>/dev/null || true
    fi
}
stop_meridian() { stop_pid "$MERIDIAN_PID"; MERIDIAN_PID=""; }

cleanup() {
    local rc=$?
    trap - EXIT INT TERM
    stop_meridian
    stop_pid "$PID_postgis"
    stop_pid "$PID_gpkg"
    if [[ "$PG_STARTED" == 1 ]]; then
        runuser -u postgres -- "$PGBIN/pg_ctl" -D "$PGDATA_DIR" -m fast -w -t 30 stop >/dev/null 2>&1 || true
    fi
    if [[ "${BENCH_KEEP:-0}" == 1 ]]; then
        log "kept $WORK"
    else
        rm -rf "$WORK"
    fi
    exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

free_port() {
    local p
    for _ in $(seq 1 200); do
        p=$(( 20000 + (RANDOM * 32768 + RANDOM) % 30000 ))
        if [[ -z "$(ss -Htln "sport = :$p")" ]]; then echo "$p"; return 0; fi
    done
    die "no free port found"
}

# ---------------------------------------------------------------------------------------------------------
# 1. PostgreSQL
# ---------------------------------------------------------------------------------------------------------
if [[ -n "${BENCH_PG:-}" ]]; then
    PGHOST=127.0.0.1 PGPORT=5432 PGDATABASE=postgres PGUSER=postgres PGPASSWORD=""
    for kv in $BENCH_PG; do
        case "${kv%%=*}" in
            host) PGHOST="${kv#*=}" ;;
            port) PGPORT="${kv#*=}" ;;
            dbname) PGDATABASE="${kv#*=}" ;;
            user) PGUSER="${kv#*=}" ;;
            password) PGPASSWORD="${kv#*=}" ;;
            *) die "BENCH_PG: unsupported keyword ${kv%%=*}" ;;
        esac
    done
    PG_DESC="existing server ($PGHOST:$PGPORT/$PGDATABASE)"
else
    PGHOST=127.0.0.1 PGPORT="$(free_port)" PGDATABASE=bench PGUSER=postgres PGPASSWORD=""
    mkdir -p "$PGDATA_DIR"
    chown postgres: "$PGDATA_DIR"
    log "initdb in $PGDATA_DIR"
    runuser -u postgres -- "$PGBIN/initdb" -D "$PGDATA_DIR" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 \
        >"$WORK/initdb.log" 2>&1 || { cat "$WORK/initdb.log" >&2; die "initdb failed"; }
    # Everything cached in memory (24 GiB box; the data is < 1 GiB); durability is irrelevant for a benchmark.
    cat >>"$PGDATA_DIR/postgresql.conf" <<EOF
listen_addresses = '127.0.0.1'
port = $PGPORT
unix_socket_directories = '$PGDATA_DIR'
max_connections = 200
shared_buffers = 2GB
effective_cache_size = 8GB
work_mem = 16MB
maintenance_work_mem = 512MB
fsync = off
synchronous_commit = off
full_page_writes = off
max_wal_size = 4GB
jit = off
log_min_duration_statement = -1
EOF
    log "starting PostgreSQL on 127.0.0.1:$PGPORT"
    runuser -u postgres -- "$PGBIN/pg_ctl" -D "$PGDATA_DIR" -l "$PGDATA_DIR/server.log" -w -t 60 start >/dev/null \
        || { cat "$PGDATA_DIR/server.log" >&2; die "PostgreSQL did not start"; }
    PG_STARTED=1
    PGDATABASE=postgres "$PGBIN/psql" -h "$PGHOST" -p "$PGPORT" -U postgres -qAt -c "CREATE DATABASE bench" >/dev/null
    PG_DESC="private PostgreSQL 15 in a temp dir (shared_buffers=2GB, fsync=off, jit=off)"
fi
export PGHOST PGPORT PGDATABASE PGUSER PGPASSWORD
export PGOPTIONS="-c TimeZone=UTC"
PSQL=("$PGBIN/psql" -X -v ON_ERROR_STOP=1 -qAt)

NPGSQL_CONN="Host=$PGHOST;Port=$PGPORT;Database=$PGDATABASE;Username=$PGUSER"
[[ -n "$PGPASSWORD" ]] && NPGSQL_CONN="$NPGSQL_CONN;Password=$PGPASSWORD"

PG_VERSION="$("${PSQL[@]}" -c "SHOW server_version")"

# ---------------------------------------------------------------------------------------------------------
# 2. Data
# ---------------------------------------------------------------------------------------------------------
log "generating 1,000,000 points and 100,000 polygons (generate.sql)"
t0=$(date +%s)
"${PSQL[@]}" -F ' ' -f "$SCRIPT_DIR/generate.sql" >"$WORK/generate.out"
log "data generated in $(( $(date +%s) - t0 )) s"
FINGERPRINT="$(grep -E '^(points|polygons) ' "$WORK/generate.out" | awk '{printf "%s %s rows md5 %s; ", $1, $2, $3}')"
FINGERPRINT="${FINGERPRINT%; }"
log "fingerprint: $FINGERPRINT"
POSTGIS_VERSION="$("${PSQL[@]}" -c "SELECT postgis_lib_version()")"

# ---------------------------------------------------------------------------------------------------------
# 3. GeoPackage export
# ---------------------------------------------------------------------------------------------------------
GPKG="$WORK/bench.gpkg"
if [[ "${BENCH_SKIP_GPKG:-0}" != 1 ]]; then
    log "exporting to $GPKG with ogr2ogr"
    t0=$(date +%s)
    ogr_pg="PG:host=$PGHOST port=$PGPORT dbname=$PGDATABASE user=$PGUSER"
    [[ -n "$PGPASSWORD" ]] && ogr_pg="$ogr_pg password=$PGPASSWORD"
    for table in bench_points bench_polygons; do
        # -preserve_fid + FID=id: the GeoPackage fid is the PostGIS id, so both servers return the same ids.
        ogr2ogr -f GPKG "$GPKG" "$ogr_pg" "$table" -nln "$table" -preserve_fid -lco FID=id \
            -lco GEOMETRY_NAME=geom -lco SPATIAL_INDEX=YES -gt 65536 -update -append 2>"$WORK/ogr2ogr-$table.log" \
            || { cat "$WORK/ogr2ogr-$table.log" >&2; die "ogr2ogr failed for $table"; }
    done
    log "GeoPackage written in $(( $(date +%s) - t0 )) s ($(du -m "$GPKG" | cut -f1) MB)"
fi

# ---------------------------------------------------------------------------------------------------------
# 4. Raw SQL baseline with pgbench
# ---------------------------------------------------------------------------------------------------------
# The SQL twin of GET /collections/{table}/items?bbox=...&limit=n: select the page (ORDER BY id LIMIT n over
# the rows whose geometry intersects the bbox envelope, GIST index), then build the FeatureCollection.
# variant "fc": the FeatureCollection (the baseline the goals use); variant "rows": the same page as plain rows
# (no JSON), for information: how much of the SQL side is the database finding the rows vs building JSON.
write_pgbench_script() { # variant table file
    {
        cat <<'EOF'
\set x0 random(-180000, 180000 - :boxmd)
\set y0 random(-80000, 80000 - :boxmd)
\set minx :x0 / 1000.0
\set miny :y0 / 1000.0
\set maxx (:x0 + :boxmd) / 1000.0
\set maxy (:y0 + :boxmd) / 1000.0
EOF
        # cql2: what filter=category < 5 AND S_INTERSECTS(geom, BBOX(...)) asks, written by hand.
        local cond="ST_Intersects(t.geom, ST_MakeEnvelope(:minx, :miny, :maxx, :maxy, 4326))"
        [[ "$1" == cql2 ]] && cond="t.category < :cat AND $cond"
        if [[ "$1" != rows ]]; then
            echo "SELECT json_build_object('type', 'FeatureCollection', 'features', coalesce(json_agg(json_build_object('type', 'Feature', 'id', p.id, 'geometry', ST_AsGeoJSON(p.geom)::json, 'properties', json_build_object('name', p.name, 'category', p.category, 'value', p.value, 'observed', p.observed)) ORDER BY p.id), '[]'::json)) FROM (SELECT t.id, t.geom, t.name, t.category, t.value, t.observed FROM $2 t WHERE $cond ORDER BY t.id LIMIT :lim) p;"
        else
            echo "SELECT t.id, t.geom, t.name, t.category, t.value, t.observed FROM $2 t WHERE $cond ORDER BY t.id LIMIT :lim;"
        fi
    } >"$3"
}

declare -A R   # results: R[key]=value

# p50/p99 (ms) from pgbench per-transaction logs (column 3 is the latency in microseconds).
pgbench_percentiles() { # logprefix
    cat "$1".* 2>/dev/null | awk '{print $3}' | sort -n | awk '
        { v[NR] = $1 }
        END {
            if (NR == 0) { print "nan nan"; exit }
            i50 = int(NR * 0.50); if (i50 < 1) i50 = 1
            i99 = int(NR * 0.99); if (i99 < 1) i99 = 1
            printf "%.1f %.1f\n", v[i50] / 1000, v[i99] / 1000
        }'
}

run_pgbench() { # variant(fc|rows|cql2) collection limit
    local variant="$1" coll="$2" lim="$3" box script out key
    key="sql:$coll:$lim"; [[ "$variant" == fc ]] || key="sql$variant:$coll:$lim"
    box="$(box_mdeg "$coll" "$lim" "$variant")"
    script="$WORK/pgbench-$variant-$coll.sql"
    [[ -f "$script" ]] || write_pgbench_script "$variant" "$coll" "$script"
    log "pgbench ($variant) $coll limit=$lim box=$((box / 1000))deg: ${WARMUP}s warm-up + ${DURATION}s"
    "$PGBIN/pgbench" -n -M "$PGBENCH_MODE" -c "$CONNECTIONS" -j "$THREADS" -T "$WARMUP" --random-seed="$SEED" \
        -D boxmd="$box" -D lim="$lim" -D cat="$CQL2_CATEGORY" -f "$script" >"$WORK/pgbench-warmup-$variant-$coll-$lim.out" 2>&1 \
        || { cat "$WORK/pgbench-warmup-$variant-$coll-$lim.out" >&2; die "pgbench warm-up failed"; }
    out="$WORK/pgbench-$variant-$coll-$lim.out"
    mkdir -p "$WORK/pglog-$variant-$coll-$lim"
    cpu_begin
    (cd "$WORK/pglog-$variant-$coll-$lim" && "$PGBIN/pgbench" -n -M "$PGBENCH_MODE" -c "$CONNECTIONS" -j "$THREADS" \
        -T "$DURATION" --random-seed="$SEED" -D boxmd="$box" -D lim="$lim" -D cat="$CQL2_CATEGORY" -f "$script" \
        -l --log-prefix=tx) >"$out" 2>&1 || { cat "$out" >&2; die "pgbench failed"; }
    sleep 0.3   # let the postmaster reap the 16 backends so their CPU time is counted
    cpu_end "$key" "$(awk '/number of transactions actually processed/ {print $NF}' "$out")"
    local tps failed pcts
    tps="$(awk -F'= ' '/^tps = / {split($2, a, " "); print a[1]}' "$out" | tail -1)"
    failed="$(awk '/number of failed transactions/ {print $5}' "$out")"
    pcts="$(pgbench_percentiles "$WORK/pglog-$variant-$coll-$lim/tx")"
    R["$key:rps"]="$(printf '%.0f' "$tps")"
    R["$key:p50"]="${pcts% *}"
    R["$key:p99"]="${pcts#* }"
    R["$key:errors"]="${failed:-0}"
    log "  -> ${R[$key:rps]} tx/s, p50 ${R[$key:p50]} ms, p99 ${R[$key:p99]} ms"
}

# Mean size of the SQL FeatureCollection for a sample of boxes (for comparing payloads with Meridian's).
sql_sample_bytes() { # collection limit
    local coll="$1" lim="$2" box
    box="$(box_mdeg "$coll" "$lim")"
    "${PSQL[@]}" -c "
        SELECT round(avg(octet_length(fc::text)))::int || ' ' || round(avg(n), 1)
        FROM (SELECT (x * 7919) % (360000 - $box) - 180000 AS x0, (x * 104729) % (160000 - $box) - 80000 AS y0
              FROM generate_series(1, 50) x) b,
        LATERAL (SELECT json_build_object('type', 'FeatureCollection', 'features', coalesce(json_agg(json_build_object('type', 'Feature', 'id', p.id, 'geometry', ST_AsGeoJSON(p.geom)::json, 'properties', json_build_object('name', p.name, 'category', p.category, 'value', p.value, 'observed', p.observed)) ORDER BY p.id), '[]'::json)) AS fc,
                        count(*) AS n
                 FROM (SELECT t.* FROM $coll t
                       WHERE ST_Intersects(t.geom, ST_MakeEnvelope(b.x0 / 1000.0, b.y0 / 1000.0, (b.x0 + $box) / 1000.0, (b.y0 + $box) / 1000.0, 4326))
                       ORDER BY t.id LIMIT $lim) p) s"
}

# ---------------------------------------------------------------------------------------------------------
# 5./6. Meridian
# ---------------------------------------------------------------------------------------------------------
MERIDIAN_DONE=0
if [[ "${BENCH_SKIP_MERIDIAN:-0}" != 1 ]]; then
    BIN_DIR="$REPO_ROOT/src/Meridian/bin/Release/net10.0"
    if [[ -n "${MERIDIAN_BIN:-}" ]]; then
        log "using prebuilt $MERIDIAN_BIN (no build)"
    else
        log "building Meridian (Release): $DOTNET build src/Meridian -c Release"
        "$DOTNET" build "$REPO_ROOT/src/Meridian" -c Release -nologo -v q >"$WORK/build.log" 2>&1 \
            || { tail -40 "$WORK/build.log" >&2; die "dotnet build failed"; }
    fi
    if [[ -n "${MERIDIAN_BIN:-}" ]]; then
        [[ "$MERIDIAN_BIN" == /* ]] || MERIDIAN_BIN="$PWD/$MERIDIAN_BIN"
        if [[ "$MERIDIAN_BIN" == *.dll ]]; then MERIDIAN_CMD=("$DOTNET" "$MERIDIAN_BIN"); else MERIDIAN_CMD=("$MERIDIAN_BIN"); fi
    elif [[ -x "$BIN_DIR/meridian" ]]; then
        MERIDIAN_CMD=("$BIN_DIR/meridian")
    elif [[ -f "$BIN_DIR/meridian.dll" ]]; then
        MERIDIAN_CMD=("$DOTNET" "$BIN_DIR/meridian.dll")
    else
        die "built meridian not found in $BIN_DIR"
    fi
    # The last commit that touched the server's code (bench/ commits do not change what is measured).
    MERIDIAN_COMMIT="$(git -C "$REPO_ROOT" log -1 --format=%h -- src Directory.Build.props Directory.Packages.props 2>/dev/null || echo unknown)"
    if [[ -n "$(git -C "$REPO_ROOT" status --porcelain -- src 2>/dev/null)" ]]; then MERIDIAN_COMMIT="$MERIDIAN_COMMIT + uncommitted changes"; fi
fi

# start_meridian label args... : starts the server, measures start-up to ready and idle RSS.
start_meridian() {
    local label="$1"; shift
    MERIDIAN_PORT="$(free_port)"
    local logf="$WORK/meridian-$label.log" t_start t_ready code="" waited=0
    log "starting meridian serve $* (port $MERIDIAN_PORT)"
    t_start=$(date +%s%N)
    # Run from the temp dir so the default --data ./data directory lands there, not in the repository.
    (cd "$WORK" && exec "${MERIDIAN_CMD[@]}" serve "$@" --urls "http://127.0.0.1:$MERIDIAN_PORT") >"$logf" 2>&1 &
    MERIDIAN_PID=$!
    while :; do
        code="$(curl -s -o /dev/null -w '%{http_code}' --max-time 1 "http://127.0.0.1:$MERIDIAN_PORT/ready" || true)"
        [[ "$code" == 200 ]] && break
        kill -0 "$MERIDIAN_PID" 2>/dev/null || { tail -40 "$logf" >&2; die "meridian exited during start-up"; }
        waited=$(( ($(date +%s%N) - t_start) / 1000000 ))
        (( waited < 60000 )) || { tail -40 "$logf" >&2; die "meridian not ready after 60 s (last /ready: $code)"; }
        sleep 0.01
    done
    t_ready=$(date +%s%N)
    R["$label:ready_ms"]=$(( (t_ready - t_start) / 1000000 ))
    sleep 5
    R["$label:rss_mb"]="$(awk '/^VmRSS:/ {printf "%.0f", $2 / 1024}' "/proc/$MERIDIAN_PID/status")"
    log "  -> ready in ${R[$label:ready_ms]} ms, idle RSS ${R[$label:rss_mb]} MB"
}

# Sanity (not timed): Meridian's page for a few boxes has the same ids as the SQL page.
check_same_rows() { # label collection limit [mode]
    local label="$1" coll="$2" lim="$3" mode="${4:-}" box i x0 y0 bbox ids_m ids_s mism=0 query cond=""
    box="$(box_mdeg "$coll" "$lim" "$mode")"
    for i in 1 2 3; do
        x0=$(( (i * 7919) % (360000 - box) - 180000 )); y0=$(( (i * 104729) % (160000 - box) - 80000 ))
        bbox="$(awk -v a="$x0" -v b="$y0" -v s="$box" 'BEGIN{printf "%.3f,%.3f,%.3f,%.3f", a/1000, b/1000, (a+s)/1000, (b+s)/1000}')"
        query="bbox=$bbox"
        if [[ "$mode" == cql2 ]]; then
            query="filter=$(jq -rn --arg f "category < $CQL2_CATEGORY AND S_INTERSECTS(geom, BBOX($bbox))" '$f | @uri')"
            cond="category < $CQL2_CATEGORY AND"
        fi
        ids_m="$(curl -sf --max-time 10 -H 'Accept: application/geo+json' \
            "http://127.0.0.1:$MERIDIAN_PORT/collections/$coll/items?$query&limit=$lim" \
            | jq -r '[.features[].id | tostring] | join(",")' 2>/dev/null || echo "request failed")"
        ids_s="$("${PSQL[@]}" -c "SELECT coalesce(string_agg(id::text, ',' ORDER BY id), '') FROM (SELECT id FROM $coll
              WHERE $cond ST_Intersects(geom, ST_MakeEnvelope(${bbox}, 4326)) ORDER BY id LIMIT $lim) s")"
        [[ "$ids_m" == "$ids_s" ]] || mism=$((mism + 1))
    done
    if (( mism > 0 )); then
        R["$label:$coll:$lim:same_rows"]="NO ($mism/3 boxes differ)"
        log "  WARNING: $label $coll limit=$lim returns different rows than SQL for $mism of 3 boxes"
    else
        R["$label:$coll:$lim:same_rows"]="yes"
    fi
}

run_wrk() { # label collection limit [mode: cql2]
    local label="$1" coll="$2" lim="$3" mode="${4:-bbox}" box out line
    box="$(box_mdeg "$coll" "$lim" "$mode")"
    check_same_rows "$label" "$coll" "$lim" "$mode"
    log "wrk $label $coll limit=$lim box=$((box / 1000))deg: ${WARMUP}s warm-up + ${DURATION}s"
    timeout $((WARMUP + 30)) wrk -t "$THREADS" -c "$CONNECTIONS" -d "${WARMUP}s" --timeout 10s -s "$SCRIPT_DIR/bbox.lua" \
        "http://127.0.0.1:$MERIDIAN_PORT" -- "$coll" "$lim" "$box" "$((SEED + 1))" "$mode" "$CQL2_CATEGORY" >"$WORK/wrk-warmup-$label-$coll-$lim.out" 2>&1 || true
    out="$WORK/wrk-$label-$coll-$lim.out"
    cpu_begin
    timeout $((DURATION + 30)) wrk -t "$THREADS" -c "$CONNECTIONS" -d "${DURATION}s" --timeout 10s --latency \
        -s "$SCRIPT_DIR/bbox.lua" "http://127.0.0.1:$MERIDIAN_PORT" -- "$coll" "$lim" "$box" "$SEED" "$mode" "$CQL2_CATEGORY" >"$out" 2>&1 \
        || { cat "$out" >&2; die "wrk failed"; }
    line="$(grep '^WRKRESULT' "$out")" || { cat "$out" >&2; die "no WRKRESULT from wrk"; }
    local requests duration_us bytes p50 p99 errs
    requests="$(sed -E 's/.* requests=([0-9]+).*/\1/' <<<"$line")"
    cpu_end "$label:$coll:$lim" "$requests"
    duration_us="$(sed -E 's/.* duration_us=([0-9]+).*/\1/' <<<"$line")"
    bytes="$(sed -E 's/.* bytes=([0-9]+).*/\1/' <<<"$line")"
    p50="$(sed -E 's/.* p50_us=([0-9]+).*/\1/' <<<"$line")"
    p99="$(sed -E 's/.* p99_us=([0-9]+).*/\1/' <<<"$line")"
    errs="$(awk '{for (i = 1; i <= NF; i++) if ($i ~ /_errors=|timeouts=/) {split($i, a, "="); s += a[2]}} END {print s + 0}' <<<"$line")"
    R["$label:$coll:$lim:rps"]="$(awk -v r="$requests" -v d="$duration_us" 'BEGIN {printf "%.0f", r / (d / 1e6)}')"
    R["$label:$coll:$lim:p50"]="$(awk -v v="$p50" 'BEGIN {printf "%.1f", v / 1000}')"
    R["$label:$coll:$lim:p99"]="$(awk -v v="$p99" 'BEGIN {printf "%.1f", v / 1000}')"
    R["$label:$coll:$lim:errors"]="$errs"
    R["$label:$coll:$lim:bytes"]="$(awk -v b="$bytes" -v r="$requests" 'BEGIN {if (r > 0) printf "%.0f", b / r; else print 0}')"
    log "  -> ${R[$label:$coll:$lim:rps]} req/s, p50 ${R[$label:$coll:$lim:p50]} ms, p99 ${R[$label:$coll:$lim:p99]} ms, errors $errs"
}

# CPU accounting around each measured load run (not the warm-up). cpu_snapshot prints
# "busy self meridian postgres": busy ticks of the whole machine (/proc/stat), then the CPU ticks of this
# script's own tree (wrk/pgbench, curl, ...), of the Meridian servers, and of the private PostgreSQL
# (utime+stime+cutime+cstime of the live processes; exited ones are in their parent's cutime). From that:
# how busy the machine was, how much of it went to processes this script did not start (e.g. a concurrent
# build: the figures are noisy when that is not ~0), and CPU milliseconds per request in each component,
# which is robust to background load. With BENCH_PG the server is not ours: its CPU counts as "other".
CLK_TCK="$(getconf CLK_TCK)"
NCPU="$(nproc)"
cpu_snapshot() {
    local busy pm=0
    busy="$(awk '/^cpu / {print $2 + $3 + $4 + $7 + $8 + $9}' /proc/stat)"
    if [[ "$PG_STARTED" == 1 && -f "$PGDATA_DIR/postmaster.pid" ]]; then pm="$(head -1 "$PGDATA_DIR/postmaster.pid")"; fi
    printf '%s %s\n' "$busy" "$({ cat /proc/[0-9]*/stat 2>/dev/null || true; } | awk -v self="$$" -v pg="$pm" \
        -v mer="${PID_postgis:-0} ${PID_gpkg:-0} ${MERIDIAN_PID:-0}" '
        BEGIN { n = split(mer, m, " "); for (i = 1; i <= n; i++) if (m[i] != 0) ismer[m[i]] = 1 }
        { pid = $1; line = $0; sub(/^.*\) /, "", line); split(line, f, " ")
          ppid[pid] = f[2]; t[pid] = f[12] + f[13] + f[14] + f[15] }
        END { S = 0; M = 0; P = 0
              for (p in t) { q = p; k = 0
                  while (q != "" && q != 0 && k < 200) {
                      if (q in ismer) { M += t[p]; break }
                      if (q == pg) { P += t[p]; break }
                      if (q == self) { S += t[p]; break }
                      q = ppid[q]; k++ } }
              printf "%d %d %d\n", S, M, P }')"
}
cpu_begin() { CPU0="$(cpu_snapshot)"; CPU_T0=$(date +%s%N); }
cpu_end() { # key requests
    local key="$1" n="$2" s1 t1
    s1="$(cpu_snapshot)"; t1=$(date +%s%N)
    read -r R["$key:busy_cpu"] R["$key:other_cpu"] R["$key:client_ms"] R["$key:meridian_ms"] R["$key:pg_ms"] \
        <<<"$(awk -v a="$CPU0" -v b="$s1" -v w="$(( (t1 - CPU_T0) / 1000000 ))" -v hz="$CLK_TCK" -v ncpu="$NCPU" \
              -v n="$n" -v ext="$PG_STARTED" '
            BEGIN { split(a, x, " "); split(b, y, " "); cap = w / 1000 * hz * ncpu
                busy = y[1] - x[1]; S = y[2] - x[2]; M = y[3] - x[3]; P = y[4] - x[4]
                other = busy - S - M - P; if (other < 0) other = 0
                ms = 1000 / hz
                if (n + 0 > 0) { cs = sprintf("%.2f", S * ms / n); cm = (M > 0 ? sprintf("%.2f", M * ms / n) : "-")
                                 cp = (ext == 1 ? sprintf("%.2f", P * ms / n) : "-") }
                else { cs = "-"; cm = "-"; cp = "-" }
                printf "%.0f %.0f %s %s %s\n", 100 * busy / cap, 100 * other / cap, cs, cm, cp }')"
}

# warm_server label: load on every case for SERVER_WARMUP seconds in total (not measured).
warm_server() {
    local label="$1" ncases=0 each coll lim
    for coll in $COLLECTIONS; do for lim in $LIMITS; do ncases=$((ncases + 1)); done; done
    each=$(( (SERVER_WARMUP + ncases - 1) / ncases ))
    (( each > 0 )) || return 0
    log "warming up meridian ($label): ${each}s on each of $ncases cases"
    for coll in $COLLECTIONS; do for lim in $LIMITS; do
        timeout $((each + 30)) wrk -t "$THREADS" -c "$CONNECTIONS" -d "${each}s" --timeout 10s -s "$SCRIPT_DIR/bbox.lua" \
            "http://127.0.0.1:$MERIDIAN_PORT" -- "$coll" "$lim" "$(box_mdeg "$coll" "$lim")" "$((SEED + 2))" \
            >>"$WORK/wrk-serverwarmup-$label.out" 2>&1 || true
    done; done
}

if [[ "${BENCH_SKIP_MERIDIAN:-0}" != 1 ]]; then
    # Both servers run side by side (idle one costs nothing) so that, for each case, the SQL, PostGIS and
    # GeoPackage runs happen back to back under the same background load.
    start_meridian postgis --postgres "$NPGSQL_CONN"
    warm_server postgis
    PORT_postgis="$MERIDIAN_PORT"; PID_postgis="$MERIDIAN_PID"; MERIDIAN_PID=""
    if [[ "${BENCH_SKIP_GPKG:-0}" != 1 ]]; then
        start_meridian gpkg --gpkg "$GPKG"
        warm_server gpkg
        PORT_gpkg="$MERIDIAN_PORT"; PID_gpkg="$MERIDIAN_PID"; MERIDIAN_PID=""
    fi
fi

for coll in $COLLECTIONS; do
    for lim in $LIMITS; do
        read -r R["sql:$coll:$lim:bytes"] R["sql:$coll:$lim:rows"] <<<"$(sql_sample_bytes "$coll" "$lim")"
        run_pgbench fc "$coll" "$lim"
        if [[ "${BENCH_SKIP_MERIDIAN:-0}" != 1 ]]; then
            MERIDIAN_PORT="$PORT_postgis"; run_wrk postgis "$coll" "$lim"
            if [[ "${BENCH_SKIP_GPKG:-0}" != 1 ]]; then
                MERIDIAN_PORT="$PORT_gpkg"; run_wrk gpkg "$coll" "$lim"
            fi
        fi
        if [[ "${BENCH_SQL_ROWS:-1}" == 1 ]]; then run_pgbench rows "$coll" "$lim"; fi
    done
done

# The CQL2 case, the same way: SQL, then Meridian on PostGIS, then on GeoPackage, back to back.
CQL2_DONE=0
if [[ "${BENCH_CQL2:-1}" == 1 && " $COLLECTIONS " == *" $CQL2_COLLECTION "* ]]; then
    run_pgbench cql2 "$CQL2_COLLECTION" "$CQL2_LIMIT"
    if [[ "${BENCH_SKIP_MERIDIAN:-0}" != 1 ]]; then
        MERIDIAN_PORT="$PORT_postgis"; run_wrk postgiscql2 "$CQL2_COLLECTION" "$CQL2_LIMIT" cql2
        if [[ "${BENCH_SKIP_GPKG:-0}" != 1 ]]; then
            MERIDIAN_PORT="$PORT_gpkg"; run_wrk gpkgcql2 "$CQL2_COLLECTION" "$CQL2_LIMIT" cql2
        fi
    fi
    CQL2_DONE=1
fi

if [[ "${BENCH_SKIP_MERIDIAN:-0}" != 1 ]]; then
    R["postgis:rss_after_mb"]="$(awk '/^VmRSS:/ {printf "%.0f", $2 / 1024}' "/proc/$PID_postgis/status")"
    stop_pid "$PID_postgis"; PID_postgis=""
    if [[ "${BENCH_SKIP_GPKG:-0}" != 1 ]]; then
        R["gpkg:rss_after_mb"]="$(awk '/^VmRSS:/ {printf "%.0f", $2 / 1024}' "/proc/$PID_gpkg/status")"
        stop_pid "$PID_gpkg"; PID_gpkg=""
    fi
    MERIDIAN_DONE=1
fi

# ---------------------------------------------------------------------------------------------------------
# 7. Report
# ---------------------------------------------------------------------------------------------------------
v() { echo "${R[$1]:--}"; }
ratio() { # a b -> a/b with 2 decimals, or -
    awk -v a="${1:-}" -v b="${2:-}" 'BEGIN {if (a == "" || b == "" || a == "-" || b == "-" || b + 0 == 0) print "-"; else printf "%.2f", a / b}'
}
passfail() { [[ "$1" == 1 ]] && echo PASS || echo FAIL; }

REPORT="$WORK/report.md"
{
    DATE_UTC="$(date -u '+%Y-%m-%d %H:%M UTC')"
    echo "### Results"
    echo
    echo "| collection | limit | box | raw SQL tx/s | SQL p50 / p99 ms | Meridian PostGIS req/s | p50 / p99 ms | ratio vs SQL | Meridian GPKG req/s | p50 / p99 ms | PostGIS / GPKG | bytes/resp SQL / PostGIS / GPKG | CPU busy / other % SQL, PostGIS, GPKG |"
    echo "|---|---|---|---|---|---|---|---|---|---|---|---|---|"
    for coll in $COLLECTIONS; do
        for lim in $LIMITS; do
            echo "| $coll | $lim | $(( $(box_mdeg "$coll" "$lim") / 1000 ))° | $(v "sql:$coll:$lim:rps") | $(v "sql:$coll:$lim:p50") / $(v "sql:$coll:$lim:p99") | $(v "postgis:$coll:$lim:rps") | $(v "postgis:$coll:$lim:p50") / $(v "postgis:$coll:$lim:p99") | $(ratio "${R[postgis:$coll:$lim:rps]:-}" "${R[sql:$coll:$lim:rps]:-}") | $(v "gpkg:$coll:$lim:rps") | $(v "gpkg:$coll:$lim:p50") / $(v "gpkg:$coll:$lim:p99") | $(ratio "${R[postgis:$coll:$lim:rps]:-}" "${R[gpkg:$coll:$lim:rps]:-}") | $(v "sql:$coll:$lim:bytes") / $(v "postgis:$coll:$lim:bytes") / $(v "gpkg:$coll:$lim:bytes") | $(v "sql:$coll:$lim:busy_cpu")/$(v "sql:$coll:$lim:other_cpu"), $(v "postgis:$coll:$lim:busy_cpu")/$(v "postgis:$coll:$lim:other_cpu"), $(v "gpkg:$coll:$lim:busy_cpu")/$(v "gpkg:$coll:$lim:other_cpu") |"
        done
    done
    echo
    if [[ "${BENCH_SQL_ROWS:-1}" == 1 ]]; then
        echo "For information, the same pages fetched as plain rows (no JSON built in SQL; pgbench, same settings):"
        echo
        echo "| collection | limit | rows-only tx/s | p50 / p99 ms | FeatureCollection SQL / rows-only | CPU busy / other % |"
        echo "|---|---|---|---|---|---|"
        for coll in $COLLECTIONS; do for lim in $LIMITS; do
            echo "| $coll | $lim | $(v "sqlrows:$coll:$lim:rps") | $(v "sqlrows:$coll:$lim:p50") / $(v "sqlrows:$coll:$lim:p99") | $(ratio "${R[sql:$coll:$lim:rps]:-}" "${R[sqlrows:$coll:$lim:rps]:-}") | $(v "sqlrows:$coll:$lim:busy_cpu")/$(v "sqlrows:$coll:$lim:other_cpu") |"
        done; done
        echo
    fi
    if [[ "$CQL2_DONE" == 1 ]]; then
        k="$CQL2_COLLECTION:$CQL2_LIMIT"
        echo "CQL2 filter \`category < $CQL2_CATEGORY AND S_INTERSECTS(geom, BBOX(...))\` ($CQL2_COLLECTION, limit=$CQL2_LIMIT, $((CQL2_BOX / 1000))° box) against the hand-written SQL \`WHERE t.category < $CQL2_CATEGORY AND ST_Intersects(...)\` building the same FeatureCollection:"
        echo
        echo "| raw SQL tx/s | SQL p50 / p99 ms | Meridian PostGIS req/s | p50 / p99 ms | ratio vs SQL | Meridian GPKG req/s | p50 / p99 ms | CPU busy / other % SQL, PostGIS, GPKG |"
        echo "|---|---|---|---|---|---|---|---|"
        echo "| $(v "sqlcql2:$k:rps") | $(v "sqlcql2:$k:p50") / $(v "sqlcql2:$k:p99") | $(v "postgiscql2:$k:rps") | $(v "postgiscql2:$k:p50") / $(v "postgiscql2:$k:p99") | $(ratio "${R[postgiscql2:$k:rps]:-}" "${R[sqlcql2:$k:rps]:-}") | $(v "gpkgcql2:$k:rps") | $(v "gpkgcql2:$k:p50") / $(v "gpkgcql2:$k:p99") | $(v "sqlcql2:$k:busy_cpu")/$(v "sqlcql2:$k:other_cpu"), $(v "postgiscql2:$k:busy_cpu")/$(v "postgiscql2:$k:other_cpu"), $(v "gpkgcql2:$k:busy_cpu")/$(v "gpkgcql2:$k:other_cpu") |"
        echo
    fi
    echo "Mean rows per SQL page (50 sample boxes): $(for coll in $COLLECTIONS; do for lim in $LIMITS; do printf '%s/%s: %s; ' "$coll" "$lim" "$(v "sql:$coll:$lim:rows")"; done; done)"
    echo
    errs=""
    for coll in $COLLECTIONS; do for lim in $LIMITS; do for l in sql sqlrows postgis gpkg sqlcql2 postgiscql2 gpkgcql2; do
        e="${R[$l:$coll:$lim:errors]:-0}"; [[ "$e" == 0 ]] || errs="$errs $l/$coll/$lim=$e"
        s="${R[$l:$coll:$lim:same_rows]:-}"; [[ -z "$s" || "$s" == yes ]] || errs="$errs $l/$coll/$lim:same-rows-$s"
    done; done; done
    echo "Errors / non-2xx / row mismatches: ${errs:- none}"
    echo
    echo "CPU column: % of all $NCPU cores busy during the measured run, and the part used by processes this script did not start (e.g. a concurrent build). Anything but ~0 for \"other\" means the figures are noisy."
    echo
    echo "CPU time per request during the measured runs (ms; from /proc, robust to background load): where the work goes."
    echo
    echo "| collection | limit | run | client (wrk/pgbench) | Meridian | PostgreSQL | total |"
    echo "|---|---|---|---|---|---|---|"
    for coll in $COLLECTIONS; do for lim in $LIMITS; do for l in sql sqlrows postgis gpkg sqlcql2 postgiscql2 gpkgcql2; do
        [[ -n "${R[$l:$coll:$lim:rps]:-}" ]] || continue
        case "$l" in sql) name="raw SQL (FeatureCollection)" ;; sqlrows) name="raw SQL (rows only)" ;; postgis) name="Meridian PostGIS" ;; gpkg) name="Meridian GPKG" ;;
            sqlcql2) name="CQL2 case: raw SQL" ;; postgiscql2) name="CQL2 case: Meridian PostGIS" ;; gpkgcql2) name="CQL2 case: Meridian GPKG" ;; esac
        tot="$(awk -v a="$(v "$l:$coll:$lim:client_ms")" -v b="$(v "$l:$coll:$lim:meridian_ms")" -v c="$(v "$l:$coll:$lim:pg_ms")" \
            'BEGIN {printf "%.2f", (a == "-" ? 0 : a) + (b == "-" ? 0 : b) + (c == "-" ? 0 : c)}')"
        echo "| $coll | $lim | $name | $(v "$l:$coll:$lim:client_ms") | $(v "$l:$coll:$lim:meridian_ms") | $(v "$l:$coll:$lim:pg_ms") | $tot |"
    done; done; done
    echo
    if [[ "$MERIDIAN_DONE" == 1 ]]; then
        echo "| server | start-up to /ready | idle RSS | RSS after load |"
        echo "|---|---|---|---|"
        echo "| meridian serve --postgres | $(v postgis:ready_ms) ms | $(v postgis:rss_mb) MB | $(v postgis:rss_after_mb) MB |"
        [[ "${BENCH_SKIP_GPKG:-0}" == 1 ]] || echo "| meridian serve --gpkg | $(v gpkg:ready_ms) ms | $(v gpkg:rss_mb) MB | $(v gpkg:rss_after_mb) MB |"
        echo
        echo "### Goals"
        echo
        c="bench_points"
        r="$(ratio "${R[postgis:$c:100:rps]:-}" "${R[sql:$c:100:rps]:-}")"
        ok=$(awk -v r="$r" -v g="$GOAL_RATIO" 'BEGIN {print (r != "-" && r + 0 >= g) ? 1 : 0}')
        echo "- Meridian ≥ 70% of raw SQL throughput, $c limit=100: $r → **$(passfail "$ok")**"
        for coll in $COLLECTIONS; do
            [[ "$coll" == "$c" ]] && continue
            r2="$(ratio "${R[postgis:$coll:100:rps]:-}" "${R[sql:$coll:100:rps]:-}")"
            ok=$(awk -v r="$r2" -v g="$GOAL_RATIO" 'BEGIN {print (r != "-" && r + 0 >= g) ? 1 : 0}')
            echo "  - same for $coll limit=100: $r2 → $(passfail "$ok")"
        done
        if [[ "$CQL2_DONE" == 1 ]]; then
            r3="$(ratio "${R[postgiscql2:$CQL2_COLLECTION:$CQL2_LIMIT:rps]:-}" "${R[sqlcql2:$CQL2_COLLECTION:$CQL2_LIMIT:rps]:-}")"
            ok=$(awk -v r="$r3" -v g="$GOAL_RATIO" 'BEGIN {print (r != "-" && r + 0 >= g) ? 1 : 0}')
            echo "- CQL2 filter (attribute AND S_INTERSECTS) ≥ 70% of the same hand-written SQL: $r3 → **$(passfail "$ok")**"
        fi
        p="$(v "postgis:$c:100:p99")"
        ok=$(awk -v p="$p" -v g="$GOAL_P99_MS" 'BEGIN {print (p != "-" && p + 0 < g) ? 1 : 0}')
        echo "- p99 < 50 ms, $c limit=100: $p ms → **$(passfail "$ok")**"
        for coll in $COLLECTIONS; do
            [[ "$coll" == "$c" ]] && continue
            p2="$(v "postgis:$coll:100:p99")"
            ok=$(awk -v p="$p2" -v g="$GOAL_P99_MS" 'BEGIN {print (p != "-" && p + 0 < g) ? 1 : 0}')
            echo "  - same for $coll limit=100: $p2 ms → $(passfail "$ok")"
        done
        if [[ "${BENCH_SKIP_GPKG:-0}" != 1 ]]; then
            worst="-"
            for coll in $COLLECTIONS; do for lim in $LIMITS; do
                f="$(ratio "${R[postgis:$coll:$lim:rps]:-}" "${R[gpkg:$coll:$lim:rps]:-}")"
                worst=$(awk -v w="$worst" -v f="$f" 'BEGIN {if (f == "-") print w; else if (w == "-" || f + 0 > w + 0) print f; else print w}')
            done; done
            ok=$(awk -v w="$worst" -v g="$GOAL_GPKG_FACTOR" 'BEGIN {print (w != "-" && w + 0 <= g) ? 1 : 0}')
            echo "- GeoPackage within 2x of PostGIS (worst PostGIS/GPKG throughput factor over all runs): $worst → **$(passfail "$ok")**"
        fi
        ok=$(awk -v m="$(v postgis:rss_mb)" -v g="$GOAL_RSS_MB" 'BEGIN {print (m != "-" && m + 0 < g) ? 1 : 0}')
        echo "- idle RSS < 150 MB (--postgres): $(v postgis:rss_mb) MB → **$(passfail "$ok")**"
        ok=$(awk -v m="$(v postgis:ready_ms)" -v g="$GOAL_READY_S" 'BEGIN {print (m != "-" && m + 0 < g * 1000) ? 1 : 0}')
        echo "- start-up to ready < 2 s (--postgres): $(v postgis:ready_ms) ms → **$(passfail "$ok")**"
    else
        echo "Meridian was not measured in this run (SQL baseline only)."
    fi
} >"$REPORT"

echo
cat "$REPORT"
echo

if [[ "${BENCH_NO_RESULTS:-0}" != 1 ]]; then
    # One section per run, keyed by its start minute (UTC); a section with the same key is replaced.
    DAY="$RUN_KEY"
    SECTION="$WORK/section.md"
    {
        echo "<!-- run:$DAY -->"
        echo "## $DATE_UTC"
        echo
        echo "- Machine: $(awk -F': ' '/^model name/ {print $2; exit}' /proc/cpuinfo), $(nproc) cores, $(awk '/^MemTotal/ {printf "%.0f GiB", $2 / 1048576}' /proc/meminfo) RAM, $(. /etc/os-release && echo "$PRETTY_NAME"), kernel $(uname -r)"
        echo "- Database: $PG_DESC, PostgreSQL $PG_VERSION, PostGIS $POSTGIS_VERSION"
        echo "- Data: $FINGERPRINT"
        echo "- Load: $CONNECTIONS connections, $THREADS threads, ${SERVER_WARMUP} s of load on each Meridian server after start-up (JIT), then ${WARMUP} s warm-up + ${DURATION} s measured per run; wrk $(wrk -v 2>&1 | head -1 | awk '{print $2}') --latency (p50/p99 from wrk's distribution); pgbench -M $PGBENCH_MODE (p50/p99 from per-transaction logs); bbox seed $SEED"
        if [[ "$MERIDIAN_DONE" == 1 ]]; then
            echo "- Meridian: commit $MERIDIAN_COMMIT, Release build, \`${MERIDIAN_CMD[*]##*/} serve ... --urls http://127.0.0.1:PORT\`, .NET $("$DOTNET" --version)"
        fi
        echo "- Command: \`$(for e in BENCH_PG BENCH_DURATION BENCH_WARMUP BENCH_SERVER_WARMUP BENCH_SQL_ROWS BENCH_CQL2 BENCH_CONNECTIONS BENCH_THREADS BENCH_SEED BENCH_COLLECTIONS BENCH_LIMITS BENCH_PGBENCH_MODE BENCH_SKIP_MERIDIAN BENCH_SKIP_GPKG; do [[ -n "${!e:-}" ]] && printf '%s=%q ' "$e" "${!e}"; done)bench/features/run.sh\`"
        [[ -n "${BENCH_NOTE:-}" ]] && echo "- Note: $BENCH_NOTE"
        echo
        cat "$REPORT"
        echo
        echo "<!-- /run:$DAY -->"
    } >"$SECTION"
    if [[ ! -f "$RESULTS_FILE" ]]; then
        printf '# Benchmark results\n\nWritten by `bench/features/run.sh` (one section per run, newest last).\n\n' >"$RESULTS_FILE"
    fi
    awk -v day="$DAY" -v sect="$SECTION" '
        $0 == "<!-- run:" day " -->" { skip = 1; if (!done) { while ((getline l < sect) > 0) print l; done = 1 } next }
        skip && $0 == "<!-- /run:" day " -->" { skip = 0; next }
        !skip { print }
        END { if (!done) { print ""; while ((getline l < sect) > 0) print l } }
    ' "$RESULTS_FILE" >"$RESULTS_FILE.tmp"
    mv "$RESULTS_FILE.tmp" "$RESULTS_FILE"
    log "wrote section $DAY in $RESULTS_FILE"
fi
