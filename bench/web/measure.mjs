// Measures the transactions screen in Debian's chromium (playwright-core): see
// bench/web/run.sh. Prints one JSON line.
// From the web app's dependencies (this script has none of its own).
import { chromium } from "../../web/node_modules/playwright-core/index.mjs";

const BASE = process.env.BASE;
const RUNS = Number(process.env.RUNS ?? 5);
const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  return Math.round(sorted[Math.floor(sorted.length / 2)] * 10) / 10;
};

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium",
  args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
});
const context = await browser.newContext({ baseURL: BASE, viewport: { width: 1366, height: 900 }, locale: "en-US" });
// The moment the first row is on screen, taken in the page: the first frame after it is in
// the document (a locator's wait polls, and would add its polling interval).
await context.addInitScript(() => {
  const seen = new MutationObserver(() => {
    if (!document.querySelector("[role=row][data-row-id]")) return;
    seen.disconnect();
    requestAnimationFrame(() => (window.__firstRow = performance.now()));
  });
  seen.observe(document, { childList: true, subtree: true });
});
const page = await context.newPage();
await page.goto("/sign-in");
await page.getByLabel("E-mail").fill(process.env.EMAIL);
await page.getByLabel("Password").fill(process.env.PASSWORD);
await page.getByRole("button", { name: "Sign in" }).click();
await page.getByRole("heading", { name: "Dashboard" }).waitFor();

// 1. The first page on screen after a full navigation (new document: bundle, session,
//    ledger and the first page of 200 rows), and the API's own time for that page.
const firstPage = [];
let waterfall = [];
for (let run = 0; run < RUNS; run++) {
  await page.goto("/transactions");
  await page.waitForFunction(() => window.__firstRow !== undefined);
  firstPage.push(await page.evaluate(() => window.__firstRow));
  // Where the time went, for the last run: each request's start and end.
  waterfall = await page.evaluate(() =>
    performance.getEntriesByType("resource").map((e) => `${e.name.replace(location.origin, "").slice(0, 60)} ${Math.round(e.startTime)}-${Math.round(e.responseEnd)}`),
  );
}
if (process.env.WATERFALL) console.error(waterfall.join("\n"));

// 2. Scrolling to row 5,000: the longest task the main thread ran meanwhile.
await page.goto("/transactions");
await page.locator("[role=row][data-row-id]").first().waitFor();
await page.evaluate(() => {
  window.__tasks = [];
  new PerformanceObserver((list) => window.__tasks.push(...list.getEntries().map((e) => e.duration))).observe({ type: "longtask", buffered: false });
});
let pages = 0;
for (let step = 0; step < 2000; step++) {
  const reached = await page.evaluate(() => {
    const grid = document.querySelector("[role=grid]");
    grid.scrollTop += 1200;
    const rows = [...document.querySelectorAll("[role=row][aria-rowindex]")].map((r) => Number(r.getAttribute("aria-rowindex")));
    return Math.max(...rows);
  });
  if (reached >= 5001) break;
  await page.waitForTimeout(16);
}
pages = await page.evaluate(() => Number(document.querySelector("[role=grid]").getAttribute("aria-rowcount")) / 200);
await page.waitForTimeout(500);
const tasks = await page.evaluate(() => window.__tasks);
// The observer is working: a deliberate 120 ms task shows up (and is left out above).
const observed = await page.evaluate(async () => {
  setTimeout(() => {
    const start = performance.now();
    while (performance.now() - start < 120);
  }, 0);
  await new Promise((resolve) => setTimeout(resolve, 400));
  return window.__tasks.some((d) => d >= 100);
});

// 3. An inline edit shown as saved: from the Enter that saves to the cell's new text, and
//    the API's time to save it.
const shown = [];
await page.goto("/transactions");
await page.locator("[role=row][data-row-id]").first().waitFor();
await page.locator("[role=grid]").focus();
for (let run = 0; run < RUNS; run++) {
  const text = `Edited ${run} ${Date.now()}`;
  await page.keyboard.press("Enter");
  await page.getByLabel("Edit payee").waitFor();
  await page.keyboard.press("Control+A");
  await page.keyboard.type(text);
  const saved = page.waitForResponse((r) => r.request().method() === "PATCH");
  await page.evaluate((expected) => {
    window.__shown = new Promise((resolve) => {
      const start = performance.now();
      const check = () => {
        const cell = document.querySelector("[role=row][aria-rowindex='2'] [data-column=payee]");
        if (cell?.textContent === expected && !cell.querySelector("input")) resolve(performance.now() - start);
        else requestAnimationFrame(check);
      };
      document.addEventListener("keydown", () => requestAnimationFrame(check), { once: true, capture: true });
    });
  }, text);
  await page.keyboard.press("Enter");
  shown.push(await page.evaluate(() => window.__shown));
  await saved;
  await page.waitForTimeout(300);
}

console.log(
  JSON.stringify({
    runs: RUNS,
    first_page_ms: median(firstPage),
    pages_loaded: Math.round(pages),
    longest_task_ms: tasks.length ? Math.round(Math.max(...tasks)) : 0,
    tasks_over_50ms: tasks.filter((t) => t > 50).length,
    longtask_observer_works: observed,
    edit_shown_ms: median(shown),
  }),
);
await browser.close();
