import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const packageDir = join(import.meta.dirname, '..');
const manifest = JSON.parse(readFileSync(join(packageDir, 'package.json'), 'utf8')) as {
  dependencies?: Record<string, string>;
};

describe('published types', () => {
  it("installs @types/pg with the package, since its declarations import pg's types", () => {
    const sources = readdirSync(join(packageDir, 'src')).map((file) =>
      readFileSync(join(packageDir, 'src', file), 'utf8'),
    );
    expect(sources.some((text) => /from 'pg'/.test(text))).toBe(true);
    // As a devDependency, a consumer compiling with skipLibCheck: false gets TS7016 on 'pg'.
    expect(manifest.dependencies).toHaveProperty('@types/pg');
  });
});
