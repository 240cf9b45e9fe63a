import { describe, expect, it } from "vitest";
import { changes, draftOf, parseCell } from "./columns";
import type { Transaction } from "./queries";

const row = {
  id: "t1",
  account_id: "a1",
  date: "2026-11-05",
  amount: "-12.50",
  currency: "EUR",
  payee: "Bakery",
  description: "",
  notes: "",
  status: "cleared",
  category_id: null,
  category_source: null,
  ml_model_version: null,
  ml_confidence: null,
  ml_suggestions: [],
  transfer_id: null,
  import_id: null,
  tags: ["food", "weekend"],
  splits: [],
  created_at: "2026-11-05T10:00:00Z",
  updated_at: "2026-11-05T10:00:00Z",
} satisfies Transaction;

describe("cells", () => {
  it("edit as text and save as the API's fields", () => {
    expect(draftOf(row, "tags")).toBe("food, weekend");
    expect(parseCell(row, "tags", "food, , work, food", "en-US")).toEqual({ ok: true, patch: { tags: ["food", "work"] } });
    expect(parseCell(row, "amount", "-1.234,5", "de-DE")).toEqual({ ok: true, patch: { amount: "-1234.5" } });
    expect(parseCell(row, "category", "", "en-US")).toEqual({ ok: true, patch: { category_id: null } });
  });

  it("say what is wrong instead of saving it", () => {
    expect(parseCell(row, "date", "5/11/2026", "en-US")).toEqual({ ok: false, message: "a date like 2026-11-05" });
    expect(parseCell(row, "amount", "12.345", "en-US")).toEqual({ ok: false, message: "at most 2 decimals" });
  });

  it("leave lengths to the API, whose refusal comes back next to the cell (e2e)", () => {
    expect(parseCell(row, "payee", "x".repeat(201), "en-US")).toEqual({ ok: true, patch: { payee: "x".repeat(201) } });
  });

  it("save only what changed", () => {
    expect(changes(row, { payee: "Bakery" })).toBe(false);
    expect(changes(row, { payee: "Baker" })).toBe(true);
    expect(changes(row, { tags: ["food", "weekend"] })).toBe(false);
    expect(changes(row, { category_id: null })).toBe(false);
  });
});
