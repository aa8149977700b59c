/// <reference types="vitest" />
import { defineConfig } from 'vite'
import react from '@vitejs/plugin-react'

export default defineConfig({
  plugins: [react()],
  test: {
    environment: 'jsdom',
    setupFiles: ['./src/test/setup.ts'],
    include: ['src/**/*.test.{ts,tsx}'],
    // The screen tests click through whole pages (jsdom is slow): 5 s is too tight on
    // CI's 2 busy cores; a hung test still fails.
    testTimeout: 30000,
  },
})
