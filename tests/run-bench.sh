#!/usr/bin/env bash
# ./sip bench — rerunnable benchmark; prints figures as ratios against baselines measured in the same run.
#  (a) outbox: commit → consumer-processed latency (p50/p99) at steady rates and unpaced, and the
#      sustained end-to-end rate as a ratio of plain MassTransit publishing to the same broker
#  (b) gateway: requests/s and p99 through the gateway vs straight to the service vs nginx vs stock YARP
#      (tests/Sip.Benchmarks.StockYarp), all proxying the same service (wrk), for a trivial endpoint
#      (proxy overhead) and a real API call
#  (c) consent check: CheckConsent over gRPC for a person with a consent in force, against a gRPC
#      health check on the same channel
#  (d) audit review: five years of generated audit rows (SIP_BENCH_AUDIT_ROWS, default 20,000,000), the review
#      query for an individual and for a user over a year, first and deep page, partitioned vs an unpartitioned copy
#  (e) statistics: ten years of generated national-scale data (SIP_BENCH_STATISTICS_PLANS, default 5,000,000 plans),
#      the service's own query and suppression per table, p50/p99 against a bare count of the rows read
#      (`./sip bench statistics` runs (e) alone)
# Needs the platform (./sip up; started here when it is not running). SIP_BENCH_SECONDS (default 10),
# SIP_BENCH_ROUNDS (default 3), SIP_BENCH_PARTS (default abcd), SIP_BENCH_AUDIT_ROWS (default 20000000).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
STATE="$ROOT/.sip/bench"
SECONDS_PER_RUN="${SIP_BENCH_SECONDS:-10}"
PARTS="${SIP_BENCH_PARTS:-abcde}"
[[ "${1:-}" == statistics ]] && PARTS=e   # e.g. SIP_BENCH_PARTS=b for the gateway comparison only
say() { printf '\033[1m[sip bench]\033[0m %s\n' "$*" >&2; }
mkdir -p "$STATE"

for p in wrk nginx-light; do dpkg -s "$p" >/dev/null 2>&1 || { apt-get update -qq >/dev/null; apt-get install -y -qq --no-install-recommends wrk nginx-light >/dev/null; }; done
curl -fsS -o /dev/null http://127.0.0.1:5080/health/ready 2>/dev/null || "$ROOT/sip" up
"$ROOT/sip" build
TOKEN="$("$ROOT/sip" token --user anna)"

echo "# sip bench — $(date -u +%Y-%m-%dT%H:%MZ), $(nproc) cores, commit $(git -C "$ROOT" rev-parse --short HEAD)"
if [[ "$PARTS" == *a* ]]; then
say "(a) outbox"
# A fresh vhost each run: nothing of the platform's consumes the benchmark's messages, nothing is left over.
"$ROOT/sip" rabbitmqctl delete_vhost sip-bench >/dev/null 2>&1 || true
"$ROOT/sip" rabbitmqctl add_vhost sip-bench >/dev/null
"$ROOT/sip" rabbitmqctl set_permissions -p sip-bench guest ".*" ".*" ".*" >/dev/null
dotnet "$ROOT/tests/Sip.Benchmarks/bin/Release/net10.0/Sip.Benchmarks.dll" "$("$ROOT/sip" admin-connection)" 127.0.0.1 5673 sip-bench "$SECONDS_PER_RUN"
"$ROOT/sip" rabbitmqctl delete_vhost sip-bench >/dev/null
fi

if [[ "$PARTS" == *b* ]]; then
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

# wrk: one thread, 32 connections. The warm-up is long because .NET's tiered JIT (with dynamic PGO)
# needs ~15 s of load to settle; nginx needs none. On two shared cores one 10 s run's ratio moves by
# ±15 %, so each request is measured in SIP_BENCH_ROUNDS rounds (default 3) that take the four
# targets in turn, and the report gives the median of each round's ratio.
ROUNDS="${SIP_BENCH_ROUNDS:-3}"
NGINX_WORKER_PID=$(pgrep -f "nginx: worker process" -P "$(cat "$STATE/nginx.pid")" | head -1)
CASE_PID=$(cat "$ROOT/.sip/pids/case.pid")
cpu_ticks() { awk '{print $14+$15}' "/proc/$1/stat"; }
# prints "requests/s p99-ms non-2xx proxy-µs-per-request service-µs-per-request" for one run
measure() {
  local url="$1" pid="$2" c0 s0 c1 s1 out
  c0=$( [ -n "$pid" ] && cpu_ticks "$pid" || echo 0 ); s0=$(cpu_ticks "$CASE_PID")
  out=$(wrk -t1 -c32 -d"${SECONDS_PER_RUN}s" --latency -H "Authorization: Bearer $TOKEN" "$url" | awk '
    /Requests\/sec/ {rps=$2}
    /requests in/ {n=$1}
    /Non-2xx/ {bad=$NF}
    $1=="99%" {v=$2; if (v ~ /us$/) {sub(/us/,"",v); v=v/1000} else if (v ~ /ms$/) {sub(/ms/,"",v)} else if (v ~ /s$/) {sub(/s/,"",v); v=v*1000}; p99=v}
    END {printf "%.0f %.2f %s %d\n", rps, p99, (bad==""?0:bad), n}')
  c1=$( [ -n "$pid" ] && cpu_ticks "$pid" || echo 0 ); s1=$(cpu_ticks "$CASE_PID")
  set -- $out
  awk -v r="$1" -v p="$2" -v b="$3" -v n="$4" -v pc=$((c1-c0)) -v sc=$((s1-s0)) -v hz="$(getconf CLK_TCK)" \
    'BEGIN { printf "%s %s %s %.0f %.0f\n", r, p, b, pc*1e6/hz/n, sc*1e6/hz/n }'
}
median() { sort -n | awk '{v[NR]=$1} END {print (NR%2 ? v[(NR+1)/2] : (v[NR/2]+v[NR/2+1])/2)}'; }

report() {
  local name="$1" r t url pid
  local -a targets=(direct nginx stock-yarp gateway) urls=("$2" "$3" "$4" "$5") pids=("" "$NGINX_WORKER_PID" "$STOCK_PID" "$GATEWAY_PID")
  for i in 0 1 2 3; do wrk -t1 -c32 -d"${SIP_BENCH_WARMUP:-15}s" -H "Authorization: Bearer $TOKEN" "${urls[$i]}" >/dev/null 2>&1; done
  : > "$STATE/runs.txt"
  for r in $(seq "$ROUNDS"); do
    for i in 0 1 2 3; do echo "$r ${targets[$i]} $(measure "${urls[$i]}" "${pids[$i]}")" >> "$STATE/runs.txt"; done
  done
  echo "$name — $ROUNDS rounds of ${SECONDS_PER_RUN} s; medians"
  for t in "${targets[@]}"; do
    printf '  %-10s %8s req/s  p99 %7s ms  non-2xx %s' "$t" \
      "$(awk -v t="$t" '$2==t {print $3}' "$STATE/runs.txt" | median)" "$(awk -v t="$t" '$2==t {print $4}' "$STATE/runs.txt" | median)" \
      "$(awk -v t="$t" '$2==t {s+=$5} END {print s+0}' "$STATE/runs.txt")"
    [ "$t" = direct ] && echo "   service $(awk -v t="$t" '$2==t {print $7}' "$STATE/runs.txt" | median) µs CPU/request" \
      || echo "   proxy $(awk -v t="$t" '$2==t {print $6}' "$STATE/runs.txt" | median) µs CPU/request, service $(awk -v t="$t" '$2==t {print $7}' "$STATE/runs.txt" | median)"
  done
  ratio() { awk -v a="$1" -v b="$2" '$2==a {x[$1]=$3} $2==b {y[$1]=$3} END {for (r in x) print x[r]/y[r]}' "$STATE/runs.txt" | median; }
  printf '  ratio      gateway/nginx %.2f   stock-yarp/nginx %.2f   gateway/stock-yarp %.2f   gateway/direct %.2f (requests/s, median of the rounds; each round: %s)\n' \
    "$(ratio gateway nginx)" "$(ratio stock-yarp nginx)" "$(ratio gateway stock-yarp)" "$(ratio gateway direct)" \
    "$(awk '$2=="gateway" {g[$1]=$3} $2=="nginx" {n[$1]=$3} END {for (r in g) printf "%.2f ", g[r]/n[r]}' "$STATE/runs.txt")"
}

report "trivial endpoint (case /health/live): proxy overhead incl. JWT validation at the gateway" \
  "$CASE/health/live" "http://127.0.0.1:$NGINX_PORT/bench/health/live" "http://127.0.0.1:$STOCK_PORT/bench/health/live" "http://127.0.0.1:$BENCH_GATEWAY_PORT/bench/health/live"
report "real API call (GET /api/v1/cases/units: JWT at the service, one query)" \
  "$CASE/api/v1/cases/units" "http://127.0.0.1:$NGINX_PORT/api/v1/cases/units" "http://127.0.0.1:$STOCK_PORT/api/v1/cases/units" "http://127.0.0.1:$BENCH_GATEWAY_PORT/api/v1/cases/units"

fi
if [[ "$PARTS" == *c* ]]; then
say "(c) consent check"
# Anna's unit, Vårdcentralen Norrby, in the demo tenant (gateway/Sip.DevTools/demo-tenant.json).
dotnet "$ROOT/tests/Sip.Benchmarks/bin/Release/net10.0/Sip.Benchmarks.dll" consent-check http://127.0.0.1:5080/ http://127.0.0.1:5102 "$TOKEN" demo-lan \
  0b9d6f2a-1c4e-4a51-9a0e-1f00000000a1 "$SECONDS_PER_RUN"
fi
if [[ "$PARTS" == *d* ]]; then
say "(d) audit review on five years of rows"
dotnet "$ROOT/tests/Sip.Benchmarks/bin/Release/net10.0/Sip.Benchmarks.dll" audit-review "$("$ROOT/sip" admin-connection)" "${SIP_BENCH_AUDIT_ROWS:-20000000}"
fi

if [[ "$PARTS" == *e* ]]; then
say "(e) statistics over ten years of generated plans"
# Server GC, as the statistics service runs (an ASP.NET Core app); the benchmark console would otherwise use workstation GC.
DOTNET_gcServer=1 dotnet "$ROOT/tests/Sip.Benchmarks/bin/Release/net10.0/Sip.Benchmarks.dll" statistics "$("$ROOT/sip" admin-connection)" "${SIP_BENCH_STATISTICS_PLANS:-5000000}"
fi
