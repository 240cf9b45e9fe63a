import { isNegative } from "../lib/decimal";
import { formatMoney } from "../lib/money";
import { useLocale } from "../features/auth/queries";

/** An amount: tabular figures, right-aligned by its container, negative ones in the
 * negative colour and with their minus sign. */
export function Money({ amount, currency, signed }: { amount: string; currency: string; signed?: boolean }) {
  const locale = useLocale();
  return (
    <span className={`tabular whitespace-nowrap ${isNegative(amount) ? "text-negative" : ""}`}>
      {formatMoney(amount, currency, locale, signed ? { signed } : {})}
    </span>
  );
}
