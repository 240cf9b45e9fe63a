import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { cleanup, render, screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { afterEach, describe, expect, it, vi } from "vitest";
import type { Schemas } from "../../api/client";
import { json, refusal, stubApi, type Sent } from "../../test/api";
import type { Account } from "../accounts/queries";
import { categoryKeys, type Group } from "../categories/queries";
import { TransactionPanel } from "./TransactionPanel";

const LEDGER = "0b7e6a2c-1d3f-4e5a-9b8c-7d6e5f4a3b2c";
const account: Account = {
  id: "a1000000-0000-4000-8000-000000000001",
  name: "Everyday",
  kind: "checking",
  currency: "USD",
  balance: "1200.00",
  opening_balance: "0.00",
  archived: false,
  created_at: "2026-12-01T09:00:00Z",
};
const groceries = "c1000000-0000-4000-8000-000000000001";
const dining = "c1000000-0000-4000-8000-000000000002";
const tree: Group[] = [
  {
    id: "g1000000-0000-4000-8000-000000000001",
    name: "Food",
    kind: "expense",
    archived: false,
    categories: [
      { id: groceries, name: "Groceries", archived: false },
      { id: dining, name: "Dining out", archived: false },
    ],
  },
];

function openNew(onClose = () => undefined) {
  const client = new QueryClient({ defaultOptions: { queries: { retry: false, staleTime: Infinity } } });
  client.setQueryData(categoryKeys.tree(LEDGER), tree);
  render(
    <QueryClientProvider client={client}>
      <TransactionPanel ledgerId={LEDGER} row={null} accounts={[account]} onClose={onClose} onDelete={() => undefined} />
    </QueryClientProvider>,
  );
}

const amount = () => screen.getByLabelText("Amount (USD)");
const part = (n: number) => screen.getByLabelText(`Part ${n} amount`);
const balance = () => within(screen.getByRole("group", { name: "Split across categories" })).getByText(/Adds up|Left to assign|Amounts to check/);
const add = () => screen.getByRole("button", { name: "Add" });

async function retype(input: HTMLElement, text: string) {
  await userEvent.clear(input);
  await userEvent.type(input, text);
}

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

describe("the split editor", () => {
  it("shows what is left to assign and saves only when the parts add up exactly", async () => {
    const sent: Sent[] = stubApi({ [`POST /api/v1/ledgers/${LEDGER}/transactions`]: json(201, {}) });
    const onClose = vi.fn();
    openNew(onClose);
    await userEvent.type(amount(), "-100.00");
    await userEvent.click(screen.getByRole("button", { name: "Add part" }));
    expect(part(1)).toHaveProperty("value", "-100.00");
    expect(balance().textContent).toBe("Adds up");

    await retype(part(1), "-60");
    expect(balance().textContent).toBe("Left to assign: -$40.00");
    expect(add()).toHaveProperty("disabled", true);

    // The next part starts with what is left.
    await userEvent.click(screen.getByRole("button", { name: "Add part" }));
    expect(part(2)).toHaveProperty("value", "-40.00");
    expect(balance().textContent).toBe("Adds up");

    await retype(part(2), "-40.01");
    expect(balance().textContent).toBe("Left to assign: $0.01");
    expect(add()).toHaveProperty("disabled", true);
    await retype(part(2), "-40");

    await userEvent.selectOptions(screen.getByLabelText("Part 1 category"), groceries);
    await userEvent.selectOptions(screen.getByLabelText("Part 2 category"), dining);
    await userEvent.click(add());
    await vi.waitFor(() => expect(onClose).toHaveBeenCalled());
    const body = sent.find((s) => s.method === "POST")?.body as Schemas["CreateTransaction"];
    expect(body.amount).toBe("-100.00");
    expect(body.splits?.map((s) => [s.category_id, s.amount])).toEqual([
      [groceries, "-60"],
      [dining, "-40"],
    ]);
    expect(body.category_id).toBeUndefined();
  });

  it("adds cents as decimals, not floats: 0.10 and 0.20 make 0.30", async () => {
    openNew();
    await userEvent.type(amount(), "-0.30");
    await userEvent.click(screen.getByRole("button", { name: "Add part" }));
    await retype(part(1), "-0.10");
    await userEvent.click(screen.getByRole("button", { name: "Add part" }));
    await retype(part(2), "-0.20");
    expect(balance().textContent).toBe("Adds up");
    expect(add()).toHaveProperty("disabled", false);
  });

  it("names a part that is not an amount, and refuses a part without a category", async () => {
    stubApi({});
    openNew();
    await userEvent.type(amount(), "-10");
    await userEvent.click(screen.getByRole("button", { name: "Add part" }));
    await retype(part(1), "ten");
    expect(balance().textContent).toBe("Amounts to check");
    await retype(part(1), "-10");
    await userEvent.click(add());
    expect(await screen.findByText("every part needs a category")).toBeTruthy();
  });
});

describe("saving a transaction", () => {
  it("puts the API's refusal next to the field and keeps everything typed", async () => {
    stubApi({
      [`POST /api/v1/ledgers/${LEDGER}/transactions`]: refusal(422, "validation_failed", "payee: must be at most 200 characters", {
        fields: [{ field: "payee", message: "must be at most 200 characters" }],
      }),
    });
    const onClose = vi.fn();
    openNew(onClose);
    await userEvent.type(amount(), "-12.50");
    await userEvent.type(screen.getByLabelText("Payee"), "Corner shop");
    await userEvent.click(add());
    expect(await screen.findByText("must be at most 200 characters")).toBeTruthy();
    expect(onClose).not.toHaveBeenCalled();
    expect(amount()).toHaveProperty("value", "-12.50");
    expect(screen.getByLabelText("Payee")).toHaveProperty("value", "Corner shop");
  });

  it("says a save that could not reach the server was not made", async () => {
    stubApi({ [`POST /api/v1/ledgers/${LEDGER}/transactions`]: new TypeError("Failed to fetch") });
    openNew();
    await userEvent.type(amount(), "-12.50");
    await userEvent.click(add());
    expect((await screen.findByRole("alert")).textContent).toBe("cannot reach the server: check the connection");
    expect(amount()).toHaveProperty("value", "-12.50");
  });
});
