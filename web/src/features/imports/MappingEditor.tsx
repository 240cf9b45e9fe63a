import { useState } from "react";
import type { CsvMapping } from "./queries";

type Amount = CsvMapping["amount"];

/** The CSV columns as detected, each editable: dates, amounts (one signed column, debit and
 * credit columns, or an amount with a D/C flag), payee, description, the bank's id. Applying
 * reads the file again; "Save as" keeps it as a preset for files with the same header. */
export function MappingEditor({
  columns,
  mapping,
  presetName,
  busy,
  onApply,
}: {
  columns: string[];
  mapping: CsvMapping;
  presetName: string | null;
  busy: boolean;
  onApply: (mapping: CsvMapping, saveAs: string | null) => Promise<void>;
}) {
  const [draft, setDraft] = useState<CsvMapping>(mapping);
  const [saveAs, setSaveAs] = useState(presetName ?? "");
  const names = columns.length > 0 ? columns : Array.from({ length: 12 }, (_, i) => `Column ${i + 1}`);

  const column = (label: string, value: number | null | undefined, set: (v: number | null) => void, optional = false) => (
    <label className="space-y-1 text-sm">
      <span className="block font-medium">{label}</span>
      <select className="input" value={value ?? ""} onChange={(e) => set(e.target.value === "" ? null : Number(e.target.value))}>
        {optional && <option value="">None</option>}
        {names.map((name, i) => (
          <option key={i} value={i}>
            {name || `Column ${i + 1}`}
          </option>
        ))}
      </select>
    </label>
  );

  const setAmount = (amount: Amount) => setDraft({ ...draft, amount });
  const amount = draft.amount;
  return (
    <fieldset className="space-y-4">
      <legend className="text-sm font-semibold">Columns</legend>
      <div className="grid gap-3 sm:grid-cols-2 lg:grid-cols-3">
        {column("Date", draft.date_column, (v) => setDraft({ ...draft, date_column: v ?? 0 }))}
        <label className="space-y-1 text-sm">
          <span className="block font-medium">Date order</span>
          <select
            className="input"
            value={draft.date_order}
            onChange={(e) => setDraft({ ...draft, date_order: e.target.value as CsvMapping["date_order"] })}
          >
            <option value="ymd">Year-month-day</option>
            <option value="dmy">Day-month-year</option>
            <option value="mdy">Month-day-year</option>
          </select>
        </label>
        <label className="space-y-1 text-sm">
          <span className="block font-medium">Amounts</span>
          <select
            className="input"
            value={amount.kind}
            onChange={(e) => {
              const kind = e.target.value;
              const first = "column" in amount ? amount.column : amount.debit;
              if (kind === "signed") setAmount({ kind: "signed", column: first });
              else if (kind === "debit_credit") setAmount({ kind: "debit_credit", debit: first, credit: first + 1 });
              else setAmount({ kind: "flagged", column: first, flag: first + 1 });
            }}
          >
            <option value="signed">One column, negative for money out</option>
            <option value="debit_credit">Debit and credit columns</option>
            <option value="flagged">Amount and a D/C column</option>
          </select>
        </label>
        {amount.kind === "signed" && column("Amount", amount.column, (v) => setAmount({ ...amount, column: v ?? 0 }))}
        {amount.kind === "debit_credit" && (
          <>
            {column("Money out (debit)", amount.debit, (v) => setAmount({ ...amount, debit: v ?? 0 }))}
            {column("Money in (credit)", amount.credit, (v) => setAmount({ ...amount, credit: v ?? 0 }))}
          </>
        )}
        {amount.kind === "flagged" && (
          <>
            {column("Amount", amount.column, (v) => setAmount({ ...amount, column: v ?? 0 }))}
            {column("Debit/credit flag", amount.flag, (v) => setAmount({ ...amount, flag: v ?? 0 }))}
          </>
        )}
        <label className="space-y-1 text-sm">
          <span className="block font-medium">Decimal mark</span>
          <select
            className="input"
            value={draft.decimal_mark}
            onChange={(e) => setDraft({ ...draft, decimal_mark: e.target.value as CsvMapping["decimal_mark"] })}
          >
            <option value="point">1,234.56</option>
            <option value="comma">1.234,56</option>
          </select>
        </label>
        {column("Payee", draft.payee_column, (v) => setDraft({ ...draft, payee_column: v }), true)}
        {column("Description", draft.description_columns[0], (v) => setDraft({ ...draft, description_columns: v === null ? [] : [v] }), true)}
        {column("Bank's id", draft.import_id_column, (v) => setDraft({ ...draft, import_id_column: v }), true)}
        <label className="flex items-center gap-2 self-end pb-2 text-sm">
          <input type="checkbox" checked={draft.negate ?? false} onChange={(e) => setDraft({ ...draft, negate: e.target.checked })} />
          Turn signs around (card exports listing purchases as positive)
        </label>
      </div>
      <div className="flex flex-wrap items-end gap-2">
        <label className="space-y-1 text-sm">
          <span className="block font-medium">Save as preset</span>
          <input className="input w-56" placeholder="e.g. My bank" value={saveAs} onChange={(e) => setSaveAs(e.target.value)} />
        </label>
        <button className="btn" disabled={busy} onClick={() => void onApply(draft, saveAs.trim() || null)}>
          {busy ? "Reading…" : saveAs.trim() ? "Apply and save" : "Apply"}
        </button>
      </div>
    </fieldset>
  );
}
