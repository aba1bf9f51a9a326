#!/usr/bin/env bash
# ./sip bench — rerunnable benchmark; prints figures as ratios against baselines measured in the same run.
#  (a) outbox: commit → consumer-processed latency (p50/p99) at steady rates and unpaced, and the
#      sustained end-to-end rate as a ratio of plain MassTransit publishing to the same broker
#  (b) gateway: requests/s and p99 through the gateway vs straight to the service vs nginx vs stock YARP
#      (tests/Sip.Benchmarks.StockYarp), all proxying the same service (wrk), for a trivial endpoint
#      (proxy overhead) and a real API call
#  (c) consent check: CheckConsent over gRPC for a person with a consent in force, against a gRPC
#      health check on the same channel
# Needs the platform (./sip up; started here when it is not running). SIP_BENCH_SECONDS (default 10).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
STATE="$ROOT/.sip/bench"
SECONDS_PER_RUN="${SIP_BENCH_SECONDS:-10}"
say() { printf '\033[1m[sip bench]\033[0m %s\n' "$*" >&2; }
mkdir -p "$STATE"

for p in wrk nginx-light; do dpkg -s "$p" >/dev/null 2>&1 || { apt-get update -qq >/dev/null; apt-get install -y -qq --no-install-recommends wrk nginx-light >/dev/null; }; done
curl -fsS -o /dev/null http://127.0.0.1:5080/health/ready 2>/dev/null || "$ROOT/sip" up
"$ROOT/sip" build

echo "# sip bench — $(date -u +%Y-%m-%dT%H:%MZ), $(nproc) cores, commit $(git -C "$ROOT" rev-parse --short HEAD)"
say "(a) outbox"
# A fresh vhost each run: nothing of the platform's consumes the benchmark's messages, nothing is left over.
"$ROOT/sip" rabbitmqctl delete_vhost sip-bench >/dev/null 2>&1 || true
"$ROOT/sip" rabbitmqctl add_vhost sip-bench >/dev/null
"$ROOT/sip" rabbitmqctl set_permissions -p sip-bench guest ".*" ".*" ".*" >/dev/null
dotnet "$ROOT/tests/Sip.Benchmarks/bin/Release/net10.0/Sip.Benchmarks.dll" "$("$ROOT/sip" admin-connection)" 127.0.0.1 5673 sip-bench "$SECONDS_PER_RUN"
"$ROOT/sip" rabbitmqctl delete_vhost sip-bench >/dev/null

say "(b) gateway vs direct vs nginx"
CASE=http://127.0.0.1:5111
BENCH_GATEWAY_PORT=5090; NGINX_PORT=5091; STOCK_PORT=5092
# A gateway instance of its own: the same build and settings as ./sip up's, a rate limit out of the
# way (otherwise wrk would measure 429s), and one extra route to a trivial endpoint of the case service.
mapfile -t kv < <("$ROOT/sip" env gateway | sed "s#^Kestrel__Endpoints__Http__Url=.*#Kestrel__Endpoints__Http__Url=http://127.0.0.1:$BENCH_GATEWAY_PORT#")
kv+=("Gateway__TenantPermitsPerSecond=100000000" "Gateway__TenantBurst=100000000" "Logging__LogLevel__Default=Warning"
     "ReverseProxy__Routes__bench__ClusterId=case" "ReverseProxy__Routes__bench__AuthorizationPolicy=default"
     "ReverseProxy__Routes__bench__RateLimiterPolicy=per-tenant" "ReverseProxy__Routes__bench__Match__Path=/bench/{**rest}"
     "ReverseProxy__Routes__bench__Transforms__0__PathRemovePrefix=/bench")
( cd "$ROOT/gateway/Sip.Gateway/bin/Release/net10.0" && exec env "${kv[@]}" dotnet Sip.Gateway.dll ) > "$STATE/gateway.log" 2>&1 &
GATEWAY_PID=$!
# Stock YARP: the same two routes to the same service, nothing else (no auth, telemetry or middleware).
stock=("Kestrel__Endpoints__Http__Url=http://127.0.0.1:$STOCK_PORT"
       "ReverseProxy__Clusters__case__Destinations__d__Address=$CASE"
       "ReverseProxy__Routes__bench__ClusterId=case" "ReverseProxy__Routes__bench__Match__Path=/bench/{**rest}"
       "ReverseProxy__Routes__bench__Transforms__0__PathRemovePrefix=/bench"
       "ReverseProxy__Routes__api__ClusterId=case" "ReverseProxy__Routes__api__Match__Path=/api/{**rest}")
( cd "$ROOT/tests/Sip.Benchmarks.StockYarp/bin/Release/net10.0" && exec env "${stock[@]}" dotnet Sip.Benchmarks.StockYarp.dll ) > "$STATE/stock-yarp.log" 2>&1 &
STOCK_PID=$!
cat > "$STATE/nginx.conf" <<NGINX
worker_processes 1;
pid $STATE/nginx.pid;
error_log $STATE/nginx-error.log warn;
events { worker_connections 1024; }
http {
  access_log off;
  upstream case_service { server 127.0.0.1:5111; keepalive 64; }
  server {
    listen 127.0.0.1:$NGINX_PORT;
    location /bench/ { proxy_pass http://case_service/; proxy_http_version 1.1; proxy_set_header Connection ""; }
    location /api/ { proxy_pass http://case_service; proxy_http_version 1.1; proxy_set_header Connection ""; }
  }
}
NGINX
nginx -c "$STATE/nginx.conf" -p "$STATE"
cleanup() { kill "$GATEWAY_PID" "$STOCK_PID" 2>/dev/null || true; [ -f "$STATE/nginx.pid" ] && kill "$(cat "$STATE/nginx.pid")" 2>/dev/null || true; }
trap cleanup EXIT
until curl -fsS -o /dev/null "http://127.0.0.1:$BENCH_GATEWAY_PORT/health/live" 2>/dev/null; do sleep 0.3; done
until curl -sS -o /dev/null "http://127.0.0.1:$STOCK_PORT/" 2>/dev/null; do sleep 0.3; done
TOKEN="$("$ROOT/sip" token --user anna)"

# wrk: one thread, 32 connections; prints "requests/s p99-ms non-2xx". The warm-up is long because
# .NET's tiered JIT (with dynamic PGO) needs ~15 s of load to settle; nginx needs none.
measure() {
  wrk -t1 -c32 -d"${SIP_BENCH_WARMUP:-15}s" -H "Authorization: Bearer $TOKEN" "$1" >/dev/null 2>&1
  wrk -t1 -c32 -d"${SECONDS_PER_RUN}s" --latency -H "Authorization: Bearer $TOKEN" "$1" | awk '
    /Requests\/sec/ {rps=$2}
    /Non-2xx/ {bad=$NF}
    $1=="99%" {v=$2; if (v ~ /us$/) {sub(/us/,"",v); v=v/1000} else if (v ~ /ms$/) {sub(/ms/,"",v)} else if (v ~ /s$/) {sub(/s/,"",v); v=v*1000}; p99=v}
    END {printf "%.0f %.2f %s\n", rps, p99, (bad==""?0:bad)}'
}

report() {
  local name="$1" direct="$2" nginx="$3" stock="$4" gateway="$5" d n s g
  d=$(measure "$direct"); n=$(measure "$nginx"); s=$(measure "$stock"); g=$(measure "$gateway")
  echo "$name"
  printf '  %-10s %8s req/s  p99 %7s ms  non-2xx %s\n' direct $d nginx $n stock-yarp $s gateway $g
  awk -v d="$d" -v n="$n" -v s="$s" -v g="$g" 'BEGIN { split(d,D," "); split(n,N," "); split(s,S," "); split(g,G," ");
    printf "  ratio      gateway/nginx %.2f   stock-yarp/nginx %.2f   gateway/stock-yarp %.2f   gateway/direct %.2f (requests/s)\n", G[1]/N[1], S[1]/N[1], G[1]/S[1], G[1]/D[1];
    printf "  p99        gateway/nginx %.2f   stock-yarp/nginx %.2f   gateway/direct %.2f\n", G[2]/N[2], S[2]/N[2], G[2]/D[2] }'
}

report "trivial endpoint (case /health/live): proxy overhead incl. JWT validation at the gateway" \
  "$CASE/health/live" "http://127.0.0.1:$NGINX_PORT/bench/health/live" "http://127.0.0.1:$STOCK_PORT/bench/health/live" "http://127.0.0.1:$BENCH_GATEWAY_PORT/bench/health/live"
report "real API call (GET /api/v1/cases/units: JWT at the service, one query)" \
  "$CASE/api/v1/cases/units" "http://127.0.0.1:$NGINX_PORT/api/v1/cases/units" "http://127.0.0.1:$STOCK_PORT/api/v1/cases/units" "http://127.0.0.1:$BENCH_GATEWAY_PORT/api/v1/cases/units"

say "(c) consent check"
# Anna's unit, Vårdcentralen Norrby, in the demo tenant (gateway/Sip.DevTools/demo-tenant.json).
dotnet "$ROOT/tests/Sip.Benchmarks/bin/Release/net10.0/Sip.Benchmarks.dll" consent-check http://127.0.0.1:5080/ http://127.0.0.1:5102 "$TOKEN" demo-lan \
  0b9d6f2a-1c4e-4a51-9a0e-1f00000000a1 "$SECONDS_PER_RUN"
