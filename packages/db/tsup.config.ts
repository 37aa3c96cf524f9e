import { defineConfig } from 'tsup';

export default defineConfig({
  entry: ['src/index.ts', 'src/postgres.ts', 'src/pglite.ts', 'src/testing.ts'],
  format: 'esm',
  dts: { compilerOptions: { customConditions: [] } },
  sourcemap: true,
  clean: true,
});
