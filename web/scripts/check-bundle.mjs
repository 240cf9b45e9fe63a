// Fails the build when the JavaScript a first visit loads (the entry and what it imports
// statically) exceeds 300 KB gzipped; screens past the first load as chunks of their own.
import { readFileSync } from "node:fs";
import { gzipSync } from "node:zlib";

const LIMIT = 300 * 1024;
const dist = new URL("../dist/", import.meta.url);
const html = readFileSync(new URL("index.html", dist), "utf8");
const initial = [...html.matchAll(/<(?:script[^>]*src|link[^>]*rel="modulepreload"[^>]*href)="\/([^"]+\.js)"/g)].map((m) => m[1]);
if (initial.length === 0) {
  console.error("check-bundle: index.html loads no script");
  process.exit(1);
}
let total = 0;
for (const file of new Set(initial)) {
  const size = gzipSync(readFileSync(new URL(file, dist))).length;
  total += size;
  console.log(`  ${file}: ${(size / 1024).toFixed(1)} KB gzipped`);
}
console.log(`initial JavaScript: ${(total / 1024).toFixed(1)} KB gzipped (limit ${LIMIT / 1024} KB)`);
if (total > LIMIT) {
  console.error("check-bundle: the first load is too large: move screens behind lazy imports");
  process.exit(1);
}
