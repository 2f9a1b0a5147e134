// Vite builds the web console into dist/console/, which `localvpc serve` serves at /_localvpc/console/.
// Part of `npm run build`: a user needs no extra step.
import { fileURLToPath } from "node:url";
import { defineConfig } from "vite";

const root = fileURLToPath(new URL(".", import.meta.url));

export default defineConfig({
  root,
  base: "/_localvpc/console/",
  logLevel: "warn",
  build: {
    outDir: fileURLToPath(new URL("../dist/console/", import.meta.url)),
    emptyOutDir: true,
    // elkjs is a large layout engine; one chunk for it is expected.
    chunkSizeWarningLimit: 2500,
    sourcemap: false,
  },
});
