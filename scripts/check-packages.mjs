// Checks every published package as npm would see it: publint (strict) for the package.json
// and its files, and "Are the types wrong?" for how TypeScript resolves its entry points.
// Run after `pnpm build`.
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const bin = (name) => join(root, 'node_modules', '.bin', name);
let failed = 0;
for (const dir of readdirSync(join(root, 'packages'))) {
  const cwd = join(root, 'packages', dir);
  const pkg = JSON.parse(readFileSync(join(cwd, 'package.json'), 'utf8'));
  if (pkg.private) continue;
  // Stylesheets are entry points for bundlers, not for TypeScript: attw has nothing to check.
  const stylesheets = Object.keys(pkg.exports ?? {}).filter((entry) => entry.endsWith('.css'));
  const exclude = stylesheets.length > 0 ? ['--exclude-entrypoints', ...stylesheets] : [];
  for (const [tool, args] of [
    ['publint', ['--strict']],
    // ESM-only packages: CommonJS `require` resolution is out of scope by design.
    ['attw', ['--pack', '.', '--profile', 'esm-only', '--format', 'table-flipped', ...exclude]],
  ]) {
    try {
      const out = execFileSync(bin(tool), args, { cwd, encoding: 'utf8', stdio: 'pipe' });
      console.log(`✓ ${pkg.name}: ${tool}`);
      if (process.env.VERBOSE) console.log(out);
    } catch (error) {
      failed++;
      console.error(`✗ ${pkg.name}: ${tool}\n${error.stdout ?? ''}${error.stderr ?? ''}`);
    }
  }
}
if (failed > 0) {
  console.error(`${failed} package check(s) failed`);
  process.exit(1);
}
