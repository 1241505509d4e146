# bench/lib/postgres.sh — sourced by benchmark scripts: a PostgreSQL 15 + PostGIS for the run.
#
# bench_postgres_start WORKDIR: uses the server named by BENCH_PG (libpq keywords host port dbname user password,
# no spaces inside values) or starts a private one in WORKDIR/pgdata on a free loopback port (as the postgres
# user: PostgreSQL refuses to run as root), tuned for benchmarks (everything in memory, no durability). Exports
# PGHOST PGPORT PGDATABASE PGUSER PGPASSWORD, NPGSQL_CONN, OGR_PG and PG_DESC. bench_postgres_stop stops only
# a server it started.

bench_free_port() {
    local p
    for _ in $(seq 1 200); do
        p=$(( 20000 + (RANDOM * 32768 + RANDOM) % 30000 ))
        if [[ -z "$(ss -Htln "sport = :$p")" ]]; then echo "$p"; return 0; fi
    done
    echo "no free port found" >&2
    return 1
}

bench_postgres_start() {
    local work=$1 pgbin=${PGBIN:-/usr/lib/postgresql/15/bin}
    if [[ -n "${BENCH_PG:-}" ]]; then
        PGHOST=127.0.0.1 PGPORT=5432 PGDATABASE=postgres PGUSER=postgres PGPASSWORD=""
        local kv
        for kv in $BENCH_PG; do
            case "${kv%%=*}" in
                host) PGHOST="${kv#*=}" ;;
                port) PGPORT="${kv#*=}" ;;
                dbname) PGDATABASE="${kv#*=}" ;;
                user) PGUSER="${kv#*=}" ;;
                password) PGPASSWORD="${kv#*=}" ;;
                *) echo "BENCH_PG: unsupported keyword ${kv%%=*}" >&2; return 1 ;;
            esac
        done
        PG_DESC="existing server ($PGHOST:$PGPORT/$PGDATABASE)"
    else
        BENCH_PGDATA="$work/pgdata"
        PGHOST=127.0.0.1 PGPORT="$(bench_free_port)" PGDATABASE=bench PGUSER=postgres PGPASSWORD=""
        mkdir -p "$BENCH_PGDATA" && chown postgres: "$BENCH_PGDATA"
        runuser -u postgres -- "$pgbin/initdb" -D "$BENCH_PGDATA" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 \
            >"$work/initdb.log" 2>&1 || { cat "$work/initdb.log" >&2; return 1; }
        cat >>"$BENCH_PGDATA/postgresql.conf" <<CONF
listen_addresses = '127.0.0.1'
port = $PGPORT
unix_socket_directories = '$BENCH_PGDATA'
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
CONF
        runuser -u postgres -- "$pgbin/pg_ctl" -D "$BENCH_PGDATA" -l "$BENCH_PGDATA/server.log" -w -t 60 start >/dev/null \
            || { cat "$BENCH_PGDATA/server.log" >&2; return 1; }
        PGDATABASE=postgres "$pgbin/psql" -h "$PGHOST" -p "$PGPORT" -U postgres -qAt -c "CREATE DATABASE bench" >/dev/null
        PG_DESC="private PostgreSQL 15 in a temp dir (shared_buffers=2GB, fsync=off, jit=off)"
    fi
    export PGHOST PGPORT PGDATABASE PGUSER PGPASSWORD
    NPGSQL_CONN="Host=$PGHOST;Port=$PGPORT;Database=$PGDATABASE;Username=$PGUSER"
    OGR_PG="PG:host=$PGHOST port=$PGPORT dbname=$PGDATABASE user=$PGUSER"
    if [[ -n "$PGPASSWORD" ]]; then
        NPGSQL_CONN="$NPGSQL_CONN;Password=$PGPASSWORD"
        OGR_PG="$OGR_PG password=$PGPASSWORD"
    fi
}

bench_postgres_stop() {
    [[ -n "${BENCH_PGDATA:-}" && -f "$BENCH_PGDATA/postmaster.pid" ]] || return 0
    runuser -u postgres -- "${PGBIN:-/usr/lib/postgresql/15/bin}/pg_ctl" -D "$BENCH_PGDATA" -m fast -w stop >/dev/null || true
}
