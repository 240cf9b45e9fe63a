// Transactions of the current ledger: the filtered list in keyset pages (infinite scroll),
// and the edits, each shown at once (optimistic) and rolled back with the API's reason if
// it refuses.

import {
  type InfiniteData,
  type QueryClient,
  useInfiniteQuery,
  useMutation,
  useQueryClient,
} from "@tanstack/react-query";
import { api, unwrap, type Schemas } from "../../api/client";
import { apiQuery, type Filters } from "./filters";

export type Transaction = Schemas["TransactionView"];
type Page = Schemas["TransactionPage"];
type Pages = InfiniteData<Page, string | undefined>;

export const PAGE_SIZE = 200;

export const transactionKeys = {
  all: (ledgerId: string) => ["ledger", ledgerId, "transactions"] as const,
  lists: (ledgerId: string) => ["ledger", ledgerId, "transactions", "list"] as const,
  list: (ledgerId: string, filters: Filters) => ["ledger", ledgerId, "transactions", "list", filters] as const,
};

export function useTransactionPages(ledgerId: string, filters: Filters) {
  return useInfiniteQuery({
    queryKey: transactionKeys.list(ledgerId, filters),
    initialPageParam: undefined as string | undefined,
    queryFn: ({ pageParam, signal }) =>
      unwrap(
        api.GET("/api/v1/ledgers/{ledger_id}/transactions", {
          params: {
            path: { ledger_id: ledgerId },
            query: { ...apiQuery(filters), limit: PAGE_SIZE, cursor: pageParam, import_id: filters.importId },
          },
          signal,
        }),
      ),
    getNextPageParam: (last) => last.next_cursor ?? undefined,
  });
}

/** Every loaded list of the ledger, with `change` applied to its rows; returns what was
 * there before, to roll back to. */
export function editRows(
  client: QueryClient,
  ledgerId: string,
  change: (rows: Transaction[]) => Transaction[],
): [readonly unknown[], Pages | undefined][] {
  const before = client.getQueriesData<Pages>({ queryKey: transactionKeys.lists(ledgerId) });
  client.setQueriesData<Pages>({ queryKey: transactionKeys.lists(ledgerId) }, (data) =>
    data ? { ...data, pages: data.pages.map((p) => ({ ...p, items: change(p.items) })) } : data,
  );
  return before;
}

function restore(client: QueryClient, before: [readonly unknown[], Pages | undefined][]) {
  for (const [key, data] of before) client.setQueryData(key, data);
}

export type Patch = Schemas["UpdateTransaction"];

/** Pure: how a row looks once `patch` is saved, as far as the page can tell. */
export function patched(row: Transaction, patch: Patch): Transaction {
  const next = { ...row };
  if (patch.date != null) next.date = patch.date;
  if (patch.amount != null) next.amount = patch.amount;
  if (patch.payee != null) next.payee = patch.payee;
  if (patch.description != null) next.description = patch.description;
  if (patch.notes != null) next.notes = patch.notes;
  if (patch.tags != null) next.tags = patch.tags;
  if (patch.category_id !== undefined) {
    next.category_id = patch.category_id ?? null;
    next.category_source = patch.category_id ? "user" : null;
    next.ml_suggestions = [];
    next.ml_confidence = null;
    next.splits = [];
  }
  return next;
}

export function useUpdateTransaction(ledgerId: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: ({ id, patch }: { id: string; patch: Patch }) =>
      unwrap(
        api.PATCH("/api/v1/ledgers/{ledger_id}/transactions/{id}", {
          params: { path: { ledger_id: ledgerId, id } },
          body: patch,
        }),
      ),
    onMutate: ({ id, patch }) => editRows(client, ledgerId, (rows) => rows.map((r) => (r.id === id ? patched(r, patch) : r))),
    onError: (_e, _v, before) => before && restore(client, before),
    onSuccess: (saved) => editRows(client, ledgerId, (rows) => rows.map((r) => (r.id === saved.id ? saved : r))),
    onSettled: () => {
      void client.invalidateQueries({ queryKey: ["ledger", ledgerId, "accounts"] });
      void client.invalidateQueries({ queryKey: ["ledger", ledgerId, "analytics"] });
    },
  });
}

export function useCreateTransaction(ledgerId: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: ({ body, key }: { body: Schemas["CreateTransaction"]; key: string }) =>
      unwrap(
        api.POST("/api/v1/ledgers/{ledger_id}/transactions", {
          params: { path: { ledger_id: ledgerId }, header: { "Idempotency-Key": key } },
          body,
        }),
      ),
    onSuccess: () => client.invalidateQueries({ queryKey: ["ledger", ledgerId] }),
  });
}

export function useCreateTransfer(ledgerId: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (body: Schemas["CreateTransfer"]) =>
      unwrap(api.POST("/api/v1/ledgers/{ledger_id}/transfers", { params: { path: { ledger_id: ledgerId } }, body })),
    onSuccess: () => client.invalidateQueries({ queryKey: ["ledger", ledgerId] }),
  });
}

export function deleteTransaction(ledgerId: string, id: string) {
  return unwrap(
    api.DELETE("/api/v1/ledgers/{ledger_id}/transactions/{id}", { params: { path: { ledger_id: ledgerId, id } } }),
  );
}

export function bulkEdit(ledgerId: string, body: Schemas["BulkEdit"]) {
  return unwrap(api.POST("/api/v1/ledgers/{ledger_id}/transactions/bulk", { params: { path: { ledger_id: ledgerId } }, body }));
}

export { restore };
