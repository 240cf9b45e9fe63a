// Writes src/api/schema.d.ts, the web app's types of the API, from the OpenAPI document the
// API prints (`api openapi`): the one definition of every request, answer and event.
//
//   node scripts/api-types.mjs openapi.json          write it
//   node scripts/api-types.mjs openapi.json --check  fail when the committed file is stale
import { readFileSync, writeFileSync } from "node:fs";
import openapiTS, { astToString } from "openapi-typescript";
import ts from "typescript";

const [input, flag] = process.argv.slice(2);
if (!input) {
  console.error("usage: node scripts/api-types.mjs OPENAPI.json [--check]");
  process.exit(2);
}
const target = new URL("../src/api/schema.d.ts", import.meta.url);
const BLOB = ts.factory.createTypeReferenceNode(ts.factory.createIdentifier("Blob"));
const ast = await openapiTS(JSON.parse(readFileSync(input, "utf8")), {
  // A file upload is a Blob (a File), not a string.
  transform: (schema) => (schema.format === "binary" ? BLOB : undefined),
});
const header =
  "// Generated from the API's OpenAPI document by web/scripts/api-types.mjs: do not edit.\n" +
  "// `make test` fails when it no longer matches `api openapi`.\n\n";
const generated = header + astToString(ast);
if (flag === "--check") {
  let committed = "";
  try {
    committed = readFileSync(target, "utf8");
  } catch {
    // Missing counts as stale.
  }
  if (committed !== generated) {
    console.error(
      "web/src/api/schema.d.ts is stale: the API's OpenAPI document changed. Run " +
        "`cargo run -q -p api -- openapi > /tmp/openapi.json && (cd web && node scripts/api-types.mjs /tmp/openapi.json)`",
    );
    process.exit(1);
  }
  console.log("web/src/api/schema.d.ts matches the API's document");
} else {
  writeFileSync(target, generated);
  console.log(`wrote ${target.pathname}`);
}
