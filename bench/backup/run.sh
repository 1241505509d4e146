#!/usr/bin/env bash
# bench/backup/run.sh — `meridian backup` and `meridian restore` of the 1,000,000-point dataset against
# pg_dump / pg_restore of the same table, in one run, on one machine, everything on 127.0.0.1.
#
# What it does:
#   1. Creates a fresh database on an existing PostgreSQL+PostGIS (BENCH_PG, else MERIDIAN_TEST_POSTGRES as
#      /tmp/testenv.sh or scripts/test.sh export it: an Npgsql keyword string of a superuser) and loads
#      bench/features/generate.sql into it; only bench_points (1,000,000 points, five properties) is kept.
#   2. Builds Meridian in Release (unless MERIDIAN_BIN names a built meridian.dll).
#   3. Times, each once, with peak RSS (GNU time):
#        meridian backup  PostGIS -> archive          pg_dump -Fc -t bench_points
#        meridian restore archive -> new PostGIS db   pg_restore into a new database
#        meridian restore archive -> embedded GeoPackage, and meridian backup of that (the other adapter)
#      and checks that the restored table holds the same rows (a fingerprint over every column, in SQL).
#   4. Prints a table and appends a section to bench/RESULTS.md (BENCH_NO_RESULTS=1 skips that).
#   The databases it created are dropped and its temp dir removed on exit (BENCH_KEEP=1 keeps the dir).
#
# Environment: BENCH_PG, BENCH_KEEP, BENCH_NO_RESULTS, BENCH_NOTE, MERIDIAN_BIN, DOTNET.
# Requirements: psql, pg_dump and pg_restore of the server's major version, GNU time, the .NET 10 SDK.
set -euo pipefail

SCRIPT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO_ROOT="$(cd "$SCRIPT_DIR/../.." && pwd)"
DOTNET="${DOTNET:-dotnet}"
[ -f /tmp/testenv.sh ] && [ -z "${BENCH_PG:-}" ] && [ -z "${MERIDIAN_TEST_POSTGRES:-}" ] && source /tmp/testenv.sh
ADMIN="${BENCH_PG:-${MERIDIAN_TEST_POSTGRES:-}}"
[ -n "$ADMIN" ] || { echo "set BENCH_PG (or MERIDIAN_TEST_POSTGRES) to an Npgsql connection string of a PostGIS superuser" >&2; exit 2; }

# Npgsql keywords -> libpq URL parts (Host, Port, Username, Password).
field() { echo "$ADMIN" | tr ';' '\n' | awk -F= -v k="$1" 'tolower($1)==tolower(k) {print substr($0, index($0, "=") + 1)}'; }
PGHOST_="$(field Host)"; PGPORT_="$(field Port)"; PGUSER_="$(field Username)"; PGPASSWORD_="$(field Password)"
export PGHOST="$PGHOST_" PGPORT="${PGPORT_:-5432}" PGUSER="$PGUSER_" PGPASSWORD="$PGPASSWORD_"
npgsql() { echo "Host=$PGHOST;Port=$PGPORT;Username=$PGUSER;Password=$PGPASSWORD;Database=$1"; }

RUN="$$"
DBS=("bench_backup_src_$RUN" "bench_backup_meridian_$RUN" "bench_backup_pgrestore_$RUN")
WORK="$(mktemp -d /tmp/meridian-bench-backup.XXXXXX)"
cleanup() {
    for db in "${DBS[@]}"; do psql -q -d postgres -c "DROP DATABASE IF EXISTS \"$db\" WITH (FORCE)" >/dev/null 2>&1 || true; done
    [ "${BENCH_KEEP:-0}" = 1 ] && echo "kept $WORK" || rm -rf "$WORK"
}
trap cleanup EXIT

for db in "${DBS[@]}"; do psql -q -d postgres -c "CREATE DATABASE \"$db\""; done
for db in "${DBS[@]:1}"; do psql -q -d "$db" -c "CREATE EXTENSION postgis"; done
echo "generating the dataset in ${DBS[0]} ..."
psql -q -d "${DBS[0]}" -f "$REPO_ROOT/bench/features/generate.sql" > "$WORK/generate.log"
psql -q -d "${DBS[0]}" -c "DROP TABLE bench_polygons"

if [ -n "${MERIDIAN_BIN:-}" ]; then
    MERIDIAN="$MERIDIAN_BIN"
else
    echo "building Meridian (Release) ..."
    "$DOTNET" build "$REPO_ROOT/src/Meridian" -c Release -o "$WORK/bin" -v quiet -nologo > "$WORK/build.log"
    MERIDIAN="$WORK/bin/meridian.dll"
fi
MERIDIAN_CMD=("$DOTNET" "$MERIDIAN")

# timed NAME COMMAND...: wall seconds and peak RSS (MiB) of one run, into $WORK/NAME.time
timed() {
    local name="$1"; shift
    /usr/bin/time -f "%e %M" -o "$WORK/$name.time" "$@" > "$WORK/$name.out" 2> "$WORK/$name.err" \
        || { echo "$name failed:" >&2; cat "$WORK/$name.err" >&2; exit 1; }
}
secs() { awk '{print $1}' "$WORK/$1.time"; }
mib() { awk '{printf "%.0f", $2 / 1024}' "$WORK/$1.time"; }
size() { awk '{printf "%.1f", $1 / 1048576}' <<< "$(stat -c %s "$1")"; }
fingerprint() {
    psql -qtA -d "$1" -c "SELECT count(*) || ' ' || md5(string_agg(id || ' ' || ST_AsText(geom) || ' ' || name || ' ' || category || ' ' || value || ' ' || observed, ',' ORDER BY id)) FROM bench_points"
}

# Checkpoint and warm the cache once, so that neither side pays for the load's dirty pages.
psql -q -d "${DBS[0]}" -c "CHECKPOINT" -c "SELECT count(*) FROM bench_points" > /dev/null
SOURCE="$(fingerprint "${DBS[0]}")"

echo "meridian backup (PostGIS) ..."
timed backup_postgis "${MERIDIAN_CMD[@]}" backup "$WORK/postgis.zip" --data "$WORK/data-src" --postgres "$(npgsql "${DBS[0]}")"
echo "pg_dump -Fc ..."
timed pg_dump pg_dump -Fc -t bench_points -f "$WORK/points.dump" -d "${DBS[0]}"
echo "meridian restore (PostGIS) ..."
timed restore_postgis "${MERIDIAN_CMD[@]}" restore "$WORK/postgis.zip" --data "$WORK/data-pg" --postgres "$(npgsql "${DBS[1]}")"
echo "pg_restore ..."
timed pg_restore pg_restore -d "${DBS[2]}" "$WORK/points.dump"
echo "meridian restore (GeoPackage) ..."
timed restore_gpkg "${MERIDIAN_CMD[@]}" restore "$WORK/postgis.zip" --data "$WORK/data-gpkg"
echo "meridian backup (GeoPackage) ..."
timed backup_gpkg "${MERIDIAN_CMD[@]}" backup "$WORK/gpkg.zip" --data "$WORK/data-gpkg"

RESTORED="$(fingerprint "${DBS[1]}")"
PGRESTORED="$(fingerprint "${DBS[2]}")"
SAME=yes; [ "$SOURCE" = "$RESTORED" ] && [ "$SOURCE" = "$PGRESTORED" ] || SAME="NO (source $SOURCE, meridian $RESTORED, pg_restore $PGRESTORED)"
TABLE_MIB="$(psql -qtA -d "${DBS[0]}" -c "SELECT round(pg_total_relation_size('bench_points') / 1048576.0, 1)")"

REPORT="$(cat <<TABLE
| step | wall s | peak RSS MiB | output MiB |
|---|---|---|---|
| meridian backup, PostGIS → zip | $(secs backup_postgis) | $(mib backup_postgis) | $(size "$WORK/postgis.zip") |
| pg_dump -Fc -t bench_points | $(secs pg_dump) | $(mib pg_dump) | $(size "$WORK/points.dump") |
| meridian restore, zip → PostGIS | $(secs restore_postgis) | $(mib restore_postgis) | |
| pg_restore (same table, indexes included) | $(secs pg_restore) | $(mib pg_restore) | |
| meridian restore, zip → GeoPackage | $(secs restore_gpkg) | $(mib restore_gpkg) | |
| meridian backup, GeoPackage → zip | $(secs backup_gpkg) | $(mib backup_gpkg) | $(size "$WORK/gpkg.zip") |

Table bench_points with its indexes: $TABLE_MIB MiB. Restored rows identical to the source (every column, in SQL): $SAME.
TABLE
)"
echo
echo "$REPORT"

if [ "${BENCH_NO_RESULTS:-0}" != 1 ]; then
    COMMIT="$(git -C "$REPO_ROOT" rev-parse --short HEAD)$(git -C "$REPO_ROOT" diff --quiet || echo '+dirty')"
    {
        echo
        echo "## Backup and restore, $(date -u +%Y-%m-%d) (bench/backup/run.sh)"
        echo
        echo "Machine: $(nproc) cores ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)), $(free -g | awk '/Mem:/ {print $2}') GiB RAM, shared with other work;"
        echo "PostgreSQL $(psql -qtA -d postgres -c 'SHOW server_version' | cut -d' ' -f1) on 127.0.0.1. Commit $COMMIT. Command: \`bench/backup/run.sh\`."
        [ -n "${BENCH_NOTE:-}" ] && echo "Note: $BENCH_NOTE"
        echo
        echo "$REPORT"
    } >> "$REPO_ROOT/bench/RESULTS.md"
fi
