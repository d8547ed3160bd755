#!/usr/bin/env bash
# Sign a JSON body the way the business rule does and, given a URL, send it to mim-bridge.
#   SECRET=... ./sign-example.sh body.json https://mim-bridge.example.edu/webhooks/servicenow
#   SECRET=... ./sign-example.sh body.json      # only print the X-MIM-Signature header
# The signature covers the file's exact bytes, and curl sends those bytes unchanged
# (--data-binary): edit the file, not the command line, to change the body.
set -euo pipefail
usage="usage: SECRET=<webhook secret> $0 <body.json> [url]"
file="${1:?$usage}"
url="${2:-}"
: "${SECRET:?$usage}"
[ -r "$file" ] || { echo "cannot read $file" >&2; exit 2; }

# HMAC-SHA256, base64: what GlideCertificateEncryption.generateMac returns (hex is accepted too).
signature=$(openssl dgst -sha256 -hmac "$SECRET" -binary < "$file" | base64)
header="X-MIM-Signature: sha256=${signature}"

if [ -z "$url" ]; then
  printf '%s\n' "$header"
  exit 0
fi
curl -sS -i -X POST "$url" \
  -H 'Content-Type: application/json' \
  -H "$header" \
  --data-binary @"$file"
