// Imports of bank files: upload (preview), mapping, commit, progress, undo.

import { useQuery } from "@tanstack/react-query";
import { api, unwrap, type Schemas } from "../../api/client";
import { useLive } from "../../live/connection";

export type ImportView = Schemas["ImportView"];
export type CsvMapping = Schemas["CsvMapping"];

export const importKeys = {
  one: (ledgerId: string, id: string) => ["ledger", ledgerId, "imports", id] as const,
};

export function uploadFile(ledgerId: string, accountId: string, file: File) {
  return unwrap(
    api.POST("/api/v1/ledgers/{ledger_id}/imports", {
      params: { path: { ledger_id: ledgerId }, query: { account_id: accountId, file_name: file.name } },
      body: file,
      bodySerializer: (body) => body,
      headers: { "Content-Type": "application/octet-stream" },
    }),
  );
}

export function changeMapping(ledgerId: string, id: string, mapping: CsvMapping, saveAs: string | null) {
  return unwrap(
    api.PUT("/api/v1/ledgers/{ledger_id}/imports/{id}/mapping", {
      params: { path: { ledger_id: ledgerId, id } },
      body: { mapping, save_as: saveAs },
    }),
  );
}

export function commitImport(ledgerId: string, id: string, accounts: Record<string, string> | null) {
  return unwrap(
    api.POST("/api/v1/ledgers/{ledger_id}/imports/{id}/commit", {
      params: { path: { ledger_id: ledgerId, id } },
      body: accounts ? { accounts } : {},
    }),
  );
}

export function undoImport(ledgerId: string, id: string) {
  return unwrap(api.DELETE("/api/v1/ledgers/{ledger_id}/imports/{id}", { params: { path: { ledger_id: ledgerId, id } } }));
}

/** An import being written: its progress comes with the live `import.progress` events;
 * only while the socket is not live is it looked up, every two seconds. */
export function useImport(ledgerId: string, id: string | null, initial: ImportView | null) {
  const live = useLive((s) => s.status === "live");
  return useQuery({
    queryKey: importKeys.one(ledgerId, id ?? "none"),
    queryFn: () =>
      unwrap(api.GET("/api/v1/ledgers/{ledger_id}/imports/{id}", { params: { path: { ledger_id: ledgerId, id: id ?? "" } } })),
    enabled: id !== null,
    initialData: initial ?? undefined,
    refetchInterval: (query) => {
      const status = query.state.data?.status;
      return !live && (status === "queued" || status === "running") ? 2000 : false;
    },
  });
}

/** Pure: the seconds left, from the rows written so far and when writing began. */
export function secondsLeft(committed: number, total: number, elapsedMs: number): number | null {
  if (committed <= 0 || elapsedMs <= 0 || committed >= total) return null;
  const perMs = committed / elapsedMs;
  return Math.ceil((total - committed) / perMs / 1000);
}
