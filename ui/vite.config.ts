import react from '@vitejs/plugin-react';
import { defineConfig } from 'vitest/config';

// The Tauri CLI expects the dev server on a fixed port (tauri.conf.json build.devUrl).
export default defineConfig({
  plugins: [react()],
  clearScreen: false,
  server: { port: 1420, strictPort: true },
  build: { target: 'es2022', outDir: 'dist', emptyOutDir: true },
  test: {
    environment: 'jsdom',
    setupFiles: ['src/test/setup.ts'],
    include: ['src/**/*.test.{ts,tsx}'],
  },
});
