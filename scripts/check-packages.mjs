// Runs publint (strict) and @arethetypeswrong/cli on every built package, and checks that each
// README links only by absolute URL (a relative link is broken on the registry's page, where the
// rest of the repository is not); fails on any problem.
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
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
  const readme = join(dir, 'README.md');
  const relative = existsSync(readme)
    ? [...readFileSync(readme, 'utf8').matchAll(/\]\(([^)\s]+)\)|^\[[^\]]+\]:\s*(\S+)/gm)]
        .map((match) => match[1] ?? match[2])
        .filter((target) => !/^(https?:|mailto:|#)/.test(target))
    : [];
  if (relative.length > 0) {
    failed = true;
    console.error(`✗ packages/${name}: README links that break on the registry: ${relative.join(', ')}`);
  } else {
    console.log(`✓ packages/${name}: README links`);
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
