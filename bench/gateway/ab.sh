#!/usr/bin/env bash
# bench/gateway/ab.sh — an A/B of two runtime settings for the gateway with every policy on (WAF, API key, rate
# limit), loaded in turn with nginx as a reverse proxy in the same rounds, so that a change in the machine's speed
# falls on all three alike. Each side's environment is given as VAR=VALUE words:
#   AENV="DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS=0" BENV="" bench/gateway/ab.sh [ROUNDS] ["16 64"]
# (that one compares the thread-pool completions with a gateway-only meridian's own inline default).
# BENCH_DURATION (8 s) per load, BENCH_WARMUP (20 s) once per gateway; MERIDIAN_BIN as in setups.sh.
set -euo pipefail
cd "$(dirname "$0")/../.."
ROUNDS=${1:-3}; CONNECTIONS=${2:-"16 64"}; DURATION=${BENCH_DURATION:-8}; WARMUP=${BENCH_WARMUP:-20}
# shellcheck source=setups.sh
source bench/gateway/setups.sh

# start_gateway_full passes the environment of the moment to the process it starts; the side's variables are
# exported for that moment only.
start_with() { # ENV PORT BACKEND_PORT: leaves the key in API_KEY
  local names=() assignment
  for assignment in $1; do names+=("${assignment%%=*}"); export "${assignment?}"; done
  start_gateway_full "$2" "$3"
  for assignment in "${names[@]}"; do unset "$assignment"; done
}
BACKEND=$(free_port); PROXY=$(free_port); A=$(free_port); B=$(free_port)
start_nginx "$BACKEND" "$PROXY"
start_with "${AENV:-}" "$A" "$BACKEND"; KEY_A=$API_KEY
start_with "${BENV:-}" "$B" "$BACKEND"; KEY_B=$API_KEY
wait_for "http://127.0.0.1:$PROXY/doc"; wait_for "http://127.0.0.1:$A/doc" "X-API-Key: $KEY_A"; wait_for "http://127.0.0.1:$B/doc" "X-API-Key: $KEY_B"
wrk -t2 -c64 -d"${WARMUP}s" -H "X-API-Key: $KEY_A" "http://127.0.0.1:$A/doc" >/dev/null
wrk -t2 -c64 -d"${WARMUP}s" -H "X-API-Key: $KEY_B" "http://127.0.0.1:$B/doc" >/dev/null

rps() { wrk -t2 -c"$1" -d"${DURATION}s" ${3:+-H "$3"} "$2" | awk '/Requests\/sec/ {printf "%d", $2}'; }
echo "A: ${AENV:-(default)}   B: ${BENV:-(default)}"
echo "| connections | nginx | A | B | B/A | A/nginx | B/nginx |"
echo "|---|---|---|---|---|---|---|"
for _ in $(seq 1 "$ROUNDS"); do
  for c in $CONNECTIONS; do
    n=$(rps "$c" "http://127.0.0.1:$PROXY/doc"); a=$(rps "$c" "http://127.0.0.1:$A/doc" "X-API-Key: $KEY_A"); b=$(rps "$c" "http://127.0.0.1:$B/doc" "X-API-Key: $KEY_B")
    python3 -c "print(f'| $c | $n | $a | $b | {$b/$a:.2f} | {$a/$n:.2f} | {$b/$n:.2f} |')"
  done
done
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg), cores: $(nproc)"
