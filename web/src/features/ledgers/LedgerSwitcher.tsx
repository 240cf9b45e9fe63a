import { useQueryClient } from "@tanstack/react-query";
import { useSession } from "../auth/session";
import { useCurrentLedger } from "./queries";

/** The active ledger's name; with several, a menu to switch. */
export function LedgerSwitcher() {
  const { ledger, ledgers } = useCurrentLedger();
  const choose = useSession((s) => s.chooseLedger);
  const queryClient = useQueryClient();
  if (!ledger) return <div className="h-9" />;
  if (ledgers.length < 2) {
    return (
      <div className="truncate px-2 py-1.5 text-sm font-semibold" title={ledger.name}>
        {ledger.name}
      </div>
    );
  }
  return (
    <label className="block">
      <span className="sr-only">Ledger</span>
      <select
        className="input font-semibold"
        value={ledger.id}
        onChange={(e) => {
          choose(e.target.value);
          queryClient.removeQueries({ predicate: (q) => q.queryKey[0] === "ledger" });
        }}
      >
        {ledgers.map((l) => (
          <option key={l.id} value={l.id}>
            {l.name}
          </option>
        ))}
      </select>
    </label>
  );
}
