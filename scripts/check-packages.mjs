// Runs publint (strict) and @arethetypeswrong/cli on every built package; fails on any problem.
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const packagesDir = join(root, 'packages');
let failed = false;
for (const name of readdirSync(packagesDir).sort()) {
  const dir = join(packagesDir, name);
  if (!existsSync(join(dir, 'package.json'))) continue;
  if (!existsSync(join(dir, 'dist'))) {
    console.error(`✗ packages/${name}: no dist/ (run pnpm build first)`);
    failed = true;
    continue;
  }
  for (const [tool, args] of [
    ['publint', ['--strict']],
    ['attw', ['--pack', '.', '--profile', 'node16', '--format', 'ascii']],
  ]) {
    try {
      execFileSync(join(root, 'node_modules', '.bin', tool), args, { cwd: dir, stdio: 'pipe' });
      console.log(`✓ packages/${name}: ${tool}`);
    } catch (error) {
      failed = true;
      console.error(`✗ packages/${name}: ${tool}\n${error.stdout ?? ''}${error.stderr ?? ''}`);
    }
  }
}
process.exit(failed ? 1 : 0);
