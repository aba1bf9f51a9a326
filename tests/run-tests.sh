#!/usr/bin/env bash
# ./sip test — builds and runs the whole suite, then prints "N passed, N failed, N skipped"
# computed from the test results (one CTRF report per test module, see Directory.Build.props).
#   unit tests               no infrastructure
#   integration tests        real PostgreSQL and RabbitMQ in containers (Testcontainers); a Docker
#                            engine is prepared from Debian packages when none answers
#   deployment tests         docker-compose config; helm template with each k8s/values file, schema
#                            validation (operators' CRDs included) and policy checks
#   end-to-end tests         against the platform that ./sip up starts (started here if not running,
#                            and stopped again afterwards)
set -uo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
RESULTS="$ROOT/.sip/test-results"
say() { printf '\033[1m[sip test]\033[0m %s\n' "$*" >&2; }

summary() {
  python3 - "$RESULTS" "$ROOT"/tests/*/*.Tests.csproj <<'PY'
import json, os, sys
passed = failed = skipped = 0
for project in sys.argv[2:]:
    module = os.path.basename(project)[:-len(".csproj")]
    try:
        results = json.load(open(os.path.join(sys.argv[1], module + ".ctrf")))["results"]
        s = results["summary"]
    except Exception:
        # A module that crashed or never ran leaves no report: that is a failure, not zero tests.
        print(f"no test results from {module}", flush=True)
        failed += 1
        continue
    passed += s.get("passed", 0); failed += s.get("failed", 0)
    # The failures again at the end, where a CI log's tail shows them (the runner prints them mid-run).
    for t in results.get("tests", []):
        if t.get("status") == "failed":
            message = " ".join((t.get("message") or "").split())[:600]
            print(f"FAILED {t['name']}: {message}", flush=True)
    skipped += s.get("skipped", 0) + s.get("pending", 0)
print(f"{passed} passed, {failed} failed, {skipped} skipped")
sys.exit(1 if failed or passed == 0 else 0)
PY
}

rm -rf "$RESULTS" && mkdir -p "$RESULTS"
status=0

say "preparing the Docker engine for Testcontainers"
if ! docker_env="$(bash "$ROOT/tests/containers/prepare-docker.sh")"; then
  say "no Docker engine could be prepared (see above); integration tests will fail"
fi
eval "$docker_env"
say "preparing helm and schema validation tools"
eval "$(bash "$ROOT/tests/deployment/prepare-tools.sh")" || say "deployment tools missing; deployment tests will fail"

started_platform=0
if curl -fsS -o /dev/null http://127.0.0.1:5080/health/ready 2>/dev/null && "$ROOT/sip" status | grep -q "gateway .*running"; then
  say "using the running platform (./sip up); restart it if its code is older than this checkout"
else
  "$ROOT/sip" up || { say "./sip up failed"; status=1; }
  started_platform=1
fi
"$ROOT/sip" build || status=1

export SIP_ROOT="$ROOT" SIP_GATEWAY_URL="http://127.0.0.1:5080" SIP_MAIL_API="http://127.0.0.1:1080"
export SIP_PG_ADMIN="$("$ROOT/sip" admin-connection)"
say "running the tests"
dotnet test --solution "$ROOT/sip-platform.sln" -c Release --no-build \
  --results-directory "$RESULTS" --max-parallel-test-modules 2 || status=1

[ "$started_platform" = 1 ] && "$ROOT/sip" down

summary || status=1
exit "$status"
