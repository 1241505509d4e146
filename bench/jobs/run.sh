#!/usr/bin/env bash
# bench/jobs/run.sh — small jobs through RabbitMQ with two worker processes (issue 5's goals: >= 300 jobs/s, and
# p99 submit→successful < 250 ms at 50 jobs/s).
#
#   1. PostgreSQL (the job store) and RabbitMQ, private, via scripts/test.sh's start_postgres and start_rabbitmq (or
#      BENCH_PG, an Npgsql keyword string, and BENCH_RABBITMQ, an amqp URI).
#   2. Two `meridian serve --roles worker` processes (Release build) on both, BENCH_CONCURRENCY jobs each at once.
#   3. bench/jobs (Program.cs) submits buffer jobs (100 inline points each) through JobQueue — store insert, then a confirmed publish, as the
#      API does — first BENCH_JOBS as fast as 32 submitters go (jobs/s), then BENCH_RATE jobs/s for BENCH_SECONDS
#      (latency percentiles); both read from the job store's own timestamps.
#   4. Prints the figures with the machine's load, and appends a section to bench/RESULTS.md unless BENCH_NO_RESULTS=1.
#
# The jobs are the issue's small jobs: a buffer of 100 features, results inline in the job.
# Usage (as root):  bench/jobs/run.sh     Environment: BENCH_PG, BENCH_RABBITMQ, BENCH_JOBS (3000), BENCH_RATE (50),
#                   BENCH_SECONDS (30), BENCH_CONCURRENCY (16), BENCH_WARMUP (4000 jobs), BENCH_NO_RESULTS=1.
set -euo pipefail

SCRIPT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO_ROOT="$(cd "$SCRIPT_DIR/../.." && pwd)"
JOBS="${BENCH_JOBS:-3000}" RATE="${BENCH_RATE:-50}" SECONDS_PACED="${BENCH_SECONDS:-30}" CONCURRENCY="${BENCH_CONCURRENCY:-16}" WARMUP="${BENCH_WARMUP:-4000}"
WORK="$(mktemp -d -t meridian-bench-jobs.XXXXXX)"
# shellcheck source=../../scripts/test.sh
source "$REPO_ROOT/scripts/test.sh"

worker_pids=()
cleanup() {
    local pid
    for pid in "${worker_pids[@]}"; do kill "$pid" 2>/dev/null || true; done
    for pid in "${worker_pids[@]}"; do wait "$pid" 2>/dev/null || true; done
    on_exit
    rm -rf "$WORK"
}
trap cleanup EXIT

if [[ -n ${BENCH_PG:-} ]]; then export MERIDIAN_TEST_POSTGRES="$BENCH_PG"; else start_postgres; fi
if [[ -n ${BENCH_RABBITMQ:-} ]]; then export MERIDIAN_TEST_RABBITMQ="$BENCH_RABBITMQ"; else start_rabbitmq; fi

log "building (Release)"
dotnet build "$REPO_ROOT/src/Meridian" -c Release --verbosity quiet -o "$WORK/meridian" >/dev/null
dotnet build "$REPO_ROOT/bench/jobs" -c Release --verbosity quiet -o "$WORK/bench" >/dev/null

# Starts worker $1 on a free port and waits until it is ready; retries on another port when the one picked was
# taken in the meantime (the machine is shared).
start_worker() {
    local i=$1 port pid
    for _ in 1 2 3; do
        port="$(free_port)"
        MERIDIAN__PostGis__ConnectionString="$MERIDIAN_TEST_POSTGRES" MERIDIAN__Messaging__RabbitMq="$MERIDIAN_TEST_RABBITMQ" \
            MERIDIAN__Worker__Concurrency="$CONCURRENCY" MERIDIAN__Data="$WORK/data-$i" \
            dotnet "$WORK/meridian/meridian.dll" serve --roles worker --urls "http://127.0.0.1:$port" >"$WORK/worker-$i.log" 2>&1 &
        pid=$!
        for _ in $(seq 1 600); do
            curl -fs "http://127.0.0.1:$port/ready" >/dev/null 2>&1 && break
            kill -0 "$pid" 2>/dev/null || break
            sleep 0.1
        done
        if curl -fs "http://127.0.0.1:$port/ready" >/dev/null 2>&1; then
            worker_pids+=("$pid")
            log "worker $i ready on port $port (pid $pid)"
            return 0
        fi
        kill "$pid" 2>/dev/null || true
        wait "$pid" 2>/dev/null || true
    done
    tail -5 "$WORK/worker-$i.log" >&2
    return 1
}
start_worker 1
start_worker 2

cpu_ticks() { awk '/^cpu /{print $2+$3+$4+$6+$7+$8, $5}' /proc/stat; }
load_before="$(cut -d' ' -f1-3 /proc/loadavg)"
read -r busy_before idle_before < <(cpu_ticks)
log "running: $JOBS jobs flat out, then $RATE jobs/s for $SECONDS_PACED s"
output="$(dotnet "$WORK/bench/Meridian.Bench.Jobs.dll" "$MERIDIAN_TEST_POSTGRES" "$MERIDIAN_TEST_RABBITMQ" "$JOBS" "$RATE" "$SECONDS_PACED" "$WARMUP")"
read -r busy_after idle_after < <(cpu_ticks)
load_after="$(cut -d' ' -f1-3 /proc/loadavg)"
busy_percent=$(( 100 * (busy_after - busy_before) / (busy_after - busy_before + idle_after - idle_before) ))
echo "$output"
echo "machine: $(nproc) cores, load average $load_before before, $load_after after; CPU busy during the run: $busy_percent %"

result="$(grep '^RESULT' <<<"$output")"
value() { grep -o " $1=[0-9.]*" <<<"$result" | cut -d= -f2; }
verdict() { awk -v v="$1" -v goal="$2" -v cmp="$3" 'BEGIN { ok = (cmp == ">=") ? v >= goal : v < goal; print ok ? "PASS" : "FAIL" }'; }
if [[ ${BENCH_NO_RESULTS:-0} != 1 ]]; then
    cat >>"$REPO_ROOT/bench/RESULTS.md" <<MD

## Jobs through RabbitMQ, two workers ($(date -u +%Y-%m-%dT%H:%MZ), bench/jobs/run.sh)

\`buffer\` jobs of 100 inline points (results inline), PostgreSQL job store, RabbitMQ
$(rabbitmqctl version 2>/dev/null || echo 3.10), two \`--roles worker\` processes with \`Worker:Concurrency=$CONCURRENCY\`, submitted through \`JobQueue\`
(insert + confirmed publish). Machine: $(nproc) cores shared with other work, load average $load_before before and $load_after
after, CPU busy $busy_percent % during the run (the workers, PostgreSQL, RabbitMQ and the submitter included).

| goal | result |
|---|---|
| ≥ 300 jobs/s | **$(value jobs_per_second) jobs/s $(verdict "$(value jobs_per_second)" 300 ">=")** ($JOBS jobs flat out; their submit→successful p99 $(value throughput_p99_ms) ms) |
| p99 submit→successful < 250 ms at $RATE jobs/s | **$(value p99_ms) ms $(verdict "$(value p99_ms)" 250 "<")** (p50 $(value p50_ms), p90 $(value p90_ms), max $(value max_ms) ms; $SECONDS_PACED s) |
MD
    log "appended to bench/RESULTS.md"
fi
