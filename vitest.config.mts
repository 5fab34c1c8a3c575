import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    globalSetup: ["test/support/global-setup.ts", "test/support/postgres-setup.ts"],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // Engine tests start real Pulumi CLIs; two cores cannot run many at once.
    maxWorkers: 2,
    fileParallelism: true,
  },
});
