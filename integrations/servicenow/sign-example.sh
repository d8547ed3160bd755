#!/usr/bin/env bash
# Sign a JSON file the way the business rule does and send it to mim-bridge.
#   SECRET=... ./sign-example.sh record.json https://mim-bridge.example.edu/webhooks/servicenow
set -euo pipefail
file="${1:?usage: SECRET=... $0 <body.json> <url>}"
url="${2:?usage: SECRET=... $0 <body.json> <url>}"
: "${SECRET:?set SECRET to the webhook secret}"
# HMAC-SHA256 of the exact bytes, base64 (what GlideCertificateEncryption.generateMac returns).
signature=$(openssl dgst -sha256 -hmac "$SECRET" -binary < "$file" | base64)
curl -sS -i -X POST "$url" \
  -H 'Content-Type: application/json' \
  -H "X-MIM-Signature: sha256=${signature}" \
  --data-binary @"$file"
