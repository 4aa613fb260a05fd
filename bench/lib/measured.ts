/**
 * What the bench measures: the built packages (`dist/`, what users install; `pnpm bench`) or the
 * TypeScript sources (`pnpm bench:src`, for working on a package without rebuilding). Which one
 * is decided by the tsconfig tsx runs with (tsconfig.dist.json has no paths, so `@mlh/*` resolve
 * through the packages' `exports` to `dist/`), and read back here from where `@mlh/core` resolved.
 */
import { readdirSync, statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** `dist` when `@mlh/core` resolves to its build, `sources` otherwise. */
export const measured: 'dist' | 'sources' = import.meta.resolve('@mlh/core').includes('/dist/')
  ? 'dist'
  : 'sources';

/** The tsconfig the bench's child processes must run with, so they load what the parent loads. */
export const benchTsconfig = fileURLToPath(
  new URL(measured === 'dist' ? '../tsconfig.dist.json' : '../tsconfig.json', import.meta.url),
);

const packagesDir = fileURLToPath(new URL('../../packages/', import.meta.url));

function newestFile(dir: string): number {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = `${dir}/${entry.name}`;
    newest = Math.max(newest, entry.isDirectory() ? newestFile(path) : statSync(path).mtimeMs);
  }
  return newest;
}

/**
 * Why the built packages cannot be measured (a package without `dist/`, or a `dist/` older than
 * its sources), or undefined when they can. A stale build would report figures of code that is
 * not the code under review.
 */
export function distProblem(): string | undefined {
  const problems: string[] = [];
  for (const name of readdirSync(packagesDir)) {
    const src = `${packagesDir}${name}/src`;
    const dist = `${packagesDir}${name}/dist`;
    let built: number;
    try {
      built = statSync(`${dist}/index.js`).mtimeMs;
    } catch {
      problems.push(`@mlh/${name} has no dist/`);
      continue;
    }
    if (newestFile(src) > built) problems.push(`@mlh/${name}'s dist/ is older than its src/`);
  }
  return problems.length === 0
    ? undefined
    : `${problems.join('; ')}: run \`pnpm build\` first (or \`pnpm --filter @mlh/bench bench:src\` to measure the sources)`;
}
