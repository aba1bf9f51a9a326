#!/usr/bin/env python3
"""Verify a SIP platform webhook (Standard Webhooks signature over a CloudEvents 1.0 body).

Check one delivery:
    SIP_WEBHOOK_SECRET=whsec_... python3 verify_webhook.py check ID TIMESTAMP SIGNATURE BODY_FILE
    -> prints "OK <type> <caseReference>" and exits 0, or prints why not and exits 1.

Run a receiver on 127.0.0.1 that verifies every POST and refuses replays:
    SIP_WEBHOOK_SECRET=whsec_... python3 verify_webhook.py serve 8099

Standard library only (Python 3.8+).
"""
import base64
import hashlib
import hmac
import json
import os
import sys
import time
from http.server import BaseHTTPRequestHandler, HTTPServer

TOLERANCE_SECONDS = 5 * 60


def verify(secret, webhook_id, timestamp, signature_header, body, now=None):
    """Returns None when the delivery is genuine and fresh, else the reason it is not."""
    now = time.time() if now is None else now
    try:
        sent_at = int(timestamp)
    except ValueError:
        return "timestamp is not a number"
    if abs(now - sent_at) > TOLERANCE_SECONDS:
        return "timestamp outside the tolerance (replay or clock skew)"
    key = base64.b64decode(secret[len("whsec_"):] if secret.startswith("whsec_") else secret)
    signed = f"{webhook_id}.{timestamp}.".encode() + body
    expected = "v1," + base64.b64encode(hmac.new(key, signed, hashlib.sha256).digest()).decode()
    # The header may carry several signatures (during a secret rotation), separated by spaces.
    if not any(hmac.compare_digest(expected, s) for s in signature_header.split()):
        return "signature does not match"
    return None


def check(args):
    webhook_id, timestamp, signature, body_file = args
    with open(body_file, "rb") as f:
        body = f.read()
    now = float(os.environ["SIP_WEBHOOK_NOW"]) if "SIP_WEBHOOK_NOW" in os.environ else None
    reason = verify(os.environ["SIP_WEBHOOK_SECRET"], webhook_id, timestamp, signature, body, now)
    if reason:
        print(f"REFUSED: {reason}")
        return 1
    event = json.loads(body)
    print(f"OK {event['type']} {event['data']['caseReference']}")
    return 0


def serve(args):
    secret = os.environ["SIP_WEBHOOK_SECRET"]
    seen = set()  # keep ids at least as long as the tolerance; a database in a real receiver

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):
            body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
            webhook_id = self.headers.get("webhook-id", "")
            reason = verify(secret, webhook_id, self.headers.get("webhook-timestamp", ""),
                            self.headers.get("webhook-signature", ""), body)
            if reason:
                self.send_response(401)
            elif webhook_id in seen:
                self.send_response(200)  # already processed: acknowledge, do nothing
            else:
                seen.add(webhook_id)
                event = json.loads(body)
                print(event["type"], event["data"]["caseReference"], event["data"]["link"], flush=True)
                self.send_response(204)
            self.end_headers()

    HTTPServer(("127.0.0.1", int(args[0])), Handler).serve_forever()
    return 0


if __name__ == "__main__":
    if len(sys.argv) >= 2 and sys.argv[1] == "check" and len(sys.argv) == 6:
        sys.exit(check(sys.argv[2:]))
    if len(sys.argv) == 3 and sys.argv[1] == "serve":
        sys.exit(serve(sys.argv[2:]))
    print(__doc__)
    sys.exit(2)
