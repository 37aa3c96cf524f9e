import { build } from 'vite';

/**
 * Builds the web app into `outDir`. Tests build it from the packages' sources
 * (`fromSource`), so no `pnpm build` is needed first; `pnpm dev` builds it from their `dist`.
 */
export async function buildWebApp(options: {
  outDir: string;
  fromSource?: boolean;
}): Promise<void> {
  const previous = process.env.HEARTH_SOURCE;
  process.env.HEARTH_SOURCE = options.fromSource ? '1' : '0';
  try {
    await build({
      configFile: new URL('./vite.config.ts', import.meta.url).pathname,
      logLevel: 'warn',
      build: { outDir: options.outDir, emptyOutDir: true },
    });
  } finally {
    if (previous === undefined) delete process.env.HEARTH_SOURCE;
    else process.env.HEARTH_SOURCE = previous;
  }
}
