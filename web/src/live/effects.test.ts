import { describe, expect, it } from "vitest";
import type { Schemas } from "../api/client";
import { backoff } from "./connection";
import { effectsOf, type ServerMessage } from "./effects";

const LEDGER = "l1";
const ME = "u1";

function event(type: string, data: unknown): ServerMessage {
  return { id: "1-0", ledger_id: LEDGER, type, data } as unknown as ServerMessage;
}

const row = { id: "t1", category_id: null } as unknown as Schemas["TransactionView"];

describe("what a live event does to the screens", () => {
  it("patches a changed row in place, and refreshes what its money touches", () => {
    const effects = effectsOf(event("transaction.updated", { ids: ["t1"], transactions: [row] }), ME);
    expect(effects).toContainEqual({ kind: "upsertTransactions", ledgerId: LEDGER, rows: [row] });
    expect(effects).toContainEqual({ kind: "invalidate", key: ["ledger", LEDGER, "accounts"] });
    expect(effects).toContainEqual({ kind: "invalidate", key: ["ledger", LEDGER, "analytics"] });
    expect(effects).not.toContainEqual({ kind: "invalidate", key: ["ledger", LEDGER, "transactions"] });
  });

  it("refetches the lists after a bulk edit, which carries ids only", () => {
    const effects = effectsOf(event("transaction.updated", { ids: ["t1", "t2"], transactions: [] }), ME);
    expect(effects).toContainEqual({ kind: "invalidate", key: ["ledger", LEDGER, "transactions"] });
  });

  it("takes deleted rows out and refetches after a new one", () => {
    expect(effectsOf(event("transaction.deleted", { ids: ["t1"] }), ME)).toContainEqual({
      kind: "removeTransactions",
      ledgerId: LEDGER,
      ids: ["t1"],
    });
    expect(effectsOf(event("transaction.created", { ids: ["t9"], transactions: [] }), ME)).toContainEqual({
      kind: "invalidate",
      key: ["ledger", LEDGER, "transactions"],
    });
  });

  it("shows budget alerts and finished imports as toasts, once each", () => {
    const alert = effectsOf(
      event("budget.alert", {
        category_id: "c1",
        category: "Groceries",
        month: "2026-11-01",
        threshold: 80,
        budgeted: "100.00",
        carried_in: "0.00",
        spent: "85.00",
        currency: "EUR",
      }),
      ME,
    );
    expect(alert).toContainEqual({
      kind: "toast",
      tone: "warning",
      text: "Groceries reached 80% of its budget for 2026-11.",
      id: "alert-c1-2026-11-01-80",
    });
    const done = effectsOf(event("import.completed", { import_id: "i1", inserted_rows: 4, duplicate_rows: 1, error_rows: 0 }), ME);
    expect(done).toContainEqual({ kind: "toast", tone: "success", text: "Import finished: 4 new, 1 already there.", id: "import-i1" });
  });

  it("moves an import's progress bar", () => {
    expect(effectsOf(event("import.progress", { import_id: "i1", committed_rows: 5000, total_rows: 9000 }), ME)).toEqual([
      { kind: "importProgress", ledgerId: LEDGER, importId: "i1", committed: 5000, total: 9000 },
    ]);
  });

  it("leaves a ledger the user was removed from, and not one someone else left", () => {
    expect(effectsOf(event("ledger.member_removed", { user_id: ME }), ME)).toContainEqual({ kind: "leaveLedger", ledgerId: LEDGER });
    expect(effectsOf(event("ledger.member_removed", { user_id: "u2" }), ME)).not.toContainEqual({
      kind: "leaveLedger",
      ledgerId: LEDGER,
    });
  });

  it("refetches a whole ledger on resync, and ignores the welcome", () => {
    expect(effectsOf({ type: "resync", ledger_id: LEDGER }, ME)).toEqual([
      { kind: "invalidate", key: ["ledger", LEDGER] },
    ]);
    expect(effectsOf({ type: "welcome", ledgers: [LEDGER] }, ME)).toEqual([]);
  });
});

describe("reconnecting", () => {
  it("waits longer after each failure, up to half a minute, with some spread", () => {
    expect(backoff(0, 0)).toBe(500);
    expect(backoff(1, 0)).toBe(1000);
    expect(backoff(3, 0.5)).toBe(4400);
    expect(backoff(20, 0)).toBe(30_000);
    expect(backoff(20, 1)).toBe(36_000);
  });
});
