#!/usr/bin/env bash
# Runs every test of the solution against real services that this script installs (when missing) and
# starts privately, so it works the same on a fresh Debian 12 machine, in CI and on a laptop.
# The last line of output is always "tests: N passed, M failed[, K skipped]".
#
# Each service has a start_<name> function that installs its packages, starts a private instance on a
# free loopback port, exports the MERIDIAN_TEST_* variable the tests read and registers its own stop
# step.
set -euo pipefail

repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
results_dir="$(mktemp -d -t meridian-test-results.XXXXXX)"
stop_steps=()

export CI="${CI:-true}" DOTNET_NOLOGO=1 DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

log() { printf '==> %s\n' "$*"; }

# Stop services in reverse start order. Quiet, so that the summary stays the last line, and idempotent,
# because it runs both before the summary and from the EXIT trap.
stop_services() {
  local i
  for ((i = ${#stop_steps[@]} - 1; i >= 0; i--)); do
    "${stop_steps[i]}" >/dev/null 2>&1 || true
  done
  stop_steps=()
}
on_exit() {
  stop_services
  rm -rf "$results_dir"
}
trap on_exit EXIT
# Turn Ctrl-C and kill into a normal exit, so that the EXIT trap stops the services.
trap 'exit 130' INT
trap 'exit 143' TERM

apt_updated=false
# Installs the Debian packages that are not installed yet; apt-get update runs at most once.
ensure_packages() {
  local missing=() package
  for package in "$@"; do
    dpkg -s "$package" 2>/dev/null | grep -q '^Status: install ok installed' || missing+=("$package")
  done
  ((${#missing[@]} == 0)) && return 0
  if [[ $(id -u) -ne 0 ]]; then
    echo "missing packages ${missing[*]}: run as root or install them first" >&2
    return 1
  fi
  if [[ $apt_updated == false ]]; then
    log "apt-get update"
    apt-get update -q </dev/null
    apt_updated=true
  fi
  log "installing ${missing[*]}"
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${missing[@]}" </dev/null
}

# Prints a loopback TCP port nobody listens on (bash's /dev/tcp only, no other tool needed).
free_port() {
  local port
  for _ in $(seq 1 100); do
    port=$((20000 + RANDOM % 40000))
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
      echo "$port"
      return 0
    fi
  done
  echo "no free loopback port found" >&2
  return 1
}

# PostgreSQL refuses to run as root: as root, run its tools as the postgres user; otherwise as ourselves.
as_postgres() {
  if [[ $(id -u) -eq 0 ]]; then runuser -u postgres -- "$@"; else "$@"; fi
}

# A private PostgreSQL 15 + PostGIS cluster in a temporary directory, owned by whoever runs the server.
start_postgres() {
  ensure_packages postgresql-15-postgis-3 gdal-bin
  local bin=/usr/lib/postgresql/15/bin
  local port password
  pg_dir="$(mktemp -d -t meridian-pg.XXXXXX)"
  [[ $(id -u) -ne 0 ]] || chown postgres: "$pg_dir"
  chmod 700 "$pg_dir"
  stop_steps+=(stop_postgres)
  port="$(free_port)"
  password="$(head -c 24 /dev/urandom | od -An -tx1 | tr -d ' \n')"

  log "starting PostgreSQL on 127.0.0.1:$port"
  as_postgres "$bin/initdb" -D "$pg_dir/data" -U postgres -E UTF8 --no-locale \
    --auth-local=trust --auth-host=scram-sha-256 >"$pg_dir/initdb.log" 2>&1 \
    || { cat "$pg_dir/initdb.log" >&2; return 1; }
  cat >>"$pg_dir/data/postgresql.conf" <<CONF
listen_addresses = '127.0.0.1'
port = $port
unix_socket_directories = '$pg_dir'
max_connections = 200
fsync = off
synchronous_commit = off
full_page_writes = off
CONF
  as_postgres "$bin/pg_ctl" -D "$pg_dir/data" -l "$pg_dir/server.log" -w -t 60 start >/dev/null \
    || { cat "$pg_dir/server.log" >&2; return 1; }
  as_postgres "$bin/psql" -h "$pg_dir" -p "$port" -U postgres -d postgres -v ON_ERROR_STOP=1 -q \
    -c "CREATE ROLE meridian LOGIN SUPERUSER PASSWORD '$password'" \
    -c "CREATE DATABASE meridian OWNER meridian" </dev/null
  export MERIDIAN_TEST_POSTGRES="Host=127.0.0.1;Port=$port;Username=meridian;Password=$password;Database=meridian"
}
stop_postgres() {
  [[ -n ${pg_dir:-} ]] || return 0
  if [[ -f $pg_dir/data/postmaster.pid ]]; then
    as_postgres /usr/lib/postgresql/15/bin/pg_ctl -D "$pg_dir/data" -m fast -w stop
  fi
  rm -rf "$pg_dir"
  pg_dir=
}

# A private S3-compatible server (s3rver, from npm with the versions pinned in scripts/s3rver) for the
# object-store tests. It keeps its buckets in a temporary directory and accepts the credentials S3RVER/S3RVER.
start_s3() {
  command -v node >/dev/null || ensure_packages nodejs npm
  local port dir="$repo_root/scripts/s3rver"
  if [[ ! -x $dir/node_modules/.bin/s3rver ]]; then
    log "installing s3rver (npm ci)"
    (cd "$dir" && npm ci --no-audit --no-fund --loglevel=error </dev/null >/dev/null)
  fi
  s3_dir="$(mktemp -d -t meridian-s3.XXXXXX)"
  stop_steps+=(stop_s3)
  port="$(free_port)"
  log "starting s3rver on 127.0.0.1:$port"
  "$dir/node_modules/.bin/s3rver" --directory "$s3_dir" --address 127.0.0.1 --port "$port" --silent \
    >"$s3_dir.log" 2>&1 </dev/null &
  s3_pid=$!
  for _ in $(seq 1 100); do
    if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
      export MERIDIAN_TEST_S3="http://127.0.0.1:$port"
      return 0
    fi
    kill -0 "$s3_pid" 2>/dev/null || break
    sleep 0.1
  done
  cat "$s3_dir.log" >&2
  return 1
}
stop_s3() {
  [[ -n ${s3_pid:-} ]] && kill "$s3_pid" && wait "$s3_pid" 2>/dev/null
  s3_pid=
  rm -rf "${s3_dir:-}" "${s3_dir:-}.log"
}

# A private Redis on a free loopback port with its own directory and no persistence. Tests that take Redis
# away (outage tests) start their own redis-server from the same package.
start_redis() {
  ensure_packages redis-server
  local port
  redis_dir="$(mktemp -d -t meridian-redis.XXXXXX)"
  stop_steps+=(stop_redis)
  port="$(free_port)"

  log "starting Redis on 127.0.0.1:$port"
  redis-server --bind 127.0.0.1 --port "$port" --dir "$redis_dir" --save '' --appendonly no \
    --daemonize yes --pidfile "$redis_dir/redis.pid" --logfile "$redis_dir/redis.log" </dev/null
  for _ in $(seq 1 100); do
    (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null && break
    sleep 0.1
  done
  (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null || { cat "$redis_dir/redis.log" >&2; return 1; }
  export MERIDIAN_TEST_REDIS="127.0.0.1:$port"
}
stop_redis() {
  [[ -n ${redis_dir:-} ]] || return 0
  if [[ -f $redis_dir/redis.pid ]]; then
    local pid
    pid="$(cat "$redis_dir/redis.pid")"
    kill "$pid" 2>/dev/null || true
    for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  fi
  rm -rf "$redis_dir"
  redis_dir=
}

# A private RabbitMQ node (Debian's rabbitmq-server) on free loopback ports, with its own directories, its own epmd
# (so it never meets another node's epmd or name) and no plugins (the management plugin would take port 15672).
# Debian's wrapper runs the node as the rabbitmq user, so that user owns the node's directories. The tests read
# MERIDIAN_TEST_RABBITMQ (an amqp URI with a user and vhost of their own) and MERIDIAN_TEST_RABBITMQ_NODE, which
# they pass to rabbitmqctl to restart the broker under queued messages (ERL_EPMD_PORT is exported for that too).
start_rabbitmq() {
  ensure_packages rabbitmq-server
  local port dist_port password
  rabbitmq_dir="$(mktemp -d -t meridian-rabbitmq.XXXXXX)"
  chmod 755 "$rabbitmq_dir"
  stop_steps+=(stop_rabbitmq)
  port="$(free_port)"
  dist_port="$(free_port)"
  ERL_EPMD_PORT="$(free_port)"
  password="$(head -c 24 /dev/urandom | od -An -tx1 | tr -d ' \n')"
  rabbitmq_node="meridian-$port@localhost"
  mkdir -p "$rabbitmq_dir/mnesia" "$rabbitmq_dir/log"
  echo '[].' >"$rabbitmq_dir/enabled_plugins"
  : >"$rabbitmq_dir/rabbitmq.conf"
  [[ $(id -u) -ne 0 ]] || chown -R rabbitmq: "$rabbitmq_dir"
  export ERL_EPMD_PORT ERL_EPMD_ADDRESS=127.0.0.1

  log "starting RabbitMQ $rabbitmq_node on 127.0.0.1:$port"
  RABBITMQ_NODENAME="$rabbitmq_node" RABBITMQ_NODE_IP_ADDRESS=127.0.0.1 RABBITMQ_NODE_PORT="$port" \
    RABBITMQ_DIST_PORT="$dist_port" RABBITMQ_MNESIA_BASE="$rabbitmq_dir/mnesia" RABBITMQ_LOG_BASE="$rabbitmq_dir/log" \
    RABBITMQ_ENABLED_PLUGINS_FILE="$rabbitmq_dir/enabled_plugins" RABBITMQ_CONFIG_FILE="$rabbitmq_dir/rabbitmq.conf" \
    RABBITMQ_CONF_ENV_FILE=/dev/null RABBITMQ_SERVER_ADDITIONAL_ERL_ARGS='-kernel inet_dist_use_interface {127,0,0,1}' \
    rabbitmq-server >"$rabbitmq_dir/server.log" 2>&1 </dev/null &
  rabbitmq_pid=$!
  # Ready in about 10 s on an idle machine; a loaded one takes longer.
  local ready=false
  for _ in $(seq 1 60); do
    if rabbitmqctl -n "$rabbitmq_node" -q await_startup --timeout 5 >/dev/null 2>&1; then ready=true; break; fi
    kill -0 "$rabbitmq_pid" 2>/dev/null || break
    sleep 1
  done
  [[ $ready == true ]] || { cat "$rabbitmq_dir/server.log" >&2; return 1; }
  rabbitmqctl -n "$rabbitmq_node" -q add_vhost meridian >/dev/null
  rabbitmqctl -n "$rabbitmq_node" -q add_user meridian "$password" >/dev/null
  rabbitmqctl -n "$rabbitmq_node" -q set_permissions -p meridian meridian '.*' '.*' '.*' >/dev/null
  export MERIDIAN_TEST_RABBITMQ="amqp://meridian:$password@127.0.0.1:$port/meridian"
  export MERIDIAN_TEST_RABBITMQ_NODE="$rabbitmq_node"
}
stop_rabbitmq() {
  [[ -n ${rabbitmq_dir:-} ]] || return 0
  rabbitmqctl -n "$rabbitmq_node" -q stop >/dev/null 2>&1 || kill "$rabbitmq_pid" 2>/dev/null || true
  wait "$rabbitmq_pid" 2>/dev/null || true
  # The node started this epmd on its private port; nothing else uses it.
  epmd -port "$ERL_EPMD_PORT" -kill >/dev/null 2>&1 || true
  rm -rf "$rabbitmq_dir"
  rabbitmq_dir=
}

# Sums one attribute of every TRX file's <Counters> element.
count() {
  local attribute=$1 sum=0 value file
  for file in "$results_dir"/*.trx; do
    [[ -e $file ]] || continue
    value="$(grep -o "<Counters [^>]*" "$file" | grep -o " $attribute=\"[0-9]*\"" | grep -o '[0-9]*' || true)"
    sum=$((sum + ${value:-0}))
  done
  echo "$sum"
}

# The tests read the open test data (Natural Earth, CQL2 suite, broken files) from a shared/data folder above the
# checkout, as tests/Meridian.Testing/TestData.cs looks for it, or from MERIDIAN_SHARED_DATA. Checked first, so that
# a checkout without it says so at once instead of after the build, as a thousand failed tests.
require_test_data() {
  if [[ -n ${MERIDIAN_SHARED_DATA:-} ]]; then
    [[ -d $MERIDIAN_SHARED_DATA ]] && return 0
    echo "MERIDIAN_SHARED_DATA is '$MERIDIAN_SHARED_DATA', which is not a directory" >&2
    return 1
  fi
  local dir=$repo_root
  while [[ $dir != / ]]; do
    [[ -d $dir/shared/data ]] && return 0
    dir="$(dirname "$dir")"
  done
  echo "no shared/data folder above $repo_root: set MERIDIAN_SHARED_DATA to the test data folder (see README)" >&2
  return 1
}

# The tests interrupt meridian processes with SIGINT, as Ctrl-C does. A script started in the background (`nohup
# scripts/test.sh &`) inherits SIGINT and SIGQUIT ignored, which no shell can undo and which .NET keeps: the
# interrupt would never arrive and those tests would fail. env gives dotnet, and all it starts, the default ones.
dotnet_with_default_signals() { env --default-signal=INT,QUIT dotnet "$@"; }

main() {
  cd "$repo_root"
  if ! require_test_data; then
    echo "tests: 0 passed, 0 failed, 0 skipped"
    return 1
  fi
  start_postgres
  start_s3
  start_redis
  start_rabbitmq

  local build_status=0 test_status=0
  log "dotnet build"
  dotnet_with_default_signals build Meridian.slnx -c Release --verbosity minimal </dev/null || build_status=$?
  if ((build_status == 0)); then
    log "dotnet test"
    dotnet_with_default_signals test Meridian.slnx -c Release --no-build --verbosity minimal \
      --logger trx --results-directory "$results_dir" </dev/null || test_status=$?
  fi
  stop_services

  local total passed failed skipped
  total=$(count total)
  passed=$(count passed)
  failed=$(($(count failed) + $(count error) + $(count timeout) + $(count aborted)))
  skipped=$((total - passed - failed))
  ((build_status == 0)) || echo "build failed" >&2
  ((test_status == 0)) || echo "dotnet test exited with $test_status" >&2
  ((total > 0)) || echo "no tests ran" >&2
  echo "tests: $passed passed, $failed failed, $skipped skipped"
  ((build_status == 0 && test_status == 0 && failed == 0 && total > 0))
}

# Sourced (e.g. by bench/tiles/run.sh for start_postgres and start_redis), it only defines the functions.
if [[ ${BASH_SOURCE[0]} == "$0" ]]; then main "$@"; fi
