#!/usr/bin/env bash
# bench/gateway/proxy.sh — the gateway's proxying cost, compared in one run with nginx and with the gateway
# with every policy off ("bare": YARP plus Meridian's request pipeline), all in front of the same backend.
#
#   1. backend: nginx serving a 1 KB JSON document (the fastest backend we can put behind all of them)
#   2. nginx as a reverse proxy to it (keepalive upstream)
#   3. a bare YARP proxy (bench/gateway `bare-yarp`: YARP's own minimal setup, no Meridian pipeline)  ("bare YARP")
#   4. meridian serve --roles gateway, WAF off, no authentication, no rate limits           ("policies off")
#   5. the same with the WAF (level 1), API-key authentication (key sent on every request, cached
#      lookups) and a per-key token bucket far above the load                                   ("policies")
# Each is loaded with wrk (BENCH_CONNECTIONS=16, 2 threads, BENCH_DURATION=15 s, --latency) after a warm-up (BENCH_WARMUP=30 s).
# Prints requests/s and p50/p99 latency per setup (a Markdown table for bench/RESULTS.md) and the ratios of
# the goals: policies on vs bare YARP (≥ 0.85) and vs nginx (≥ 0.6), with the machine's load average. Needs nginx (apt-get install nginx), wrk, curl and
# the .NET SDK; everything listens on 127.0.0.1 and everything started is stopped on exit.
set -euo pipefail
cd "$(dirname "$0")/../.."
DURATION=${BENCH_DURATION:-15}
# .NET tiers its JIT up over ~30 s of load: a shorter warm-up measures the compiler, not the proxy.
WARMUP=${BENCH_WARMUP:-30}
# ASP.NET Core's two Information lines per request (JSON on stdout) cost more than the proxying itself; the
# comparison is about proxying, so both gateways log warnings only (BENCH_LOG_LEVEL=Information to see the cost).
export Logging__LogLevel__Default=${BENCH_LOG_LEVEL:-Warning}
CONNECTIONS=${BENCH_CONNECTIONS:-16}
WORK=$(mktemp -d)
PIDS=()
cleanup() { for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done; rm -rf "$WORK"; }
trap cleanup EXIT

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }
wait_for() { for _ in $(seq 1 100); do curl -fsS -o /dev/null "$1" ${2:+-H "$2"} && return 0; sleep 0.2; done; echo "not up: $1" >&2; exit 1; }

BACKEND=$(free_port); PROXY=$(free_port); YARP=$(free_port); BARE=$(free_port); FULL=$(free_port)
python3 -c 'import json; print(json.dumps({"type":"FeatureCollection","features":[{"type":"Feature","id":i,"properties":{"name":"feature %d"%i},"geometry":{"type":"Point","coordinates":[i*1.5,i*0.5]}} for i in range(11)]})[:1024])' > "$WORK/doc.json"
cat > "$WORK/nginx.conf" <<NGINX
worker_processes 2;
pid $WORK/nginx.pid;
error_log $WORK/nginx-error.log;
events { worker_connections 1024; }
http {
  access_log off;
  client_body_temp_path $WORK; proxy_temp_path $WORK; fastcgi_temp_path $WORK; uwsgi_temp_path $WORK; scgi_temp_path $WORK;
  upstream backend { server 127.0.0.1:$BACKEND; keepalive 64; }
  server { listen 127.0.0.1:$BACKEND; location = /doc { default_type application/json; alias $WORK/doc.json; } }
  server { listen 127.0.0.1:$PROXY; location / { proxy_pass http://backend; proxy_http_version 1.1; proxy_set_header Connection ""; } }
}
NGINX
nginx -c "$WORK/nginx.conf" -g 'daemon off;' & PIDS+=($!)

dotnet build src/Meridian -c Release -v q -nologo >/dev/null
dotnet build bench/gateway -c Release -v q -nologo >/dev/null
BIN=src/Meridian/bin/Release/net10.0/meridian
dotnet bench/gateway/bin/Release/net10.0/Meridian.Bench.Gateway.dll bare-yarp "http://127.0.0.1:$YARP" "http://127.0.0.1:$BACKEND" & PIDS+=($!)
ROUTE=(--set Roles:0=gateway --set Gateway:Routes:all:Cluster=b --set "Gateway:Clusters:b:Destinations:0=http://127.0.0.1:$BACKEND")
"$BIN" serve --data "$WORK/bare" --urls "http://127.0.0.1:$BARE" "${ROUTE[@]}" --set Gateway:Waf:Mode=Off > "$WORK/bare.log" & PIDS+=($!)
KEY=$("$BIN" keys create --data "$WORK/full" --tenant bench --scope read 2>/dev/null)
"$BIN" serve --data "$WORK/full" --urls "http://127.0.0.1:$FULL" "${ROUTE[@]}" --set Gateway:Auth:Enabled=true \
  --set Gateway:Auth:AnonymousRead=false --set Gateway:RateLimiting:Rules:0:Name=per-key --set Gateway:RateLimiting:Rules:0:Partition=ApiKey \
  --set Gateway:RateLimiting:Rules:0:Algorithm=TokenBucket --set Gateway:RateLimiting:Rules:0:Limit=100000000 \
  --set Gateway:RateLimiting:Rules:0:Window=00:00:01 > "$WORK/full.log" & PIDS+=($!)

wait_for "http://127.0.0.1:$BACKEND/doc"; wait_for "http://127.0.0.1:$PROXY/doc"; wait_for "http://127.0.0.1:$YARP/doc"; wait_for "http://127.0.0.1:$BARE/doc"
wait_for "http://127.0.0.1:$FULL/doc" "X-API-Key: $KEY"

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
run "meridian gateway, policies off" "http://127.0.0.1:$BARE/doc"
run "meridian gateway, WAF + API key + rate limit" "http://127.0.0.1:$FULL/doc" "X-API-Key: $KEY"
FULL_RPS=${RPS["meridian gateway, WAF + API key + rate limit"]}
echo
echo "policies on / bare YARP: $(python3 -c "print(f'{$FULL_RPS/${RPS["bare YARP"]}:.2f}')") (goal >= 0.85)"
echo "policies on / nginx:     $(python3 -c "print(f'{$FULL_RPS/${RPS["nginx reverse proxy"]}:.2f}')") (goal >= 0.6)"
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg), cores: $(nproc)"
