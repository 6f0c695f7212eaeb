// Test runner settings: all tests live under tests/. Forks (not threads) because native modules
// (better-sqlite3) and the Wasm schema engine keep per-process state.
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['tests/**/*.test.ts'],
    testTimeout: 30000,
    pool: 'forks',
  },
});
