import { useState } from "react";
import type { Account } from "../accounts/queries";
import { CategoryPicker } from "../categories/CategoryPicker";
import { chips, type Filters, type Sort } from "./filters";
import { formText } from "../../lib/form";

const SORT_LABELS: Record<Sort, string> = {
  "-date": "Newest first",
  date: "Oldest first",
  "-amount": "Largest amount first",
  amount: "Smallest amount first",
};

/** The filters above the table: active ones as removable chips, and the controls to add
 * more. Everything lands in the URL. */
export function FilterBar({
  filters,
  setFilters,
  names,
  ledgerId,
  accounts,
  onNew,
}: {
  filters: Filters;
  setFilters: (f: Filters) => void;
  names: (id: string) => string;
  ledgerId: string;
  accounts: Account[];
  onNew: () => void;
}) {
  const [open, setOpen] = useState(false);
  const active = chips(filters, names);
  return (
    <div className="space-y-2">
      <div className="flex flex-wrap items-center gap-2">
        <form
          role="search"
          onSubmit={(e) => {
            e.preventDefault();
            const q = formText(new FormData(e.currentTarget), "q").trim();
            setFilters({ ...filters, q: q || undefined });
          }}
        >
          <input
            key={filters.q ?? ""}
            name="q"
            type="search"
            className="input w-56"
            placeholder="Search payee or description"
            aria-label="Search payee or description"
            defaultValue={filters.q ?? ""}
          />
        </form>
        <button
          className={`btn ${filters.uncategorized ? "border-accent text-accent" : ""}`}
          aria-pressed={filters.uncategorized}
          onClick={() => setFilters({ ...filters, uncategorized: !filters.uncategorized })}
        >
          Uncategorised
        </button>
        <button className="btn" aria-expanded={open} onClick={() => setOpen(!open)}>
          Filters
        </button>
        <label className="sr-only" htmlFor="sort">
          Sort
        </label>
        <select
          id="sort"
          className="input w-48"
          value={filters.sort}
          onChange={(e) => setFilters({ ...filters, sort: e.target.value as Sort })}
        >
          {Object.entries(SORT_LABELS).map(([value, label]) => (
            <option key={value} value={value}>
              {label}
            </option>
          ))}
        </select>
        <span className="grow" />
        <button className="btn-primary" onClick={onNew}>
          Add transaction
        </button>
      </div>
      {active.length > 0 && (
        <ul className="flex flex-wrap gap-2" aria-label="Active filters">
          {active.map((chip) => (
            <li key={chip.label}>
              <button className="chip hover:bg-surface-2" onClick={() => setFilters(chip.without)} aria-label={`Remove filter ${chip.label}`}>
                {chip.label} <span aria-hidden="true">×</span>
              </button>
            </li>
          ))}
        </ul>
      )}
      {open && (
        <div className="card grid gap-3 sm:grid-cols-2 lg:grid-cols-4">
          <label className="space-y-1 text-sm">
            <span className="block font-medium">From</span>
            <input type="date" className="input" value={filters.from ?? ""} onChange={(e) => setFilters({ ...filters, from: e.target.value || undefined })} />
          </label>
          <label className="space-y-1 text-sm">
            <span className="block font-medium">To</span>
            <input type="date" className="input" value={filters.to ?? ""} onChange={(e) => setFilters({ ...filters, to: e.target.value || undefined })} />
          </label>
          <label className="space-y-1 text-sm">
            <span className="block font-medium">Account</span>
            <select
              className="input"
              value=""
              onChange={(e) => e.target.value && setFilters({ ...filters, accountIds: [...new Set([...filters.accountIds, e.target.value])] })}
            >
              <option value="">Add an account…</option>
              {accounts.map((a) => (
                <option key={a.id} value={a.id}>
                  {a.name}
                </option>
              ))}
            </select>
          </label>
          <div className="space-y-1 text-sm">
            <span className="block font-medium">Category</span>
            <CategoryPicker
              ledgerId={ledgerId}
              value={null}
              label="Add a category"
              allowNone
              onChange={(id) => id && setFilters({ ...filters, categoryIds: [...new Set([...filters.categoryIds, id])] })}
            />
          </div>
          <label className="space-y-1 text-sm">
            <span className="block font-medium">Tag</span>
            <input
              className="input"
              placeholder="Enter to add"
              onKeyDown={(e) => {
                const tag = e.currentTarget.value.trim();
                if (e.key === "Enter" && tag) {
                  setFilters({ ...filters, tags: [...new Set([...filters.tags, tag])] });
                  e.currentTarget.value = "";
                }
              }}
            />
          </label>
          <label className="space-y-1 text-sm">
            <span className="block font-medium">Amount from</span>
            <input className="input" inputMode="decimal" placeholder="-500" defaultValue={filters.minAmount ?? ""} onBlur={(e) => setFilters({ ...filters, minAmount: e.target.value.trim() || undefined })} />
          </label>
          <label className="space-y-1 text-sm">
            <span className="block font-medium">Amount to</span>
            <input className="input" inputMode="decimal" placeholder="0" defaultValue={filters.maxAmount ?? ""} onBlur={(e) => setFilters({ ...filters, maxAmount: e.target.value.trim() || undefined })} />
          </label>
        </div>
      )}
    </div>
  );
}
