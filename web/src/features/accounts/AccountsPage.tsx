import { useState } from "react";
import { ApiError } from "../../api/client";
import { EmptyState } from "../../components/EmptyState";
import { Field } from "../../components/Field";
import { Money } from "../../components/Money";
import { currencyDigits, parseAmountInput } from "../../lib/money";
import { useLocale } from "../auth/queries";
import { useCurrentLedger, useLedgerId } from "../ledgers/queries";
import { useAccounts, useCreateAccount, useUpdateAccount, type Account } from "./queries";
import { formText, type Submit } from "../../lib/form";

const KINDS = [
  ["checking", "Checking"],
  ["savings", "Savings"],
  ["credit_card", "Credit card"],
  ["cash", "Cash"],
  ["loan", "Loan"],
  ["investment", "Investment"],
] as const;

export function kindLabel(kind: string): string {
  return KINDS.find(([k]) => k === kind)?.[1] ?? kind;
}

export function AccountsPage() {
  const ledgerId = useLedgerId();
  const accounts = useAccounts(ledgerId);
  const [adding, setAdding] = useState(false);
  const list = accounts.data ?? [];
  const open = list.filter((a) => !a.archived);
  const archived = list.filter((a) => a.archived);
  return (
    <div className="mx-auto max-w-5xl space-y-6">
      <div className="flex items-center justify-between">
        <p className="text-sm text-muted">Balances include every transaction, exactly.</p>
        <button className="btn-primary" onClick={() => setAdding(true)} disabled={adding}>
          Add account
        </button>
      </div>
      {adding && <NewAccount onDone={() => setAdding(false)} />}
      {accounts.isLoading ? (
        <div className="card h-32 animate-pulse" aria-busy="true" />
      ) : list.length === 0 ? (
        <EmptyState title="No accounts yet">Add the accounts you want to track; imports and transactions go into them.</EmptyState>
      ) : open.length === 0 ? (
        <EmptyState title="Every account is archived">Restore one below, or add a new one.</EmptyState>
      ) : (
        <AccountTable accounts={open} />
      )}
      {archived.length > 0 && (
        <details className="card">
          <summary className="cursor-pointer text-sm font-medium">Archived ({archived.length})</summary>
          <div className="mt-3">
            <AccountTable accounts={archived} />
          </div>
        </details>
      )}
    </div>
  );
}

function AccountTable({ accounts }: { accounts: Account[] }) {
  return (
    <div className="card overflow-x-auto p-0">
      <table className="w-full text-sm">
        <thead className="border-b border-line text-left text-muted">
          <tr>
            <th className="px-4 py-2 font-medium">Name</th>
            <th className="px-4 py-2 font-medium">Kind</th>
            <th className="px-4 py-2 text-right font-medium">Balance</th>
            <th className="px-4 py-2">
              <span className="sr-only">Actions</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {accounts.map((a) => (
            <AccountRow key={a.id} account={a} />
          ))}
        </tbody>
      </table>
    </div>
  );
}

function AccountRow({ account }: { account: Account }) {
  const ledgerId = useLedgerId();
  const locale = useLocale();
  const update = useUpdateAccount(ledgerId);
  const [editing, setEditing] = useState(false);
  const [name, setName] = useState(account.name);
  const [opening, setOpening] = useState(account.opening_balance);
  const [openingProblem, setOpeningProblem] = useState<string | null>(null);
  const error = update.error instanceof ApiError ? update.error : null;

  function edit() {
    update.reset();
    setName(account.name);
    setOpening(account.opening_balance);
    setOpeningProblem(null);
    setEditing(true);
  }

  async function save(event: Submit) {
    event.preventDefault();
    const parsed = parseAmountInput(opening, locale, currencyDigits(account.currency));
    setOpeningProblem(parsed.ok ? null : parsed.message);
    if (!parsed.ok) return;
    await update
      .mutateAsync({ id: account.id, body: { name, opening_balance: parsed.value } })
      .then(() => setEditing(false), () => undefined);
  }

  if (editing) {
    return (
      <tr className="border-b border-line last:border-0">
        <td colSpan={4} className="px-4 py-2">
          <form
            onSubmit={save}
            className="flex flex-wrap items-start gap-3"
            noValidate
            onKeyDown={(e) => e.key === "Escape" && setEditing(false)}
          >
            <div className="min-w-48 grow">
              <Field label="Account name" value={name} autoFocus onChange={(e) => setName(e.target.value)} error={error?.field("name") ?? (error?.code === "conflict" ? error.message : undefined)} />
            </div>
            <div className="w-44">
              <Field
                label={`Opening balance (${account.currency})`}
                inputMode="decimal"
                className="input text-right tabular"
                value={opening}
                onChange={(e) => setOpening(e.target.value)}
                error={openingProblem ?? error?.field("opening_balance")}
              />
            </div>
            <div className="flex gap-2 self-end">
              <button className="btn-primary" type="submit" disabled={update.isPending}>
                Save
              </button>
              <button className="btn" type="button" onClick={() => setEditing(false)}>
                Cancel
              </button>
            </div>
            {error && error.fields.length === 0 && error.code !== "conflict" && (
              <p role="alert" className="w-full text-sm text-negative">
                {error.message}
              </p>
            )}
          </form>
        </td>
      </tr>
    );
  }

  return (
    <tr className="border-b border-line last:border-0">
      <td className="px-4 py-2">
        <span className="font-medium">{account.name}</span>
      </td>
      <td className="px-4 py-2 text-muted">
        {kindLabel(account.kind)} · {account.currency}
      </td>
      <td className="px-4 py-2 text-right">
        <Money amount={account.balance} currency={account.currency} />
      </td>
      <td className="px-4 py-2 text-right whitespace-nowrap">
        <button className="btn-ghost" onClick={edit} aria-label={`Edit ${account.name}`}>
          Edit
        </button>
        <button
          className="btn-ghost"
          aria-label={`${account.archived ? "Restore" : "Archive"} ${account.name}`}
          onClick={() => update.mutate({ id: account.id, body: { archived: !account.archived } })}
        >
          {account.archived ? "Restore" : "Archive"}
        </button>
      </td>
    </tr>
  );
}

function NewAccount({ onDone }: { onDone: () => void }) {
  const { ledger } = useCurrentLedger();
  const ledgerId = useLedgerId();
  const locale = useLocale();
  const create = useCreateAccount(ledgerId);
  const [opening, setOpening] = useState<string | null>(null);
  const [currency, setCurrency] = useState(ledger?.base_currency ?? "USD");
  const error = create.error instanceof ApiError ? create.error : null;

  async function submit(event: Submit) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const typed = formText(form, "opening_balance").trim();
    const parsed = typed === "" ? { ok: true as const, value: "0" } : parseAmountInput(typed, locale, currencyDigits(currency));
    if (!parsed.ok) {
      setOpening(parsed.message);
      return;
    }
    setOpening(null);
    await create
      .mutateAsync({
        name: formText(form, "name"),
        kind: formText(form, "kind") as Account["kind"],
        currency: currency.toUpperCase(),
        opening_balance: parsed.value,
      })
      .then(onDone, () => undefined);
  }

  return (
    <form onSubmit={submit} className="card grid gap-4 sm:grid-cols-2" noValidate>
      <Field label="Name" name="name" required autoFocus error={error?.field("name") ?? (error?.code === "conflict" ? error.message : undefined)} />
      <div className="space-y-1">
        <label htmlFor="account-kind" className="block text-sm font-medium">
          Kind
        </label>
        <select id="account-kind" name="kind" className="input" defaultValue="checking">
          {KINDS.map(([value, label]) => (
            <option key={value} value={value}>
              {label}
            </option>
          ))}
        </select>
      </div>
      <Field
        label="Currency"
        name="currency"
        value={currency}
        maxLength={3}
        onChange={(e) => setCurrency(e.target.value.toUpperCase())}
        error={error?.field("currency")}
      />
      <Field
        label="Opening balance"
        name="opening_balance"
        inputMode="decimal"
        placeholder="0.00"
        error={opening ?? error?.field("opening_balance")}
      />
      {error && error.fields.length === 0 && error.code !== "conflict" && (
        <p role="alert" className="text-sm text-negative sm:col-span-2">
          {error.message}
        </p>
      )}
      <div className="flex gap-2 sm:col-span-2">
        <button type="submit" className="btn-primary" disabled={create.isPending}>
          Create account
        </button>
        <button type="button" className="btn" onClick={onDone}>
          Cancel
        </button>
      </div>
    </form>
  );
}
