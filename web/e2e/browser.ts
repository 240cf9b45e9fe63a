// What the browser tests share: Debian's chromium driven by playwright-core (no browser is
// downloaded), the stack's URL from scripts/web-e2e.sh, screenshots into the test artefacts,
// and the steps every test takes (register, sign in).

import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { chromium, type Browser, type BrowserContext, type Page } from "playwright-core";

export const BASE = process.env.E2E_BASE_URL ?? "http://127.0.0.1:8080";
const SHOTS = process.env.E2E_SCREENSHOTS ?? join(import.meta.dirname, "..", "..", ".cache", "e2e-artifacts");

export async function launch(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium",
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      "--no-first-run",
    ],
  });
}

/** A fresh browser profile: cookies of its own, as another device would have. */
export async function context(browser: Browser, viewport = { width: 1366, height: 900 }): Promise<BrowserContext> {
  const ctx = await browser.newContext({ baseURL: BASE, viewport, locale: "en-US" });
  ctx.setDefaultTimeout(15_000);
  return ctx;
}

/** Saves what the page shows, for a person to look at. */
export async function shot(page: Page, name: string): Promise<void> {
  mkdirSync(SHOTS, { recursive: true });
  await page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true });
}

export const PASSWORD = "a browser test's password";

/** Registers a new user through the page; returns their e-mail address. */
export async function register(page: Page, name: string): Promise<string> {
  const email = `${name.toLowerCase()}.${crypto.randomUUID().slice(0, 8)}@example.org`;
  await page.goto("/register");
  await page.getByLabel("Your name").fill(name);
  await page.getByLabel("E-mail").fill(email);
  await page.getByLabel("Password").fill(PASSWORD);
  await page.getByLabel("Currency of your ledger").fill("EUR");
  await page.getByRole("button", { name: "Create account" }).click();
  await page.getByRole("heading", { name: "Dashboard" }).waitFor();
  return email;
}

export async function signIn(page: Page, email: string, password = PASSWORD): Promise<void> {
  await page.goto("/sign-in");
  await page.getByLabel("E-mail").fill(email);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.getByRole("heading", { name: "Dashboard" }).waitFor();
}

/** Calls the API as the page's signed-in user (its cookies and CSRF token). */
export async function callApi(page: Page, method: string, path: string, body?: unknown): Promise<unknown> {
  return page.evaluate(
    async ({ method, path, body }) => {
      const csrf = document.cookie.split("; ").find((c) => c.startsWith("ft_csrf="))?.slice(8) ?? "";
      const response = await fetch(path, {
        method,
        headers: { "content-type": "application/json", "x-csrf-token": decodeURIComponent(csrf) },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      const text = await response.text();
      if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${text}`);
      return text ? (JSON.parse(text) as unknown) : null;
    },
    { method, path, body },
  );
}

/** Waits until the live connection indicator says Live. */
export async function live(page: Page): Promise<void> {
  await page.getByRole("status", { name: "Live updates: Live" }).waitFor();
}
