import { useEffect, useRef, useState } from "react";
import { CategoryPicker } from "../categories/CategoryPicker";
import type { Column } from "./columns";

/** The editor of one cell: Enter saves, Esc cancels, Tab saves and moves on, leaving the
 * cell saves. A refused save comes back here with what was typed and the reason. */
export function CellEditor({
  column,
  initial,
  error,
  ledgerId,
  onSave,
  onCancel,
}: {
  column: Column;
  initial: string;
  error?: string | undefined;
  ledgerId: string;
  onSave: (text: string, move: -1 | 0 | 1) => void;
  onCancel: () => void;
}) {
  const [text, setText] = useState(initial);
  const done = useRef(false);
  const ref = useRef<HTMLInputElement & HTMLSelectElement>(null);
  useEffect(() => {
    ref.current?.focus();
    if (ref.current instanceof HTMLInputElement) ref.current.select();
  }, []);

  function finish(value: string, move: -1 | 0 | 1) {
    if (done.current) return;
    done.current = true;
    onSave(value, move);
  }

  function onKeyDown(e: React.KeyboardEvent) {
    e.stopPropagation();
    if (e.key === "Enter") {
      e.preventDefault();
      finish(text, 0);
    } else if (e.key === "Escape") {
      e.preventDefault();
      done.current = true;
      onCancel();
    } else if (e.key === "Tab") {
      e.preventDefault();
      finish(text, e.shiftKey ? -1 : 1);
    }
  }

  const describedBy = error ? "cell-error" : undefined;
  return (
    <div className="relative w-full">
      {column === "category" ? (
        <CategoryPicker
          ref={ref}
          ledgerId={ledgerId}
          value={text || null}
          className="input min-h-7 py-0"
          onChange={(id) => {
            setText(id ?? "");
            finish(id ?? "", 0);
          }}
          onKeyDown={onKeyDown}
        />
      ) : (
        <input
          ref={ref}
          aria-label={`Edit ${column}`}
          aria-invalid={error ? true : undefined}
          aria-describedby={describedBy}
          className={`input min-h-7 py-0 ${column === "amount" ? "text-right tabular" : ""}`}
          type={column === "date" ? "date" : "text"}
          inputMode={column === "amount" ? "decimal" : undefined}
          value={text}
          onChange={(e) => setText(e.target.value)}
          onKeyDown={onKeyDown}
          onBlur={() => finish(text, 0)}
        />
      )}
      {error && (
        <p id="cell-error" role="alert" className="absolute top-full left-0 z-10 mt-0.5 w-max max-w-72 rounded bg-surface-0 px-1.5 py-0.5 text-xs text-negative shadow-card">
          {error}
        </p>
      )}
    </div>
  );
}
