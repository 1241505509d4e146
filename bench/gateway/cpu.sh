#!/usr/bin/env bash
# bench/gateway/cpu.sh — CPU time per proxied request (user+sys of the proxy process from /proc/PID/stat, divided
# by the requests wrk completed), for when the machine is too busy for proxy.sh's requests/s to mean anything.
# The same setups as proxy.sh behind the same nginx backend: "yarp" (bench/gateway bare-yarp), "bare" (meridian
# gateway, policies off), "full" (WAF + API key + rate limit). All run at once and are loaded in turn, round after
# round (BENCH_ROUNDS=4 of BENCH_DURATION=5 s each, wrk -t2 -c16, after BENCH_WARMUP=20 s each), so that a
# change in the machine's load falls on every setup alike; prints each round and the total per setup.
#   bench/gateway/cpu.sh [setups...]          default: yarp bare full
#   MERIDIAN_BIN=/path/to/other/build bench/gateway/cpu.sh bare full   (an older build's output folder, for an A/B)
# Needs nginx, wrk, curl and the .NET SDK; everything listens on 127.0.0.1 and everything started is stopped on exit.
set -euo pipefail
cd "$(dirname "$0")/../.."
ROUNDS=${BENCH_ROUNDS:-4}; DURATION=${BENCH_DURATION:-5}; WARMUP=${BENCH_WARMUP:-20}
SETUPS=("$@"); [ ${#SETUPS[@]} -gt 0 ] || SETUPS=(yarp bare full)
# shellcheck source=setups.sh
source bench/gateway/setups.sh
cpu_ticks() { awk '{print $14+$15}' "/proc/$1/stat"; }

BACKEND=$(free_port)
start_nginx "$BACKEND"
declare -A PID URL HEADER TICKS REQUESTS
for setup in "${SETUPS[@]}"; do
  port=$(free_port); URL[$setup]="http://127.0.0.1:$port/doc"; HEADER[$setup]="X-Bench: 1"
  case $setup in
    yarp) start_bare_yarp "$port" "$BACKEND" ;;
    bare) start_gateway_bare "$port" "$BACKEND" ;;
    full) start_gateway_full "$port" "$BACKEND"; HEADER[$setup]="X-API-Key: $API_KEY" ;;
    *) echo "unknown setup: $setup (yarp, bare, full)" >&2; exit 2 ;;
  esac
  PID[$setup]=$!; TICKS[$setup]=0; REQUESTS[$setup]=0
done
for setup in "${SETUPS[@]}"; do wait_for "${URL[$setup]}" "${HEADER[$setup]}"; done
for setup in "${SETUPS[@]}"; do wrk -t2 -c16 -d"${WARMUP}s" -H "${HEADER[$setup]}" "${URL[$setup]}" >/dev/null; done

TICK=$(getconf CLK_TCK)
for round in $(seq 1 "$ROUNDS"); do
  line="round $round:"
  for setup in "${SETUPS[@]}"; do
    before=$(cpu_ticks "${PID[$setup]}")
    out=$(wrk -t2 -c16 -d"${DURATION}s" -H "${HEADER[$setup]}" "${URL[$setup]}")
    after=$(cpu_ticks "${PID[$setup]}")
    requests=$(awk '/requests in/ {print $1}' <<<"$out")
    if grep -q Non-2xx <<<"$out"; then echo "$setup answered non-2xx: $(grep Non-2xx <<<"$out")" >&2; exit 1; fi
    line+=" $setup $(python3 -c "print(f'{($after-$before)*1e6/$TICK/$requests:.1f}')") us"
    TICKS[$setup]=$((TICKS[$setup] + after - before)); REQUESTS[$setup]=$((REQUESTS[$setup] + requests))
  done
  echo "$line"
done
for setup in "${SETUPS[@]}"; do
  python3 -c "print(f'$setup: {${TICKS[$setup]}*1e6/$TICK/${REQUESTS[$setup]}:.1f} us CPU per request over ${REQUESTS[$setup]} requests')"
done
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg), cores: $(nproc)"
