// The daily loop in a real browser against the whole stack (nginx, API, ML worker,
// PostgreSQL, Redis), as scripts/web-e2e.sh starts it: sign up, an account, a transaction
// and the model's suggestion accepted, an import through the wizard, a change seen live on
// another device, a budget alert toast, the dashboard with the demo data, and the
// transaction list used with the keyboard alone. Each main screen is saved as a screenshot.

import AxeBuilder from "@axe-core/playwright";
import { join } from "node:path";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BASE, callApi, context, launch, live, register, shot, signIn } from "./browser";

const FIXTURE = join(import.meta.dirname, "..", "..", "tests", "fixtures", "import", "csv", "csv2ofx", "schwab-checking.csv");
const DEMO = { email: "demo@financetracker.local", password: "financetracker-demo" };

let browser: Browser;

beforeAll(async () => {
  browser = await launch();
});

afterAll(async () => {
  await browser.close();
});

/** No serious or critical accessibility problem on the page (axe-core). */
async function accessible(page: Page, screen: string) {
  const result = await new AxeBuilder({ page }).analyze();
  const bad = result.violations.filter((v) => v.impact === "serious" || v.impact === "critical");
  expect(bad.map((v) => `${screen}: ${v.id} (${v.nodes.length}) ${v.help}`)).toEqual([]);
}

async function addAccount(page: Page, name: string) {
  await page.getByRole("link", { name: "Accounts" }).first().click();
  await page.getByRole("button", { name: "Add account" }).click();
  await page.getByLabel("Name").fill(name);
  await page.getByRole("button", { name: "Create account" }).click();
  await page.getByRole("cell", { name, exact: true }).waitFor();
}

async function addTransaction(page: Page, payee: string, amount: string) {
  await page.goto("/transactions");
  await page.getByRole("button", { name: "Add transaction" }).click();
  const panel = page.getByRole("dialog");
  await panel.getByLabel(/^Amount/).fill(amount);
  await panel.getByLabel("Payee").fill(payee);
  await panel.getByRole("button", { name: "Add", exact: true }).click();
  await panel.waitFor({ state: "detached" });
}

describe("the daily loop", () => {
  it("signs up, adds an account and a transaction, and accepts the model's suggestion", async () => {
    const ctx = await context(browser);
    const page = await ctx.newPage();
    await register(page, "Ada");
    await shot(page, "dashboard-empty");
    await page.getByText("No transactions yet").first().waitFor();
    await accessible(page, "dashboard (empty)");
    await addAccount(page, "Checking");
    await accessible(page, "accounts");
    await shot(page, "accounts");

    // A merchant the model has never seen: a suggestion, shown with its confidence.
    await addTransaction(page, "Zyxwv Qrstu 7781", "-12.00");
    const row = page.locator("[role=row]", { hasText: "Zyxwv Qrstu 7781" });
    await row.waitFor();
    const suggestion = row.locator("[data-suggestion]");
    await suggestion.waitFor();
    await expect(suggestion.textContent()).resolves.toMatch(/ · \d+%$/);
    const suggested = (await suggestion.textContent())?.split(" · ")[0] ?? "";
    await row.getByRole("button", { name: /^Accept / }).click();
    // The suggestion itself names the category: wait for it to give way to the category.
    await row.locator("[data-suggestion]").waitFor({ state: "detached" });
    await expect(row.locator("[data-column=category]").textContent()).resolves.toBe(suggested);
    // It sticks: the server has it.
    await page.reload();
    await page.locator("[role=row]", { hasText: "Zyxwv Qrstu 7781" }).locator("[data-column=category]", { hasText: suggested }).waitFor();
    await expect(page.locator("[data-suggestion]").count()).resolves.toBe(0);
    await accessible(page, "transactions");
    await shot(page, "transactions-new-user");
    await ctx.close();
  });

  it("imports a bank file through the wizard and shows its rows", async () => {
    const ctx = await context(browser);
    const page = await ctx.newPage();
    await register(page, "Bea");
    await addAccount(page, "Schwab");
    await page.getByRole("link", { name: "Import" }).first().click();
    await page.locator("input[type=file]").setInputFiles(FIXTURE);
    await page.getByText("schwab-checking.csv").waitFor();
    await accessible(page, "import");
    await page.getByRole("button", { name: "Next: the account" }).click();
    await page.getByRole("button", { name: "Read the file" }).click();
    await page.getByText("Columns", { exact: true }).waitFor();
    await shot(page, "import-mapping");
    await page.getByRole("button", { name: "Preview" }).click();
    await page.getByRole("table").waitFor();
    await shot(page, "import-preview");
    await page.getByRole("button", { name: "Import 4 rows" }).click();
    const progress = page.getByRole("progressbar", { name: "Rows written" });
    await page.getByText("Imported", { exact: true }).waitFor({ timeout: 30_000 });
    await expect(progress.getAttribute("aria-valuenow")).resolves.toBe("100");
    await page.getByText("4 new transactions").waitFor();
    await shot(page, "import-done");
    await page.getByRole("link", { name: "See the imported rows" }).click();
    await page.getByRole("button", { name: /Remove filter From one import/ }).waitFor();
    await page.locator("[role=row][data-row-id]").nth(3).waitFor();
    await expect(page.locator("[role=row][data-row-id]").count()).resolves.toBe(4);
    await page.getByText("BMO HARRIS BANK").waitFor();
    await ctx.close();
  });

  it("shows a transaction added on another device without reloading", async () => {
    const first = await context(browser);
    const phone = await context(browser, { width: 360, height: 780 });
    const desk = await first.newPage();
    const email = await register(desk, "Cleo");
    await addAccount(desk, "Joint");
    const other = await phone.newPage();
    await signIn(other, email);
    await other.goto("/transactions");
    await live(other);
    await other.getByText("No transactions yet").waitFor();
    await shot(other, "transactions-phone-empty");

    await addTransaction(desk, "Farmers market", "-23.40");
    // The phone's list shows it, with no reload.
    await other.getByText("Farmers market").waitFor({ timeout: 10_000 });
    await shot(other, "transactions-phone-live");
    await first.close();
    await phone.close();
  });

  it("shows a budget alert as a toast when spending crosses a threshold", async () => {
    const ctx = await context(browser);
    const page = await ctx.newPage();
    await register(page, "Dan");
    await addAccount(page, "Card");
    await live(page);
    const ledgers = (await callApi(page, "GET", "/api/v1/ledgers")) as { id: string }[];
    const ledger = ledgers[0]?.id ?? "";
    const accounts = (await callApi(page, "GET", `/api/v1/ledgers/${ledger}/accounts`)) as { id: string }[];
    const groups = (await callApi(page, "GET", `/api/v1/ledgers/${ledger}/categories`)) as {
      categories: { id: string; name: string }[];
    }[];
    const groceries = groups.flatMap((g) => g.categories).find((c) => c.name === "Groceries")?.id ?? "";
    const today = new Date().toISOString().slice(0, 10);
    await callApi(page, "PUT", `/api/v1/ledgers/${ledger}/budgets/${today.slice(0, 7)}/${groceries}`, { amount: "100.00" });
    // Spending entered elsewhere (another member's app, a script): the page is only watching.
    await callApi(page, "POST", `/api/v1/ledgers/${ledger}/transactions`, {
      account_id: accounts[0]?.id,
      date: today,
      amount: "-85.00",
      payee: "Supermarket",
      category_id: groceries,
    });
    await page.getByText("Groceries reached 80% of its budget").waitFor({ timeout: 15_000 });
    await shot(page, "budget-alert-toast");
    await ctx.close();
  });

  it("shows the dashboard's charts with the demo data, in light and dark", async () => {
    for (const scheme of ["light", "dark"] as const) {
      const ctx = await browser.newContext({ baseURL: BASE, viewport: { width: 1366, height: 900 }, colorScheme: scheme, locale: "en-US" });
      const page = await ctx.newPage();
      await signIn(page, DEMO.email, DEMO.password);
      for (const card of ["Net worth", "Cash flow this month"]) {
        const region = page.getByRole("region", { name: card });
        await region.locator("canvas").first().waitFor();
        await expect(region.locator("figcaption").textContent()).resolves.toMatch(/\d/);
      }
      await page.getByRole("region", { name: "Spending by category" }).getByRole("listitem").first().waitFor();
      await page.getByRole("region", { name: "Recent transactions" }).getByRole("row").first().waitFor();
      await expect(page.evaluate(() => document.documentElement.dataset.theme)).resolves.toBe(scheme);
      if (scheme === "light") await accessible(page, "dashboard");
      await shot(page, `dashboard-demo-${scheme}`);
      await page.goto("/transactions");
      await page.locator("[role=row][data-row-id]").first().waitFor();
      await shot(page, `transactions-demo-${scheme}`);
      await ctx.close();
    }
    const phone = await browser.newContext({ baseURL: BASE, viewport: { width: 360, height: 780 }, locale: "en-US" });
    const page = await phone.newPage();
    await signIn(page, DEMO.email, DEMO.password);
    await page.getByRole("region", { name: "Net worth" }).locator("canvas").first().waitFor();
    await shot(page, "dashboard-demo-phone");
    await phone.close();
  });

  it("works the transaction list with the keyboard alone", async () => {
    const ctx = await context(browser);
    const page = await ctx.newPage();
    await register(page, "Eve");
    await addAccount(page, "Wallet");
    await addTransaction(page, "First shop", "-1.00");
    await addTransaction(page, "Second shop", "-2.00");
    await page.goto("/");
    await page.getByRole("heading", { name: "Dashboard" }).waitFor();
    // g t: to the transactions; Tab until the table has the focus.
    await page.keyboard.press("g");
    await page.keyboard.press("t");
    await page.getByRole("grid", { name: "Transactions" }).waitFor();
    for (let i = 0; i < 30; i++) {
      if (await page.evaluate(() => document.activeElement?.getAttribute("role") === "grid")) break;
      await page.keyboard.press("Tab");
    }
    await expect(page.evaluate(() => document.activeElement?.getAttribute("role"))).resolves.toBe("grid");
    // j moves down, k back up; Enter edits the payee; typing and Enter saves it.
    await page.keyboard.press("j");
    await page.keyboard.press("k");
    await page.keyboard.press("Enter");
    const editor = page.getByLabel("Edit payee");
    await editor.waitFor();
    await page.keyboard.press("Control+A");
    await page.keyboard.type("Renamed by keyboard");
    await page.keyboard.press("Enter");
    await page.locator("[role=row]", { hasText: "Renamed by keyboard" }).waitFor();
    // Esc cancels an edit: the text typed is not saved.
    await page.keyboard.press("Enter");
    await editor.waitFor();
    await page.keyboard.type(" not this");
    await page.keyboard.press("Escape");
    await editor.waitFor({ state: "detached" });
    // A save shows at once (optimistically), so the cell would already say otherwise.
    const payee = page.locator("[role=row]", { hasText: "Renamed by keyboard" }).locator("[data-column=payee]");
    await expect(payee.textContent()).resolves.toBe("Renamed by keyboard");
    // x selects; the selection's toolbar appears; Esc clears it.
    await page.keyboard.press("x");
    await page.getByRole("toolbar", { name: "Selection" }).waitFor();
    await page.keyboard.press("Escape");
    await page.getByRole("toolbar", { name: "Selection" }).waitFor({ state: "detached" });
    // ? shows the keyboard map.
    await page.keyboard.press("?");
    await page.getByRole("dialog", { name: "Keyboard" }).waitFor();
    await shot(page, "keyboard-help");
    await page.keyboard.press("Escape");
    // The saved name is on the server.
    await page.reload();
    await page.getByText("Renamed by keyboard").waitFor();
    await ctx.close();
  });

  it("edits an account's opening balance, archives it and restores it", async () => {
    const ctx = await context(browser);
    const page = await ctx.newPage();
    await register(page, "Grace");
    await addAccount(page, "Savings pot");
    await addTransaction(page, "Transfer in", "25.00");
    await page.getByRole("link", { name: "Accounts" }).first().click();
    const row = page.getByRole("row", { name: /Savings pot/ });
    await row.getByRole("cell", { name: "€25.00" }).waitFor();
    await page.getByRole("button", { name: "Edit Savings pot" }).click();
    const opening = page.getByLabel("Opening balance (EUR)");
    await opening.fill("one hundred");
    await page.getByRole("button", { name: "Save" }).click();
    await page.getByText("enter an amount, such as -12.50").waitFor();
    await expect(opening.inputValue()).resolves.toBe("one hundred");
    await opening.fill("100.50");
    await page.getByRole("button", { name: "Save" }).click();
    await row.getByRole("cell", { name: "€125.50" }).waitFor();
    await shot(page, "accounts-edited");
    await page.getByRole("button", { name: "Archive Savings pot" }).click();
    await page.getByText("Every account is archived").waitFor();
    await page.getByText("Archived (1)").click();
    await page.getByRole("button", { name: "Restore Savings pot" }).click();
    await row.getByRole("cell", { name: "€125.50" }).waitFor();
    await page.getByText("Archived (1)").waitFor({ state: "detached" });
    await ctx.close();
  });

  it("says what is wrong next to what caused it, and keeps what was typed", async () => {
    const ctx = await context(browser);
    const page = await ctx.newPage();
    // A wrong password.
    await page.goto("/sign-in");
    await page.getByLabel("E-mail").fill(DEMO.email);
    await page.getByLabel("Password").fill("not the password");
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.getByRole("alert").filter({ hasText: "wrong e-mail address or password" }).waitFor();
    await expect(page.getByLabel("E-mail").inputValue()).resolves.toBe(DEMO.email);
    // An address that has an account already: said at the e-mail field.
    await page.goto("/register");
    await page.getByLabel("Your name").fill("Demo again");
    await page.getByLabel("E-mail").fill(DEMO.email);
    await page.getByLabel("Password").fill("a long enough password");
    await page.getByRole("button", { name: "Create account" }).click();
    const email = page.getByLabel("E-mail");
    await page.getByText("an account with this e-mail address exists: sign in instead").waitFor();
    await expect(email.getAttribute("aria-invalid")).resolves.toBe("true");
    await shot(page, "register-email-taken");
    // An inline edit the API refuses: the row goes back to what the server has, the editor
    // opens again with the text typed and the API's reason beside it.
    await register(page, "Frank");
    await addAccount(page, "Current");
    await addTransaction(page, "Baker", "-3.00");
    const row = page.locator("[role=row][data-row-id]").first();
    await row.locator("[data-column=payee]").dblclick();
    const long = "A".repeat(201);
    await page.getByLabel("Edit payee").fill(long);
    await page.keyboard.press("Enter");
    await page.getByRole("alert").filter({ hasText: "must be at most 200 characters" }).waitFor();
    await expect(page.getByLabel("Edit payee").inputValue()).resolves.toBe(long);
    await shot(page, "transactions-edit-refused");
    await page.keyboard.press("Escape");
    await row.locator("[data-column=payee]", { hasText: "Baker" }).waitFor();
    await ctx.close();
  });
});
