// What a live event means for the screens: a pure function from the server's message to
// effects (caches to patch or refetch, toasts to show), applied by `apply.ts`. Query keys
// of a ledger all start ["ledger", <id>, <feature>], so one prefix reaches a feature.

import type { Schemas } from "../api/client";

export type ServerMessage = Schemas["ServerMessage"];
export type EventMessage = Schemas["EventMessage"];
type Transaction = Schemas["TransactionView"];

export type Effect =
  | { kind: "invalidate"; key: readonly unknown[] }
  | { kind: "upsertTransactions"; ledgerId: string; rows: Transaction[] }
  | { kind: "removeTransactions"; ledgerId: string; ids: string[] }
  | { kind: "categorized"; ledgerId: string; completed: Schemas["Completed"] }
  | { kind: "importProgress"; ledgerId: string; importId: string; committed: number; total: number }
  | { kind: "toast"; tone: "info" | "success" | "warning" | "error"; text: string; id?: string }
  | { kind: "leaveLedger"; ledgerId: string };

const feature = (ledgerId: string, name: string) => ["ledger", ledgerId, name] as const;

/** The effects of one message. `userId` is the signed-in user (membership events about
 * them change which ledgers they see). */
export function effectsOf(message: ServerMessage, userId: string | undefined): Effect[] {
  if (!("ledger_id" in message) || !("data" in message)) {
    if (message.type === "resync") return [{ kind: "invalidate", key: ["ledger", message.ledger_id] }];
    return [];
  }
  const ledgerId = message.ledger_id;
  const transactions = feature(ledgerId, "transactions");
  const accounts = feature(ledgerId, "accounts");
  const analytics = feature(ledgerId, "analytics");
  const budgets = feature(ledgerId, "budgets");
  const categories = feature(ledgerId, "categories");
  const imports = feature(ledgerId, "imports");
  // Money moved: balances and reports change with it.
  const money: Effect[] = [
    { kind: "invalidate", key: accounts },
    { kind: "invalidate", key: analytics },
    { kind: "invalidate", key: budgets },
  ];
  switch (message.type) {
    case "transaction.created":
    case "transfer.created":
      return [{ kind: "invalidate", key: transactions }, ...money];
    case "transaction.updated":
      return message.data.transactions.length > 0
        ? [
            { kind: "upsertTransactions", ledgerId, rows: message.data.transactions },
            { kind: "invalidate", key: [...transactions, "recent"] },
            ...money,
          ]
        : [{ kind: "invalidate", key: transactions }, ...money];
    case "transaction.deleted":
      return [
        { kind: "removeTransactions", ledgerId, ids: message.data.ids },
        { kind: "invalidate", key: [...transactions, "recent"] },
        ...money,
      ];
    case "categorization.completed":
      return [{ kind: "categorized", ledgerId, completed: message.data }, { kind: "invalidate", key: analytics }];
    case "account.created":
    case "account.updated":
    case "account.deleted":
      return [{ kind: "invalidate", key: accounts }, { kind: "invalidate", key: analytics }];
    case "category.created":
    case "category.updated":
    case "category.group_created":
    case "category.group_updated":
      return [{ kind: "invalidate", key: categories }];
    case "category.merged":
      return [{ kind: "invalidate", key: categories }, { kind: "invalidate", key: transactions }, ...money];
    case "budget.changed":
      return [{ kind: "invalidate", key: budgets }];
    case "budget.alert": {
      const a = message.data;
      return [
        { kind: "invalidate", key: budgets },
        {
          kind: "toast",
          tone: a.threshold >= 100 ? "error" : "warning",
          text: `${a.category} reached ${a.threshold}% of its budget for ${a.month.slice(0, 7)}.`,
          id: `alert-${a.category_id}-${a.month}-${a.threshold}`,
        },
      ];
    }
    case "goal.created":
    case "goal.updated":
    case "goal.deleted":
      return [{ kind: "invalidate", key: feature(ledgerId, "goals") }];
    case "import.progress":
      return [
        {
          kind: "importProgress",
          ledgerId,
          importId: message.data.import_id,
          committed: message.data.committed_rows,
          total: message.data.total_rows,
        },
      ];
    case "import.completed": {
      const d = message.data;
      return [
        { kind: "invalidate", key: imports },
        { kind: "invalidate", key: transactions },
        ...money,
        {
          kind: "toast",
          tone: "success",
          text: `Import finished: ${d.inserted_rows} new, ${d.duplicate_rows} already there${d.error_rows ? `, ${d.error_rows} skipped` : ""}.`,
          id: `import-${d.import_id}`,
        },
      ];
    }
    case "import.failed":
      return [
        { kind: "invalidate", key: imports },
        { kind: "toast", tone: "error", text: `Import failed: ${message.data.error}`, id: `import-${message.data.import_id}` },
      ];
    case "import.undone":
      return [
        { kind: "invalidate", key: imports },
        { kind: "invalidate", key: transactions },
        ...money,
      ];
    case "exchange_rate.changed":
      return [{ kind: "invalidate", key: analytics }, { kind: "invalidate", key: budgets }];
    case "ledger.updated":
    case "ledger.member_added":
    case "ledger.member_updated":
      return [{ kind: "invalidate", key: ["ledgers"] }, { kind: "invalidate", key: feature(ledgerId, "members") }];
    case "ledger.member_removed":
      return message.data.user_id === userId
        ? [{ kind: "leaveLedger", ledgerId }, { kind: "invalidate", key: ["ledgers"] }]
        : [{ kind: "invalidate", key: feature(ledgerId, "members") }];
    case "ledger.deleted":
      return [{ kind: "leaveLedger", ledgerId }, { kind: "invalidate", key: ["ledgers"] }];
  }
}
