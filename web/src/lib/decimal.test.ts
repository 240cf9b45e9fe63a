import { describe, expect, it } from "vitest";
import { compareDecimal, isZero, negate, parseDecimal, remainder } from "./decimal";

describe("remainder", () => {
  it("is exact where floats are not", () => {
    // 0.1 + 0.2 is 0.30000000000000004 as floats.
    expect(remainder("0.30", ["0.10", "0.20"])).toBe("0.00");
    expect(remainder("-100.00", ["-33.33", "-33.33"])).toBe("-33.34");
    expect(remainder("1500", ["1000"])).toBe("500");
  });

  it("keeps the most precise input's decimals", () => {
    expect(remainder("10", ["2.5", "2.25"])).toBe("5.25");
    expect(remainder("-0.05", [])).toBe("-0.05");
  });

  it("says nothing for what is not a decimal", () => {
    expect(remainder("10", ["abc"])).toBeNull();
    expect(remainder("", [])).toBeNull();
    expect(remainder("1e3", [])).toBeNull();
  });
});

describe("decimals", () => {
  it("reads plain decimals only", () => {
    expect(parseDecimal("-12.50")).toEqual({ units: -1250n, scale: 2 });
    expect(parseDecimal(".5")).toEqual({ units: 5n, scale: 1 });
    expect(parseDecimal("1,5")).toBeNull();
    expect(parseDecimal("-")).toBeNull();
  });

  it("compares, negates and knows zero", () => {
    expect(compareDecimal("10.0", "9.99")).toBe(1);
    expect(compareDecimal("-1", "-1.00")).toBe(0);
    expect(negate("12.50")).toBe("-12.50");
    expect(negate("-0.5")).toBe("0.5");
    expect(isZero("-0.00")).toBe(true);
    expect(isZero("0.01")).toBe(false);
  });
});
