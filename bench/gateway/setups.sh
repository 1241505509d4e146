# bench/gateway/setups.sh — sourced by proxy.sh and cpu.sh (from the repository root): the nginx backend serving a
# 1 KB JSON document at /doc, and the proxies they compare in front of it, all on 127.0.0.1 and stopped on exit.
#   start_nginx BACKEND_PORT [PROXY_PORT]   the backend, and nginx as a keepalive reverse proxy on PROXY_PORT
#   start_bare_yarp PORT BACKEND_PORT [inline]  YARP's own minimal setup (bench/gateway bare-yarp), optionally with
#                                           a gateway-only meridian's socket settings (ProxySockets: inline completions,
#                                           one socket thread per two cores)
#   start_gateway_bare PORT BACKEND_PORT    meridian serve --roles gateway, WAF off, no authentication, no rate limit
#                                           (the gateway role alone: inline socket completions, Meridian's default there)
#   start_gateway_full PORT BACKEND_PORT    the same with the WAF, API keys (API_KEY is set) and a per-key token bucket
# Each start_* leaves its process in $! . MERIDIAN_BIN: a built Meridian output folder (default: built here).

# ASP.NET Core's two Information lines per request (JSON on stdout) cost more than the proxying itself; the
# comparison is about proxying, so both gateways log warnings only (BENCH_LOG_LEVEL=Information to see the cost).
export Logging__LogLevel__Default=${BENCH_LOG_LEVEL:-Warning}
WORK=$(mktemp -d)
PIDS=()
# Meridian drains and writes its last analytics file into its data directory on SIGTERM: the directory goes only once
# every process has exited (at most 35 s each, its drain), or the removal races those writes and fails.
cleanup() {
  local pid
  for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${PIDS[@]}"; do
    for _ in $(seq 1 350); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  done
  rm -rf "$WORK"
}
trap cleanup EXIT

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }
wait_for() { for _ in $(seq 1 150); do curl -fsS -o /dev/null "$1" ${2:+-H "$2"} 2>/dev/null && return 0; sleep 0.2; done; echo "not up: $1" >&2; exit 1; }

start_nginx() {
  local proxy=""
  [ -z "${2:-}" ] || proxy="upstream backend { server 127.0.0.1:$1; keepalive 64; }
  server { listen 127.0.0.1:$2; location / { proxy_pass http://backend; proxy_http_version 1.1; proxy_set_header Connection \"\"; } }"
  python3 -c 'import json; print(json.dumps({"type":"FeatureCollection","features":[{"type":"Feature","id":i,"properties":{"name":"feature %d"%i},"geometry":{"type":"Point","coordinates":[i*1.5,i*0.5]}} for i in range(11)]})[:1024])' > "$WORK/doc.json"
  cat > "$WORK/nginx.conf" <<NGINX
worker_processes 2;
pid $WORK/nginx.pid;
error_log $WORK/nginx-error.log;
events { worker_connections 1024; }
http {
  access_log off;
  client_body_temp_path $WORK; proxy_temp_path $WORK; fastcgi_temp_path $WORK; uwsgi_temp_path $WORK; scgi_temp_path $WORK;
  server { listen 127.0.0.1:$1; location = /doc { default_type application/json; alias $WORK/doc.json; } }
  $proxy
}
NGINX
  nginx -c "$WORK/nginx.conf" -g 'daemon off;' & PIDS+=($!)
}

if [ -z "${MERIDIAN_BIN:-}" ]; then dotnet build src/Meridian -c Release -v q -nologo >/dev/null; MERIDIAN_BIN=src/Meridian/bin/Release/net10.0; fi
MERIDIAN=$MERIDIAN_BIN/meridian

start_bare_yarp() { # PORT BACKEND_PORT [inline]: "inline" runs its socket completions inline on one socket thread per
  # two cores, as a gateway-only meridian does (ProxySockets); otherwise the runtime's defaults
  dotnet build bench/gateway -c Release -v q -nologo >/dev/null
  local runtime=(DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS=0)
  [ "${3:-}" != inline ] || runtime=(DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS=1 DOTNET_SYSTEM_NET_SOCKETS_THREAD_COUNT=$((($(nproc) + 1) / 2)))
  env "${runtime[@]}" dotnet bench/gateway/bin/Release/net10.0/Meridian.Bench.Gateway.dll bare-yarp "http://127.0.0.1:$1" "http://127.0.0.1:$2" & PIDS+=($!)
}

gateway_route() { echo --set Roles:0=gateway --set Gateway:Routes:all:Cluster=b --set "Gateway:Clusters:b:Destinations:0=http://127.0.0.1:$1"; }

start_gateway_bare() {
  # shellcheck disable=SC2046 # the route is words on purpose
  "$MERIDIAN" serve --data "$WORK/bare" --urls "http://127.0.0.1:$1" $(gateway_route "$2") --set Gateway:Waf:Mode=Off > "$WORK/bare.log" & PIDS+=($!)
}

start_gateway_full() {
  API_KEY=$("$MERIDIAN" keys create --data "$WORK/full" --tenant bench --scope read 2>/dev/null)
  # shellcheck disable=SC2046
  "$MERIDIAN" serve --data "$WORK/full" --urls "http://127.0.0.1:$1" $(gateway_route "$2") --set Gateway:Auth:Enabled=true \
    --set Gateway:Auth:AnonymousRead=false --set Gateway:RateLimiting:Rules:0:Name=per-key --set Gateway:RateLimiting:Rules:0:Partition=ApiKey \
    --set Gateway:RateLimiting:Rules:0:Algorithm=TokenBucket --set Gateway:RateLimiting:Rules:0:Limit=100000000 \
    --set Gateway:RateLimiting:Rules:0:Window=00:00:01 > "$WORK/full.log" & PIDS+=($!)
}
