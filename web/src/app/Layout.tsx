import { useQueryClient } from "@tanstack/react-query";
import { useEffect, useRef, useState } from "react";
import { NavLink, Outlet, useMatches, useNavigate, useNavigation } from "react-router";
import { Toaster } from "sonner";
import { api } from "../api/client";
import { usePreferences } from "../features/auth/queries";
import { useSession } from "../features/auth/session";
import { LedgerSwitcher } from "../features/ledgers/LedgerSwitcher";
import { useCurrentLedger } from "../features/ledgers/queries";
import { useLive } from "../live/connection";
import { useLiveUpdates } from "../live/useLiveUpdates";
import { ShortcutHelp, useShortcuts } from "./shortcuts";
import { formText } from "../lib/form";

const NAV = [
  { to: "/", label: "Dashboard", keys: "g d" },
  { to: "/transactions", label: "Transactions", keys: "g t" },
  { to: "/import", label: "Import", keys: "g i" },
  { to: "/accounts", label: "Accounts", keys: "" },
] as const;

/** The frame of every signed-in screen: the sidebar (a tab bar on phones), the top bar with
 * the page title, search, the live indicator and the user menu. */
export function Layout() {
  useLiveUpdates();
  useTheme();
  const { ledger, isLoading } = useCurrentLedger();
  const matches = useMatches();
  const navigating = useNavigation().state === "loading";
  const title = (matches.at(-1)?.handle as { title?: string } | undefined)?.title ?? "";
  const [help, setHelp] = useState(false);
  const search = useRef<HTMLInputElement>(null);
  useShortcuts({ onHelp: () => setHelp((h) => !h), onSearch: () => search.current?.focus() });
  useEffect(() => {
    document.title = title ? `${title} · FinanceTracker` : "FinanceTracker";
  }, [title]);

  return (
    <div className="flex min-h-screen bg-surface-1">
      {navigating && (
        // The next screen's code is on its way (the current one stays until it is there).
        <div role="progressbar" aria-label="Opening the screen" className="fixed inset-x-0 top-0 z-50 h-0.5 animate-pulse bg-accent" />
      )}
      <aside className="hidden w-56 shrink-0 flex-col gap-4 border-r border-line bg-surface-0 p-3 md:flex">
        <p className="px-2 pt-1 text-sm font-semibold text-accent">FinanceTracker</p>
        <LedgerSwitcher />
        <nav aria-label="Main" className="flex flex-col gap-1">
          {NAV.map((item) => (
            <NavLink
              key={item.to}
              to={item.to}
              end={item.to === "/"}
              className={({ isActive }) =>
                `flex items-center justify-between rounded-md px-2 py-1.5 text-sm no-underline ${
                  isActive ? "bg-surface-2 font-semibold text-ink" : "text-ink hover:bg-surface-2"
                }`
              }
            >
              {item.label}
              {item.keys && <kbd className="text-xs text-muted">{item.keys}</kbd>}
            </NavLink>
          ))}
        </nav>
      </aside>
      <div className="flex min-w-0 grow flex-col pb-16 md:pb-0">
        <header className="flex items-center gap-3 border-b border-line bg-surface-0 px-4 py-2">
          <h1 className="grow truncate text-lg font-semibold">{title}</h1>
          <SearchBox inputRef={search} />
          <LiveIndicator />
          <UserMenu />
        </header>
        <main className="min-w-0 grow p-4">
          {isLoading || !ledger ? <div className="card h-40 animate-pulse" aria-busy="true" /> : <Outlet />}
        </main>
      </div>
      <nav
        aria-label="Main"
        className="fixed inset-x-0 bottom-0 flex justify-around border-t border-line bg-surface-0 md:hidden"
      >
        {NAV.map((item) => (
          <NavLink
            key={item.to}
            to={item.to}
            end={item.to === "/"}
            className={({ isActive }) =>
              `flex min-h-12 grow items-center justify-center text-xs no-underline ${isActive ? "font-semibold text-accent" : "text-ink"}`
            }
          >
            {item.label}
          </NavLink>
        ))}
      </nav>
      {help && <ShortcutHelp onClose={() => setHelp(false)} />}
      <Toaster richColors closeButton position="bottom-right" />
    </div>
  );
}

function SearchBox({ inputRef }: { inputRef: React.RefObject<HTMLInputElement | null> }) {
  const navigate = useNavigate();
  return (
    <form
      role="search"
      className="hidden sm:block"
      onSubmit={(e) => {
        e.preventDefault();
        const q = formText(new FormData(e.currentTarget), "q");
        void navigate(`/transactions?q=${encodeURIComponent(q)}`);
      }}
    >
      <label className="sr-only" htmlFor="global-search">
        Search transactions
      </label>
      <input ref={inputRef} id="global-search" name="q" type="search" placeholder="Search  /" className="input w-56" />
    </form>
  );
}

const LIVE_LABEL = {
  connecting: ["Connecting", "bg-warning"],
  live: ["Live", "bg-positive"],
  reconnecting: ["Reconnecting", "bg-warning"],
  offline: ["Offline", "bg-negative"],
} as const;

/** A dot and a word: live updates connected, reconnecting, or offline. */
export function LiveIndicator() {
  const { status, detail } = useLive();
  const [label, colour] = LIVE_LABEL[status];
  const tip = status === "live" ? "Changes appear as they happen" : detail || label;
  return (
    <span className="flex items-center gap-1.5 text-xs text-muted" title={tip} role="status" aria-label={`Live updates: ${label}`}>
      <span className={`inline-block size-2.5 rounded-full ${colour}`} aria-hidden="true" />
      <span className="hidden sm:inline">{label}</span>
    </span>
  );
}

function UserMenu() {
  const user = useSession((s) => s.user);
  const signedOut = useSession((s) => s.signedOut);
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  return (
    <details className="relative">
      <summary className="btn-ghost cursor-pointer list-none" aria-label="Account menu">
        {user?.display_name ?? "Account"}
      </summary>
      <div className="absolute right-0 z-20 mt-1 w-56 rounded-md border border-line bg-surface-0 p-2 shadow-card">
        <p className="truncate px-2 py-1 text-xs text-muted">{user?.email}</p>
        <button
          className="btn-ghost w-full justify-start"
          onClick={() => {
            void api.POST("/api/v1/auth/logout").finally(() => {
              queryClient.clear();
              signedOut();
              void navigate("/sign-in", { replace: true });
            });
          }}
        >
          Sign out
        </button>
      </div>
    </details>
  );
}

/** Light or dark by the preference; "system" follows the operating system. */
function useTheme() {
  const theme = usePreferences().data?.theme ?? "system";
  useEffect(() => {
    const media = window.matchMedia("(prefers-color-scheme: dark)");
    const set = () =>
      (document.documentElement.dataset.theme = theme === "system" ? (media.matches ? "dark" : "light") : theme);
    set();
    media.addEventListener("change", set);
    return () => media.removeEventListener("change", set);
  }, [theme]);
}
