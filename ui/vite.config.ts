import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

// Built by the ui module's Maven build into target/classes/static: the app jar serves it at /.
export default defineConfig({
  plugins: [react()],
  build: { outDir: 'target/classes/static', emptyOutDir: true, chunkSizeWarningLimit: 1000 },
  server: { port: 5173, proxy: { '/api': 'http://localhost:8092', '/actuator': 'http://localhost:8092' } },
});
