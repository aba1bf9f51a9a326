#!/usr/bin/env bash
# Verify a SIP platform webhook with bash and openssl:
#   SIP_WEBHOOK_SECRET=whsec_... ./verify_webhook.sh WEBHOOK_ID WEBHOOK_TIMESTAMP WEBHOOK_SIGNATURE BODY_FILE
# Prints OK and exits 0 when the signature matches and the timestamp is within 5 minutes; else prints why and exits 1.
set -euo pipefail
id=$1 ts=$2 header=$3 body_file=$4
now=${SIP_WEBHOOK_NOW:-$(date +%s)}
if (( now - ts > 300 || ts - now > 300 )); then echo "REFUSED: timestamp outside the tolerance"; exit 1; fi
key=$(printf '%s' "${SIP_WEBHOOK_SECRET#whsec_}" | openssl base64 -d -A | od -An -v -tx1 | tr -d ' \n')
expected="v1,$( { printf '%s.%s.' "$id" "$ts"; cat "$body_file"; } | openssl dgst -sha256 -mac HMAC -macopt "hexkey:$key" -binary | openssl base64 -A)"
for signature in $header; do
  if [[ "$signature" == "$expected" ]]; then echo OK; exit 0; fi
done
echo "REFUSED: signature does not match"; exit 1
