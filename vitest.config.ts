import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['**/*.test.ts'],
    exclude: ['node_modules/**', 'dist/**', 'data/**'],
    testTimeout: 20_000,
    hookTimeout: 60_000,
    // e2e files start servers and Chromium; two cores are shared by everything.
    maxWorkers: 2,
  },
});
