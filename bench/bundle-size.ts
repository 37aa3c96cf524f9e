/**
 * How much `@hearth/client` and `@hearth/ui` add to a consumer's JavaScript: each entry below is
 * bundled from the packages' built `dist` (as a consumer gets them from npm) by Vite, minified,
 * with React and React DOM left out (the app has them anyway), then gzipped. Everything else
 * they pull in is counted: tRPC's client, TanStack Query, React Aria, and what they use of
 * `@hearth/core` (zod included). Run `pnpm build` first.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { build, type Rollup } from 'vite';

const root = new URL('..', import.meta.url).pathname;
for (const pkg of ['client', 'ui', 'core']) {
  if (!existsSync(join(root, 'packages', pkg, 'dist', 'index.js'))) {
    throw new Error(`packages/${pkg}/dist is missing: run \`pnpm build\` first`);
  }
}

const entries: Record<string, string> = {
  '@hearth/client (createHearthClient)': `export { createHearthClient } from '@hearth/client';`,
  '@hearth/ui: a conversation screen (HearthProvider, AppShell, Conversation)': `export { HearthProvider, SafeLocationProvider, AppShell, Conversation } from '@hearth/ui';`,
  '@hearth/ui: every component and hook': `export * from '@hearth/ui';`,
  '@hearth/ui + @hearth/client: the whole Future You app would use': `export * from '@hearth/ui'; export { createHearthClient } from '@hearth/client';`,
};

const dir = mkdtempSync(join(root, 'bench', '.bundle-size-'));
const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`;
try {
  console.log(
    '\nBundle sizes as a consumer bundles them (Vite 8, minified, React and React DOM external)',
  );
  for (const [name, source] of Object.entries(entries)) {
    const entry = join(dir, 'entry.js');
    writeFileSync(entry, source);
    const built = (await build({
      configFile: false,
      root: dir,
      logLevel: 'silent',
      // As an app's production build does: libraries drop their development-only code.
      define: { 'process.env.NODE_ENV': '"production"' },
      build: {
        write: false,
        minify: true,
        // An app build (library mode keeps whitespace in ES output), keeping the entry's exports.
        rollupOptions: {
          input: entry,
          preserveEntrySignatures: 'strict',
          external: [/^react($|\/)/, /^react-dom($|\/)/],
        },
      },
    })) as Rollup.RollupOutput | Rollup.RollupOutput[];
    const code = [built]
      .flat()
      .flatMap((r) => r.output)
      .filter((o): o is Rollup.OutputChunk => o.type === 'chunk')
      .map((o) => o.code)
      .join('\n');
    console.log(
      `  ${name.padEnd(76)} ${kb(Buffer.byteLength(code)).padStart(9)} min  ${kb(gzipSync(code, { level: 9 }).length).padStart(8)} gzip`,
    );
  }
  const css = readFileSync(join(root, 'packages', 'ui', 'dist', 'styles.css'));
  console.log(
    `  ${'@hearth/ui/styles.css'.padEnd(76)} ${kb(css.length).padStart(9)}      ${kb(gzipSync(css, { level: 9 }).length).padStart(8)} gzip`,
  );
} finally {
  rmSync(dir, { recursive: true, force: true });
}
