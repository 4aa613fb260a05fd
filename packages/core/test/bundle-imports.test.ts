import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const packagesDir = fileURLToPath(new URL('../../', import.meta.url));
/** The packages an app bundles; the sandboxes (`@mlh/testing`) are for tests and may use classic zod. */
const BUNDLED = ['core', 'meli', 'shopee', 'tiktok', 'sync', 'sync-postgres', 'fleet'];

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return entry.name.endsWith('.ts') ? [path] : [];
  });
}

describe('what an app bundles', () => {
  it('reaches zod only through zod/mini, so classic zod (about 25 KB gzip) never lands in a bundle', () => {
    const offenders = BUNDLED.flatMap((name) => sourceFiles(join(packagesDir, name, 'src')))
      .filter((file) => /^import(?!\s+type\b)[^;]*from\s+'zod(?:\/v4)?'/m.test(readFileSync(file, 'utf8')))
      .map((file) => relative(packagesDir, file));
    expect(offenders).toEqual([]);
  });
});
