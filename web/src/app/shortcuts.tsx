// The keyboard map: `?` shows it, `/` goes to search, `g d` / `g t` / `g i` go to the
// dashboard, transactions and import. Screens add their own (the transaction list's j/k,
// x, c, Enter, Esc).

import { useEffect, useRef } from "react";
import { useNavigate } from "react-router";

/** Calls `onEscape` when Esc is pressed anywhere, while the calling component is mounted
 * (a dialog or panel that Esc closes). */
export function useEscape(onEscape: () => void) {
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => e.key === "Escape" && onEscape();
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, [onEscape]);
}

/** Whether a key press belongs to a text field rather than to a shortcut. */
export function typing(event: KeyboardEvent): boolean {
  const target = event.target as HTMLElement | null;
  return !!target && (target.isContentEditable || ["INPUT", "TEXTAREA", "SELECT"].includes(target.tagName));
}

export function useShortcuts({ onHelp, onSearch }: { onHelp: () => void; onSearch: () => void }) {
  const navigate = useNavigate();
  const pendingG = useRef(0);
  useEffect(() => {
    function onKey(event: KeyboardEvent) {
      if (typing(event) || event.ctrlKey || event.metaKey || event.altKey) return;
      if (event.key === "?") {
        event.preventDefault();
        onHelp();
      } else if (event.key === "/") {
        event.preventDefault();
        onSearch();
      } else if (event.key === "g") {
        pendingG.current = Date.now();
      } else if (Date.now() - pendingG.current < 1000) {
        const to = { d: "/", t: "/transactions", i: "/import" }[event.key];
        pendingG.current = 0;
        if (to) {
          event.preventDefault();
          void navigate(to);
        }
      }
    }
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, [navigate, onHelp, onSearch]);
}

const KEYS: [string, string][] = [
  ["?", "Show or hide this list"],
  ["/", "Search transactions"],
  ["g d · g t · g i", "Go to dashboard · transactions · import"],
  ["j / k, ↓ / ↑", "Move through transactions"],
  ["Enter", "Edit the row's cell; save"],
  ["Esc", "Cancel the edit"],
  ["Tab", "Next cell while editing"],
  ["x", "Select the row"],
  ["c", "Set the category of the selection"],
  ["a", "Accept the model's suggestion"],
];

export function ShortcutHelp({ onClose }: { onClose: () => void }) {
  useEscape(onClose);
  return (
    <div className="fixed inset-0 z-30 flex items-center justify-center bg-black/40 p-4" onClick={onClose}>
      <div
        role="dialog"
        aria-modal="true"
        aria-labelledby="shortcut-title"
        className="w-full max-w-md rounded-card bg-surface-0 p-6 shadow-card"
        onClick={(e) => e.stopPropagation()}
      >
        <h2 id="shortcut-title" className="mb-4 text-lg font-semibold">
          Keyboard
        </h2>
        <dl className="grid grid-cols-[auto_1fr] gap-x-6 gap-y-2 text-sm">
          {KEYS.map(([keys, what]) => (
            <div key={keys} className="contents">
              <dt>
                <kbd className="rounded border border-line px-1.5 py-0.5 text-xs">{keys}</kbd>
              </dt>
              <dd>{what}</dd>
            </div>
          ))}
        </dl>
        <button className="btn mt-6" onClick={onClose} autoFocus>
          Close
        </button>
      </div>
    </div>
  );
}
