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
export Logging__LogLevel__Default=${BENCH_LOG_LEVEL:-Warning}
SETUPS=("$@"); [ ${#SETUPS[@]} -gt 0 ] || SETUPS=(yarp bare full)
WORK=$(mktemp -d)
PIDS=()
cleanup() { for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done; rm -rf "$WORK"; }
trap cleanup EXIT
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }
wait_for() { for _ in $(seq 1 150); do curl -fsS -o /dev/null "$1" ${2:+-H "$2"} 2>/dev/null && return 0; sleep 0.2; done; echo "not up: $1" >&2; exit 1; }
cpu_ticks() { awk '{print $14+$15}' "/proc/$1/stat"; }

BACKEND=$(free_port)
python3 -c 'import json; print(json.dumps({"type":"FeatureCollection","features":[{"type":"Feature","id":i,"properties":{"name":"feature %d"%i},"geometry":{"type":"Point","coordinates":[i*1.5,i*0.5]}} for i in range(11)]})[:1024])' > "$WORK/doc.json"
cat > "$WORK/nginx.conf" <<NGINX
worker_processes 2;
pid $WORK/nginx.pid;
error_log $WORK/nginx-error.log;
events { worker_connections 1024; }
http {
  access_log off;
  client_body_temp_path $WORK; proxy_temp_path $WORK; fastcgi_temp_path $WORK; uwsgi_temp_path $WORK; scgi_temp_path $WORK;
  server { listen 127.0.0.1:$BACKEND; location = /doc { default_type application/json; alias $WORK/doc.json; } }
}
NGINX
nginx -c "$WORK/nginx.conf" -g 'daemon off;' & PIDS+=($!)

if [ -z "${MERIDIAN_BIN:-}" ]; then dotnet build src/Meridian -c Release -v q -nologo >/dev/null; MERIDIAN_BIN=src/Meridian/bin/Release/net10.0; fi
BIN=$MERIDIAN_BIN/meridian
ROUTE=(--set Roles:0=gateway --set Gateway:Routes:all:Cluster=b --set "Gateway:Clusters:b:Destinations:0=http://127.0.0.1:$BACKEND")
declare -A PID URL HEADER TICKS REQUESTS
for setup in "${SETUPS[@]}"; do
  port=$(free_port); URL[$setup]="http://127.0.0.1:$port/doc"; HEADER[$setup]="X-Bench: 1"
  case $setup in
    yarp) dotnet build bench/gateway -c Release -v q -nologo >/dev/null
          dotnet bench/gateway/bin/Release/net10.0/Meridian.Bench.Gateway.dll bare-yarp "http://127.0.0.1:$port" "http://127.0.0.1:$BACKEND" & ;;
    bare) "$BIN" serve --data "$WORK/bare" --urls "http://127.0.0.1:$port" "${ROUTE[@]}" --set Gateway:Waf:Mode=Off > "$WORK/bare.log" & ;;
    full) HEADER[$setup]="X-API-Key: $("$BIN" keys create --data "$WORK/full" --tenant bench --scope read 2>/dev/null)"
          "$BIN" serve --data "$WORK/full" --urls "http://127.0.0.1:$port" "${ROUTE[@]}" --set Gateway:Auth:Enabled=true \
            --set Gateway:Auth:AnonymousRead=false --set Gateway:RateLimiting:Rules:0:Name=per-key --set Gateway:RateLimiting:Rules:0:Partition=ApiKey \
            --set Gateway:RateLimiting:Rules:0:Algorithm=TokenBucket --set Gateway:RateLimiting:Rules:0:Limit=100000000 \
            --set Gateway:RateLimiting:Rules:0:Window=00:00:01 > "$WORK/full.log" & ;;
    *) echo "unknown setup: $setup (yarp, bare, full)" >&2; exit 2 ;;
  esac
  PID[$setup]=$!; PIDS+=($!); TICKS[$setup]=0; REQUESTS[$setup]=0
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
