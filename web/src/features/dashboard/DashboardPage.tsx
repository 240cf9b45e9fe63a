import { useMemo, useState } from "react";
import { Link } from "react-router";
import { EmptyState } from "../../components/EmptyState";
import { LineBarChart } from "../../components/LineBarChart";
import { Money } from "../../components/Money";
import { formatDay, formatMonth, monthStart, today } from "../../lib/dates";
import { compareDecimal } from "../../lib/decimal";
import { formatMoney } from "../../lib/money";
import { useLocale } from "../auth/queries";
import { useCurrentLedger, useLedgerId } from "../ledgers/queries";
import { useBudgetMonth, useCashFlow, useNetWorth, useRecentTransactions, useSpending } from "./queries";

const PERIODS = [
  ["month", "This month"],
  ["3m", "Last 3 months"],
  ["12m", "Last 12 months"],
] as const;

/** Four cards (net worth, cash flow, spending by category, this month's budgets), then the
 * latest transactions. Every chart has numbers on its axes and a text alternative; every
 * card links to its detail. */
export default function DashboardPage() {
  const ledgerId = useLedgerId();
  const currency = useCurrentLedger().ledger?.base_currency ?? "USD";
  const now = today();
  const yearAgo = monthStart(now, -11);
  return (
    <div className="mx-auto grid max-w-[80rem] gap-4 lg:grid-cols-2">
      <NetWorthCard ledgerId={ledgerId} from={yearAgo} to={now} />
      <CashFlowCard ledgerId={ledgerId} from={yearAgo} to={now} />
      <SpendingCard ledgerId={ledgerId} currency={currency} now={now} />
      <BudgetCard ledgerId={ledgerId} currency={currency} month={monthStart(now)} />
      <RecentCard ledgerId={ledgerId} />
    </div>
  );
}

function Card({ title, figure, link, children }: { title: string; figure?: React.ReactNode; link: [string, string]; children: React.ReactNode }) {
  return (
    <section className="card flex min-w-0 flex-col gap-3" aria-label={title}>
      <header className="flex items-baseline justify-between gap-2">
        <h2 className="text-sm font-medium text-muted">{title}</h2>
        <Link to={link[0]} className="text-sm">
          {link[1]}
        </Link>
      </header>
      {figure !== undefined && <p className="text-2xl font-semibold">{figure}</p>}
      {children}
    </section>
  );
}

function useCompact(currency: string) {
  const locale = useLocale();
  return useMemo(() => {
    const format = new Intl.NumberFormat(locale, { style: "currency", currency, notation: "compact", maximumFractionDigits: 1 });
    return (v: number) => format.format(v);
  }, [locale, currency]);
}

function NetWorthCard({ ledgerId, from, to }: { ledgerId: string; from: string; to: string }) {
  const report = useNetWorth(ledgerId, from, to).data;
  const locale = useLocale();
  const currency = report?.currency ?? "USD";
  const compact = useCompact(currency);
  const points = useMemo(() => report?.items ?? [], [report]);
  const last = points.at(-1);
  const x = useMemo(() => points.map((_, i) => i), [points]);
  const series = useMemo(() => [{ label: "Net worth", values: points.map((p) => Number(p.net_worth)), colour: "--accent" }], [points]);
  const label = useMemo(() => (i: number) => (points[i] ? formatMonth(points[i].date, locale) : ""), [points, locale]);
  return (
    <Card title="Net worth" figure={last ? <Money amount={last.net_worth} currency={currency} /> : undefined} link={["/accounts", "Accounts"]}>
      {points.length === 0 ? (
        <EmptyState title="No balances yet">Add an account and its opening balance.</EmptyState>
      ) : (
        <LineBarChart
          x={x}
          xLabel={label}
          series={series}
          format={compact}
          summary={`Net worth by month: ${points.map((p) => `${formatMonth(p.date, locale)} ${formatMoney(p.net_worth, currency, locale)}`).join(", ")}`}
        />
      )}
    </Card>
  );
}

function CashFlowCard({ ledgerId, from, to }: { ledgerId: string; from: string; to: string }) {
  const report = useCashFlow(ledgerId, from, to).data;
  const locale = useLocale();
  const currency = report?.currency ?? "USD";
  const compact = useCompact(currency);
  const months = useMemo(() => report?.items ?? [], [report]);
  const current = months.at(-1);
  const x = useMemo(() => months.map((_, i) => i), [months]);
  const series = useMemo(
    () => [
      { label: "In", values: months.map((m) => Number(m.income)), colour: "--positive", bars: true },
      { label: "Out", values: months.map((m) => -Number(m.expense)), colour: "--negative", bars: true },
    ],
    [months],
  );
  const label = useMemo(() => (i: number) => (months[i] ? formatMonth(months[i].month, locale) : ""), [months, locale]);
  return (
    <Card
      title="Cash flow this month"
      figure={current ? <Money amount={current.net} currency={currency} signed /> : undefined}
      link={["/transactions", "Transactions"]}
    >
      {months.length === 0 ? (
        <EmptyState title="No money in or out yet">Import a bank file or add a transaction.</EmptyState>
      ) : (
        <LineBarChart
          x={x}
          xLabel={label}
          series={series}
          format={compact}
          summary={`Money in and out by month: ${months
            .map((m) => `${formatMonth(m.month, locale)} in ${formatMoney(m.income, currency, locale)}, out ${formatMoney(m.expense, currency, locale)}`)
            .join("; ")}`}
        />
      )}
    </Card>
  );
}

function SpendingCard({ ledgerId, currency, now }: { ledgerId: string; currency: string; now: string }) {
  const [period, setPeriod] = useState<(typeof PERIODS)[number][0]>("month");
  const from = period === "month" ? monthStart(now) : monthStart(now, period === "3m" ? -2 : -11);
  const report = useSpending(ledgerId, from, now).data;
  const lines = [...(report?.items ?? [])].sort((a, b) => compareDecimal(b.amount, a.amount) ?? 0);
  const top = lines[0] ? Number(lines[0].amount) : 1;
  return (
    <Card title="Spending by category" link={[`/transactions?from=${from}&to=${now}`, "Transactions"]}>
      <div role="radiogroup" aria-label="Period" className="flex gap-1">
        {PERIODS.map(([value, label]) => (
          <button
            key={value}
            role="radio"
            aria-checked={period === value}
            className={`chip ${period === value ? "border-accent text-accent" : ""}`}
            onClick={() => setPeriod(value)}
          >
            {label}
          </button>
        ))}
      </div>
      {lines.length === 0 ? (
        <EmptyState title="No spending in this period" />
      ) : (
        <ul className="space-y-2">
          {lines.slice(0, 8).map((line) => (
            <li key={line.category_id ?? "none"} className="text-sm">
              <div className="flex justify-between gap-2">
                {line.category_id ? (
                  <Link to={`/transactions?categories=${line.category_id}&from=${from}&to=${now}`} className="truncate text-ink no-underline hover:underline">
                    {line.category}
                  </Link>
                ) : (
                  <Link to={`/transactions?uncategorized=1&from=${from}&to=${now}`} className="truncate text-muted no-underline hover:underline">
                    Uncategorised
                  </Link>
                )}
                <Money amount={line.amount} currency={report?.currency ?? currency} />
              </div>
              <div className="mt-1 h-2 rounded-full bg-surface-2" aria-hidden="true">
                <div className="h-2 rounded-full bg-accent" style={{ width: `${Math.max(2, (Number(line.amount) / top) * 100)}%` }} />
              </div>
            </li>
          ))}
        </ul>
      )}
    </Card>
  );
}

function BudgetCard({ ledgerId, currency, month }: { ledgerId: string; currency: string; month: string }) {
  const view = useBudgetMonth(ledgerId, month.slice(0, 7)).data;
  const lines = (view?.items ?? []).filter((l) => compareDecimal(l.budgeted, "0") !== 0);
  return (
    <Card title="Budgets this month" link={["/transactions?uncategorized=1", "Uncategorised"]}>
      {lines.length === 0 ? (
        <EmptyState title="No budgets set for this month">Budgets arrive with the planning screens.</EmptyState>
      ) : (
        <ul className="space-y-3">
          {lines.slice(0, 6).map((line) => {
            const used = line.percent_used ?? 0;
            const over = used >= 100;
            return (
              <li key={line.category_id} className="text-sm">
                <div className="flex justify-between gap-2">
                  <span className="truncate">{line.category}</span>
                  <span className="tabular whitespace-nowrap">
                    <Money amount={line.spent} currency={view?.currency ?? currency} /> of{" "}
                    <Money amount={line.budgeted} currency={view?.currency ?? currency} /> · {used}%
                  </span>
                </div>
                <div
                  className="mt-1 h-2 rounded-full bg-surface-2"
                  role="progressbar"
                  aria-label={`${line.category} budget used`}
                  aria-valuenow={Math.min(used, 100)}
                  aria-valuemin={0}
                  aria-valuemax={100}
                >
                  <div className={`h-2 rounded-full ${over ? "bg-negative" : used >= 80 ? "bg-warning" : "bg-positive"}`} style={{ width: `${Math.min(100, used)}%` }} />
                </div>
              </li>
            );
          })}
        </ul>
      )}
    </Card>
  );
}

function RecentCard({ ledgerId }: { ledgerId: string }) {
  const page = useRecentTransactions(ledgerId).data;
  const locale = useLocale();
  const rows = page?.items ?? [];
  return (
    <section className="card lg:col-span-2" aria-label="Recent transactions">
      <header className="mb-2 flex items-baseline justify-between">
        <h2 className="text-sm font-medium text-muted">Recent transactions</h2>
        <Link to="/transactions" className="text-sm">
          All transactions
        </Link>
      </header>
      {rows.length === 0 ? (
        <EmptyState title="No transactions yet">
          <Link to="/import">Import a bank file</Link> or <Link to="/transactions">add one</Link>.
        </EmptyState>
      ) : (
        <table className="w-full text-sm">
          <tbody>
            {rows.map((r) => (
              <tr key={r.id} className="border-b border-line last:border-0">
                <td className="w-32 py-1.5 pr-3 tabular whitespace-nowrap text-muted">{formatDay(r.date, locale)}</td>
                <td className="max-w-0 truncate py-1.5 pr-3">{r.payee || r.description}</td>
                <td className="w-32 py-1.5 text-right whitespace-nowrap">
                  <Money amount={r.amount} currency={r.currency} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
