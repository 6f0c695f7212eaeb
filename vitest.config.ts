// Test runner settings: all tests live under tests/. Forks (not threads) because native modules
// (better-sqlite3) and the Wasm schema engine keep per-process state.
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['tests/**/*.test.ts'],
    testTimeout: 30000,
    // Suites start real bots, fake servers and databases in beforeAll: a busy 2-core CI machine needs more than vitest's 10 s.
    hookTimeout: 60000,
    pool: 'forks',
  },
});
