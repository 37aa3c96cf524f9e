import { defineConfig } from 'tsup';

export default defineConfig({
  // `terms` is its own entry: a browser bundle that needs only the words gets no zod.
  entry: { index: 'src/index.ts', terms: 'src/tenancy/terms.ts' },
  format: 'esm',
  dts: { compilerOptions: { customConditions: [] } },
  sourcemap: true,
  clean: true,
});
