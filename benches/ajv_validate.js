#!/usr/bin/env node
// The ajv peer of `evident check --schemas-only` (PRODUCT.md §7), measured fairly: ONE Node
// process that compiles each kind's schema once and validates every document with it, not one
// `ajv-cli` process per kind (which mostly measures Node start-ups).
//
//   node benches/ajv_validate.js NODE_MODULES SCHEMAS_DIR JSON_DIR
//
// NODE_MODULES holds ajv and ajv-formats; SCHEMAS_DIR is `evident schema --out` (one
// `<kind>.schema.json` per kind); JSON_DIR is written by yaml_to_json.js: `<Kind>/<name>.json`.
// The documents are pre-converted JSON, so ajv does no YAML parsing (which favours ajv).
// Prints "N valid, M invalid"; exits 1 if any document is invalid (the comparison would then not
// be a fair one).
"use strict";
const fs = require("fs");
const path = require("path");

const [modules, schemas, data] = process.argv.slice(2);
if (!data) {
  console.error("usage: ajv_validate.js NODE_MODULES SCHEMAS_DIR JSON_DIR");
  process.exit(2);
}
const Ajv2020 = require(path.join(path.resolve(modules), "ajv/dist/2020")).default;
const addFormats = require(path.join(path.resolve(modules), "ajv-formats")).default;
const ajv = new Ajv2020({ strict: false });
addFormats(ajv);

// Kind -> schema file: ServiceLevelAgreement -> service-level-agreement.schema.json.
const file = (kind) => kind.replace(/([a-z])([A-Z])/g, "$1-$2").toLowerCase() + ".schema.json";
let valid = 0;
let invalid = 0;
for (const kind of fs.readdirSync(data).sort()) {
  const schema = JSON.parse(fs.readFileSync(path.join(schemas, file(kind)), "utf8"));
  const validate = ajv.compile(schema); // once per kind
  const dir = path.join(data, kind);
  for (const name of fs.readdirSync(dir).sort()) {
    const doc = JSON.parse(fs.readFileSync(path.join(dir, name), "utf8"));
    if (validate(doc)) valid++;
    else {
      invalid++;
      if (invalid <= 5) console.error(`${kind}/${name}: ${ajv.errorsText(validate.errors)}`);
    }
  }
}
console.log(`${valid} valid, ${invalid} invalid`);
process.exit(invalid ? 1 : 0);
