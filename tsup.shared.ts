import { readdirSync, rmSync } from 'node:fs';
import { join, relative } from 'node:path';
import { defineConfig, type Options } from 'tsup';

/**
 * Dependencies published as ESM only, bundled into the CommonJS build (the ESM build keeps them
 * external). `require()` of an ES module hands back its namespace, and esbuild's CommonJS interop
 * then calls the namespace instead of its default export (`(0, import_x.default) is not a
 * function`); and Node 22.0–22.11, inside `engines`, cannot `require()` an ES module at all.
 */
const ESM_ONLY_DEPENDENCIES = ['jose', '@noble/hashes'];

/** Every source module, keyed by its path under `src/` without the extension (`api/orders`). */
function sourceModules(dir = 'src'): Record<string, string> {
  const modules: Record<string, string> = {};
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) Object.assign(modules, sourceModules(path));
    else if (/\.ts$/.test(entry.name) && !/\.d\.ts$/.test(entry.name)) {
      modules[relative('src', path).replace(/\.ts$/, '')] = path;
    }
  }
  return modules;
}

/**
 * The one build every published package uses.
 *
 * - ESM: one output module per source module (esbuild code splitting over every file), so a
 *   bundler can drop every module a consumer does not reach (`"sideEffects": false`). A single
 *   bundled file would keep every zod schema built at its top level.
 * - ESM for Node (`nodeBuild`): one file per public entry in `dist/node/` (code shared by entries
 *   in chunks, so each module's state exists once), for the `node` export condition. Node loads
 *   every file an import reaches, one at a time: the per-module build made the first import of an
 *   adapter read and compile about a hundred of them (see bench section 10).
 * - CJS: one bundled file per public entry, with ESM-only dependencies bundled in.
 * Declaration files (`.d.ts`, `.d.cts`) are written for the public entries only.
 *
 * `entry` names the public entries (`{ index: 'src/index.ts', signer: 'src/signer.ts' }`); each
 * must be the source module of the same path, so the ESM file of an entry is that module.
 */
export function packageBuild(
  entry: Record<string, string> = { index: 'src/index.ts' },
  extra: Options = {},
  { nodeBuild = false }: { nodeBuild?: boolean } = {},
) {
  const modules = sourceModules();
  for (const [name, file] of Object.entries(entry)) {
    if (modules[name] !== file) throw new Error(`tsup entry ${name} must be src/${name}.ts, got ${file}`);
  }
  // Both formats write into dist/ at once, so neither may clean it: clean once, here.
  rmSync('dist', { recursive: true, force: true });
  const common: Options = {
    sourcemap: true,
    clean: false,
    target: 'es2022',
    platform: 'neutral',
    tsconfig: 'tsconfig.build.json',
  };
  return defineConfig([
    {
      ...common,
      entry: modules,
      format: ['esm'],
      splitting: true,
      outExtension: () => ({ js: '.js' }),
      ...extra,
    },
    ...(nodeBuild
      ? [
          {
            ...common,
            entry,
            format: ['esm'],
            splitting: true,
            outDir: 'dist/node',
            outExtension: () => ({ js: '.js' }),
            ...extra,
          } satisfies Options,
        ]
      : []),
    {
      ...common,
      entry,
      format: ['cjs'],
      noExternal: ESM_ONLY_DEPENDENCIES,
      outExtension: () => ({ js: '.cjs' }),
      ...extra,
    },
    // One TypeScript pass writes both `.d.ts` and `.d.cts`.
    { ...common, entry, format: ['esm', 'cjs'], dts: { entry, only: true } },
  ]);
}

/**
 * An adapter's build: `index`, `lean` (the client with catalog, inventory, orders and fulfilment)
 * and one entry per capability module, the same names in every adapter ("one shape for every
 * adapter"), plus the adapter's own (`signer`). CommonJS is split too, so every entry shares one
 * copy of each module (a class or a per-module state is the same whichever entry an app requires
 * it through); Node imports `dist/node/` (a few files per entry: a fast first import), bundlers
 * the per-module build.
 */
export function adapterBuild(capabilities: readonly string[], extra: Record<string, string> = {}) {
  const entry: Record<string, string> = { index: 'src/index.ts', ...extra, lean: 'src/lean.ts' };
  for (const name of capabilities) entry[name] = `src/${name}.ts`;
  return packageBuild(entry, { splitting: true }, { nodeBuild: true });
}
