import type { Transaction } from "./queries";

/** A row's category: its name; for a split, "Split (n)"; for a transfer, "Transfer"; for a
 * row the model was unsure about, its best suggestion muted with the confidence, and a
 * button that accepts it. */
export function CategoryCell({
  row,
  names,
  onAccept,
}: {
  row: Transaction;
  names: Map<string, string>;
  onAccept: (categoryId: string) => void;
}) {
  if (row.transfer_id) return <span className="text-muted">Transfer</span>;
  if (row.splits.length > 0) return <span>Split ({row.splits.length})</span>;
  if (row.category_id) {
    const name = names.get(row.category_id) ?? "…";
    // One line, as every row is: a long name is cut, and shown whole on hover.
    return (
      <span
        className="block truncate"
        title={row.category_source === "ml" ? `${name}: chosen by the model (${Math.round((row.ml_confidence ?? 0) * 100)}%)` : name}
      >
        {name}
      </span>
    );
  }
  const best = row.ml_suggestions[0];
  if (!best) return <span className="text-muted">Uncategorised</span>;
  const name = names.get(best.category_id) ?? "…";
  const percent = Math.round(best.confidence * 100);
  return (
    <span className="flex min-w-0 items-center gap-1">
      <span className="truncate text-muted italic" data-suggestion={best.category_id}>
        {name} · {percent}%
      </span>
      <button
        type="button"
        className="btn-ghost min-h-6 shrink-0 px-1 text-positive"
        aria-label={`Accept ${name}`}
        title={`Accept ${name} (a)`}
        onClick={(e) => {
          e.stopPropagation();
          onAccept(best.category_id);
        }}
      >
        ✓
      </button>
    </span>
  );
}
