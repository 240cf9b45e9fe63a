// The browser tests: Debian's chromium driven by playwright-core against the whole stack
// that scripts/web-e2e.sh starts (nginx, API, ML worker, PostgreSQL, Redis). One at a time:
// they share the stack, and the machine has two cores.
import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["e2e/**/*.e2e.ts"],
    environment: "node",
    testTimeout: 90_000,
    hookTimeout: 60_000,
    fileParallelism: false,
    sequence: { concurrent: false },
  },
});
