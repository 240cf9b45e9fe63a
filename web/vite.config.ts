// The web app's build: React, Tailwind, hashed assets under /assets/ (nginx caches them for a
// year), and the screens past sign-in in chunks of their own so the first load stays small.
import react from "@vitejs/plugin-react";
import tailwindcss from "@tailwindcss/vite";
import { defineConfig } from "vite";

export default defineConfig({
  plugins: [react(), tailwindcss()],
  build: {
    target: "es2022",
    sourcemap: false,
    assetsDir: "assets",
  },
  server: {
    // `npm run dev` next to `make run`: the API and its WebSocket through nginx.
    proxy: { "/api": { target: "http://127.0.0.1:8080", ws: true } },
  },
  test: {
    include: ["src/**/*.test.ts", "src/**/*.test.tsx"],
    // The components render into jsdom; the pure modules do not mind it.
    environment: "jsdom",
  },
});
