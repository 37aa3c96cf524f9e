import { defineConfig } from 'tsup';

export default defineConfig({
  entry: ['src/index.ts', 'src/adapters/node.ts', 'src/adapters/fetch.ts'],
  format: 'esm',
  dts: { compilerOptions: { customConditions: [] } },
  sourcemap: true,
  clean: true,
});
