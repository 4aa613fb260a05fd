// Installs the packed packages into a throw-away consumer and imports them from ESM and CJS,
// type-checks both module kinds, and runs the smoke on every Node binary given as an argument.
// The smoke (scripts/smoke/) sends real HTTP requests through a Shopee client to the sandbox
// server of @mlh/testing/server, checks every error class's name and the light entry points.
// Usage: node scripts/consumer-smoke.mjs [/path/to/node ...]
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const nodes = [process.execPath, ...process.argv.slice(2)];
const work = mkdtempSync(join(tmpdir(), 'mlh-consumer-'));
const tarballs = {};
for (const name of readdirSync(join(root, 'packages')).sort()) {
  const dir = join(root, 'packages', name);
  if (!existsSync(join(dir, 'dist'))) continue;
  const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
  const out = execFileSync('pnpm', ['pack', '--pack-destination', work], { cwd: dir, encoding: 'utf8' });
  const file = out.trim().split('\n').pop().trim();
  tarballs[pkg.name] = `file:${file.startsWith('/') ? file : join(work, file)}`;
}
writeFileSync(
  join(work, 'package.json'),
  JSON.stringify(
    {
      name: 'mlh-consumer',
      private: true,
      dependencies: { ...tarballs, typescript: '~6.0.3', '@types/node': '^20.19.0' },
      overrides: tarballs,
    },
    null,
    2,
  ),
);
cpSync(join(root, 'scripts', 'smoke'), work, { recursive: true });
execFileSync('npm', ['install', '--no-audit', '--no-fund', '--loglevel=error'], {
  cwd: work,
  stdio: 'inherit',
});
execFileSync(join(work, 'node_modules', '.bin', 'tsc'), ['-p', 'tsconfig.json'], {
  cwd: work,
  stdio: 'inherit',
});
for (const node of nodes) {
  const version = execFileSync(node, ['--version'], { encoding: 'utf8' }).trim();
  for (const file of ['smoke.mjs', 'smoke.cjs']) {
    execFileSync(node, [file], { cwd: work, stdio: 'inherit' });
    console.log(`✓ ${file} on Node ${version}`);
  }
}
console.log(`consumer smoke passed for ${Object.keys(tarballs).join(', ')}`);
