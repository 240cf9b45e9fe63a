import { describe, expect, it } from "vitest";
import { apiQuery, chips, readFilters, writeFilters } from "./filters";

describe("filters in the URL", () => {
  it("read back what they wrote", () => {
    const filters = readFilters(
      new URLSearchParams("from=2026-11-01&to=2026-11-30&accounts=a,b&categories=c&tags=work&min=-100&q=rent&uncategorized=1&sort=amount&import=i1"),
    );
    expect(filters).toEqual({
      from: "2026-11-01",
      to: "2026-11-30",
      accountIds: ["a", "b"],
      categoryIds: ["c"],
      tags: ["work"],
      minAmount: "-100",
      q: "rent",
      uncategorized: true,
      importId: "i1",
      sort: "amount",
    });
    expect(readFilters(writeFilters(filters))).toEqual(filters);
  });

  it("write nothing for the defaults and ignore a sort they do not know", () => {
    expect(writeFilters(readFilters(new URLSearchParams(""))).toString()).toBe("");
    expect(readFilters(new URLSearchParams("sort=price")).sort).toBe("-date");
  });

  it("become the API's query", () => {
    const query = apiQuery(readFilters(new URLSearchParams("accounts=a,b&uncategorized=1")));
    expect(query.account_ids).toBe("a,b");
    expect(query.uncategorized).toBe(true);
    expect(query.category_ids).toBeUndefined();
  });

  it("show a chip per filter that removes only itself", () => {
    const filters = readFilters(new URLSearchParams("q=rent&accounts=a,b"));
    const shown = chips(filters, (id) => `name of ${id}`);
    expect(shown.map((c) => c.label)).toEqual(["“rent”", "name of a", "name of b"]);
    expect(shown[1]?.without.accountIds).toEqual(["b"]);
    expect(shown[1]?.without.q).toBe("rent");
  });
});
