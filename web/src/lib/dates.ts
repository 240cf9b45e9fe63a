// Dates are calendar days ("2026-11-05"), not instants: formatted in UTC so no time zone
// moves them to the day before.

const formats = new Map<string, Intl.DateTimeFormat>();

function formatter(locale: string, options: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  const key = `${locale}|${JSON.stringify(options)}`;
  let format = formats.get(key);
  if (!format) {
    format = new Intl.DateTimeFormat(locale, { ...options, timeZone: "UTC" });
    formats.set(key, format);
  }
  return format;
}

function utc(day: string): Date {
  const [y, m, d] = day.split("-").map(Number);
  return new Date(Date.UTC(y ?? 1970, (m ?? 1) - 1, d ?? 1));
}

/** "2026-11-05" → "Nov 5, 2026" (en-US), "05.11.2026" (de-DE). */
export function formatDay(day: string, locale: string): string {
  return formatter(locale, { dateStyle: "medium" }).format(utc(day));
}

/** "2026-11-01" → "Nov 2026". */
export function formatMonth(day: string, locale: string): string {
  return formatter(locale, { month: "short", year: "numeric" }).format(utc(day));
}

/** Today as a calendar day in the browser's time zone. */
export function today(now: Date = new Date()): string {
  const pad = (n: number) => String(n).padStart(2, "0");
  return `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}`;
}

/** The first day of the month `offset` months from `day`'s month. */
export function monthStart(day: string, offset = 0): string {
  const d = utc(day);
  const first = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + offset, 1));
  return first.toISOString().slice(0, 10);
}

/** Whether `text` is a real calendar day in YYYY-MM-DD form. */
export function isDay(text: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(text)) return false;
  return utc(text).toISOString().slice(0, 10) === text;
}
