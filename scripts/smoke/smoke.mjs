// The consumer smoke from an ES module: the packages loaded with `import`, then the shared checks.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import * as core from '@mlh/core';
import * as meli from '@mlh/meli';
import * as shopee from '@mlh/shopee';
import * as shopeeSigner from '@mlh/shopee/signer';
import * as sync from '@mlh/sync';
import * as testing from '@mlh/testing';
import * as server from '@mlh/testing/server';
import * as tiktok from '@mlh/tiktok';
import * as tiktokSigner from '@mlh/tiktok/signer';
import { runChecks } from './checks.cjs';

await runChecks({ core, meli, shopee, shopeeSigner, tiktok, tiktokSigner, sync, testing, server });

// Node's `import` reads an adapter's `dist/node/` (its entries served out of one bundle), `require`
// its CommonJS build: every subpath must hand out the same names through both.
const require = createRequire(import.meta.url);
let subpaths = 0;
for (const pkg of ['@mlh/meli', '@mlh/shopee', '@mlh/tiktok']) {
  const manifest = JSON.parse(
    readFileSync(new URL(`./node_modules/${pkg}/package.json`, import.meta.url), 'utf8'),
  );
  for (const [subpath, conditions] of Object.entries(manifest.exports)) {
    if (!conditions.import?.node) continue;
    const specifier = `${pkg}${subpath.slice(1)}`;
    const imported = Object.keys(await import(specifier)).sort();
    const required = Object.keys(require(specifier)).sort();
    assert.deepEqual(imported, required, `${specifier}: import and require export different names`);
    assert.ok(imported.length > 0, `${specifier} exports nothing`);
    subpaths += 1;
  }
}
assert.ok(subpaths >= 30, `only ${subpaths} adapter subpaths checked`);
console.log(`  ${subpaths} adapter subpaths export the same names through import and require`);
