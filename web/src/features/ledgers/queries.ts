// The ledgers the user belongs to, and the one the screens show.

import { useQuery } from "@tanstack/react-query";
import { useEffect } from "react";
import { api, unwrap } from "../../api/client";
import { useSession } from "../auth/session";

export const ledgerKeys = {
  all: ["ledgers"] as const,
};

export function useLedgers() {
  return useQuery({
    queryKey: ledgerKeys.all,
    queryFn: () => unwrap(api.GET("/api/v1/ledgers")),
  });
}

/** The ledger on screen: the one chosen last, else the first; undefined while loading. */
export function useCurrentLedger() {
  const ledgers = useLedgers();
  const chosen = useSession((s) => s.ledgerId);
  const choose = useSession((s) => s.chooseLedger);
  const list = ledgers.data ?? [];
  const current = list.find((l) => l.id === chosen) ?? list[0];
  useEffect(() => {
    if (current && current.id !== chosen) choose(current.id);
  }, [current, chosen, choose]);
  return { ledger: current, ledgers: list, isLoading: ledgers.isLoading };
}

/** The current ledger's id; only for screens rendered once it is known. */
export function useLedgerId(): string {
  const { ledger } = useCurrentLedger();
  if (!ledger) throw new Error("useLedgerId outside a loaded ledger");
  return ledger.id;
}
