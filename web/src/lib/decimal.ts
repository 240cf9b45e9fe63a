// Exact decimal arithmetic on the API's money strings ("-42.50", "1500"): scaled BigInts,
// never floats, so a split's remainder is exactly zero or it is not.

/** A decimal as an integer count of 10^-scale. */
interface Scaled {
  units: bigint;
  scale: number;
}

const DECIMAL = /^([+-]?)(\d*)(?:\.(\d*))?$/;

/** Reads a plain decimal string ("-12.5", "3", ".25"); null when it is not one. */
export function parseDecimal(text: string): Scaled | null {
  const match = DECIMAL.exec(text.trim());
  if (!match) return null;
  const [, sign = "", whole = "", fraction = ""] = match;
  if (whole === "" && fraction === "") return null;
  const units = BigInt(`${whole || "0"}${fraction}`);
  return { units: sign === "-" ? -units : units, scale: fraction.length };
}

function rescale(value: Scaled, scale: number): bigint {
  return value.units * 10n ** BigInt(scale - value.scale);
}

/** The decimal as a string with exactly `scale` decimals. */
function render(units: bigint, scale: number): string {
  const negative = units < 0n;
  const digits = (negative ? -units : units).toString().padStart(scale + 1, "0");
  const whole = digits.slice(0, digits.length - scale);
  const fraction = scale > 0 ? `.${digits.slice(digits.length - scale)}` : "";
  return `${negative ? "-" : ""}${whole}${fraction}`;
}

/** `total` minus the sum of `parts`, with as many decimals as the most precise input;
 * null when any of them is not a decimal. */
export function remainder(total: string, parts: readonly string[]): string | null {
  const values = [total, ...parts].map(parseDecimal);
  if (values.some((v) => v === null)) return null;
  const scaled = values as Scaled[];
  const scale = Math.max(...scaled.map((v) => v.scale));
  const [first, ...rest] = scaled.map((v) => rescale(v, scale));
  const left = rest.reduce((acc, v) => acc - v, first ?? 0n);
  return render(left, scale);
}

/** Whether a decimal string is exactly zero. */
export function isZero(text: string): boolean {
  const value = parseDecimal(text);
  return value !== null && value.units === 0n;
}

/** Whether a decimal string is below zero. */
export function isNegative(text: string): boolean {
  const value = parseDecimal(text);
  return value !== null && value.units < 0n;
}

/** Compares two decimal strings (-1, 0, 1); null when either is not a decimal. */
export function compareDecimal(a: string, b: string): number | null {
  const x = parseDecimal(a);
  const y = parseDecimal(b);
  if (x === null || y === null) return null;
  const scale = Math.max(x.scale, y.scale);
  const d = rescale(x, scale) - rescale(y, scale);
  return d < 0n ? -1 : d > 0n ? 1 : 0;
}

/** The negation of a decimal string (for entering spending as a positive number). */
export function negate(text: string): string | null {
  const value = parseDecimal(text);
  return value === null ? null : render(-value.units, value.scale);
}
