#!/usr/bin/env bash
# ./sip load  — a region's mixed day through the gateway: the national high estimate (~700 requests/s, ~56 events/s) for
#               five minutes, p50/p99 per operation, then the highest multiple of it that holds p99 < 50 ms.
#               SIP_LOAD_RATE (700), SIP_LOAD_SECONDS (300; 0: the steps only), SIP_LOAD_STEP_SECONDS (20), SIP_LOAD_PEOPLE (60),
#               SIP_LOAD_STEPS (the multiples to try, e.g. 0.1,0.25; default 0.1, 0.15, 0.2, 0.25, 0.5 … 10), SIP_LOAD_WARMUP_SECONDS (60).
#               Each step prints CPU per request per process; SIP_LOAD_PER_OPERATION_SECONDS (0: skipped) first runs each
#               operation alone at SIP_LOAD_PER_OPERATION_RATE/s (20) for that long and prints what one request of each
#               kind costs each process, less idle. SIP_LOAD_GATEWAY_ADMITTED: the load gateway's Gateway:MaxConcurrentApiRequests
#               (default: as ./sip up's gateway; 0: no admission control).
# ./sip chaos — SIP_CHAOS_OPERATIONS (10,000) operations at SIP_CHAOS_RATE/s (30) while RabbitMQ and PostgreSQL restart and
#               every service and the gateway is killed with SIGKILL once; then every expected effect is counted and the
#               lost and duplicated ones printed (exit 1 unless both are 0). SIP_CHAOS_SETTLE_SECONDS (1500).
# Both need the platform (started here when it is not running) and use loopback only.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
MODE="${1:?load or chaos}"
say() { printf '\033[1m[sip %s]\033[0m %s\n' "$MODE" "$*" >&2; }

curl -fsS -o /dev/null http://127.0.0.1:5080/health/ready 2>/dev/null || "$ROOT/sip" up
dotnet build "$ROOT/tests/Sip.Load" -c Release -v q -nologo >/dev/null
export SIP_ROOT="$ROOT" SIP_PG_ADMIN="$("$ROOT/sip" admin-connection)"
export SIP_TOKEN_ANNA="$("$ROOT/sip" token --user anna)" SIP_TOKEN_ERIK="$("$ROOT/sip" token --user erik)" \
  SIP_TOKEN_STATISTIKER="$("$ROOT/sip" token --user statistiker)"
LOAD="dotnet $ROOT/tests/Sip.Load/bin/Release/net10.0/Sip.Load.dll"

if [ "$MODE" = chaos ]; then
  # Through the platform's own gateway, rate limit included: the chaos run offers less than the tenant's limit.
  exec $LOAD chaos
fi

# The load needs more than one tenant's rate limit (200/s): a gateway of its own, the same build and settings as
# ./sip up's but with the per-tenant limit out of the way. The national estimate is the sum over every tenant.
PORT="${SIP_LOAD_GATEWAY_PORT:-5086}"
mapfile -t kv < <("$ROOT/sip" env gateway | sed "s#^Kestrel__Endpoints__Http__Url=.*#Kestrel__Endpoints__Http__Url=http://127.0.0.1:$PORT#")
kv+=("Gateway__TenantPermitsPerSecond=100000000" "Gateway__TenantBurst=100000000" "Logging__LogLevel__Default=Warning")
# Admission control as ./sip up's gateway has it (Gateway:MaxConcurrentApiRequests), unless a run asks for another (0: off).
[ -n "${SIP_LOAD_GATEWAY_ADMITTED:-}" ] && kv+=("Gateway__MaxConcurrentApiRequests=$SIP_LOAD_GATEWAY_ADMITTED")
mkdir -p "$ROOT/.sip/logs"
( cd "$ROOT/gateway/Sip.Gateway/bin/Release/net10.0" && exec env "${kv[@]}" dotnet Sip.Gateway.dll ) > "$ROOT/.sip/logs/load-gateway.log" 2>&1 &
GATEWAY_PID=$!
# Wait for it to end, so that a run started right after this one finds the port free.
trap 'kill "$GATEWAY_PID" 2>/dev/null && wait "$GATEWAY_PID" 2>/dev/null; true' EXIT
until curl -fsS -o /dev/null "http://127.0.0.1:$PORT/health/live" 2>/dev/null; do
  kill -0 "$GATEWAY_PID" 2>/dev/null || { cat "$ROOT/.sip/logs/load-gateway.log" >&2; exit 1; }
  sleep 0.3
done
SIP_GATEWAY_URL="http://127.0.0.1:$PORT" SIP_LOAD_GATEWAY_PID="$GATEWAY_PID" $LOAD load
