#!/usr/bin/env bash
# Try the platform as an integrator does: the thin slice through the gateway with curl, after `./sip up`.
#   bash docs/try-with-curl.sh
# Each step prints the service's answer and stops the walkthrough if the status is not the one this
# says. The end-to-end tests run this very script (tests/Sip.EndToEnd.Tests/WalkthroughTests.cs), so
# it cannot drift from the API.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
GW="${SIP_GATEWAY_URL:-http://127.0.0.1:5080}"
MAIL="${SIP_MAIL_API:-http://127.0.0.1:1080}"
# Tolvan Tolvansson: a test number Skatteverket publishes, not a real person. Never use a real
# personnummer on a development machine. Set PERSONNUMMER to walk through with another test number.
PERSONNUMMER="${PERSONNUMMER:-19121212-1212}"
NORRBY=0b9d6f2a-1c4e-4a51-9a0e-1f00000000a1        # Vårdcentralen Norrby (anna)
SOC_MOLNDAL=0b9d6f2a-1c4e-4a51-9a0e-1f00000000b1   # Socialtjänsten Mölndal, mottagning vuxen (erik)
SOC_PARTILLE=0b9d6f2a-1c4e-4a51-9a0e-1f00000000c1  # Socialtjänsten Partille, barn och unga (sara)
ANNA=$("$ROOT/sip" token --user anna)
ERIK=$("$ROOT/sip" token --user erik)
STAT=$("$ROOT/sip" token --user statistiker)

# call "EXPECTED STATUSES" METHOD PATH TOKEN [JSON]: prints the answer; stops unless the status is expected.
call() {
  local expected=$1 method=$2 path=$3 token=$4 body=${5:-} out status
  local args=(-sS -X "$method" "$GW$path" -H "Authorization: Bearer $token" -o /dev/stdout -w '\n%{http_code}')
  [ -z "$body" ] || args+=(-H 'Content-Type: application/json' -d "$body")
  out=$(curl "${args[@]}")
  status=${out##*$'\n'}
  printf '%s\n' "${out%$'\n'*}"
  [[ " $expected " == *" $status "* ]] || { echo "expected HTTP $expected from $method $path, got $status" >&2; return 1; }
}
field() { grep -o "\"$1\":\"[^\"]*\"" | head -1 | cut -d'"' -f4; }
step() { printf '\n'; printf '\033[1m%s\033[0m\n' "$@"; }

step "1. Anna registers the person (a known number gives the same id) and records a written consent" \
     "   that covers her unit and Socialtjänsten Mölndal, valid for six months."
PERSON=$(call "200 201" POST /api/v1/consent/individuals "$ANNA" '{"identifier":"'"$PERSONNUMMER"'","unitId":"'$NORRBY'"}')
echo "$PERSON"
INDIVIDUAL=$(echo "$PERSON" | field individualId)
call 201 POST /api/v1/consent/consents "$ANNA" '{"individualId":"'"$INDIVIDUAL"'","basis":"Individual",
  "declarations":[{"decision":"Consents","form":"Written"}],"unitIds":["'$NORRBY'","'$SOC_MOLNDAL'"],
  "validUntil":"'"$(date -d '+6 months' +%F)"'","recordedByUnitId":"'$NORRBY'","copyToIndividual":true}'

step "2. Anna opens a case and sends an initiative to Socialtjänsten Mölndal. The case service asks" \
     "   consent (gRPC) whether every unit is covered before it stores anything. The answer holds the" \
     "   case reference (SIP-<year>-<number>) and the initiative's due time: one Swedish working day later."
OPENED=$(call 201 POST /api/v1/cases "$ANNA" '{"individualId":"'"$INDIVIDUAL"'","actingUnitId":"'$NORRBY'",
  "municipalityCode":"1481","reason":"Behöver samordnade insatser från vårdcentral och socialtjänst.",
  "urgency":"Normal","initiativeUnitIds":["'$SOC_MOLNDAL'"]}')
echo "$OPENED"
CASE=$(echo "$OPENED" | field caseId)
REFERENCE=$(echo "$OPENED" | field reference)

step "3. The receiving unit's functional mailbox gets an e-mail: case reference and link, no name or number."
for _ in $(seq 1 50); do
  SUBJECT=$(curl -sS "$MAIL/email" | grep -o "\"subject\":\"[^\"]*$REFERENCE\"" | head -1 || true)
  [ -z "$SUBJECT" ] || break
  sleep 0.2
done
[ -n "$SUBJECT" ] || { echo "no e-mail about $REFERENCE within 10 s" >&2; exit 1; }
echo "$SUBJECT"
step "   Erik, at the receiving unit, sees the delivery:"
call 200 GET "/api/v1/notifications/deliveries?caseReference=$REFERENCE" "$ERIK"

step "4. Anna summons Socialtjänsten Mölndal to the planning meeting, in Swedish local time (+01:00):" \
     "   Erik's unit gets the meeting as a calendar item by e-mail and answers within a working day."
DAY=$(date -d '+14 days' +%F)
while [ "$(date -d "$DAY" +%u)" -gt 5 ]; do DAY=$(date -d "$DAY +1 day" +%F); done
call 201 POST /api/v1/meetings "$ANNA" '{"caseId":"'"$CASE"'","unitId":"'$NORRBY'","kind":"Planning",
  "startsAt":"'"$DAY"'T10:00:00+01:00","durationMinutes":90,"place":{"type":"Clinic","details":"Vårdcentralen Norrby, rum 3"},
  "chair":{"name":"Anna Lind"},"coordinator":{"name":"Anna Lind","phone":"031-123 45 67"},
  "reason":"Planera stödet efter utskrivningen","summonedUnitIds":["'$SOC_MOLNDAL'"]}'
call 200 GET "/api/v1/meetings/summons?unitId=$SOC_MOLNDAL" "$ERIK"

step "5. Statistics: initiatives per municipality and month, nothing else."
call 200 GET "/api/v1/statistics/measures/initiatives?by=municipality" "$STAT"

step "6. A refusal: the consent does not cover Socialtjänsten Partille, so nothing is stored" \
     "   (422, type urn:sip:problem:consent-missing, title and detail in Swedish)."
call 422 POST /api/v1/cases "$ANNA" '{"individualId":"'"$INDIVIDUAL"'","actingUnitId":"'$NORRBY'",
  "municipalityCode":"1481","reason":"Test","urgency":"Normal","initiativeUnitIds":["'$SOC_PARTILLE'"]}'

step "Done: case $REFERENCE."
