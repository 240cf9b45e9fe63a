import { useQueryClient } from "@tanstack/react-query";
import { useCallback, useMemo, useState } from "react";
import { useSearchParams } from "react-router";
import { toast } from "sonner";
import { ApiError } from "../../api/client";
import { EmptyState } from "../../components/EmptyState";
import { useAccounts } from "../accounts/queries";
import { CategoryPicker } from "../categories/CategoryPicker";
import { useCategoryNames } from "../categories/queries";
import { useLedgerId } from "../ledgers/queries";
import { FilterBar } from "./FilterBar";
import { readFilters, writeFilters, type Filters } from "./filters";
import {
  bulkEdit,
  deleteTransaction,
  editRows,
  restore,
  transactionKeys,
  useTransactionPages,
  type Transaction,
} from "./queries";
import { TransactionPanel } from "./TransactionPanel";
import { TransactionTable } from "./TransactionTable";

const UNDO_MS = 10_000;

export default function TransactionsPage() {
  const ledgerId = useLedgerId();
  const [params, setParams] = useSearchParams();
  const filters = useMemo(() => readFilters(params), [params]);
  const setFilters = useCallback((next: Filters) => setParams(writeFilters(next), { replace: true }), [setParams]);
  const pages = useTransactionPages(ledgerId, filters);
  const accountList = useAccounts(ledgerId).data;
  const accounts = useMemo(() => accountList ?? [], [accountList]);
  const categoryNames = useCategoryNames(ledgerId);
  const accountNames = useMemo(() => new Map(accounts.map((a) => [a.id, a.name])), [accounts]);
  const rows = useMemo(() => pages.data?.pages.flatMap((p) => p.items) ?? [], [pages.data]);
  const [selected, setSelected] = useState<Set<string>>(new Set());
  const [panel, setPanel] = useState<Transaction | "new" | null>(null);
  const [bulkCategory, setBulkCategory] = useState(false);
  const remove = useDeleteWithUndo(ledgerId);
  const bulk = useBulkCategory(ledgerId);

  const loadMore = useCallback(() => void pages.fetchNextPage(), [pages]);
  const names = (id: string) => accountNames.get(id) ?? categoryNames.get(id) ?? "…";

  return (
    <div className="space-y-3">
      <FilterBar filters={filters} setFilters={setFilters} names={names} ledgerId={ledgerId} accounts={accounts} onNew={() => setPanel("new")} />
      {selected.size > 0 && (
        <div className="flex flex-wrap items-center gap-2 rounded-card bg-surface-0 p-2 text-sm shadow-card" role="toolbar" aria-label="Selection">
          <span className="px-2 font-medium">{selected.size} selected</span>
          {bulkCategory ? (
            <CategoryPicker
              ledgerId={ledgerId}
              value={null}
              label="Category for the selection"
              autoFocus
              className="input w-56"
              onKeyDown={(e) => e.key === "Escape" && setBulkCategory(false)}
              onChange={(id) => {
                setBulkCategory(false);
                bulk([...selected], rows, id);
                setSelected(new Set());
              }}
            />
          ) : (
            <button className="btn" onClick={() => setBulkCategory(true)}>
              Set category (c)
            </button>
          )}
          <BulkTag ledgerId={ledgerId} ids={[...selected]} rows={rows} />
          <button
            className="btn text-negative"
            onClick={() => {
              remove([...selected], rows);
              setSelected(new Set());
            }}
          >
            Delete
          </button>
          <button className="btn-ghost" onClick={() => setSelected(new Set())}>
            Clear (Esc)
          </button>
        </div>
      )}
      {pages.isError ? (
        <p role="alert" className="card text-negative">
          {pages.error instanceof ApiError ? pages.error.message : "The transactions could not be loaded."}{" "}
          <button className="btn" onClick={() => void pages.refetch()}>
            Try again
          </button>
        </p>
      ) : pages.isLoading ? (
        <SkeletonRows />
      ) : rows.length === 0 ? (
        <EmptyState title={hasFilters(filters) ? "Nothing matches these filters" : "No transactions yet"}>
          {hasFilters(filters) ? (
            "Remove a filter above to see more."
          ) : (
            <>
              Import a bank file or <button className="btn-ghost underline" onClick={() => setPanel("new")}>add one</button>.
            </>
          )}
        </EmptyState>
      ) : (
        <TransactionTable
          ledgerId={ledgerId}
          rows={rows}
          hasMore={pages.hasNextPage}
          loadingMore={pages.isFetchingNextPage}
          loadMore={loadMore}
          accountNames={accountNames}
          categoryNames={categoryNames}
          selected={selected}
          setSelected={setSelected}
          onOpen={setPanel}
          onDelete={(ids) => remove(ids, rows)}
          onBulkCategory={() => setBulkCategory(true)}
          sort={filters.sort}
          onSort={(sort) => setFilters({ ...filters, sort: sort as Filters["sort"] })}
        />
      )}
      {panel && (
        <TransactionPanel
          ledgerId={ledgerId}
          row={panel === "new" ? null : panel}
          accounts={accounts}
          onClose={() => setPanel(null)}
          onDelete={(row) => {
            remove([row.id], rows);
            setPanel(null);
          }}
        />
      )}
    </div>
  );
}

function hasFilters(filters: Filters): boolean {
  return writeFilters({ ...filters, sort: "-date" }).toString() !== "";
}

function SkeletonRows() {
  return (
    <div className="card space-y-2" aria-busy="true" aria-label="Loading transactions">
      {Array.from({ length: 12 }, (_, i) => (
        <div key={i} className="h-6 animate-pulse rounded bg-surface-2" />
      ))}
    </div>
  );
}

/** Deletes rows after ten seconds unless undone: they leave the list at once, a toast
 * offers Undo, and only then is the API asked (a transfer's other leg goes with it). */
function useDeleteWithUndo(ledgerId: string) {
  const client = useQueryClient();
  return (ids: string[], rows: Transaction[]) => {
    const gone = new Set(ids);
    const before = editRows(client, ledgerId, (list) => list.filter((r) => !gone.has(r.id)));
    const shown = rows.filter((r) => gone.has(r.id));
    let undone = false;
    const commit = async () => {
      if (undone) return;
      const failures = (await Promise.allSettled(ids.map((id) => deleteTransaction(ledgerId, id)))).filter(
        (r) => r.status === "rejected" && !(r.reason instanceof ApiError && r.reason.status === 404),
      );
      if (failures.length > 0) {
        restore(client, before);
        toast.error(`${failures.length} could not be deleted; they are back in the list.`);
      }
      void client.invalidateQueries({ queryKey: ["ledger", ledgerId] });
    };
    const timer = setTimeout(() => void commit(), UNDO_MS);
    // Leaving the page keeps the promise: the deletion is sent now.
    const onLeave = () => {
      clearTimeout(timer);
      void commit();
    };
    window.addEventListener("pagehide", onLeave, { once: true });
    toast(`${ids.length === 1 ? `“${shown[0]?.payee || shown[0]?.description || "Transaction"}”` : `${ids.length} transactions`} deleted`, {
      duration: UNDO_MS,
      action: {
        label: "Undo",
        onClick: () => {
          undone = true;
          clearTimeout(timer);
          window.removeEventListener("pagehide", onLeave);
          restore(client, before);
        },
      },
    });
  };
}

/** Sets the category of many rows at once; Undo puts each back as it was. */
function useBulkCategory(ledgerId: string) {
  const client = useQueryClient();
  return (ids: string[], rows: Transaction[], categoryId: string | null) => {
    const previous = new Map(rows.filter((r) => ids.includes(r.id)).map((r) => [r.id, r.category_id ?? null]));
    const before = editRows(client, ledgerId, (list) =>
      list.map((r) => (previous.has(r.id) ? { ...r, category_id: categoryId, category_source: categoryId ? "user" : null, ml_suggestions: [], splits: [] } : r)),
    );
    bulkEdit(ledgerId, { ids, category_id: categoryId }).then(
      () => {
        void client.invalidateQueries({ queryKey: transactionKeys.all(ledgerId) });
        toast(`Category set on ${ids.length} transactions`, {
          duration: UNDO_MS,
          action: {
            label: "Undo",
            onClick: () => {
              const groups = new Map<string | null, string[]>();
              for (const [id, category] of previous) groups.set(category, [...(groups.get(category) ?? []), id]);
              restore(client, before);
              void Promise.all([...groups].map(([category, group]) => bulkEdit(ledgerId, { ids: group, category_id: category }))).finally(
                () => void client.invalidateQueries({ queryKey: transactionKeys.all(ledgerId) }),
              );
            },
          },
        });
      },
      (e: unknown) => {
        restore(client, before);
        toast.error(e instanceof ApiError ? e.message : "The category was not set.");
      },
    );
  };
}

function BulkTag({ ledgerId, ids, rows }: { ledgerId: string; ids: string[]; rows: Transaction[] }) {
  const client = useQueryClient();
  const [tag, setTag] = useState("");
  return (
    <form
      className="flex gap-1"
      onSubmit={(e) => {
        e.preventDefault();
        const added = tag.trim();
        if (!added) return;
        // Undo takes the tag off the rows that did not have it before, and only those.
        const untagged = ids.filter((id) => !rows.find((r) => r.id === id)?.tags.includes(added));
        bulkEdit(ledgerId, { ids, add_tags: [added] }).then(
          () => {
            setTag("");
            void client.invalidateQueries({ queryKey: transactionKeys.all(ledgerId) });
            toast(`Tagged ${ids.length} transactions #${added}`, {
              duration: UNDO_MS,
              action: {
                label: "Undo",
                onClick: () =>
                  untagged.length > 0 &&
                  void bulkEdit(ledgerId, { ids: untagged, remove_tags: [added] }).finally(
                    () => void client.invalidateQueries({ queryKey: transactionKeys.all(ledgerId) }),
                  ),
              },
            });
          },
          (err: unknown) => toast.error(err instanceof ApiError ? err.message : "Not tagged."),
        );
      }}
    >
      <input className="input w-32" placeholder="Add tag" aria-label="Tag for the selection" value={tag} onChange={(e) => setTag(e.target.value)} />
      <button className="btn" type="submit">
        Tag
      </button>
    </form>
  );
}
