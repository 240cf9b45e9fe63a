// Applies a live event's effects to the query caches and the toasts.

import type { InfiniteData, QueryClient } from "@tanstack/react-query";
import { toast } from "sonner";
import type { Schemas } from "../api/client";
import type { Effect } from "./effects";

type Transaction = Schemas["TransactionView"];
type Page = Schemas["TransactionPage"];

/** Every loaded page of every transaction list of the ledger, with `change` applied. */
function editPages(
  client: QueryClient,
  ledgerId: string,
  change: (rows: Transaction[]) => Transaction[],
) {
  client.setQueriesData<InfiniteData<Page>>({ queryKey: ["ledger", ledgerId, "transactions", "list"] }, (data) =>
    data ? { ...data, pages: data.pages.map((page) => ({ ...page, items: change(page.items) })) } : data,
  );
}

export function apply(client: QueryClient, effects: Effect[], leave: (ledgerId: string) => void) {
  for (const effect of effects) {
    switch (effect.kind) {
      case "invalidate":
        void client.invalidateQueries({ queryKey: effect.key });
        break;
      case "upsertTransactions": {
        const byId = new Map(effect.rows.map((r) => [r.id, r]));
        editPages(client, effect.ledgerId, (rows) => rows.map((r) => byId.get(r.id) ?? r));
        break;
      }
      case "removeTransactions": {
        const gone = new Set(effect.ids);
        editPages(client, effect.ledgerId, (rows) => rows.filter((r) => !gone.has(r.id)));
        break;
      }
      case "categorized": {
        const c = effect.completed;
        editPages(client, effect.ledgerId, (rows) =>
          rows.map((r) =>
            r.id !== c.transaction_id || r.category_id !== null
              ? r
              : c.category_id
                ? { ...r, category_id: c.category_id, category_source: "ml", ml_confidence: c.confidence ?? null, ml_model_version: c.model_version }
                : { ...r, ml_suggestions: c.suggestions },
          ),
        );
        break;
      }
      case "importProgress":
        client.setQueryData<Schemas["ImportView"]>(
          ["ledger", effect.ledgerId, "imports", effect.importId],
          (view) => (view ? { ...view, committed_rows: Math.max(view.committed_rows, effect.committed) } : view),
        );
        break;
      case "toast": {
        const options = effect.id ? { id: effect.id } : {};
        if (effect.tone === "success") toast.success(effect.text, options);
        else if (effect.tone === "warning") toast.warning(effect.text, options);
        else if (effect.tone === "error") toast.error(effect.text, options);
        else toast(effect.text, options);
        break;
      }
      case "leaveLedger":
        leave(effect.ledgerId);
        break;
    }
  }
}
