import { forwardRef } from "react";
import { useCategories } from "./queries";

/** A category select grouped by income and expense groups; archived ones are left out
 * unless already chosen. */
export const CategoryPicker = forwardRef<
  HTMLSelectElement,
  {
    ledgerId: string;
    value: string | null;
    onChange: (id: string | null) => void;
    label?: string;
    allowNone?: boolean;
    onKeyDown?: React.KeyboardEventHandler<HTMLSelectElement>;
    className?: string;
    autoFocus?: boolean;
    id?: string;
    "aria-invalid"?: boolean | undefined;
    "aria-describedby"?: string | undefined;
  }
>(function CategoryPicker({ ledgerId, value, onChange, label = "Category", allowNone = true, onKeyDown, className, autoFocus, ...described }, ref) {
  const tree = useCategories(ledgerId).data ?? [];
  return (
    <select
      ref={ref}
      {...described}
      aria-label={label}
      className={className ?? "input"}
      value={value ?? ""}
      autoFocus={autoFocus}
      onKeyDown={onKeyDown}
      onChange={(e) => onChange(e.target.value || null)}
    >
      {allowNone && <option value="">Uncategorised</option>}
      {tree.map((group) => (
        <optgroup key={group.id} label={`${group.name}${group.kind === "income" ? " (income)" : ""}`}>
          {group.categories
            .filter((c) => !c.archived || c.id === value)
            .map((c) => (
              <option key={c.id} value={c.id}>
                {c.name}
              </option>
            ))}
        </optgroup>
      ))}
    </select>
  );
});
