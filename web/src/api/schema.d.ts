// Generated from the API's OpenAPI document by web/scripts/api-types.mjs: do not edit.
// `make test` fails when it no longer matches `api openapi`.

export interface paths {
    "/api/v1/auth/login": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Sign in: sets the session cookies */
        post: operations["post_auth_login"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/auth/logout": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** End the session and clear its cookies */
        post: operations["post_auth_logout"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/auth/refresh": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Rotate the refresh token and issue a new access token */
        post: operations["post_auth_refresh"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/auth/register": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Create an account (and a personal ledger) and sign in */
        post: operations["post_auth_register"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/invites/accept": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Join a ledger with an invitation code */
        post: operations["post_invites_accept"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/ledgers": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Ledgers the caller belongs to, with their role */
        get: operations["get_ledgers"];
        put?: never;
        /** Create a ledger with the default categories */
        post: operations["post_ledgers"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/ledgers/{ledger_id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** A ledger */
        get: operations["get_ledgers_by_ledger_id"];
        put?: never;
        post?: never;
        /** Delete a ledger and everything in it (owner) */
        delete: operations["delete_ledgers_by_ledger_id"];
        options?: never;
        head?: never;
        /** Rename a ledger or change its settings (owner) */
        patch: operations["patch_ledgers_by_ledger_id"];
        trace?: never;
    };
    "/api/v1/ledgers/{ledger_id}/accounts": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Accounts with exact balances */
        get: operations["get_ledgers_by_ledger_id_accounts"];
        put?: never;
        /** Create an account (editor) */
        post: operations["post_ledgers_by_ledger_id_accounts"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/ledgers/{ledger_id}/accounts/{account_id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** An account */
        get: operations["get_ledgers_by_ledger_id_accounts_by_account_id"];
        put?: never;
        post?: never;
        /** Delete an account that has no transactions */
        delete: operations["delete_ledgers_by_ledger_id_accounts_by_account_id"];
        options?: never;
        head?: never;
        /** Rename, archive or correct the opening balance */
        patch: operations["patch_ledgers_by_ledger_id_accounts_by_account_id"];
        trace?: never;
    };
    "/api/v1/ledgers/{ledger_id}/analytics/cash-flow": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Income and expense per month */
        get: operations["get_ledgers_by_ledger_id_analytics_cash_flow"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/ledgers/{ledger_id}/analytics/net-worth": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Net worth at each month end */
        get: operations["get_ledgers_by_ledger_id_analytics_net_worth"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/ledgers/{ledger_id}/analytics/spending-by-category": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Spending per expense category */
        get: operations["get_ledgers_by_ledger_id_analytics_spending_by_category"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/ledgers/{ledger_id}/analytics/top-payees": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Where the money went, by payee */
        get: operations["get_ledgers_by_ledger_id_analytics_top_payees"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/ledgers/{ledger_id}/budget-alerts": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Alerts recorded, newest first */
        get: operations["get_ledgers_by_ledger_id_budget_alerts"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/ledgers/{ledger_id}/budget-settings": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        /** Alert thresholds (owner) */
        put: operations["put_ledgers_by_ledger_id_budget_settings"];
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/ledgers/{ledger_id}/budgets/{month}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The month: budgeted, carried in, spent, available */
        get: operations["get_ledgers_by_ledger_id_budgets_by_month"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/ledgers/{ledger_id}/budgets/{month}/{category_id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        /** Set a category's budget for the month */
        put: operations["put_ledgers_by_ledger_id_budgets_by_month_by_category_id"];
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/ledgers/{ledger_id}/categories": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The category tree */
        get: operations["get_ledgers_by_ledger_id_categories"];
        put?: never;
        /** Create a category in a group */
        post: operations["post_ledgers_by_ledger_id_categories"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/ledgers/{ledger_id}/categories/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        /** Rename, move, archive, or set budget rollover */
        patch: operations["patch_ledgers_by_ledger_id_categories_by_id"];
        trace?: never;
    };
    "/api/v1/ledgers/{ledger_id}/categories/{id}/merge": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Move everything to another category and delete this one */
        post: operations["post_ledgers_by_ledger_id_categories_by_id_merge"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/ledgers/{ledger_id}/category-groups": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Create a category group */
        post: operations["post_ledgers_by_ledger_id_category_groups"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/ledgers/{ledger_id}/category-groups/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        /** Rename or archive a group */
        patch: operations["patch_ledgers_by_ledger_id_category_groups_by_id"];
        trace?: never;
    };
    "/api/v1/ledgers/{ledger_id}/exchange-rates": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Exchange rates, newest first per currency */
        get: operations["get_ledgers_by_ledger_id_exchange_rates"];
        /** Add or replace one rate */
        put: operations["put_ledgers_by_ledger_id_exchange_rates"];
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/ledgers/{ledger_id}/exchange-rates/import": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Import rates from CSV (date,currency,rate), all or nothing */
        post: operations["post_ledgers_by_ledger_id_exchange_rates_import"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/ledgers/{ledger_id}/exchange-rates/{currency}/{date}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        /** Delete a rate */
        delete: operations["delete_ledgers_by_ledger_id_exchange_rates_by_currency_by_date"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/ledgers/{ledger_id}/goals": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Goals with their progress */
        get: operations["get_ledgers_by_ledger_id_goals"];
        put?: never;
        /** Create a goal */
        post: operations["post_ledgers_by_ledger_id_goals"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/ledgers/{ledger_id}/goals/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** A goal */
        get: operations["get_ledgers_by_ledger_id_goals_by_id"];
        put?: never;
        post?: never;
        /** Delete a goal */
        delete: operations["delete_ledgers_by_ledger_id_goals_by_id"];
        options?: never;
        head?: never;
        /** Edit a goal */
        patch: operations["patch_ledgers_by_ledger_id_goals_by_id"];
        trace?: never;
    };
    "/api/v1/ledgers/{ledger_id}/goals/{id}/contributions": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Record a contribution to an unlinked goal */
        post: operations["post_ledgers_by_ledger_id_goals_by_id_contributions"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/ledgers/{ledger_id}/import-presets": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Saved CSV mappings, used automatically for a file with the same header row */
        get: operations["get_ledgers_by_ledger_id_import_presets"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/ledgers/{ledger_id}/import-presets/{name}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        /** Forget a saved CSV mapping */
        delete: operations["delete_ledgers_by_ledger_id_import_presets_by_name"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/ledgers/{ledger_id}/imports": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The ledger's imports, newest first (the last 50) */
        get: operations["get_ledgers_by_ledger_id_imports"];
        put?: never;
        /** Upload a bank file (CSV, OFX/QFX or QIF) as the raw body and get its preview */
        post: operations["post_ledgers_by_ledger_id_imports"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/ledgers/{ledger_id}/imports/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** An import: its preview, status and progress */
        get: operations["get_ledgers_by_ledger_id_imports_by_id"];
        put?: never;
        post?: never;
        /** Discard a preview, or undo a completed import (removes exactly the rows it added) */
        delete: operations["delete_ledgers_by_ledger_id_imports_by_id"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/ledgers/{ledger_id}/imports/{id}/commit": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Write the previewed rows in the background; follow with GET or the import.progress events */
        post: operations["post_ledgers_by_ledger_id_imports_by_id_commit"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/ledgers/{ledger_id}/imports/{id}/mapping": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        /** Read a previewed CSV file again with an edited column mapping (optionally saved as a preset) */
        put: operations["put_ledgers_by_ledger_id_imports_by_id_mapping"];
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/ledgers/{ledger_id}/invites": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Create a one-time invitation code (owner) */
        post: operations["post_ledgers_by_ledger_id_invites"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/ledgers/{ledger_id}/members": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Members and their roles */
        get: operations["get_ledgers_by_ledger_id_members"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/ledgers/{ledger_id}/members/{user_id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        /** Change a member's role (owner) */
        put: operations["put_ledgers_by_ledger_id_members_by_user_id"];
        post?: never;
        /** Remove a member (owner), or leave */
        delete: operations["delete_ledgers_by_ledger_id_members_by_user_id"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/ledgers/{ledger_id}/transactions": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Transactions matching the filters, one page */
        get: operations["get_ledgers_by_ledger_id_transactions"];
        put?: never;
        /** Record a transaction (send Idempotency-Key to make retries safe) */
        post: operations["post_ledgers_by_ledger_id_transactions"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/ledgers/{ledger_id}/transactions/bulk": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Set the category or tags of up to 1,000 transactions */
        post: operations["post_ledgers_by_ledger_id_transactions_bulk"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/ledgers/{ledger_id}/transactions/export.csv": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The filtered transactions as CSV, streamed (list filters and sort apply; no paging) */
        get: operations["get_ledgers_by_ledger_id_transactions_export_csv"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/ledgers/{ledger_id}/transactions/export.json": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The filtered transactions as a JSON array, streamed (list filters and sort apply; no paging) */
        get: operations["get_ledgers_by_ledger_id_transactions_export_json"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/ledgers/{ledger_id}/transactions/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** A transaction */
        get: operations["get_ledgers_by_ledger_id_transactions_by_id"];
        put?: never;
        post?: never;
        /** Delete a transaction (both legs of a transfer) */
        delete: operations["delete_ledgers_by_ledger_id_transactions_by_id"];
        options?: never;
        head?: never;
        /** Edit a transaction */
        patch: operations["patch_ledgers_by_ledger_id_transactions_by_id"];
        trace?: never;
    };
    "/api/v1/ledgers/{ledger_id}/transfers": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Move money between two accounts (both legs at once) */
        post: operations["post_ledgers_by_ledger_id_transfers"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/me": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The signed-in user */
        get: operations["get_me"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/me/preferences": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Preferences */
        get: operations["get_me_preferences"];
        /** Replace the preferences */
        put: operations["put_me_preferences"];
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/me/tokens": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Personal access tokens (never the tokens themselves) */
        get: operations["get_me_tokens"];
        put?: never;
        /** Create a personal access token, shown once */
        post: operations["post_me_tokens"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/me/tokens/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        /** Revoke a personal access token */
        delete: operations["delete_me_tokens_by_id"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/ws": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Live events over a WebSocket
         * @description Authenticated by the session cookie (from a page of this site: the `Origin` must be the site's own or one of PUBLIC_ORIGINS), an `Authorization` header, or `?ticket=`. The server sends `welcome`, then waits up to two seconds for the client's `resume` (a ClientMessage) before it sends events. Every message is a ServerMessage. Close codes: 1001 server shutting down, 1003 binary frame, 1008 too many malformed messages, 1009 message over 16 KiB, 1013 try again later, 4001 session ended, 4008 too slow to keep up.
         */
        get: operations["get_ws"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/v1/ws/ticket": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** A single-use ticket to open the WebSocket with, for programs */
        post: operations["post_ws_ticket"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
}
export type webhooks = Record<string, never>;
export interface components {
    schemas: {
        AcceptInvite: {
            code: string;
        };
        /** @enum {string} */
        AccountKind: "checking" | "savings" | "credit_card" | "cash" | "loan" | "investment";
        AccountView: {
            archived: boolean;
            /** @description Opening balance plus every transaction in the account. */
            balance: string;
            /** Format: date-time */
            created_at: string;
            currency: string;
            /** Format: uuid */
            id: string;
            kind: components["schemas"]["AccountKind"];
            name: string;
            /** @description A decimal string with the currency's decimals. */
            opening_balance: string;
        };
        AlertView: {
            /** Format: uuid */
            category_id: string;
            /** Format: date-time */
            crossed_at: string;
            /** Format: date */
            month: string;
            /** Format: int32 */
            threshold: number;
        };
        /** @description Where the money is. */
        AmountColumns: {
            column: number;
            /** @enum {string} */
            kind: "signed";
        } | {
            credit: number;
            debit: number;
            /** @enum {string} */
            kind: "debit_credit";
        } | {
            column: number;
            flag: number;
            /** @enum {string} */
            kind: "flagged";
        };
        BudgetAlert: {
            budgeted: string;
            carried_in: string;
            category: string;
            /** Format: uuid */
            category_id: string;
            /** @description The ledger's base currency, which the amounts are in. */
            currency: string;
            /**
             * Format: date
             * @description The first day of the month.
             */
            month: string;
            spent: string;
            /**
             * Format: int32
             * @description The percent of the month's available amount that spending reached.
             */
            threshold: number;
        };
        /**
         * @description A budget amount set (`month`, `category_id`, `amount`) or the alert thresholds changed
         *     (`alert_thresholds`).
         */
        BudgetChanged: {
            alert_thresholds?: number[] | null;
            /** @description The month's new amount in the base currency; "0" when the budget was removed. */
            amount?: string | null;
            /** Format: uuid */
            category_id?: string | null;
            /**
             * Format: date
             * @description The first day of the month whose budget changed.
             */
            month?: string | null;
        };
        BudgetLine: {
            /** @description Budgeted + carried in - spent. */
            available: string;
            budgeted: string;
            /** @description Left over (or overspent, negative) from the previous month; 0 without rollover. */
            carried_in: string;
            category: string;
            /** Format: uuid */
            category_id: string;
            group: string;
            /**
             * Format: int64
             * @description Percent of budgeted + carried in that is spent; null when nothing was available.
             */
            percent_used?: number | null;
            rollover: boolean;
            spent: string;
        };
        BulkEdit: {
            add_tags?: string[];
            /**
             * Format: uuid
             * @description Sets (or with `null` removes) the category; removes any splits.
             */
            category_id?: string | null;
            /** @description Up to 1,000 transactions of the ledger. */
            ids: string[];
            remove_tags?: string[];
        };
        BulkResult: {
            /** Format: int64 */
            updated: number;
        };
        /** @description A category as it is now. */
        CategoryChanged: {
            archived: boolean;
            budget_rollover: boolean;
            /** Format: uuid */
            group_id: string;
            /** Format: uuid */
            id: string;
            name: string;
        };
        /** @description A category group as it is now. */
        CategoryGroupChanged: {
            archived: boolean;
            /** Format: uuid */
            id: string;
            kind: components["schemas"]["CategoryKind"];
            name: string;
        };
        /** @enum {string} */
        CategoryKind: "income" | "expense";
        CategoryMerged: {
            /**
             * Format: uuid
             * @description The category merged away (deleted).
             */
            id: string;
            /**
             * Format: uuid
             * @description The category that took over its transactions and split parts.
             */
            into: string;
            /** Format: int64 */
            moved_splits: number;
            /** Format: int64 */
            moved_transactions: number;
        };
        /**
         * @description Who set the category: the user, a rule, or the ML model.
         * @enum {string}
         */
        CategorySource: "user" | "rule" | "ml";
        CategorySpending: {
            /** @description Money spent net of refunds, positive, in the base currency. */
            amount: string;
            category?: string | null;
            /**
             * Format: uuid
             * @description `null` for uncategorised spending.
             */
            category_id?: string | null;
            group?: string | null;
            /** Format: int64 */
            transactions: number;
        };
        CategoryView: {
            archived: boolean;
            /** Format: uuid */
            id: string;
            name: string;
        };
        /** @description What a client may send: one `resume` as its first message. */
        ClientMessage: {
            ledgers: {
                [key: string]: string;
            };
            /** @enum {string} */
            type: "resume";
        };
        CommitRequest: {
            /**
             * @description For a file with several accounts: the file's account id → the ledger account its
             *     rows go to. Accounts left out are skipped. Not needed for a file with one account.
             */
            accounts?: {
                [key: string]: string;
            } | null;
        };
        /**
         * @description The data of a [`COMPLETED_EVENT`]: what the model decided for one transaction. The API
         *     sends it for a transaction categorised on creation, a worker for a queued one.
         */
        Completed: {
            /**
             * Format: uuid
             * @description The category applied; `None` when the suggestions were too weak to apply.
             */
            category_id?: string | null;
            /**
             * Format: float
             * @description The applied category's confidence; `None` with suggestions.
             */
            confidence?: number | null;
            model_version: string;
            /** @description Kept for one-click acceptance, best first; empty when a category was applied. */
            suggestions: components["schemas"]["Suggestion"][];
            /** Format: uuid */
            transaction_id: string;
        };
        Contribution: {
            /** @description Negative to take money out of the goal. */
            amount: string;
            date: string;
            note?: string;
        };
        /** @description A message from the server that is not an event. */
        ControlMessage: {
            ledgers: string[];
            /** @enum {string} */
            type: "welcome";
        } | {
            /** Format: uuid */
            ledger_id: string;
            /** @enum {string} */
            type: "resync";
        } | {
            code: components["schemas"]["ErrorCode"];
            ledger_id?: string | null;
            message: string;
            /** @enum {string} */
            type: "error";
        };
        CreateAccount: {
            currency: string;
            kind: components["schemas"]["AccountKind"];
            name: string;
            /** @description A decimal string; default "0". */
            opening_balance?: string | null;
        };
        CreateCategory: {
            /** Format: uuid */
            group_id: string;
            name: string;
        };
        CreateGoal: {
            /** Format: uuid */
            account_id?: string | null;
            name: string;
            target_amount: string;
            target_date: string;
        };
        CreateGroup: {
            kind: components["schemas"]["CategoryKind"];
            name: string;
        };
        CreateInvite: {
            /**
             * Format: int32
             * @description Hours the code stays valid: 1 to 720, default 72.
             */
            expires_in_hours?: number | null;
            /** @description `editor` or `viewer`. */
            role: components["schemas"]["Role"];
        };
        CreateLedger: {
            base_currency: string;
            name: string;
        };
        CreateTokenRequest: {
            /**
             * Format: int32
             * @description Days until the token stops working; none means it never expires.
             */
            expires_in_days?: number | null;
            name: string;
        };
        CreateTransaction: {
            /** Format: uuid */
            account_id: string;
            /** @description A decimal string, negative for money out. */
            amount: string;
            /** Format: uuid */
            category_id?: string | null;
            /** @description `YYYY-MM-DD`. */
            date: string;
            description?: string;
            import_id?: string | null;
            notes?: string;
            payee?: string;
            splits?: components["schemas"]["SplitInput"][];
            status?: null | components["schemas"]["Status"];
            tags?: string[];
        };
        CreateTransfer: {
            /** @description What left the source account, positive, in its currency. */
            amount: string;
            date: string;
            description?: string;
            /** Format: uuid */
            from_account_id: string;
            notes?: string;
            status?: null | components["schemas"]["Status"];
            tags?: string[];
            /** Format: uuid */
            to_account_id: string;
            /** @description What arrived, positive, in the destination's currency. Required between currencies. */
            to_amount?: string | null;
        };
        Created: {
            /** Format: uuid */
            id: string;
        };
        CreatedToken: components["schemas"]["TokenView"] & {
            /** @description The token itself. Shown this once; only a hash is kept. */
            token: string;
        };
        /** @description How to read one bank's CSV layout. Columns are 0-based. */
        CsvMapping: {
            amount: components["schemas"]["AmountColumns"];
            date_column: number;
            date_order: components["schemas"]["DateOrder"];
            decimal_mark: components["schemas"]["DecimalMark"];
            delimiter: string;
            /** @description Joined with a space, blanks skipped. */
            description_columns: number[];
            /** @description The first record holding a transaction. */
            first_row: number;
            /** @description The 0-based record holding the column names, or `None` for a file without a header. */
            header_row?: number | null;
            /** @description A column with the bank's unique id per transaction. */
            import_id_column?: number | null;
            /** @description Turn every amount's sign around (card exports that list purchases as positive). */
            negate?: boolean;
            payee_column?: number | null;
        };
        /**
         * @description The order of day, month and year in a date.
         * @enum {string}
         */
        DateOrder: "ymd" | "dmy" | "mdy";
        /**
         * @description Which character separates the decimals.
         * @enum {string}
         */
        DecimalMark: "point" | "comma";
        /** @description `{"error": {...}}`, the shape of every error answer. */
        ErrorBody: {
            error: components["schemas"]["ErrorDetail"];
        };
        /** @enum {string} */
        ErrorCode: "malformed_message" | "resume_too_late" | "unknown_ledger" | "invalid_event_id";
        ErrorDetail: {
            /** @description Stable machine-readable code, such as `validation_failed` or `not_found`. */
            code: string;
            /**
             * @description For `validation_failed`: `{"fields": [{"field", "message"}]}`; for `rate_limited`:
             *     `{"retry_after_seconds"}`; for `internal`: `{"request_id"}`.
             */
            details: Record<string, never> | null;
            /** @description What was wrong and what to do, for a human. */
            message: string;
        };
        /** @description An event as the outbox records it: its `type` and its `data`. */
        Event: {
            /** @description Transactions recorded one by one (an import announces itself with `import.*`). */
            data: components["schemas"]["TransactionsChanged"];
            /** @enum {string} */
            type: "transaction.created";
        } | {
            /** @description Transactions edited, one (with its row) or in bulk (ids only). */
            data: components["schemas"]["TransactionsChanged"];
            /** @enum {string} */
            type: "transaction.updated";
        } | {
            /** @description Transactions deleted (a transfer's two legs together). */
            data: components["schemas"]["TransactionsDeleted"];
            /** @enum {string} */
            type: "transaction.deleted";
        } | {
            /** @description A transfer's two legs, written together. */
            data: components["schemas"]["TransferView"];
            /** @enum {string} */
            type: "transfer.created";
        } | {
            data: components["schemas"]["AccountView"];
            /** @enum {string} */
            type: "account.created";
        } | {
            /** @description Renamed, archived or restored, or its opening balance corrected. */
            data: components["schemas"]["AccountView"];
            /** @enum {string} */
            type: "account.updated";
        } | {
            data: components["schemas"]["Removed"];
            /** @enum {string} */
            type: "account.deleted";
        } | {
            data: components["schemas"]["CategoryChanged"];
            /** @enum {string} */
            type: "category.created";
        } | {
            /** @description Renamed, moved, archived or restored, or its budget rollover changed. */
            data: components["schemas"]["CategoryChanged"];
            /** @enum {string} */
            type: "category.updated";
        } | {
            /** @description Everything in `id` moved to `into`, and `id` deleted. */
            data: components["schemas"]["CategoryMerged"];
            /** @enum {string} */
            type: "category.merged";
        } | {
            data: components["schemas"]["CategoryGroupChanged"];
            /** @enum {string} */
            type: "category.group_created";
        } | {
            data: components["schemas"]["CategoryGroupChanged"];
            /** @enum {string} */
            type: "category.group_updated";
        } | {
            /** @description A month's budget for a category, or the alert thresholds, changed. */
            data: components["schemas"]["BudgetChanged"];
            /** @enum {string} */
            type: "budget.changed";
        } | {
            /** @description A category's spending reached a threshold of its month's budget (once per crossing). */
            data: components["schemas"]["BudgetAlert"];
            /** @enum {string} */
            type: "budget.alert";
        } | {
            data: components["schemas"]["GoalView"];
            /** @enum {string} */
            type: "goal.created";
        } | {
            /** @description Edited, or a contribution recorded. */
            data: components["schemas"]["GoalView"];
            /** @enum {string} */
            type: "goal.updated";
        } | {
            data: components["schemas"]["Removed"];
            /** @enum {string} */
            type: "goal.deleted";
        } | {
            /** @description After each chunk an import writes. */
            data: components["schemas"]["ImportProgress"];
            /** @enum {string} */
            type: "import.progress";
        } | {
            data: components["schemas"]["ImportCompleted"];
            /** @enum {string} */
            type: "import.completed";
        } | {
            data: components["schemas"]["ImportFailed"];
            /** @enum {string} */
            type: "import.failed";
        } | {
            /** @description A completed import's rows removed again. */
            data: components["schemas"]["ImportUndone"];
            /** @enum {string} */
            type: "import.undone";
        } | {
            /** @description What the model decided for a new transaction: a category applied, or suggestions. */
            data: components["schemas"]["Completed"];
            /** @enum {string} */
            type: "categorization.completed";
        } | {
            /** @description Exchange rates added, replaced or deleted: amounts in the base currency change. */
            data: components["schemas"]["ExchangeRatesChanged"];
            /** @enum {string} */
            type: "exchange_rate.changed";
        } | {
            /** @description The ledger's name or settings changed. */
            data: components["schemas"]["LedgerSettings"];
            /** @enum {string} */
            type: "ledger.updated";
        } | {
            /** @description The ledger and everything in it are gone. */
            data: components["schemas"]["Removed"];
            /** @enum {string} */
            type: "ledger.deleted";
        } | {
            /** @description Someone joined; a socket of theirs follows the ledger from this event on. */
            data: components["schemas"]["Member"];
            /** @enum {string} */
            type: "ledger.member_added";
        } | {
            data: components["schemas"]["Member"];
            /** @enum {string} */
            type: "ledger.member_updated";
        } | {
            /**
             * @description Someone left or was removed; a socket of theirs receives this, then nothing more
             *     of the ledger.
             */
            data: components["schemas"]["MemberRemoved"];
            /** @enum {string} */
            type: "ledger.member_removed";
        };
        /** @description An event as a WebSocket client receives it. */
        EventMessage: components["schemas"]["Event"] & {
            /**
             * @description The event's id in its ledger's stream (`<milliseconds>-<sequence>`): send the last
             *     one seen when resuming.
             */
            id: string;
            /** Format: uuid */
            ledger_id: string;
        };
        ExchangeRatesChanged: {
            /** @description The currencies whose rates changed. */
            currencies: string[];
        };
        GoalView: {
            /**
             * Format: uuid
             * @description When set, progress is this account's balance.
             */
            account_id?: string | null;
            currency: string;
            /** Format: uuid */
            id: string;
            monthly_needed: string;
            /** Format: int32 */
            months_left: number;
            name: string;
            /** Format: int64 */
            percent: number;
            remaining: string;
            saved: string;
            target_amount: string;
            /** Format: date */
            target_date: string;
        };
        GroupView: {
            archived: boolean;
            categories: components["schemas"]["CategoryView"][];
            /** Format: uuid */
            id: string;
            kind: components["schemas"]["CategoryKind"];
            name: string;
        };
        ImportCompleted: {
            /** Format: int32 */
            duplicate_rows: number;
            /** Format: int32 */
            error_rows: number;
            /** Format: uuid */
            import_id: string;
            /** Format: int32 */
            inserted_rows: number;
        };
        ImportFailed: {
            /** @description Why, for a person. */
            error: string;
            /** Format: uuid */
            import_id: string;
        };
        ImportProgress: {
            /** Format: int32 */
            committed_rows: number;
            /** Format: uuid */
            import_id: string;
            /** Format: int32 */
            total_rows: number;
        };
        /** @enum {string} */
        ImportStatus: "previewed" | "queued" | "running" | "completed" | "failed" | "reverted";
        ImportUndone: {
            /** Format: uuid */
            import_id: string;
            /** Format: int64 */
            removed_rows: number;
        };
        /** @description An import as the API shows it. */
        ImportView: {
            /**
             * Format: uuid
             * @description The account the rows go to (for a file with one account).
             */
            account_id: string;
            /**
             * Format: int32
             * @description Progress of the commit: rows of `total_rows` done.
             */
            committed_rows: number;
            /** Format: date-time */
            completed_at?: string | null;
            /** Format: date-time */
            created_at: string;
            /** Format: int32 */
            duplicate_rows: number;
            /** @description Why the import failed, when it did. */
            error?: string | null;
            /** Format: int32 */
            error_rows: number;
            file_name: string;
            /** @description `csv`, `ofx1`, `ofx2` or `qif`. */
            format: string;
            /** Format: uuid */
            id: string;
            /**
             * Format: int32
             * @description Rows the commit added (the rest were duplicates).
             */
            inserted_rows: number;
            /** Format: uuid */
            ledger_id: string;
            mapping?: null | components["schemas"]["CsvMapping"];
            /** Format: int32 */
            new_rows: number;
            /** @description The saved mapping that was applied automatically, if any. */
            preset_name?: string | null;
            preview: components["schemas"]["Preview"];
            status: components["schemas"]["ImportStatus"];
            /**
             * Format: int32
             * @description Rows the file holds that can be imported (new and duplicate).
             */
            total_rows: number;
            /** Format: date-time */
            updated_at: string;
        };
        Imported: {
            imported: number;
        };
        InviteView: {
            /** @description Give this to the person joining. Shown once; works once. */
            code: string;
            /** Format: date-time */
            expires_at: string;
            role: components["schemas"]["Role"];
        };
        /** @description The ledger's own settings (no member's role). */
        LedgerSettings: {
            base_currency: string;
            /** Format: uuid */
            id: string;
            /** Format: float */
            ml_auto_apply_threshold: number;
            name: string;
        };
        LedgerView: {
            base_currency: string;
            /** Format: date-time */
            created_at: string;
            /** Format: uuid */
            id: string;
            /**
             * Format: float
             * @description How sure the ML worker must be (0 to 1) for its category to be applied without
             *     asking; below it, its suggestions are offered instead. Default 0.7.
             */
            ml_auto_apply_threshold: number;
            name: string;
            /** @description The caller's role. */
            role: components["schemas"]["Role"];
        };
        LoginRequest: {
            email: string;
            password: string;
        };
        MappingChange: {
            mapping: components["schemas"]["CsvMapping"];
            /** @description Save the mapping under this name: the next file with the same header row uses it. */
            save_as?: string | null;
        };
        Member: {
            display_name: string;
            role: components["schemas"]["Role"];
            /** Format: uuid */
            user_id: string;
        };
        MemberRemoved: {
            /** Format: uuid */
            user_id: string;
        };
        MemberView: {
            display_name: string;
            /** Format: date-time */
            joined_at: string;
            role: components["schemas"]["Role"];
            /** Format: uuid */
            user_id: string;
        };
        Merge: {
            /**
             * Format: uuid
             * @description The category that takes over; the merged one is deleted.
             */
            into: string;
        };
        MergeResult: {
            /** Format: int64 */
            moved_splits: number;
            /** Format: int64 */
            moved_transactions: number;
        };
        MissingRate: {
            currency: string;
            /**
             * Format: date
             * @description The first and last days in the period with money in that currency and no rate.
             */
            first_date: string;
            /** Format: date */
            last_date: string;
        };
        MlSuggestion: {
            /** Format: uuid */
            category_id: string;
            /**
             * Format: float
             * @description 0 to 1.
             */
            confidence: number;
        };
        MonthFlow: {
            /** @description Positive. */
            expense: string;
            income: string;
            /**
             * Format: date
             * @description The first day of the month.
             */
            month: string;
            net: string;
        };
        MonthView: {
            currency: string;
            items: components["schemas"]["BudgetLine"][];
            /**
             * Format: date
             * @description The first day of the month.
             */
            month: string;
        };
        NetWorthPoint: {
            /**
             * Format: date
             * @description The last day of the month (or `to` for the current month).
             */
            date: string;
            net_worth: string;
        };
        PayeeSpending: {
            amount: string;
            /** @description The payee, or the description where no payee was recorded. */
            payee: string;
            /** Format: int64 */
            transactions: number;
        };
        /** @description A period of at most 20 years. */
        Period: {
            /** Format: date */
            from: string;
            /** Format: date */
            to: string;
        };
        Preferences: {
            default_currency: string;
            /**
             * Format: int32
             * @description The day budgets months start on, 1–28.
             */
            first_day_of_month: number;
            /**
             * Format: int32
             * @description 0 = Sunday … 6 = Saturday.
             */
            first_day_of_week: number;
            /** @description A BCP 47 tag such as `en-US` or `de-DE`. */
            locale: string;
            /** @description `system`, `light` or `dark`. */
            theme: string;
        };
        PresetView: {
            mapping: components["schemas"]["CsvMapping"];
            name: string;
            /** Format: date-time */
            updated_at: string;
        };
        /** @description What the user sees before committing. */
        Preview: {
            /** @description CSV header cells, when the file has a header row. */
            columns: string[];
            /** @description The text encoding the file was read as. */
            encoding: string;
            /** @description Rows that cannot be imported, with their line (the first 200). */
            errors: components["schemas"]["RowErrorView"][];
            /**
             * @description Categories the file names that the ledger lacks, as `Group › Category`: the commit
             *     creates them.
             */
            new_categories?: string[];
            /** @description Things to know that are not row errors (skipped sections, footers, unmapped accounts). */
            notes: string[];
            /** @description The first rows as they will be written. */
            sample: components["schemas"]["SampleRow"][];
            source_accounts: components["schemas"]["SourceAccountView"][];
        };
        PutRate: {
            currency: string;
            date: string;
            rate: string;
        };
        Rate: {
            currency: string;
            /** Format: date */
            date: string;
            /** @description Units of the ledger's base currency for one unit of `currency`, as a string. */
            rate: string;
        };
        RegisterRequest: {
            /** @description Base currency of the personal ledger created with the account; default USD. */
            currency?: string | null;
            display_name: string;
            email: string;
            password: string;
        };
        /** @description Something deleted, by id. */
        Removed: {
            /** Format: uuid */
            id: string;
        };
        Report_CategorySpending: {
            currency: string;
            items: {
                /** @description Money spent net of refunds, positive, in the base currency. */
                amount: string;
                category?: string | null;
                /**
                 * Format: uuid
                 * @description `null` for uncategorised spending.
                 */
                category_id?: string | null;
                group?: string | null;
                /** Format: int64 */
                transactions: number;
            }[];
            missing_rates: components["schemas"]["MissingRate"][];
            period: components["schemas"]["Period"];
        };
        Report_MonthFlow: {
            currency: string;
            items: {
                /** @description Positive. */
                expense: string;
                income: string;
                /**
                 * Format: date
                 * @description The first day of the month.
                 */
                month: string;
                net: string;
            }[];
            missing_rates: components["schemas"]["MissingRate"][];
            period: components["schemas"]["Period"];
        };
        Report_NetWorthPoint: {
            currency: string;
            items: {
                /**
                 * Format: date
                 * @description The last day of the month (or `to` for the current month).
                 */
                date: string;
                net_worth: string;
            }[];
            missing_rates: components["schemas"]["MissingRate"][];
            period: components["schemas"]["Period"];
        };
        Report_PayeeSpending: {
            currency: string;
            items: {
                amount: string;
                /** @description The payee, or the description where no payee was recorded. */
                payee: string;
                /** Format: int64 */
                transactions: number;
            }[];
            missing_rates: components["schemas"]["MissingRate"][];
            period: components["schemas"]["Period"];
        };
        /**
         * @description Ordered: a higher role can do everything a lower one can.
         * @enum {string}
         */
        Role: "viewer" | "editor" | "owner";
        RowErrorView: {
            line: number;
            message: string;
        };
        /** @description A previewed row. */
        SampleRow: {
            /** Format: uuid */
            account_id: string;
            amount: string;
            /**
             * Format: uuid
             * @description The ledger category the file's category names; null when it names none of ours.
             */
            category_id?: string | null;
            /** Format: date */
            date: string;
            description: string;
            /** @description Already in the account (or earlier in this file): the commit skips it. */
            duplicate: boolean;
            import_id: string;
            line: number;
            payee: string;
            /**
             * @description The parts of a split transaction; empty when it is not split (or when its parts wait
             *     for categories the commit creates).
             */
            splits?: components["schemas"]["SampleSplit"][];
        };
        /** @description A part of a previewed split transaction. */
        SampleSplit: {
            amount: string;
            /** Format: uuid */
            category_id: string;
            memo: string;
        };
        /** @description Every message the server sends on `/api/v1/ws`: an event, or a control message. */
        ServerMessage: components["schemas"]["EventMessage"] | components["schemas"]["ControlMessage"];
        SessionResponse: {
            /** @description Echo this in `X-CSRF-Token` on state-changing requests (it is also in `ft_csrf`). */
            csrf_token: string;
            user: components["schemas"]["UserView"];
        };
        SetBudget: {
            /** @description A decimal string in the ledger's base currency; "0" removes the budget. */
            amount: string;
        };
        SetRole: {
            role: components["schemas"]["Role"];
        };
        Settings: {
            /**
             * @description Percents of a month's available amount that raise an alert when spending reaches
             *     them: up to five, each 1 to 1000. Default [80, 100].
             */
            alert_thresholds: number[];
        };
        /** @description An account as the file names it, with what the import does with it. */
        SourceAccountView: {
            /**
             * Format: uuid
             * @description The ledger account its rows go to; null when not mapped (its rows are skipped).
             */
            account_id?: string | null;
            currency?: string | null;
            /** @description The file's id for the account (OFX `ACCTID`, QIF account name; empty for CSV). */
            id: string;
            kind?: string | null;
            /** @description Transactions of this account in the file. */
            rows: number;
        };
        SplitInput: {
            amount: string;
            /** Format: uuid */
            category_id: string;
            memo?: string;
        };
        SplitView: {
            /** @description A decimal string with the currency's decimals. */
            amount: string;
            /** Format: uuid */
            category_id: string;
            memo: string;
        };
        /** @enum {string} */
        Status: "pending" | "cleared";
        Suggestion: {
            /** Format: uuid */
            category_id: string;
            /**
             * Format: float
             * @description 0 to 1; 1 for a description the ledger labelled itself.
             */
            confidence: number;
        };
        TokenView: {
            /** Format: date-time */
            created_at: string;
            /** Format: date-time */
            expires_at?: string | null;
            /** Format: uuid */
            id: string;
            /** Format: date-time */
            last_used_at?: string | null;
            name: string;
        };
        TransactionPage: {
            items: components["schemas"]["TransactionView"][];
            /** @description Pass as `cursor` for the next page; null on the last page. */
            next_cursor?: string | null;
        };
        TransactionView: {
            /** Format: uuid */
            account_id: string;
            /** @description A decimal string, negative for money out, with the account currency's decimals. */
            amount: string;
            /** Format: uuid */
            category_id?: string | null;
            category_source?: null | components["schemas"]["CategorySource"];
            /** Format: date-time */
            created_at: string;
            currency: string;
            /** Format: date */
            date: string;
            description: string;
            /** Format: uuid */
            id: string;
            import_id?: string | null;
            /** Format: float */
            ml_confidence?: number | null;
            /** @description The model version and its confidence when the ML worker chose the category. */
            ml_model_version?: string | null;
            /**
             * @description The ML worker's guesses for an uncategorised transaction that were too unsure to
             *     apply, best first, for one-click acceptance (set `category_id` to one of them).
             */
            ml_suggestions: components["schemas"]["MlSuggestion"][];
            notes: string;
            payee: string;
            /** @description Empty unless the transaction is split across categories. */
            splits: components["schemas"]["SplitView"][];
            status: components["schemas"]["Status"];
            tags: string[];
            /**
             * Format: uuid
             * @description Shared by both legs of a transfer.
             */
            transfer_id?: string | null;
            /** Format: date-time */
            updated_at: string;
        };
        /** @description The transactions a write created or changed. */
        TransactionsChanged: {
            /** @description Every transaction the write created or changed. */
            ids: string[];
            /**
             * @description The rows as they are after the write, for a write of one transaction; empty for a
             *     bulk edit, whose rows a client refetches by `ids` if it shows them.
             */
            transactions: components["schemas"]["TransactionView"][];
        };
        TransactionsDeleted: {
            ids: string[];
        };
        TransferView: {
            /** @description The leg out of the source account. */
            from: components["schemas"]["TransactionView"];
            /** @description The leg into the destination account. */
            to: components["schemas"]["TransactionView"];
            /** Format: uuid */
            transfer_id: string;
        };
        UpdateAccount: {
            archived?: boolean | null;
            name?: string | null;
            opening_balance?: string | null;
        };
        UpdateCategory: {
            archived?: boolean | null;
            /** @description Carry what a month's budget leaves (or overspends) into the next month. */
            budget_rollover?: boolean | null;
            /**
             * Format: uuid
             * @description Moves the category to another group.
             */
            group_id?: string | null;
            name?: string | null;
        };
        UpdateGoal: {
            /**
             * Format: uuid
             * @description `null` unlinks the account.
             */
            account_id?: string | null;
            name?: string | null;
            target_amount?: string | null;
            target_date?: string | null;
        };
        UpdateGroup: {
            archived?: boolean | null;
            name?: string | null;
        };
        /** @description The settings to change; fields left out stay as they are. */
        UpdateLedger: {
            /**
             * Format: float
             * @description 0 to 1: how sure the ML worker must be for its category to be applied.
             */
            ml_auto_apply_threshold?: number | null;
            name?: string | null;
        };
        UpdateTransaction: {
            /** Format: uuid */
            account_id?: string | null;
            amount?: string | null;
            /**
             * Format: uuid
             * @description `null` removes the category.
             */
            category_id?: string | null;
            date?: string | null;
            description?: string | null;
            notes?: string | null;
            payee?: string | null;
            /** @description Replaces the splits; `[]` removes them. */
            splits?: components["schemas"]["SplitInput"][] | null;
            status?: null | components["schemas"]["Status"];
            tags?: string[] | null;
        };
        UserView: {
            /** Format: date-time */
            created_at: string;
            display_name: string;
            email: string;
            /** Format: uuid */
            id: string;
        };
        WsTicket: {
            /** Format: int64 */
            expires_in_seconds: number;
            /** @description Open `/api/v1/ws?ticket=<ticket>` with it, once, within `expires_in_seconds`. */
            ticket: string;
        };
    };
    responses: {
        /** @description The request cannot be read (malformed JSON, query string or path). */
        400: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                "application/json": components["schemas"]["ErrorBody"];
            };
        };
        /** @description No valid credentials. */
        401: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                "application/json": components["schemas"]["ErrorBody"];
            };
        };
        /** @description Not allowed: the role is too low, or the CSRF header is missing. */
        403: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                "application/json": components["schemas"]["ErrorBody"];
            };
        };
        /** @description No such resource for this caller (also for other ledgers' resources). */
        404: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                "application/json": components["schemas"]["ErrorBody"];
            };
        };
        /** @description The body is larger than the limit. */
        413: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                "application/json": components["schemas"]["ErrorBody"];
            };
        };
        /** @description The body is not JSON. */
        415: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                "application/json": components["schemas"]["ErrorBody"];
            };
        };
        /** @description Valid JSON that breaks a rule; details list every field. */
        422: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                "application/json": components["schemas"]["ErrorBody"];
            };
        };
        /** @description Too many attempts; see Retry-After. */
        429: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                "application/json": components["schemas"]["ErrorBody"];
            };
        };
        /** @description A fault on our side; details carry the request id. */
        500: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                "application/json": components["schemas"]["ErrorBody"];
            };
        };
        /** @description A store the request needs is unreachable; try again shortly. */
        503: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                "application/json": components["schemas"]["ErrorBody"];
            };
        };
    };
    parameters: never;
    requestBodies: never;
    headers: never;
    pathItems: never;
}
export type $defs = Record<string, never>;
export interface operations {
    post_auth_login: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["LoginRequest"];
            };
        };
        responses: {
            /** @description Sign in: sets the session cookies */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["SessionResponse"];
                };
            };
            400: components["responses"]["400"];
            413: components["responses"]["413"];
            415: components["responses"]["415"];
            422: components["responses"]["422"];
            429: components["responses"]["429"];
            500: components["responses"]["500"];
        };
    };
    post_auth_logout: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Done */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            400: components["responses"]["400"];
            413: components["responses"]["413"];
            415: components["responses"]["415"];
            422: components["responses"]["422"];
            429: components["responses"]["429"];
            500: components["responses"]["500"];
        };
    };
    post_auth_refresh: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Rotate the refresh token and issue a new access token */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["SessionResponse"];
                };
            };
            400: components["responses"]["400"];
            413: components["responses"]["413"];
            415: components["responses"]["415"];
            422: components["responses"]["422"];
            429: components["responses"]["429"];
            500: components["responses"]["500"];
        };
    };
    post_auth_register: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["RegisterRequest"];
            };
        };
        responses: {
            /** @description Create an account (and a personal ledger) and sign in */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["SessionResponse"];
                };
            };
            400: components["responses"]["400"];
            413: components["responses"]["413"];
            415: components["responses"]["415"];
            422: components["responses"]["422"];
            429: components["responses"]["429"];
            500: components["responses"]["500"];
        };
    };
    post_invites_accept: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["AcceptInvite"];
            };
        };
        responses: {
            /** @description Join a ledger with an invitation code */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["LedgerView"];
                };
            };
            400: components["responses"]["400"];
            401: components["responses"]["401"];
            403: components["responses"]["403"];
            404: components["responses"]["404"];
            413: components["responses"]["413"];
            415: components["responses"]["415"];
            422: components["responses"]["422"];
            429: components["responses"]["429"];
            500: components["responses"]["500"];
            503: components["responses"]["503"];
        };
    };
    get_ledgers: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Ledgers the caller belongs to, with their role */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["LedgerView"][];
                };
            };
            400: components["responses"]["400"];
            401: components["responses"]["401"];
            403: components["responses"]["403"];
            404: components["responses"]["404"];
            413: components["responses"]["413"];
            415: components["responses"]["415"];
            422: components["responses"]["422"];
            429: components["responses"]["429"];
            500: components["responses"]["500"];
            503: components["responses"]["503"];
        };
    };
    post_ledgers: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["CreateLedger"];
            };
        };
        responses: {
            /** @description Create a ledger with the default categories */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["LedgerView"];
                };
            };
            400: components["responses"]["400"];
            401: components["responses"]["401"];
            403: components["responses"]["403"];
            404: components["responses"]["404"];
            413: components["responses"]["413"];
            415: components["responses"]["415"];
            422: components["responses"]["422"];
            429: components["responses"]["429"];
            500: components["responses"]["500"];
            503: components["responses"]["503"];
        };
    };
    get_ledgers_by_ledger_id: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The ledger */
                ledger_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description A ledger */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["LedgerView"];
                };
            };
            400: components["responses"]["400"];
            401: components["responses"]["401"];
            403: components["responses"]["403"];
            404: components["responses"]["404"];
            413: components["responses"]["413"];
            415: components["responses"]["415"];
            422: components["responses"]["422"];
            429: components["responses"]["429"];
            500: components["responses"]["500"];
            503: components["responses"]["503"];
        };
    };
    delete_ledgers_by_ledger_id: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The ledger */
                ledger_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Done */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            400: components["responses"]["400"];
            401: components["responses"]["401"];
            403: components["responses"]["403"];
            404: components["responses"]["404"];
            413: components["responses"]["413"];
            415: components["responses"]["415"];
            422: components["responses"]["422"];
            429: components["responses"]["429"];
            500: components["responses"]["500"];
            503: components["responses"]["503"];
        };
    };
    patch_ledgers_by_ledger_id: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The ledger */
                ledger_id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["UpdateLedger"];
            };
        };
        responses: {
            /** @description The ledger as it is now */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["LedgerView"];
                };
            };
            400: components["responses"]["400"];
            401: components["responses"]["401"];
            403: components["responses"]["403"];
            404: components["responses"]["404"];
            413: components["responses"]["413"];
            415: components["responses"]["415"];
            422: components["responses"]["422"];
            429: components["responses"]["429"];
            500: components["responses"]["500"];
            503: components["responses"]["503"];
        };
    };
    get_ledgers_by_ledger_id_accounts: {
        parameters: {
            query?: {
                /** @description Include archived items too. */
                include_archived?: boolean;
            };
            header?: never;
            path: {
                /** @description The ledger */
                ledger_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Accounts with exact balances */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["AccountView"][];
                };
            };
            400: components["responses"]["400"];
            401: components["responses"]["401"];
            403: components["responses"]["403"];
            404: components["responses"]["404"];
            413: components["responses"]["413"];
            415: components["responses"]["415"];
            422: components["responses"]["422"];
            429: components["responses"]["429"];
            500: components["responses"]["500"];
            503: components["responses"]["503"];
        };
    };
    post_ledgers_by_ledger_id_accounts: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The ledger */
                ledger_id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["CreateAccount"];
            };
        };
        responses: {
            /** @description Create an account (editor) */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["AccountView"];
                };
            };
            400: components["responses"]["400"];
            401: components["responses"]["401"];
            403: components["responses"]["403"];
            404: components["responses"]["404"];
            413: components["responses"]["413"];
            415: components["responses"]["415"];
            422: components["responses"]["422"];
            429: components["responses"]["429"];
            500: components["responses"]["500"];
            503: components["responses"]["503"];
        };
    };
    get_ledgers_by_ledger_id_accounts_by_account_id: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The ledger */
                ledger_id: string;
                /** @description The account */
                account_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description An account */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["AccountView"];
                };
            };
            400: components["responses"]["400"];
            401: components["responses"]["401"];
            403: components["responses"]["403"];
            404: components["responses"]["404"];
            413: components["responses"]["413"];
            415: components["responses"]["415"];
            422: components["responses"]["422"];
            429: components["responses"]["429"];
            500: components["responses"]["500"];
            503: components["responses"]["503"];
        };
    };
    delete_ledgers_by_ledger_id_accounts_by_account_id: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The ledger */
                ledger_id: string;
                /** @description The account */
                account_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Done */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            400: components["responses"]["400"];
            401: components["responses"]["401"];
            403: components["responses"]["403"];
            404: components["responses"]["404"];
            413: components["responses"]["413"];
            415: components["responses"]["415"];
            422: components["responses"]["422"];
            429: components["responses"]["429"];
            500: components["responses"]["500"];
            503: components["responses"]["503"];
        };
    };
    patch_ledgers_by_ledger_id_accounts_by_account_id: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The ledger */
                ledger_id: string;
                /** @description The account */
                account_id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["UpdateAccount"];
            };
        };
        responses: {
            /** @description Rename, archive or correct the opening balance */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["AccountView"];
                };
            };
            400: components["responses"]["400"];
            401: components["responses"]["401"];
            403: components["responses"]["403"];
            404: components["responses"]["404"];
            413: components["responses"]["413"];
            415: components["responses"]["415"];
            422: components["responses"]["422"];
            429: components["responses"]["429"];
            500: components["responses"]["500"];
            503: components["responses"]["503"];
        };
    };
    get_ledgers_by_ledger_id_analytics_cash_flow: {
        parameters: {
            query?: {
                /**
                 * @description First day included (`YYYY-MM-DD`). Default: the first of this month for spending
                 *     by category and top payees, twelve months back for cash flow and net worth.
                 */
                from?: string;
                /** @description Last day included; default today. */
                to?: string;
                /** @description For top payees: how many, 1 to 100 (default 10). */
                limit?: number;
            };
            header?: never;
            path: {
                /** @description The ledger */
                ledger_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Income and expense per month */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Report_MonthFlow"];
                };
            };
            400: components["responses"]["400"];
            401: components["responses"]["401"];
            403: components["responses"]["403"];
            404: components["responses"]["404"];
            413: components["responses"]["413"];
            415: components["responses"]["415"];
            422: components["responses"]["422"];
            429: components["responses"]["429"];
            500: components["responses"]["500"];
            503: components["responses"]["503"];
        };
    };
    get_ledgers_by_ledger_id_analytics_net_worth: {
        parameters: {
            query?: {
                /**
                 * @description First day included (`YYYY-MM-DD`). Default: the first of this month for spending
                 *     by category and top payees, twelve months back for cash flow and net worth.
                 */
                from?: string;
                /** @description Last day included; default today. */
                to?: string;
                /** @description For top payees: how many, 1 to 100 (default 10). */
                limit?: number;
            };
            header?: never;
            path: {
                /** @description The ledger */
                ledger_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Net worth at each month end */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Report_NetWorthPoint"];
                };
            };
            400: components["responses"]["400"];
            401: components["responses"]["401"];
            403: components["responses"]["403"];
            404: components["responses"]["404"];
            413: components["responses"]["413"];
            415: components["responses"]["415"];
            422: components["responses"]["422"];
            429: components["responses"]["429"];
            500: components["responses"]["500"];
            503: components["responses"]["503"];
        };
    };
    get_ledgers_by_ledger_id_analytics_spending_by_category: {
        parameters: {
            query?: {
                /**
                 * @description First day included (`YYYY-MM-DD`). Default: the first of this month for spending
                 *     by category and top payees, twelve months back for cash flow and net worth.
                 */
                from?: string;
                /** @description Last day included; default today. */
                to?: string;
                /** @description For top payees: how many, 1 to 100 (default 10). */
                limit?: number;
            };
            header?: never;
            path: {
                /** @description The ledger */
                ledger_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Spending per expense category */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Report_CategorySpending"];
                };
            };
            400: components["responses"]["400"];
            401: components["responses"]["401"];
            403: components["responses"]["403"];
            404: components["responses"]["404"];
            413: components["responses"]["413"];
            415: components["responses"]["415"];
            422: components["responses"]["422"];
            429: components["responses"]["429"];
            500: components["responses"]["500"];
            503: components["responses"]["503"];
        };
    };
    get_ledgers_by_ledger_id_analytics_top_payees: {
        parameters: {
            query?: {
                /**
                 * @description First day included (`YYYY-MM-DD`). Default: the first of this month for spending
                 *     by category and top payees, twelve months back for cash flow and net worth.
                 */
                from?: string;
                /** @description Last day included; default today. */
                to?: string;
                /** @description For top payees: how many, 1 to 100 (default 10). */
                limit?: number;
            };
            header?: never;
            path: {
                /** @description The ledger */
                ledger_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Where the money went, by payee */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Report_PayeeSpending"];
                };
            };
            400: components["responses"]["400"];
            401: components["responses"]["401"];
            403: components["responses"]["403"];
            404: components["responses"]["404"];
            413: components["responses"]["413"];
            415: components["responses"]["415"];
            422: components["responses"]["422"];
            429: components["responses"]["429"];
            500: components["responses"]["500"];
            503: components["responses"]["503"];
        };
    };
    get_ledgers_by_ledger_id_budget_alerts: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The ledger */
                ledger_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Alerts recorded, newest first */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["AlertView"][];
                };
            };
            400: components["responses"]["400"];
            401: components["responses"]["401"];
            403: components["responses"]["403"];
            404: components["responses"]["404"];
            413: components["responses"]["413"];
            415: components["responses"]["415"];
            422: components["responses"]["422"];
            429: components["responses"]["429"];
            500: components["responses"]["500"];
            503: components["responses"]["503"];
        };
    };
    put_ledgers_by_ledger_id_budget_settings: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The ledger */
                ledger_id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["Settings"];
            };
        };
        responses: {
            /** @description Alert thresholds (owner) */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Settings"];
                };
            };
            400: components["responses"]["400"];
            401: components["responses"]["401"];
            403: components["responses"]["403"];
            404: components["responses"]["404"];
            413: components["responses"]["413"];
            415: components["responses"]["415"];
            422: components["responses"]["422"];
            429: components["responses"]["429"];
            500: components["responses"]["500"];
            503: components["responses"]["503"];
        };
    };
    get_ledgers_by_ledger_id_budgets_by_month: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The ledger */
                ledger_id: string;
                /** @description The month, YYYY-MM */
                month: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The month: budgeted, carried in, spent, available */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["MonthView"];
                };
            };
            400: components["responses"]["400"];
            401: components["responses"]["401"];
            403: components["responses"]["403"];
            404: components["responses"]["404"];
            413: components["responses"]["413"];
            415: components["responses"]["415"];
            422: components["responses"]["422"];
            429: components["responses"]["429"];
            500: components["responses"]["500"];
            503: components["responses"]["503"];
        };
    };
    put_ledgers_by_ledger_id_budgets_by_month_by_category_id: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The ledger */
                ledger_id: string;
                /** @description The month, YYYY-MM */
                month: string;
                /** @description The category */
                category_id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["SetBudget"];
            };
        };
        responses: {
            /** @description Set a category's budget for the month */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["MonthView"];
                };
            };
            400: components["responses"]["400"];
            401: components["responses"]["401"];
            403: components["responses"]["403"];
            404: components["responses"]["404"];
            413: components["responses"]["413"];
            415: components["responses"]["415"];
            422: components["responses"]["422"];
            429: components["responses"]["429"];
            500: components["responses"]["500"];
            503: components["responses"]["503"];
        };
    };
    get_ledgers_by_ledger_id_categories: {
        parameters: {
            query?: {
                /** @description Include archived items too. */
                include_archived?: boolean;
            };
            header?: never;
            path: {
                /** @description The ledger */
                ledger_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The category tree */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["GroupView"][];
                };
            };
            400: components["responses"]["400"];
            401: components["responses"]["401"];
            403: components["responses"]["403"];
            404: components["responses"]["404"];
            413: components["responses"]["413"];
            415: components["responses"]["415"];
            422: components["responses"]["422"];
            429: components["responses"]["429"];
            500: components["responses"]["500"];
            503: components["responses"]["503"];
        };
    };
    post_ledgers_by_ledger_id_categories: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The ledger */
                ledger_id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["CreateCategory"];
            };
        };
        responses: {
            /** @description Create a category in a group */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Created"];
                };
            };
            400: components["responses"]["400"];
            401: components["responses"]["401"];
            403: components["responses"]["403"];
            404: components["responses"]["404"];
            413: components["responses"]["413"];
            415: components["responses"]["415"];
            422: components["responses"]["422"];
            429: components["responses"]["429"];
            500: components["responses"]["500"];
            503: components["responses"]["503"];
        };
    };
    patch_ledgers_by_ledger_id_categories_by_id: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The ledger */
                ledger_id: string;
                /** @description The resource */
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["UpdateCategory"];
            };
        };
        responses: {
            /** @description Done */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            400: components["responses"]["400"];
            401: components["responses"]["401"];
            403: components["responses"]["403"];
            404: components["responses"]["404"];
            413: components["responses"]["413"];
            415: components["responses"]["415"];
            422: components["responses"]["422"];
            429: components["responses"]["429"];
            500: components["responses"]["500"];
            503: components["responses"]["503"];
        };
    };
    post_ledgers_by_ledger_id_categories_by_id_merge: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The ledger */
                ledger_id: string;
                /** @description The resource */
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["Merge"];
            };
        };
        responses: {
            /** @description Move everything to another category and delete this one */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["MergeResult"];
                };
            };
            400: components["responses"]["400"];
            401: components["responses"]["401"];
            403: components["responses"]["403"];
            404: components["responses"]["404"];
            413: components["responses"]["413"];
            415: components["responses"]["415"];
            422: components["responses"]["422"];
            429: components["responses"]["429"];
            500: components["responses"]["500"];
            503: components["responses"]["503"];
        };
    };
    post_ledgers_by_ledger_id_category_groups: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The ledger */
                ledger_id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["CreateGroup"];
            };
        };
        responses: {
            /** @description Create a category group */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Created"];
                };
            };
            400: components["responses"]["400"];
            401: components["responses"]["401"];
            403: components["responses"]["403"];
            404: components["responses"]["404"];
            413: components["responses"]["413"];
            415: components["responses"]["415"];
            422: components["responses"]["422"];
            429: components["responses"]["429"];
            500: components["responses"]["500"];
            503: components["responses"]["503"];
        };
    };
    patch_ledgers_by_ledger_id_category_groups_by_id: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The ledger */
                ledger_id: string;
                /** @description The resource */
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["UpdateGroup"];
            };
        };
        responses: {
            /** @description Done */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            400: components["responses"]["400"];
            401: components["responses"]["401"];
            403: components["responses"]["403"];
            404: components["responses"]["404"];
            413: components["responses"]["413"];
            415: components["responses"]["415"];
            422: components["responses"]["422"];
            429: components["responses"]["429"];
            500: components["responses"]["500"];
            503: components["responses"]["503"];
        };
    };
    get_ledgers_by_ledger_id_exchange_rates: {
        parameters: {
            query?: {
                currency?: string;
            };
            header?: never;
            path: {
                /** @description The ledger */
                ledger_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Exchange rates, newest first per currency */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Rate"][];
                };
            };
            400: components["responses"]["400"];
            401: components["responses"]["401"];
            403: components["responses"]["403"];
            404: components["responses"]["404"];
            413: components["responses"]["413"];
            415: components["responses"]["415"];
            422: components["responses"]["422"];
            429: components["responses"]["429"];
            500: components["responses"]["500"];
            503: components["responses"]["503"];
        };
    };
    put_ledgers_by_ledger_id_exchange_rates: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The ledger */
                ledger_id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["PutRate"];
            };
        };
        responses: {
            /** @description Add or replace one rate */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Rate"];
                };
            };
            400: components["responses"]["400"];
            401: components["responses"]["401"];
            403: components["responses"]["403"];
            404: components["responses"]["404"];
            413: components["responses"]["413"];
            415: components["responses"]["415"];
            422: components["responses"]["422"];
            429: components["responses"]["429"];
            500: components["responses"]["500"];
            503: components["responses"]["503"];
        };
    };
    post_ledgers_by_ledger_id_exchange_rates_import: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The ledger */
                ledger_id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "text/csv": string;
            };
        };
        responses: {
            /** @description Import rates from CSV (date,currency,rate), all or nothing */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Imported"];
                };
            };
            400: components["responses"]["400"];
            401: components["responses"]["401"];
            403: components["responses"]["403"];
            404: components["responses"]["404"];
            413: components["responses"]["413"];
            415: components["responses"]["415"];
            422: components["responses"]["422"];
            429: components["responses"]["429"];
            500: components["responses"]["500"];
            503: components["responses"]["503"];
        };
    };
    delete_ledgers_by_ledger_id_exchange_rates_by_currency_by_date: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The ledger */
                ledger_id: string;
                /** @description ISO 4217 code */
                currency: string;
                /** @description YYYY-MM-DD */
                date: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Done */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            400: components["responses"]["400"];
            401: components["responses"]["401"];
            403: components["responses"]["403"];
            404: components["responses"]["404"];
            413: components["responses"]["413"];
            415: components["responses"]["415"];
            422: components["responses"]["422"];
            429: components["responses"]["429"];
            500: components["responses"]["500"];
            503: components["responses"]["503"];
        };
    };
    get_ledgers_by_ledger_id_goals: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The ledger */
                ledger_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Goals with their progress */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["GoalView"][];
                };
            };
            400: components["responses"]["400"];
            401: components["responses"]["401"];
            403: components["responses"]["403"];
            404: components["responses"]["404"];
            413: components["responses"]["413"];
            415: components["responses"]["415"];
            422: components["responses"]["422"];
            429: components["responses"]["429"];
            500: components["responses"]["500"];
            503: components["responses"]["503"];
        };
    };
    post_ledgers_by_ledger_id_goals: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The ledger */
                ledger_id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["CreateGoal"];
            };
        };
        responses: {
            /** @description Create a goal */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["GoalView"];
                };
            };
            400: components["responses"]["400"];
            401: components["responses"]["401"];
            403: components["responses"]["403"];
            404: components["responses"]["404"];
            413: components["responses"]["413"];
            415: components["responses"]["415"];
            422: components["responses"]["422"];
            429: components["responses"]["429"];
            500: components["responses"]["500"];
            503: components["responses"]["503"];
        };
    };
    get_ledgers_by_ledger_id_goals_by_id: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The ledger */
                ledger_id: string;
                /** @description The resource */
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description A goal */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["GoalView"];
                };
            };
            400: components["responses"]["400"];
            401: components["responses"]["401"];
            403: components["responses"]["403"];
            404: components["responses"]["404"];
            413: components["responses"]["413"];
            415: components["responses"]["415"];
            422: components["responses"]["422"];
            429: components["responses"]["429"];
            500: components["responses"]["500"];
            503: components["responses"]["503"];
        };
    };
    delete_ledgers_by_ledger_id_goals_by_id: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The ledger */
                ledger_id: string;
                /** @description The resource */
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Done */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            400: components["responses"]["400"];
            401: components["responses"]["401"];
            403: components["responses"]["403"];
            404: components["responses"]["404"];
            413: components["responses"]["413"];
            415: components["responses"]["415"];
            422: components["responses"]["422"];
            429: components["responses"]["429"];
            500: components["responses"]["500"];
            503: components["responses"]["503"];
        };
    };
    patch_ledgers_by_ledger_id_goals_by_id: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The ledger */
                ledger_id: string;
                /** @description The resource */
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["UpdateGoal"];
            };
        };
        responses: {
            /** @description Edit a goal */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["GoalView"];
                };
            };
            400: components["responses"]["400"];
            401: components["responses"]["401"];
            403: components["responses"]["403"];
            404: components["responses"]["404"];
            413: components["responses"]["413"];
            415: components["responses"]["415"];
            422: components["responses"]["422"];
            429: components["responses"]["429"];
            500: components["responses"]["500"];
            503: components["responses"]["503"];
        };
    };
    post_ledgers_by_ledger_id_goals_by_id_contributions: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The ledger */
                ledger_id: string;
                /** @description The resource */
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["Contribution"];
            };
        };
        responses: {
            /** @description Record a contribution to an unlinked goal */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["GoalView"];
                };
            };
            400: components["responses"]["400"];
            401: components["responses"]["401"];
            403: components["responses"]["403"];
            404: components["responses"]["404"];
            413: components["responses"]["413"];
            415: components["responses"]["415"];
            422: components["responses"]["422"];
            429: components["responses"]["429"];
            500: components["responses"]["500"];
            503: components["responses"]["503"];
        };
    };
    get_ledgers_by_ledger_id_import_presets: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The ledger */
                ledger_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Saved CSV mappings */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["PresetView"][];
                };
            };
            400: components["responses"]["400"];
            401: components["responses"]["401"];
            403: components["responses"]["403"];
            404: components["responses"]["404"];
            413: components["responses"]["413"];
            415: components["responses"]["415"];
            422: components["responses"]["422"];
            429: components["responses"]["429"];
            500: components["responses"]["500"];
            503: components["responses"]["503"];
        };
    };
    delete_ledgers_by_ledger_id_import_presets_by_name: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The ledger */
                ledger_id: string;
                /** @description The preset's name */
                name: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Forgotten */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            400: components["responses"]["400"];
            401: components["responses"]["401"];
            403: components["responses"]["403"];
            404: components["responses"]["404"];
            413: components["responses"]["413"];
            415: components["responses"]["415"];
            422: components["responses"]["422"];
            429: components["responses"]["429"];
            500: components["responses"]["500"];
            503: components["responses"]["503"];
        };
    };
    get_ledgers_by_ledger_id_imports: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The ledger */
                ledger_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The ledger's imports, newest first */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ImportView"][];
                };
            };
            400: components["responses"]["400"];
            401: components["responses"]["401"];
            403: components["responses"]["403"];
            404: components["responses"]["404"];
            413: components["responses"]["413"];
            415: components["responses"]["415"];
            422: components["responses"]["422"];
            429: components["responses"]["429"];
            500: components["responses"]["500"];
            503: components["responses"]["503"];
        };
    };
    post_ledgers_by_ledger_id_imports: {
        parameters: {
            query: {
                /** @description The ledger account the file's rows go to. */
                account_id: string;
                /** @description The file's name, shown in the import list. */
                file_name?: string;
            };
            header?: never;
            path: {
                /** @description The ledger */
                ledger_id: string;
            };
            cookie?: never;
        };
        /** @description The file's bytes, as the bank exported them */
        requestBody: {
            content: {
                "application/octet-stream": Blob;
            };
        };
        responses: {
            /** @description The file was read: its preview (nothing is written yet) */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ImportView"];
                };
            };
            400: components["responses"]["400"];
            401: components["responses"]["401"];
            403: components["responses"]["403"];
            404: components["responses"]["404"];
            /** @description The file is larger than IMPORT_MAX_BYTES (default 50 MB) */
            413: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            415: components["responses"]["415"];
            /** @description The file cannot be read; `file` says why (line and column where known) */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            429: components["responses"]["429"];
            500: components["responses"]["500"];
            503: components["responses"]["503"];
        };
    };
    get_ledgers_by_ledger_id_imports_by_id: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The ledger */
                ledger_id: string;
                /** @description The import */
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description An import: its preview, status and progress */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ImportView"];
                };
            };
            400: components["responses"]["400"];
            401: components["responses"]["401"];
            403: components["responses"]["403"];
            404: components["responses"]["404"];
            413: components["responses"]["413"];
            415: components["responses"]["415"];
            422: components["responses"]["422"];
            429: components["responses"]["429"];
            500: components["responses"]["500"];
            503: components["responses"]["503"];
        };
    };
    delete_ledgers_by_ledger_id_imports_by_id: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The ledger */
                ledger_id: string;
                /** @description The import */
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Undone: the import, now `reverted` */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ImportView"];
                };
            };
            /** @description The preview was discarded */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            400: components["responses"]["400"];
            401: components["responses"]["401"];
            403: components["responses"]["403"];
            404: components["responses"]["404"];
            /** @description The import is being written; undo it once it completes */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            413: components["responses"]["413"];
            415: components["responses"]["415"];
            422: components["responses"]["422"];
            429: components["responses"]["429"];
            500: components["responses"]["500"];
            503: components["responses"]["503"];
        };
    };
    post_ledgers_by_ledger_id_imports_by_id_commit: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The ledger */
                ledger_id: string;
                /** @description The import */
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["CommitRequest"];
            };
        };
        responses: {
            /** @description Queued: the job worker writes it in chunks */
            202: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ImportView"];
                };
            };
            400: components["responses"]["400"];
            401: components["responses"]["401"];
            403: components["responses"]["403"];
            404: components["responses"]["404"];
            /** @description Already committed, or nothing to import */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            413: components["responses"]["413"];
            415: components["responses"]["415"];
            /** @description An account mapping names an account outside the ledger */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            429: components["responses"]["429"];
            500: components["responses"]["500"];
            503: components["responses"]["503"];
        };
    };
    put_ledgers_by_ledger_id_imports_by_id_mapping: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The ledger */
                ledger_id: string;
                /** @description The import */
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["MappingChange"];
            };
        };
        responses: {
            /** @description The new preview */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ImportView"];
                };
            };
            400: components["responses"]["400"];
            401: components["responses"]["401"];
            403: components["responses"]["403"];
            404: components["responses"]["404"];
            /** @description The import is no longer a preview */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            413: components["responses"]["413"];
            415: components["responses"]["415"];
            /** @description The mapping does not fit the file */
            422: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            429: components["responses"]["429"];
            500: components["responses"]["500"];
            503: components["responses"]["503"];
        };
    };
    post_ledgers_by_ledger_id_invites: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The ledger */
                ledger_id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["CreateInvite"];
            };
        };
        responses: {
            /** @description Create a one-time invitation code (owner) */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["InviteView"];
                };
            };
            400: components["responses"]["400"];
            401: components["responses"]["401"];
            403: components["responses"]["403"];
            404: components["responses"]["404"];
            413: components["responses"]["413"];
            415: components["responses"]["415"];
            422: components["responses"]["422"];
            429: components["responses"]["429"];
            500: components["responses"]["500"];
            503: components["responses"]["503"];
        };
    };
    get_ledgers_by_ledger_id_members: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The ledger */
                ledger_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Members and their roles */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["MemberView"][];
                };
            };
            400: components["responses"]["400"];
            401: components["responses"]["401"];
            403: components["responses"]["403"];
            404: components["responses"]["404"];
            413: components["responses"]["413"];
            415: components["responses"]["415"];
            422: components["responses"]["422"];
            429: components["responses"]["429"];
            500: components["responses"]["500"];
            503: components["responses"]["503"];
        };
    };
    put_ledgers_by_ledger_id_members_by_user_id: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The ledger */
                ledger_id: string;
                /** @description The member */
                user_id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["SetRole"];
            };
        };
        responses: {
            /** @description Done */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            400: components["responses"]["400"];
            401: components["responses"]["401"];
            403: components["responses"]["403"];
            404: components["responses"]["404"];
            413: components["responses"]["413"];
            415: components["responses"]["415"];
            422: components["responses"]["422"];
            429: components["responses"]["429"];
            500: components["responses"]["500"];
            503: components["responses"]["503"];
        };
    };
    delete_ledgers_by_ledger_id_members_by_user_id: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The ledger */
                ledger_id: string;
                /** @description The member */
                user_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Done */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            400: components["responses"]["400"];
            401: components["responses"]["401"];
            403: components["responses"]["403"];
            404: components["responses"]["404"];
            413: components["responses"]["413"];
            415: components["responses"]["415"];
            422: components["responses"]["422"];
            429: components["responses"]["429"];
            500: components["responses"]["500"];
            503: components["responses"]["503"];
        };
    };
    get_ledgers_by_ledger_id_transactions: {
        parameters: {
            query?: {
                /** @description First date included, `YYYY-MM-DD`. */
                from?: string;
                /** @description Last date included. */
                to?: string;
                account_ids?: string;
                /** @description Matches the category or any split part's category. */
                category_ids?: string;
                /** @description Matches transactions with any of these tags. */
                tags?: string;
                /** @description Signed bounds: `max_amount=-100` finds spending of 100 or more. */
                min_amount?: string;
                max_amount?: string;
                /** @description Text to find in payee or description, ignoring case. */
                q?: string;
                /** @description Only transactions with no category, no splits and not a transfer. */
                uncategorized?: boolean;
                /** @description Only the rows this import added. */
                import_id?: string;
                /** @description `-date` (default, newest first), `date`, `-amount`, `amount`. */
                sort?: string;
                /** @description Page size, 1 to 500, default 50. */
                limit?: number;
                /** @description `next_cursor` of the previous page. */
                cursor?: string;
            };
            header?: never;
            path: {
                /** @description The ledger */
                ledger_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Transactions matching the filters, one page */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["TransactionPage"];
                };
            };
            400: components["responses"]["400"];
            401: components["responses"]["401"];
            403: components["responses"]["403"];
            404: components["responses"]["404"];
            413: components["responses"]["413"];
            415: components["responses"]["415"];
            422: components["responses"]["422"];
            429: components["responses"]["429"];
            500: components["responses"]["500"];
            503: components["responses"]["503"];
        };
    };
    post_ledgers_by_ledger_id_transactions: {
        parameters: {
            query?: never;
            header?: {
                /** @description Any unique string: a retry with the same key and body returns the first answer */
                "Idempotency-Key"?: string | null;
            };
            path: {
                /** @description The ledger */
                ledger_id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["CreateTransaction"];
            };
        };
        responses: {
            /** @description Record a transaction (send Idempotency-Key to make retries safe) */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["TransactionView"];
                };
            };
            400: components["responses"]["400"];
            401: components["responses"]["401"];
            403: components["responses"]["403"];
            404: components["responses"]["404"];
            413: components["responses"]["413"];
            415: components["responses"]["415"];
            422: components["responses"]["422"];
            429: components["responses"]["429"];
            500: components["responses"]["500"];
            503: components["responses"]["503"];
        };
    };
    post_ledgers_by_ledger_id_transactions_bulk: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The ledger */
                ledger_id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["BulkEdit"];
            };
        };
        responses: {
            /** @description Set the category or tags of up to 1,000 transactions */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["BulkResult"];
                };
            };
            400: components["responses"]["400"];
            401: components["responses"]["401"];
            403: components["responses"]["403"];
            404: components["responses"]["404"];
            413: components["responses"]["413"];
            415: components["responses"]["415"];
            422: components["responses"]["422"];
            429: components["responses"]["429"];
            500: components["responses"]["500"];
            503: components["responses"]["503"];
        };
    };
    get_ledgers_by_ledger_id_transactions_export_csv: {
        parameters: {
            query?: {
                /** @description First date included, `YYYY-MM-DD`. */
                from?: string;
                /** @description Last date included. */
                to?: string;
                account_ids?: string;
                /** @description Matches the category or any split part's category. */
                category_ids?: string;
                /** @description Matches transactions with any of these tags. */
                tags?: string;
                /** @description Signed bounds: `max_amount=-100` finds spending of 100 or more. */
                min_amount?: string;
                max_amount?: string;
                /** @description Text to find in payee or description, ignoring case. */
                q?: string;
                /** @description Only transactions with no category, no splits and not a transfer. */
                uncategorized?: boolean;
                /** @description Only the rows this import added. */
                import_id?: string;
                /** @description `-date` (default, newest first), `date`, `-amount`, `amount`. */
                sort?: string;
                /** @description Page size, 1 to 500, default 50. */
                limit?: number;
                /** @description `next_cursor` of the previous page. */
                cursor?: string;
            };
            header?: never;
            path: {
                /** @description The ledger */
                ledger_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description CSV with a header row */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "text/csv": string;
                };
            };
            400: components["responses"]["400"];
            401: components["responses"]["401"];
            403: components["responses"]["403"];
            404: components["responses"]["404"];
            413: components["responses"]["413"];
            415: components["responses"]["415"];
            422: components["responses"]["422"];
            429: components["responses"]["429"];
            500: components["responses"]["500"];
            503: components["responses"]["503"];
        };
    };
    get_ledgers_by_ledger_id_transactions_export_json: {
        parameters: {
            query?: {
                /** @description First date included, `YYYY-MM-DD`. */
                from?: string;
                /** @description Last date included. */
                to?: string;
                account_ids?: string;
                /** @description Matches the category or any split part's category. */
                category_ids?: string;
                /** @description Matches transactions with any of these tags. */
                tags?: string;
                /** @description Signed bounds: `max_amount=-100` finds spending of 100 or more. */
                min_amount?: string;
                max_amount?: string;
                /** @description Text to find in payee or description, ignoring case. */
                q?: string;
                /** @description Only transactions with no category, no splits and not a transfer. */
                uncategorized?: boolean;
                /** @description Only the rows this import added. */
                import_id?: string;
                /** @description `-date` (default, newest first), `date`, `-amount`, `amount`. */
                sort?: string;
                /** @description Page size, 1 to 500, default 50. */
                limit?: number;
                /** @description `next_cursor` of the previous page. */
                cursor?: string;
            };
            header?: never;
            path: {
                /** @description The ledger */
                ledger_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description A JSON array of transactions */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": string;
                };
            };
            400: components["responses"]["400"];
            401: components["responses"]["401"];
            403: components["responses"]["403"];
            404: components["responses"]["404"];
            413: components["responses"]["413"];
            415: components["responses"]["415"];
            422: components["responses"]["422"];
            429: components["responses"]["429"];
            500: components["responses"]["500"];
            503: components["responses"]["503"];
        };
    };
    get_ledgers_by_ledger_id_transactions_by_id: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The ledger */
                ledger_id: string;
                /** @description The resource */
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description A transaction */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["TransactionView"];
                };
            };
            400: components["responses"]["400"];
            401: components["responses"]["401"];
            403: components["responses"]["403"];
            404: components["responses"]["404"];
            413: components["responses"]["413"];
            415: components["responses"]["415"];
            422: components["responses"]["422"];
            429: components["responses"]["429"];
            500: components["responses"]["500"];
            503: components["responses"]["503"];
        };
    };
    delete_ledgers_by_ledger_id_transactions_by_id: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The ledger */
                ledger_id: string;
                /** @description The resource */
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Done */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            400: components["responses"]["400"];
            401: components["responses"]["401"];
            403: components["responses"]["403"];
            404: components["responses"]["404"];
            413: components["responses"]["413"];
            415: components["responses"]["415"];
            422: components["responses"]["422"];
            429: components["responses"]["429"];
            500: components["responses"]["500"];
            503: components["responses"]["503"];
        };
    };
    patch_ledgers_by_ledger_id_transactions_by_id: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The ledger */
                ledger_id: string;
                /** @description The resource */
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["UpdateTransaction"];
            };
        };
        responses: {
            /** @description Edit a transaction */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["TransactionView"];
                };
            };
            400: components["responses"]["400"];
            401: components["responses"]["401"];
            403: components["responses"]["403"];
            404: components["responses"]["404"];
            413: components["responses"]["413"];
            415: components["responses"]["415"];
            422: components["responses"]["422"];
            429: components["responses"]["429"];
            500: components["responses"]["500"];
            503: components["responses"]["503"];
        };
    };
    post_ledgers_by_ledger_id_transfers: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The ledger */
                ledger_id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["CreateTransfer"];
            };
        };
        responses: {
            /** @description Move money between two accounts (both legs at once) */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["TransferView"];
                };
            };
            400: components["responses"]["400"];
            401: components["responses"]["401"];
            403: components["responses"]["403"];
            404: components["responses"]["404"];
            413: components["responses"]["413"];
            415: components["responses"]["415"];
            422: components["responses"]["422"];
            429: components["responses"]["429"];
            500: components["responses"]["500"];
            503: components["responses"]["503"];
        };
    };
    get_me: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The signed-in user */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["UserView"];
                };
            };
            400: components["responses"]["400"];
            401: components["responses"]["401"];
            403: components["responses"]["403"];
            404: components["responses"]["404"];
            413: components["responses"]["413"];
            415: components["responses"]["415"];
            422: components["responses"]["422"];
            429: components["responses"]["429"];
            500: components["responses"]["500"];
            503: components["responses"]["503"];
        };
    };
    get_me_preferences: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Preferences */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Preferences"];
                };
            };
            400: components["responses"]["400"];
            401: components["responses"]["401"];
            403: components["responses"]["403"];
            404: components["responses"]["404"];
            413: components["responses"]["413"];
            415: components["responses"]["415"];
            422: components["responses"]["422"];
            429: components["responses"]["429"];
            500: components["responses"]["500"];
            503: components["responses"]["503"];
        };
    };
    put_me_preferences: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["Preferences"];
            };
        };
        responses: {
            /** @description Replace the preferences */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Preferences"];
                };
            };
            400: components["responses"]["400"];
            401: components["responses"]["401"];
            403: components["responses"]["403"];
            404: components["responses"]["404"];
            413: components["responses"]["413"];
            415: components["responses"]["415"];
            422: components["responses"]["422"];
            429: components["responses"]["429"];
            500: components["responses"]["500"];
            503: components["responses"]["503"];
        };
    };
    get_me_tokens: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Personal access tokens (never the tokens themselves) */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["TokenView"][];
                };
            };
            400: components["responses"]["400"];
            401: components["responses"]["401"];
            403: components["responses"]["403"];
            404: components["responses"]["404"];
            413: components["responses"]["413"];
            415: components["responses"]["415"];
            422: components["responses"]["422"];
            429: components["responses"]["429"];
            500: components["responses"]["500"];
            503: components["responses"]["503"];
        };
    };
    post_me_tokens: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["CreateTokenRequest"];
            };
        };
        responses: {
            /** @description Create a personal access token, shown once */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["CreatedToken"];
                };
            };
            400: components["responses"]["400"];
            401: components["responses"]["401"];
            403: components["responses"]["403"];
            404: components["responses"]["404"];
            413: components["responses"]["413"];
            415: components["responses"]["415"];
            422: components["responses"]["422"];
            429: components["responses"]["429"];
            500: components["responses"]["500"];
            503: components["responses"]["503"];
        };
    };
    delete_me_tokens_by_id: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description The resource */
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Done */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            400: components["responses"]["400"];
            401: components["responses"]["401"];
            403: components["responses"]["403"];
            404: components["responses"]["404"];
            413: components["responses"]["413"];
            415: components["responses"]["415"];
            422: components["responses"]["422"];
            429: components["responses"]["429"];
            500: components["responses"]["500"];
            503: components["responses"]["503"];
        };
    };
    get_ws: {
        parameters: {
            query?: {
                /**
                 * @description A ticket from `POST /ws/ticket`, for a program that cannot send the session cookie
                 *     or an `Authorization` header. Single use; short-lived.
                 */
                ticket?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Switching to the WebSocket protocol; every message the server sends is a ServerMessage */
            101: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ServerMessage"];
                };
            };
            /** @description Not a WebSocket upgrade request */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            401: components["responses"]["401"];
            /** @description A page of another site (`origin_not_allowed`) */
            403: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ErrorBody"];
                };
            };
            404: components["responses"]["404"];
            413: components["responses"]["413"];
            415: components["responses"]["415"];
            422: components["responses"]["422"];
            429: components["responses"]["429"];
            500: components["responses"]["500"];
            503: components["responses"]["503"];
        };
    };
    post_ws_ticket: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description A ticket, valid once for a short time */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["WsTicket"];
                };
            };
            400: components["responses"]["400"];
            401: components["responses"]["401"];
            403: components["responses"]["403"];
            404: components["responses"]["404"];
            413: components["responses"]["413"];
            415: components["responses"]["415"];
            422: components["responses"]["422"];
            429: components["responses"]["429"];
            500: components["responses"]["500"];
            503: components["responses"]["503"];
        };
    };
}
