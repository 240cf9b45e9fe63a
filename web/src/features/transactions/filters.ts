// The transaction list's filters and sort, kept in the URL so a view can be bookmarked:
// pure conversions between the address bar's search parameters, the API's query and the
// chips shown above the table.

export const SORTS = ["-date", "date", "-amount", "amount"] as const;
export type Sort = (typeof SORTS)[number];

export interface Filters {
  from?: string;
  to?: string;
  accountIds: string[];
  categoryIds: string[];
  tags: string[];
  minAmount?: string;
  maxAmount?: string;
  q?: string;
  uncategorized: boolean;
  /** Rows an import added (its id). */
  importId?: string;
  sort: Sort;
}

const list = (value: string | null) => (value ? value.split(",").filter(Boolean) : []);

/** The filters a URL's search parameters describe; unknown or bad values are ignored. */
export function readFilters(params: URLSearchParams): Filters {
  const sort = params.get("sort");
  const text = (name: string) => params.get(name)?.trim() || undefined;
  const filters: Filters = {
    accountIds: list(params.get("accounts")),
    categoryIds: list(params.get("categories")),
    tags: list(params.get("tags")),
    uncategorized: params.get("uncategorized") === "1",
    sort: SORTS.find((s) => s === sort) ?? "-date",
  };
  const from = text("from");
  const to = text("to");
  const min = text("min");
  const max = text("max");
  const q = text("q");
  const importId = text("import");
  if (from) filters.from = from;
  if (to) filters.to = to;
  if (min) filters.minAmount = min;
  if (max) filters.maxAmount = max;
  if (q) filters.q = q;
  if (importId) filters.importId = importId;
  return filters;
}

/** The search parameters for `filters`: only what differs from the defaults. */
export function writeFilters(filters: Filters): URLSearchParams {
  const params = new URLSearchParams();
  const set = (name: string, value: string | undefined) => value && params.set(name, value);
  set("from", filters.from);
  set("to", filters.to);
  set("accounts", filters.accountIds.join(","));
  set("categories", filters.categoryIds.join(","));
  set("tags", filters.tags.join(","));
  set("min", filters.minAmount);
  set("max", filters.maxAmount);
  set("q", filters.q);
  set("import", filters.importId);
  if (filters.uncategorized) params.set("uncategorized", "1");
  if (filters.sort !== "-date") params.set("sort", filters.sort);
  return params;
}

/** The API's list query for `filters`. */
export function apiQuery(filters: Filters) {
  return {
    from: filters.from,
    to: filters.to,
    account_ids: filters.accountIds.join(",") || undefined,
    category_ids: filters.categoryIds.join(",") || undefined,
    tags: filters.tags.join(",") || undefined,
    min_amount: filters.minAmount,
    max_amount: filters.maxAmount,
    q: filters.q,
    uncategorized: filters.uncategorized || undefined,
    sort: filters.sort,
  };
}

export interface Chip {
  /** What the chip says. */
  label: string;
  /** The filters without this one. */
  without: Filters;
}

/** One removable chip per active filter; `names` gives accounts' and categories' names. */
export function chips(filters: Filters, names: (id: string) => string): Chip[] {
  const out: Chip[] = [];
  const push = (label: string, without: Partial<Filters>) => out.push({ label, without: { ...filters, ...without } });
  if (filters.q) push(`“${filters.q}”`, { q: undefined });
  if (filters.uncategorized) push("Uncategorised", { uncategorized: false });
  if (filters.from || filters.to) push(`${filters.from ?? "…"} – ${filters.to ?? "…"}`, { from: undefined, to: undefined });
  for (const id of filters.accountIds) push(names(id), { accountIds: filters.accountIds.filter((a) => a !== id) });
  for (const id of filters.categoryIds) push(names(id), { categoryIds: filters.categoryIds.filter((c) => c !== id) });
  for (const tag of filters.tags) push(`#${tag}`, { tags: filters.tags.filter((t) => t !== tag) });
  if (filters.minAmount || filters.maxAmount) {
    push(`${filters.minAmount ?? "…"} to ${filters.maxAmount ?? "…"}`, { minAmount: undefined, maxAmount: undefined });
  }
  if (filters.importId) push("From one import", { importId: undefined });
  return out;
}
