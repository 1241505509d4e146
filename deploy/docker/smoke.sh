#!/usr/bin/env bash
# What deploy/docker/Dockerfile builds, without Docker: publishes Meridian with the Dockerfile's own command and
# serves the result as the container runs it (environment of the image, a working directory and home it cannot
# write, data and temporary files in their own directories), on loopback. It checks readiness with `meridian probe`
# (the image's HEALTHCHECK), that /metrics answers, and that SIGTERM ends it with exit code 0.
# Run from anywhere: deploy/docker/smoke.sh   (tests/Meridian.Deploy.Tests checks the publish command stays the same)
set -euo pipefail

repo_root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
work="$(mktemp -d -t meridian-smoke.XXXXXX)"
server_pid=
cleanup() {
  [[ -n $server_pid ]] && kill "$server_pid" 2>/dev/null || true
  chmod -R u+w "$work" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

case "$(uname -m)" in
  x86_64) rid=linux-x64 ;;
  aarch64) rid=linux-arm64 ;;
  *) echo "unsupported machine $(uname -m)" >&2; exit 1 ;;
esac

echo "==> dotnet publish ($rid), as the Dockerfile does"
cd "$repo_root"
dotnet publish src/Meridian/Meridian.csproj -c Release -r "$rid" --self-contained false -o "$work/app" --verbosity quiet
du -sh "$work/app"

mkdir -p "$work/data" "$work/tmp"
chmod -R a-w "$work/app"
before="$(find "$work/app" | sort)"
port="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"

echo "==> meridian serve on 127.0.0.1:$port"
# The image's working directory is /app and its home is on the read-only root: here the publish directory, and a
# home no process can write to, even as root (/proc).
(cd "$work/app" && exec env HOME=/proc TMPDIR="$work/tmp" MERIDIAN__Data="$work/data" \
  "$work/app/meridian" serve --urls "http://127.0.0.1:$port") >"$work/tmp/server.log" 2>&1 &
server_pid=$!

ready=false
for _ in $(seq 1 150); do
  if "$work/app/meridian" probe "http://127.0.0.1:$port/ready" --timeout 1 2>/dev/null; then ready=true; break; fi
  kill -0 "$server_pid" 2>/dev/null || break
  sleep 0.2
done
[[ $ready == true ]] || { cat "$work/tmp/server.log" >&2; echo "smoke: not ready" >&2; exit 1; }
"$work/app/meridian" probe "http://127.0.0.1:$port/metrics"
"$work/app/meridian" probe "http://127.0.0.1:$port/collections"

kill -TERM "$server_pid"
status=0
wait "$server_pid" || status=$?
server_pid=
[[ $status -eq 0 ]] || { cat "$work/tmp/server.log" >&2; echo "smoke: exit code $status after SIGTERM" >&2; exit 1; }
# Nothing written outside the data and temporary directories.
[[ "$(find "$work/app" | sort)" == "$before" ]] || { echo "smoke: wrote to its working directory" >&2; exit 1; }
echo "smoke: published, ready, served /metrics and /collections, stopped cleanly on SIGTERM"
