#!/usr/bin/env bash
# The peer of `jushou validate`: check-jsonschema on every file of the case repository, each kind
# against its own schemas/<kind>.schema.json (schema checks only: no references, no rules).
# Usage: peer.sh REPO LISTS_DIR SCHEMAS_DIR CHECK_JSONSCHEMA
# LISTS_DIR holds <kind>.txt, one repository-relative path per line (benchmarks/run writes them).
# xargs packs as many paths as the system allows into each call, as a user would.
set -euo pipefail
repo=$1 lists=$2 schemas=$3 check=$4
cd "$repo"
limit=$(xargs --show-limits </dev/null 2>&1 | awk -F: '/actually use/ {print $2 + 0}')
for list in "$lists"/*.txt; do
  kind=$(basename "$list" .txt)
  xargs -a "$list" -s "$((limit - 4096))" "$check" --schemafile "$schemas/$kind.schema.json" >/dev/null
done
