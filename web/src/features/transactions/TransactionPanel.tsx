import { useState } from "react";
import { ApiError, type Schemas } from "../../api/client";
import { Labelled } from "../../components/Field";
import { Money } from "../../components/Money";
import { today } from "../../lib/dates";
import { isZero, remainder } from "../../lib/decimal";
import { currencyDigits, parseAmountInput } from "../../lib/money";
import type { Account } from "../accounts/queries";
import { useLocale } from "../auth/queries";
import { CategoryPicker } from "../categories/CategoryPicker";
import { useEscape } from "../../app/shortcuts";
import { useCreateTransaction, useCreateTransfer, useUpdateTransaction, type Transaction } from "./queries";
import { formText, type Submit } from "../../lib/form";

interface Part {
  category: string | null;
  amount: string;
  memo: string;
}

/** The side panel: a new transaction or transfer, or the whole of one transaction (splits,
 * notes, tags, account), beside the list so it stays in view. */
export function TransactionPanel({
  ledgerId,
  row,
  accounts,
  onClose,
  onDelete,
}: {
  ledgerId: string;
  row: Transaction | null;
  accounts: Account[];
  onClose: () => void;
  onDelete: (row: Transaction) => void;
}) {
  const [mode, setMode] = useState<"transaction" | "transfer">("transaction");
  useEscape(onClose);
  return (
    <aside
      role="dialog"
      aria-modal="false"
      aria-labelledby="panel-title"
      className="fixed inset-y-0 right-0 z-20 w-full max-w-md overflow-y-auto border-l border-line bg-surface-0 p-5 shadow-card"
    >
      <div className="mb-4 flex items-center justify-between">
        <h2 id="panel-title" className="text-lg font-semibold">
          {row ? (row.transfer_id ? "Transfer leg" : "Transaction") : mode === "transfer" ? "New transfer" : "New transaction"}
        </h2>
        <button className="btn-ghost" onClick={onClose} aria-label="Close panel">
          ✕
        </button>
      </div>
      {!row && (
        <div className="mb-4 flex gap-1 rounded-md bg-surface-2 p-1" role="tablist">
          {(["transaction", "transfer"] as const).map((m) => (
            <button
              key={m}
              role="tab"
              aria-selected={mode === m}
              className={`grow rounded px-2 py-1 text-sm ${mode === m ? "bg-surface-0 font-medium shadow-card" : ""}`}
              onClick={() => setMode(m)}
            >
              {m === "transaction" ? "Transaction" : "Transfer"}
            </button>
          ))}
        </div>
      )}
      {accounts.length === 0 ? (
        <p className="text-sm text-muted">Add an account first (Accounts in the menu).</p>
      ) : !row && mode === "transfer" ? (
        <TransferForm ledgerId={ledgerId} accounts={accounts} onDone={onClose} />
      ) : (
        <TransactionForm key={row?.id ?? "new"} ledgerId={ledgerId} row={row} accounts={accounts} onDone={onClose} onDelete={onDelete} />
      )}
    </aside>
  );
}

function TransactionForm({
  ledgerId,
  row,
  accounts,
  onDone,
  onDelete,
}: {
  ledgerId: string;
  row: Transaction | null;
  accounts: Account[];
  onDone: () => void;
  onDelete: (row: Transaction) => void;
}) {
  const locale = useLocale();
  const create = useCreateTransaction(ledgerId);
  const update = useUpdateTransaction(ledgerId);
  const open = accounts.filter((a) => !a.archived);
  const [accountId, setAccountId] = useState(row?.account_id ?? open[0]?.id ?? "");
  const [date, setDate] = useState(row?.date ?? today());
  const [amount, setAmount] = useState(row?.amount ?? "");
  const [payee, setPayee] = useState(row?.payee ?? "");
  const [description, setDescription] = useState(row?.description ?? "");
  const [notes, setNotes] = useState(row?.notes ?? "");
  const [tags, setTags] = useState(row?.tags.join(", ") ?? "");
  const [category, setCategory] = useState<string | null>(row?.category_id ?? null);
  const [parts, setParts] = useState<Part[]>(row?.splits.map((s) => ({ category: s.category_id, amount: s.amount, memo: s.memo })) ?? []);
  const [problems, setProblems] = useState<Record<string, string>>({});
  const [idempotencyKey] = useState(() => crypto.randomUUID());
  const account = accounts.find((a) => a.id === accountId);
  const currency = account?.currency ?? row?.currency ?? "USD";
  const digits = currencyDigits(currency);
  const transfer = !!row?.transfer_id;

  const typed = parseAmountInput(amount, locale, digits);
  const partAmounts = parts.map((p) => parseAmountInput(p.amount, locale, digits));
  const left =
    typed.ok && partAmounts.every((p) => p.ok) ? remainder(typed.value, partAmounts.map((p) => p.value)) : null;
  const splitsBalance = parts.length === 0 || (left !== null && isZero(left));

  async function submit(event: Submit) {
    event.preventDefault();
    const found: Record<string, string> = {};
    if (!typed.ok) found.amount = typed.message;
    partAmounts.forEach((p, i) => {
      if (!p.ok) found[`splits.${i}`] = p.message;
    });
    if (parts.some((p) => !p.category)) found.splits = "every part needs a category";
    if (!splitsBalance) found.splits = "the parts must add up to the amount exactly";
    setProblems(found);
    if (Object.keys(found).length > 0 || !typed.ok) return;
    const splits = parts.map((p, i) => {
      const a = partAmounts[i];
      return { category_id: p.category ?? "", amount: a?.ok ? a.value : "0", memo: p.memo };
    });
    const tagList = [...new Set(tags.split(",").map((t) => t.trim()).filter(Boolean))];
    try {
      if (row) {
        const patch: Schemas["UpdateTransaction"] = transfer
          ? { date, description, notes, tags: tagList }
          : {
              account_id: accountId,
              date,
              amount: typed.value,
              payee,
              description,
              notes,
              tags: tagList,
              ...(parts.length > 0 ? { splits } : { category_id: category, splits: [] }),
            };
        if (!transfer && parts.length > 0) delete patch.category_id;
        await update.mutateAsync({ id: row.id, patch });
      } else {
        await create.mutateAsync({
          key: idempotencyKey,
          body: {
            account_id: accountId,
            date,
            amount: typed.value,
            payee,
            description,
            notes,
            tags: tagList,
            ...(parts.length > 0 ? { splits } : category ? { category_id: category } : {}),
          },
        });
      }
      onDone();
    } catch (e) {
      if (e instanceof ApiError) {
        const byField: Record<string, string> = {};
        for (const f of e.fields) byField[f.field] = f.message;
        if (e.fields.length === 0) byField.form = e.message;
        setProblems(byField);
      } else {
        setProblems({ form: "not saved: check the connection and try again" });
      }
    }
  }

  const busy = create.isPending || update.isPending;
  return (
    <form onSubmit={submit} className="space-y-4" noValidate>
      <Labelled label="Account" error={problems.account_id}>
        <select className="input" value={accountId} disabled={transfer} onChange={(e) => setAccountId(e.target.value)}>
          {accounts.map((a) => (
            <option key={a.id} value={a.id}>
              {a.name} ({a.currency})
            </option>
          ))}
        </select>
      </Labelled>
      <div className="grid grid-cols-2 gap-3">
        <Labelled label="Date" error={problems.date}>
          <input className="input" type="date" value={date} onChange={(e) => setDate(e.target.value)} required />
        </Labelled>
        <Labelled label={`Amount (${currency})`} error={problems.amount} hint="Negative for money out">
          <input
            className="input text-right tabular"
            inputMode="decimal"
            value={amount}
            disabled={transfer}
            onChange={(e) => setAmount(e.target.value)}
            placeholder="-12.50"
            required
          />
        </Labelled>
      </div>
      {!transfer && (
        <Labelled label="Payee" error={problems.payee}>
          <input className="input" value={payee} onChange={(e) => setPayee(e.target.value)} />
        </Labelled>
      )}
      <Labelled label="Description" error={problems.description}>
        <input className="input" value={description} onChange={(e) => setDescription(e.target.value)} />
      </Labelled>
      {!transfer && parts.length === 0 && (
        <Labelled label="Category" error={problems.category_id}>
          <CategoryPicker ledgerId={ledgerId} value={category} onChange={setCategory} />
        </Labelled>
      )}
      {!transfer && (
        <fieldset className="space-y-2 rounded-md border border-line p-3">
          <legend className="px-1 text-sm font-medium">Split across categories</legend>
          {parts.map((part, i) => (
            <div key={i} className="grid grid-cols-[1fr_6.5rem_auto] items-start gap-2">
              <CategoryPicker
                ledgerId={ledgerId}
                value={part.category}
                label={`Part ${i + 1} category`}
                allowNone={false}
                onChange={(id) => setParts(parts.map((p, j) => (j === i ? { ...p, category: id } : p)))}
              />
              <div>
                <input
                  aria-label={`Part ${i + 1} amount`}
                  className="input text-right tabular"
                  inputMode="decimal"
                  value={part.amount}
                  onChange={(e) => setParts(parts.map((p, j) => (j === i ? { ...p, amount: e.target.value } : p)))}
                />
                {problems[`splits.${i}`] && <p className="text-xs text-negative">{problems[`splits.${i}`]}</p>}
              </div>
              <button type="button" className="btn-ghost" aria-label={`Remove part ${i + 1}`} onClick={() => setParts(parts.filter((_, j) => j !== i))}>
                ✕
              </button>
            </div>
          ))}
          <div className="flex items-center justify-between text-sm">
            <button
              type="button"
              className="btn"
              onClick={() =>
                setParts([
                  ...parts,
                  { category: parts.length === 0 ? category : null, amount: parts.length === 0 ? amount : (left ?? ""), memo: "" },
                ])
              }
            >
              Add part
            </button>
            {parts.length > 0 && (
              <span aria-live="polite" className={splitsBalance ? "text-positive" : "text-negative"}>
                {left === null ? "Amounts to check" : splitsBalance ? "Adds up" : <>Left to assign: <Money amount={left} currency={currency} /></>}
              </span>
            )}
          </div>
          {problems.splits && <p className="text-sm text-negative">{problems.splits}</p>}
        </fieldset>
      )}
      <Labelled label="Tags" hint="Comma-separated" error={problems.tags}>
        <input className="input" value={tags} onChange={(e) => setTags(e.target.value)} />
      </Labelled>
      <Labelled label="Notes" error={problems.notes}>
        <textarea className="input min-h-20 py-2" value={notes} onChange={(e) => setNotes(e.target.value)} />
      </Labelled>
      {problems.form && (
        <p role="alert" className="text-sm text-negative">
          {problems.form}
        </p>
      )}
      <div className="flex gap-2">
        <button type="submit" className="btn-primary" disabled={busy || !splitsBalance}>
          {row ? "Save" : "Add"}
        </button>
        <button type="button" className="btn" onClick={onDone}>
          Cancel
        </button>
        <span className="grow" />
        {row && (
          <button type="button" className="btn text-negative" onClick={() => onDelete(row)}>
            Delete
          </button>
        )}
      </div>
    </form>
  );
}

function TransferForm({ ledgerId, accounts, onDone }: { ledgerId: string; accounts: Account[]; onDone: () => void }) {
  const locale = useLocale();
  const transfer = useCreateTransfer(ledgerId);
  const open = accounts.filter((a) => !a.archived);
  const [from, setFrom] = useState(open[0]?.id ?? "");
  const [to, setTo] = useState(open[1]?.id ?? "");
  const [problems, setProblems] = useState<Record<string, string>>({});
  const fromAccount = accounts.find((a) => a.id === from);
  const toAccount = accounts.find((a) => a.id === to);
  const crossCurrency = fromAccount && toAccount && fromAccount.currency !== toAccount.currency;

  async function submit(event: Submit) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const sent = parseAmountInput(formText(form, "amount"), locale, currencyDigits(fromAccount?.currency ?? "USD"));
    const received = crossCurrency
      ? parseAmountInput(formText(form, "to_amount"), locale, currencyDigits(toAccount.currency))
      : null;
    const found: Record<string, string> = {};
    if (!sent.ok) found.amount = sent.message;
    if (received && !received.ok) found.to_amount = received.message;
    setProblems(found);
    if (!sent.ok || (received && !received.ok)) return;
    try {
      await transfer.mutateAsync({
        from_account_id: from,
        to_account_id: to,
        date: formText(form, "date"),
        amount: sent.value.replace(/^-/, ""),
        to_amount: received?.ok ? received.value.replace(/^-/, "") : null,
        description: formText(form, "description"),
        notes: "",
        tags: [],
      });
      onDone();
    } catch (e) {
      const byField: Record<string, string> = {};
      if (e instanceof ApiError) {
        for (const f of e.fields) byField[f.field] = f.message;
        if (e.fields.length === 0) byField.form = e.message;
      } else byField.form = "not saved: check the connection and try again";
      setProblems(byField);
    }
  }

  return (
    <form onSubmit={submit} className="space-y-4" noValidate>
      <Labelled label="From" error={problems.from_account_id}>
        <select className="input" value={from} onChange={(e) => setFrom(e.target.value)}>
          {open.map((a) => (
            <option key={a.id} value={a.id}>
              {a.name} ({a.currency})
            </option>
          ))}
        </select>
      </Labelled>
      <Labelled label="To" error={problems.to_account_id}>
        <select className="input" value={to} onChange={(e) => setTo(e.target.value)}>
          {open.map((a) => (
            <option key={a.id} value={a.id}>
              {a.name} ({a.currency})
            </option>
          ))}
        </select>
      </Labelled>
      <div className="grid grid-cols-2 gap-3">
        <Labelled label="Date" error={problems.date}>
          <input className="input" type="date" name="date" defaultValue={today()} />
        </Labelled>
        <Labelled label={`Amount sent${fromAccount ? ` (${fromAccount.currency})` : ""}`} error={problems.amount}>
          <input className="input text-right tabular" name="amount" inputMode="decimal" placeholder="100.00" />
        </Labelled>
      </div>
      {crossCurrency && (
        <Labelled label={`Amount received (${toAccount.currency})`} error={problems.to_amount}>
          <input className="input text-right tabular" name="to_amount" inputMode="decimal" />
        </Labelled>
      )}
      <Labelled label="Description" error={problems.description}>
        <input className="input" name="description" />
      </Labelled>
      {problems.form && (
        <p role="alert" className="text-sm text-negative">
          {problems.form}
        </p>
      )}
      <div className="flex gap-2">
        <button type="submit" className="btn-primary" disabled={transfer.isPending}>
          Add transfer
        </button>
        <button type="button" className="btn" onClick={onDone}>
          Cancel
        </button>
      </div>
    </form>
  );
}

