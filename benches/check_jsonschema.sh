#!/usr/bin/env bash
# The check-jsonschema peer of `evident check --schemas-only` (run by check.sh): one
# `check-jsonschema --schemafile <kind>.schema.json FILES...` per kind, the only way its CLI
# takes several schemas, on the JSON copy that yaml_to_json.js writes (one document per file,
# grouped by kind; no YAML parsing, which favours check-jsonschema).
#
#   bash benches/check_jsonschema.sh CHECK_JSONSCHEMA SCHEMAS_DIR JSON_DIR
set -euo pipefail
cjs=$1 schemas=$2 json=$3
for dir in "$json"/*/; do
  kind=$(basename "$dir")
  schema=$(sed 's/\([a-z]\)\([A-Z]\)/\1-\2/g' <<<"$kind" | tr '[:upper:]' '[:lower:]').schema.json
  "$cjs" --schemafile "$schemas/$schema" "$dir"*.json
done
