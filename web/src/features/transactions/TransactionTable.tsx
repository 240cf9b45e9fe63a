import { useVirtualizer } from "@tanstack/react-virtual";
import { useCallback, useEffect, useRef, useState } from "react";
import { ApiError } from "../../api/client";
import { Money } from "../../components/Money";
import { formatDay } from "../../lib/dates";
import { useLocale } from "../auth/queries";
import { CategoryCell } from "./CategoryCell";
import { CellEditor } from "./CellEditor";
import { COLUMNS, EDITABLE, changes, draftOf, fieldOf, parseCell, type Column } from "./columns";
import { useUpdateTransaction, type Transaction } from "./queries";

const ROW_HEIGHT = 36;
// On a phone: the box, date, payee, category and amount; the rest from 768 px up.
const GRID =
  "grid grid-cols-[1.75rem_5.5rem_minmax(5rem,1fr)_minmax(5rem,7.5rem)_6.5rem] md:grid-cols-[2rem_7.5rem_minmax(8rem,1fr)_minmax(8rem,1.3fr)_minmax(10rem,13rem)_8.5rem_10.5rem_8rem]";
const WIDE_ONLY = new Set<Column>(["description", "account", "tags"]);
const HEADERS: Record<Column, string> = {
  date: "Date",
  payee: "Payee",
  description: "Description",
  category: "Category",
  amount: "Amount",
  account: "Account",
  tags: "Tags",
};

interface Editing {
  rowId: string;
  column: Column;
  draft: string;
  error?: string;
}

export interface TableProps {
  ledgerId: string;
  rows: Transaction[];
  hasMore: boolean;
  loadingMore: boolean;
  loadMore: () => void;
  accountNames: Map<string, string>;
  categoryNames: Map<string, string>;
  selected: Set<string>;
  setSelected: (next: Set<string>) => void;
  onOpen: (row: Transaction) => void;
  onDelete: (ids: string[]) => void;
  onBulkCategory: () => void;
  sort: string;
  onSort: (sort: string) => void;
}

/** The transactions as a dense, virtualised table: only the rows in view are in the page,
 * so 100,000 loaded rows scroll like 50. Keyboard: j/k or arrows move, h/l or arrows pick
 * the column, Enter edits, Esc cancels, Tab moves between cells while editing, x selects,
 * c sets the category, a accepts the suggestion, Delete deletes, o opens the side panel. */
export function TransactionTable(props: TableProps) {
  const { ledgerId, rows, hasMore, loadingMore, loadMore, selected, setSelected } = props;
  const locale = useLocale();
  const update = useUpdateTransaction(ledgerId);
  const scroller = useRef<HTMLDivElement>(null);
  // Columns count from 1 (0 is the selection box); the payee first.
  const [active, setActive] = useState({ row: 0, column: COLUMNS.indexOf("payee") + 1 });
  const [editing, setEditing] = useState<Editing | null>(null);

  // TanStack Virtual hands out functions a compiler may not memoise; nothing here is
  // compiled that way.
  // eslint-disable-next-line react-hooks/incompatible-library
  const virtualizer = useVirtualizer({
    count: rows.length + (hasMore ? 1 : 0),
    getScrollElement: () => scroller.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 12,
  });
  const items = virtualizer.getVirtualItems();
  const lastIndex = items.at(-1)?.index ?? 0;
  useEffect(() => {
    if (hasMore && !loadingMore && lastIndex >= rows.length - 40) loadMore();
  }, [hasMore, loadingMore, lastIndex, rows.length, loadMore]);

  const activeRow = rows[Math.min(active.row, rows.length - 1)];
  const activeColumn = COLUMNS[active.column - 1] ?? "payee";

  const moveTo = useCallback(
    (row: number, column = active.column) => {
      const next = { row: Math.max(0, Math.min(rows.length - 1, row)), column: Math.max(1, Math.min(COLUMNS.length, column)) };
      setActive(next);
      virtualizer.scrollToIndex(next.row, { align: "auto" });
    },
    [active.column, rows.length, virtualizer],
  );

  function startEditing(row: Transaction, column: Column) {
    if (!EDITABLE.includes(column)) return;
    if (row.transfer_id && (column === "amount" || column === "category")) return;
    if (column === "category" && row.splits.length > 0) {
      props.onOpen(row);
      return;
    }
    setEditing({ rowId: row.id, column, draft: draftOf(row, column) });
  }

  function save(row: Transaction, column: Column, text: string, move: -1 | 0 | 1) {
    const parsed = parseCell(row, column, text, locale);
    if (!parsed.ok) {
      setEditing({ rowId: row.id, column, draft: text, error: parsed.message });
      return;
    }
    setEditing(null);
    if (changes(row, parsed.patch)) {
      update.mutate(
        { id: row.id, patch: parsed.patch },
        {
          onError: (e) => {
            const message = e instanceof ApiError ? (e.field(fieldOf(column)) ?? e.message) : "not saved";
            setEditing({ rowId: row.id, column, draft: text, error: message });
          },
        },
      );
    }
    if (move !== 0) {
      const editable = EDITABLE.filter((c) => !(row.transfer_id && (c === "amount" || c === "category")));
      const next = editable[(editable.indexOf(column) + move + editable.length) % editable.length];
      if (next) {
        setActive((a) => ({ ...a, column: COLUMNS.indexOf(next) + 1 }));
        setEditing({ rowId: row.id, column: next, draft: draftOf(row, next) });
      }
    } else {
      scroller.current?.focus();
    }
  }

  function accept(row: Transaction, categoryId: string) {
    update.mutate({ id: row.id, patch: { category_id: categoryId } });
  }

  function toggle(id: string) {
    const next = new Set(selected);
    if (next.has(id)) next.delete(id);
    else next.add(id);
    setSelected(next);
  }

  function onKeyDown(e: React.KeyboardEvent<HTMLDivElement>) {
    if (editing || e.ctrlKey || e.metaKey || e.altKey || !activeRow) return;
    const key = e.key;
    if (key === "j" || key === "ArrowDown") moveTo(active.row + 1);
    else if (key === "k" || key === "ArrowUp") moveTo(active.row - 1);
    else if (key === "h" || key === "ArrowLeft") moveTo(active.row, active.column - 1);
    else if (key === "l" || key === "ArrowRight") moveTo(active.row, active.column + 1);
    else if (key === "Home") moveTo(0);
    else if (key === "End") moveTo(rows.length - 1);
    else if (key === "PageDown") moveTo(active.row + 15);
    else if (key === "PageUp") moveTo(active.row - 15);
    else if (key === "Enter" && e.shiftKey) props.onOpen(activeRow);
    else if (key === "Enter") startEditing(activeRow, activeColumn);
    else if (key === "o") props.onOpen(activeRow);
    else if (key === "x" || key === " ") toggle(activeRow.id);
    else if (key === "c") {
      if (selected.size > 0) props.onBulkCategory();
      else {
        setActive((a) => ({ ...a, column: COLUMNS.indexOf("category") + 1 }));
        startEditing(activeRow, "category");
      }
    } else if (key === "a") {
      const best = activeRow.ml_suggestions[0];
      if (best && !activeRow.category_id) accept(activeRow, best.category_id);
    } else if (key === "Delete" || key === "Backspace") {
      props.onDelete(selected.size > 0 ? [...selected] : [activeRow.id]);
    } else if (key === "Escape") setSelected(new Set());
    else return;
    e.preventDefault();
  }

  const showBoxes = selected.size > 0;
  return (
    <div
      ref={scroller}
      role="grid"
      aria-label="Transactions"
      aria-rowcount={rows.length + 1}
      aria-colcount={COLUMNS.length + 1}
      aria-activedescendant={activeRow ? `cell-${activeRow.id}-${activeColumn}` : undefined}
      tabIndex={0}
      onKeyDown={onKeyDown}
      className="group/table relative h-[calc(100vh-22rem)] min-h-80 overflow-auto rounded-card bg-surface-0 text-sm shadow-card md:h-[calc(100vh-11rem)]"
    >
      <div className="md:min-w-[64rem]">
        <div role="row" aria-rowindex={1} className={`${GRID} sticky top-0 z-10 border-b border-line bg-surface-0 font-medium text-muted`}>
          <div role="columnheader" className="px-2 py-2">
            <span className="sr-only">Selected</span>
          </div>
          {COLUMNS.map((column) => (
            <div
              role="columnheader"
              key={column}
              aria-sort={sortState(props.sort, column)}
              className={`truncate px-2 py-2 ${column === "amount" ? "text-right" : ""} ${WIDE_ONLY.has(column) ? "hidden md:block" : ""}`}
            >
              {column === "date" || column === "amount" ? (
                <button
                  type="button"
                  className="font-medium hover:text-ink"
                  onClick={() => props.onSort(props.sort === `-${column}` ? column : `-${column}`)}
                >
                  {HEADERS[column]} {props.sort === `-${column}` ? "↓" : props.sort === column ? "↑" : ""}
                </button>
              ) : (
                HEADERS[column]
              )}
            </div>
          ))}
        </div>
        <div style={{ height: virtualizer.getTotalSize(), position: "relative" }}>
          {items.map((item) => {
            const row = rows[item.index];
            if (!row) {
              return (
                <div key="more" role="row" className="absolute inset-x-0 px-4 py-2 text-muted" style={{ top: item.start, height: item.size }}>
                  Loading more…
                </div>
              );
            }
            const isActive = item.index === active.row;
            const isSelected = selected.has(row.id);
            return (
              <div
                key={row.id}
                role="row"
                aria-rowindex={item.index + 2}
                aria-selected={isSelected}
                data-row-id={row.id}
                className={`${GRID} group/row absolute inset-x-0 items-center border-b border-line ${
                  isSelected ? "bg-surface-2" : isActive ? "bg-surface-1" : "hover:bg-surface-1"
                }`}
                style={{ top: item.start, height: item.size }}
                onClick={() => setActive((a) => ({ ...a, row: item.index }))}
              >
                <div role="gridcell" className="flex justify-center">
                  <input
                    type="checkbox"
                    aria-label={`Select ${row.payee || row.description || "transaction"}`}
                    checked={isSelected}
                    onChange={() => toggle(row.id)}
                    className={`size-4 ${showBoxes || isSelected ? "" : "opacity-0 group-hover/row:opacity-100 focus:opacity-100"}`}
                  />
                </div>
                {COLUMNS.map((column, c) => {
                  const isEditing = editing?.rowId === row.id && editing.column === column;
                  const cellActive = isActive && active.column === c + 1;
                  return (
                    <div
                      role="gridcell"
                      key={column}
                      id={`cell-${row.id}-${column}`}
                      data-column={column}
                      className={`min-w-0 px-2 ${column === "amount" ? "text-right" : ""} ${
                        WIDE_ONLY.has(column) ? "hidden md:block" : ""
                      } ${cellActive && !isEditing ? "outline-2 -outline-offset-2 outline-accent" : ""}`}
                      onDoubleClick={() => startEditing(row, column)}
                      onClick={() => setActive({ row: item.index, column: c + 1 })}
                    >
                      {isEditing ? (
                        <CellEditor
                          column={column}
                          initial={editing.draft}
                          error={editing.error}
                          ledgerId={ledgerId}
                          onSave={(text, move) => save(row, column, text, move)}
                          onCancel={() => {
                            setEditing(null);
                            scroller.current?.focus();
                          }}
                        />
                      ) : (
                        <Cell row={row} column={column} locale={locale} props={props} onAccept={(id) => accept(row, id)} />
                      )}
                    </div>
                  );
                })}
              </div>
            );
          })}
        </div>
      </div>
    </div>
  );
}

function sortState(sort: string, column: Column): "ascending" | "descending" | undefined {
  if (sort === column) return "ascending";
  if (sort === `-${column}`) return "descending";
  return undefined;
}

function Cell({
  row,
  column,
  locale,
  props,
  onAccept,
}: {
  row: Transaction;
  column: Column;
  locale: string;
  props: TableProps;
  onAccept: (id: string) => void;
}) {
  switch (column) {
    case "date":
      return <span className="tabular">{formatDay(row.date, locale)}</span>;
    case "payee":
      return <span className="block truncate">{row.payee}</span>;
    case "description":
      return (
        <span className="block truncate text-muted" title={row.description}>
          {row.description}
        </span>
      );
    case "category":
      return <CategoryCell row={row} names={props.categoryNames} onAccept={onAccept} />;
    case "amount":
      return <Money amount={row.amount} currency={row.currency} />;
    case "account":
      return <span className="block truncate text-muted">{props.accountNames.get(row.account_id) ?? ""}</span>;
    case "tags":
      return (
        <span className="flex gap-1 overflow-hidden">
          {row.tags.map((t) => (
            <span key={t} className="chip">
              {t}
            </span>
          ))}
        </span>
      );
  }
}
