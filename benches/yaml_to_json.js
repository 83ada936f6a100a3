#!/usr/bin/env node
// Convert the corpus' YAML documents to JSON for ajv (untimed preparation step of check.sh).
//
//   node benches/yaml_to_json.js JS_YAML_MODULE_DIR POLICIES_DIR OUT_DIR
//
// js-yaml's default (YAML 1.1) schema turns `2026-10-14` into a Date object, so every document
// would fail `type: string` on its dates. Evident reads YAML 1.2, where such values are strings;
// js-yaml's CORE_SCHEMA does the same.
// Output: OUT_DIR/<kind>/<path with / replaced by __>.json, one file per document, grouped by
// the document's `kind` (several documents in one file are numbered).
"use strict";
const fs = require("fs");
const path = require("path");

const [moduleDir, policies, out] = process.argv.slice(2);
if (!out) {
  console.error("usage: yaml_to_json.js JS_YAML_MODULE_DIR POLICIES_DIR OUT_DIR");
  process.exit(2);
}
const yaml = require(path.resolve(moduleDir));
const loadAll = yaml.loadAll || yaml.safeLoadAll;

function* walk(dir) {
  for (const e of fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) yield* walk(p);
    else if (/\.ya?ml$/.test(e.name)) yield p;
  }
}

let n = 0;
for (const file of walk(policies)) {
  const rel = path.relative(policies, file);
  const docs = [];
  loadAll(fs.readFileSync(file, "utf8"), (d) => docs.push(d), { schema: yaml.CORE_SCHEMA, filename: file });
  const base = rel.replace(/\.ya?ml$/, "").split(path.sep).join("__");
  docs.forEach((d, i) => {
    const folder = String(d.kind);
    fs.mkdirSync(path.join(out, folder), { recursive: true });
    const name = docs.length === 1 ? `${base}.json` : `${base}--${i + 1}.json`;
    fs.writeFileSync(path.join(out, folder, name), JSON.stringify(d));
    n++;
  });
}
console.log(`converted ${n} documents to JSON in ${out}`);
