// Money on screen: formatted with Intl.NumberFormat in the account's currency and the user's
// locale, from the decimal string the API sends (Intl formats a string exactly; it never
// passes through a float). Typed amounts are read back into the same decimal strings.

import { parseDecimal } from "./decimal";

const formats = new Map<string, Intl.NumberFormat>();

function formatter(currency: string, locale: string, signDisplay: "auto" | "exceptZero"): Intl.NumberFormat {
  const key = `${locale}|${currency}|${signDisplay}`;
  let format = formats.get(key);
  if (!format) {
    try {
      format = new Intl.NumberFormat(locale, { style: "currency", currency, signDisplay });
    } catch {
      // An unknown currency code or locale: still a readable number.
      format = new Intl.NumberFormat(undefined, { minimumFractionDigits: 2, signDisplay });
    }
    formats.set(key, format);
  }
  return format;
}

/** "-42.50" EUR in en-US → "-€42.50"; in de-DE → "-42,50 €". */
export function formatMoney(
  amount: string,
  currency: string,
  locale: string,
  options: { signed?: boolean } = {},
): string {
  const format = formatter(currency, locale, options.signed ? "exceptZero" : "auto");
  // Intl.NumberFormat formats a numeric string exactly (ES2023); the cast only satisfies
  // TypeScript's older signature.
  return format.format(amount as unknown as number);
}

/** The decimals a currency has (2 for EUR, 0 for JPY). */
export function currencyDigits(currency: string): number {
  try {
    return new Intl.NumberFormat("en", { style: "currency", currency }).resolvedOptions()
      .maximumFractionDigits ?? 2;
  } catch {
    return 2;
  }
}

/** The decimal separator of `locale` ("." or ","). */
export function decimalSeparator(locale: string): string {
  const part = new Intl.NumberFormat(locale).formatToParts(1.5).find((p) => p.type === "decimal");
  return part?.value ?? ".";
}

export type AmountInput = { ok: true; value: string } | { ok: false; message: string };

/** Reads what a person typed as an amount ("1.234,56" in de-DE, "-12.5", "€ 3") into the
 * API's decimal string, or says what is wrong. At most `digits` decimals. */
export function parseAmountInput(text: string, locale: string, digits: number): AmountInput {
  const separator = decimalSeparator(locale);
  const group = separator === "," ? "." : ",";
  let cleaned = text.replace(/[\s\u00a0\u202f]/g, "").replace(/[^\d.,+-]/g, "");
  if (cleaned === "" || cleaned === "-" || cleaned === "+") {
    return { ok: false, message: "enter an amount, such as -12.50" };
  }
  // Grouping marks go; the locale's decimal mark (or a lone "." anywhere) becomes ".".
  const lastSeparator = cleaned.lastIndexOf(separator);
  if (lastSeparator >= 0) {
    cleaned =
      cleaned.slice(0, lastSeparator).split(group).join("").split(separator).join("") +
      "." +
      cleaned.slice(lastSeparator + 1);
  } else if (separator === "," && (cleaned.match(/\./g) ?? []).length === 1 && !/\.\d{3}$/.test(cleaned)) {
    // "12.5" typed in a comma locale: a decimal point, not a thousands group.
  } else {
    cleaned = cleaned.split(group).join("");
  }
  const value = parseDecimal(cleaned);
  if (value === null) return { ok: false, message: "not a number: use digits and one decimal mark" };
  const decimals = cleaned.includes(".") ? (cleaned.split(".")[1] ?? "").length : 0;
  if (decimals > digits) {
    return {
      ok: false,
      message: digits === 0 ? "this currency has no decimals" : `at most ${digits} decimals`,
    };
  }
  const normalised = cleaned.startsWith("+") ? cleaned.slice(1) : cleaned;
  return { ok: true, value: normalised.startsWith(".") ? `0${normalised}` : normalised.replace(/^-\./, "-0.") };
}
