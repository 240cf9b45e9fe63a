// The ledger's category tree, and a name for every category id.

import { useQuery } from "@tanstack/react-query";
import { useMemo } from "react";
import { api, unwrap, type Schemas } from "../../api/client";

export type Group = Schemas["GroupView"];

export const categoryKeys = {
  tree: (ledgerId: string) => ["ledger", ledgerId, "categories"] as const,
};

export function useCategories(ledgerId: string) {
  return useQuery({
    queryKey: categoryKeys.tree(ledgerId),
    queryFn: () =>
      unwrap(
        api.GET("/api/v1/ledgers/{ledger_id}/categories", {
          params: { path: { ledger_id: ledgerId }, query: { include_archived: true } },
        }),
      ),
    staleTime: 5 * 60_000,
  });
}

/** id → "Group: Name" for every category of the ledger. */
export function useCategoryNames(ledgerId: string): Map<string, string> {
  const tree = useCategories(ledgerId).data;
  return useMemo(() => {
    const names = new Map<string, string>();
    for (const group of tree ?? []) {
      for (const c of group.categories) names.set(c.id, c.name);
    }
    return names;
  }, [tree]);
}
