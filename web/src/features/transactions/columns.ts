// The transaction table's editable columns: what a cell shows as text to edit, and how the
// edited text becomes part of a PATCH (or a message saying what is wrong). Pure.

import { isDay } from "../../lib/dates";
import { currencyDigits, parseAmountInput } from "../../lib/money";
import type { Patch, Transaction } from "./queries";

export const COLUMNS = ["date", "payee", "description", "category", "amount", "account", "tags"] as const;
export type Column = (typeof COLUMNS)[number];

/** Columns edited in the row itself (the account changes in the side panel). */
export const EDITABLE: readonly Column[] = ["date", "payee", "description", "category", "amount", "tags"];

export function draftOf(row: Transaction, column: Column): string {
  switch (column) {
    case "date":
      return row.date;
    case "payee":
      return row.payee;
    case "description":
      return row.description;
    case "amount":
      return row.amount;
    case "tags":
      return row.tags.join(", ");
    case "category":
      return row.category_id ?? "";
    case "account":
      return row.account_id;
  }
}

export type Parsed = { ok: true; patch: Patch } | { ok: false; message: string };

/** The PATCH an edited cell asks for; `locale` reads amounts as the person types them. */
export function parseCell(row: Transaction, column: Column, text: string, locale: string): Parsed {
  switch (column) {
    case "date":
      return isDay(text.trim()) ? { ok: true, patch: { date: text.trim() } } : { ok: false, message: "a date like 2026-11-05" };
    // Lengths are the API's to judge (one definition of each limit): a refusal comes back
    // next to the cell, with the text still in the editor.
    case "payee":
      return { ok: true, patch: { payee: text } };
    case "description":
      return { ok: true, patch: { description: text } };
    case "amount": {
      const amount = parseAmountInput(text, locale, currencyDigits(row.currency));
      return amount.ok ? { ok: true, patch: { amount: amount.value } } : { ok: false, message: amount.message };
    }
    case "tags":
      return { ok: true, patch: { tags: [...new Set(text.split(",").map((t) => t.trim()).filter(Boolean))] } };
    case "category":
      return { ok: true, patch: { category_id: text || null } };
    case "account":
      return { ok: true, patch: { account_id: text } };
  }
}

/** Whether saving `patch` would change `row` (an unchanged cell is not saved). */
export function changes(row: Transaction, patch: Patch): boolean {
  return Object.entries(patch).some(([key, value]) => {
    const current = (row as unknown as Record<string, unknown>)[key];
    return JSON.stringify(current ?? null) !== JSON.stringify(value ?? null);
  });
}

/** The API field a column's error comes back on. */
export function fieldOf(column: Column): string {
  return column === "category" ? "category_id" : column === "account" ? "account_id" : column;
}
