#!/usr/bin/env node
// Packs every built package of this clone into tarballs, for an application to install before
// the packages are on the registry (or to try an unreleased change). Prints what to put in the
// application's package.json: the tarballs as dependencies, and as overrides so that the
// packages' own @mlh dependencies resolve to the same tarballs instead of the registry.
// Usage: pnpm run pack:local [directory]   (default: .tmp/packs in this clone)
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { isAbsolute, join, resolve } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const destination = resolve(process.argv[2] ?? join(root, '.tmp', 'packs'));
mkdirSync(destination, { recursive: true });

const tarballs = {};
for (const name of readdirSync(join(root, 'packages')).sort()) {
  const dir = join(root, 'packages', name);
  if (!existsSync(join(dir, 'package.json'))) continue;
  const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
  if (pkg.private) continue;
  if (!existsSync(join(dir, 'dist'))) {
    console.error(`${pkg.name} is not built: run \`pnpm run build\` first`);
    process.exit(1);
  }
  const out = execFileSync('pnpm', ['pack', '--pack-destination', destination], {
    cwd: dir,
    encoding: 'utf8',
  });
  const file = out.trim().split('\n').pop().trim();
  tarballs[pkg.name] = `file:${isAbsolute(file) ? file : join(destination, file)}`;
}

console.log(`Packed ${Object.keys(tarballs).length} packages into ${destination}.
In your application's package.json, keep the @mlh packages you use under "dependencies" and add
all of them as overrides (npm: "overrides"; pnpm: "pnpm": { "overrides": … }), then install:
`);
console.log(JSON.stringify({ dependencies: tarballs, overrides: tarballs }, null, 2));
