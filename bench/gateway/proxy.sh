#!/usr/bin/env bash
# bench/gateway/proxy.sh — the gateway's proxying cost, compared in one run with nginx and with the gateway
# with every policy off ("bare": YARP plus Meridian's request pipeline), all in front of the same backend.
#
#   1. backend: nginx serving a 1 KB JSON document (the fastest backend we can put behind all of them)
#   2. nginx as a reverse proxy to it (keepalive upstream)
#   3. a bare YARP proxy (bench/gateway `bare-yarp`: YARP's own minimal setup, no Meridian pipeline)  ("bare YARP"),
#      and the same with a gateway-only meridian's socket settings (inline completions, one socket thread per two cores)
#   4. meridian serve --roles gateway, WAF off, no authentication, no rate limits           ("policies off")
#   5. the same with the WAF (level 1), API-key authentication (key sent on every request, cached
#      lookups) and a per-key token bucket far above the load                                   ("policies")
# Each is loaded with wrk (BENCH_CONNECTIONS=16, 2 threads, BENCH_DURATION=15 s, --latency) after a warm-up (BENCH_WARMUP=30 s).
# Prints requests/s and p50/p99 latency per setup (a Markdown table for bench/RESULTS.md) and the ratios of
# the goals: policies on vs bare YARP (≥ 0.85) and vs nginx (≥ 0.6), with the machine's load average. Needs nginx (apt-get install nginx), wrk, curl and
# the .NET SDK; everything listens on 127.0.0.1 and everything started is stopped on exit (setups.sh).
# MERIDIAN_BIN: a built Meridian output folder to measure instead of building this checkout.
set -euo pipefail
cd "$(dirname "$0")/../.."
DURATION=${BENCH_DURATION:-15}
# .NET tiers its JIT up over ~30 s of load: a shorter warm-up measures the compiler, not the proxy.
WARMUP=${BENCH_WARMUP:-30}
CONNECTIONS=${BENCH_CONNECTIONS:-16}
# shellcheck source=setups.sh
source bench/gateway/setups.sh

BACKEND=$(free_port); PROXY=$(free_port); YARP=$(free_port); YARP_INLINE=$(free_port); BARE=$(free_port); FULL=$(free_port)
start_nginx "$BACKEND" "$PROXY"
start_bare_yarp "$YARP" "$BACKEND"
start_bare_yarp "$YARP_INLINE" "$BACKEND" inline
start_gateway_bare "$BARE" "$BACKEND"
start_gateway_full "$FULL" "$BACKEND"

wait_for "http://127.0.0.1:$BACKEND/doc"; wait_for "http://127.0.0.1:$PROXY/doc"; wait_for "http://127.0.0.1:$YARP/doc"; wait_for "http://127.0.0.1:$YARP_INLINE/doc"; wait_for "http://127.0.0.1:$BARE/doc"
wait_for "http://127.0.0.1:$FULL/doc" "X-API-Key: $API_KEY"

run() { # name url [header]
  wrk -t2 -c"$CONNECTIONS" -d"${WARMUP}s" ${3:+-H "$3"} "$2" >/dev/null
  local out; out=$(wrk -t2 -c"$CONNECTIONS" -d"${DURATION}s" --latency ${3:+-H "$3"} "$2")
  local rps p50 p99 errors
  rps=$(awk '/Requests\/sec/ {print $2}' <<<"$out"); p50=$(awk '$1=="50%" {print $2}' <<<"$out"); p99=$(awk '$1=="99%" {print $2}' <<<"$out")
  errors=$(awk '/Non-2xx/ {print $5}' <<<"$out"); printf '| %s | %s | %s | %s | %s |\n' "$1" "$rps" "$p50" "$p99" "${errors:-0}"
  RPS[$1]=$rps
}
declare -A RPS
echo "| setup | requests/s | p50 | p99 | non-2xx |"
echo "|---|---|---|---|---|"
run "backend alone (nginx static 1 KB JSON)" "http://127.0.0.1:$BACKEND/doc"
run "nginx reverse proxy" "http://127.0.0.1:$PROXY/doc"
run "bare YARP" "http://127.0.0.1:$YARP/doc"
run "bare YARP, gateway socket settings" "http://127.0.0.1:$YARP_INLINE/doc"
run "meridian gateway, policies off" "http://127.0.0.1:$BARE/doc"
run "meridian gateway, WAF + API key + rate limit" "http://127.0.0.1:$FULL/doc" "X-API-Key: $API_KEY"
FULL_RPS=${RPS["meridian gateway, WAF + API key + rate limit"]}
echo
echo "policies on / bare YARP: $(python3 -c "print(f'{$FULL_RPS/${RPS["bare YARP"]}:.2f}')") (goal >= 0.85)"
echo "policies on / bare YARP with gateway socket settings: $(python3 -c "print(f'{$FULL_RPS/${RPS["bare YARP, gateway socket settings"]}:.2f}')")"
echo "policies on / nginx:     $(python3 -c "print(f'{$FULL_RPS/${RPS["nginx reverse proxy"]}:.2f}')") (goal >= 0.6)"
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg), cores: $(nproc)"
