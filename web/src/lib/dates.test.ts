import { describe, expect, it } from "vitest";
import { formatDay, formatMonth, isDay, monthStart, today } from "./dates";

describe("dates", () => {
  it("formats calendar days without moving them across time zones", () => {
    expect(formatDay("2026-11-05", "en-US")).toBe("Nov 5, 2026");
    expect(formatDay("2026-01-01", "de-DE")).toBe("01.01.2026");
    expect(formatMonth("2026-11-01", "en-US")).toBe("Nov 2026");
  });

  it("finds month starts and checks days", () => {
    expect(monthStart("2026-11-17")).toBe("2026-11-01");
    expect(monthStart("2026-01-31", -1)).toBe("2025-12-01");
    expect(monthStart("2026-12-31", 1)).toBe("2027-01-01");
    expect(isDay("2026-02-29")).toBe(false);
    expect(isDay("2028-02-29")).toBe(true);
    expect(isDay("2026-2-1")).toBe(false);
    expect(today(new Date(2026, 10, 5, 23, 59))).toBe("2026-11-05");
  });
});
