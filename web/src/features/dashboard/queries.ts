// The dashboard's reports, in the ledger's base currency.

import { useQuery } from "@tanstack/react-query";
import { api, unwrap } from "../../api/client";

const analytics = (ledgerId: string, name: string, from: string, to: string) =>
  ["ledger", ledgerId, "analytics", name, from, to] as const;

export function useNetWorth(ledgerId: string, from: string, to: string) {
  return useQuery({
    queryKey: analytics(ledgerId, "net-worth", from, to),
    queryFn: () =>
      unwrap(api.GET("/api/v1/ledgers/{ledger_id}/analytics/net-worth", { params: { path: { ledger_id: ledgerId }, query: { from, to } } })),
  });
}

export function useCashFlow(ledgerId: string, from: string, to: string) {
  return useQuery({
    queryKey: analytics(ledgerId, "cash-flow", from, to),
    queryFn: () =>
      unwrap(api.GET("/api/v1/ledgers/{ledger_id}/analytics/cash-flow", { params: { path: { ledger_id: ledgerId }, query: { from, to } } })),
  });
}

export function useSpending(ledgerId: string, from: string, to: string) {
  return useQuery({
    queryKey: analytics(ledgerId, "spending", from, to),
    queryFn: () =>
      unwrap(
        api.GET("/api/v1/ledgers/{ledger_id}/analytics/spending-by-category", {
          params: { path: { ledger_id: ledgerId }, query: { from, to, limit: 12 } },
        }),
      ),
  });
}

export function useBudgetMonth(ledgerId: string, month: string) {
  return useQuery({
    queryKey: ["ledger", ledgerId, "budgets", month] as const,
    queryFn: () =>
      unwrap(api.GET("/api/v1/ledgers/{ledger_id}/budgets/{month}", { params: { path: { ledger_id: ledgerId, month } } })),
  });
}

export function useRecentTransactions(ledgerId: string) {
  return useQuery({
    queryKey: ["ledger", ledgerId, "transactions", "recent"] as const,
    queryFn: () =>
      unwrap(
        api.GET("/api/v1/ledgers/{ledger_id}/transactions", {
          params: { path: { ledger_id: ledgerId }, query: { limit: 8, sort: "-date" } },
        }),
      ),
  });
}
