import { describe, expect, it } from "vitest";
import { currencyDigits, formatMoney, parseAmountInput } from "./money";

describe("formatMoney", () => {
  it("follows the currency and the locale", () => {
    expect(formatMoney("-42.50", "EUR", "en-US")).toBe("-€42.50");
    expect(formatMoney("-42.50", "EUR", "de-DE").replace(/\s/g, " ")).toBe("-42,50 €");
    expect(formatMoney("1500", "JPY", "en-US")).toBe("¥1,500");
  });

  it("formats large amounts exactly, without a float in between", () => {
    // 2^53 + 1 is not a float; as a string it is formatted digit for digit.
    expect(formatMoney("9007199254740993.01", "USD", "en-US")).toBe("$9,007,199,254,740,993.01");
  });

  it("shows a plus for money in when asked", () => {
    expect(formatMoney("12", "USD", "en-US", { signed: true })).toBe("+$12.00");
    expect(formatMoney("0", "USD", "en-US", { signed: true })).toBe("$0.00");
  });
});

describe("parseAmountInput", () => {
  it("reads what people type in their locale", () => {
    expect(parseAmountInput("-12.5", "en-US", 2)).toEqual({ ok: true, value: "-12.5" });
    expect(parseAmountInput("1,234.56", "en-US", 2)).toEqual({ ok: true, value: "1234.56" });
    expect(parseAmountInput("1.234,56", "de-DE", 2)).toEqual({ ok: true, value: "1234.56" });
    expect(parseAmountInput("-12,50 €", "de-DE", 2)).toEqual({ ok: true, value: "-12.50" });
    expect(parseAmountInput("12.5", "de-DE", 2)).toEqual({ ok: true, value: "12.5" });
    expect(parseAmountInput(".5", "en-US", 2)).toEqual({ ok: true, value: "0.5" });
  });

  it("says what is wrong", () => {
    expect(parseAmountInput("", "en-US", 2)).toMatchObject({ ok: false });
    expect(parseAmountInput("abc", "en-US", 2)).toMatchObject({ ok: false });
    expect(parseAmountInput("1.234", "en-US", 2)).toEqual({ ok: false, message: "at most 2 decimals" });
    expect(parseAmountInput("10.5", "en-US", 0)).toEqual({ ok: false, message: "this currency has no decimals" });
  });

  it("knows each currency's decimals", () => {
    expect(currencyDigits("EUR")).toBe(2);
    expect(currencyDigits("JPY")).toBe(0);
    expect(currencyDigits("BHD")).toBe(3);
  });
});
