// Accounts of the current ledger, with balances.

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { api, unwrap, type Schemas } from "../../api/client";

export type Account = Schemas["AccountView"];

export const accountKeys = {
  all: (ledgerId: string) => ["ledger", ledgerId, "accounts"] as const,
};

export function useAccounts(ledgerId: string) {
  return useQuery({
    queryKey: accountKeys.all(ledgerId),
    queryFn: () =>
      unwrap(
        api.GET("/api/v1/ledgers/{ledger_id}/accounts", {
          params: { path: { ledger_id: ledgerId }, query: { include_archived: true } },
        }),
      ),
  });
}

export function useCreateAccount(ledgerId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (body: Schemas["CreateAccount"]) =>
      unwrap(api.POST("/api/v1/ledgers/{ledger_id}/accounts", { params: { path: { ledger_id: ledgerId } }, body })),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: accountKeys.all(ledgerId) }),
  });
}

export function useUpdateAccount(ledgerId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: ({ id, body }: { id: string; body: Schemas["UpdateAccount"] }) =>
      unwrap(
        api.PATCH("/api/v1/ledgers/{ledger_id}/accounts/{account_id}", {
          params: { path: { ledger_id: ledgerId, account_id: id } },
          body,
        }),
      ),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: accountKeys.all(ledgerId) }),
  });
}
