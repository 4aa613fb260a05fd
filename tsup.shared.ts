import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, relative, resolve, sep } from 'node:path';
import { pathToFileURL } from 'node:url';
import { defineConfig, type Options } from 'tsup';

/**
 * Dependencies published as ESM only, bundled into the CommonJS build (the ESM build keeps them
 * external). `require()` of an ES module hands back its namespace, and esbuild's CommonJS interop
 * then calls the namespace instead of its default export (`(0, import_x.default) is not a
 * function`); and Node 22.0–22.11, inside `engines`, cannot `require()` an ES module at all.
 */
const ESM_ONLY_DEPENDENCIES = ['jose', '@noble/hashes'];

/** An esbuild plugin, as tsup takes them (esbuild itself is tsup's dependency, not ours). */
type EsbuildPlugin = NonNullable<Options['esbuildPlugins']>[number];

/**
 * The entry of `@mlh/core` that hands out zod (`src/zod.ts`): under Node, the one copy bundled into
 * core's Node build; elsewhere, `zod/mini` itself.
 */
const CORE_ZOD = '@mlh/core/zod';

/** Where an adapter's builds read the list of what {@link CORE_ZOD} exports (run from the package). */
const CORE_ZOD_SOURCE = '../core/src/zod.ts';

/** The zod imports redirected to core's copy. */
const ZOD_IMPORT = /^zod\/(mini|locales)$/;

/**
 * Resolves `zod/mini` and `zod/locales` to `target`, left external, and fails the build when a
 * module reads a name that core's zod entry does not export (`z.email` with no `email` there would
 * otherwise be `undefined` at run time only). Node loads zod's own build as about a hundred files,
 * one at a time, and that was most of an adapter's first import (bench section 10): core's Node
 * build bundles zod once, and every other module takes it from there, so a process also loads one
 * copy, shared by core's models, `parseOrThrow` and the adapters' schemas. `bundledIn` is the
 * source module that bundles zod itself (core's `src/zod.ts`), whose imports are left alone.
 */
function zodFrom(target: string, coreZodSource: string, bundledIn?: string): EsbuildPlugin {
  return {
    name: 'zod-from-core',
    setup(build) {
      build.onResolve({ filter: ZOD_IMPORT }, (args) =>
        bundledIn && args.importer.endsWith(bundledIn) ? undefined : { path: target, external: true },
      );
      build.onEnd((result) => {
        if (result.errors.length > 0) return;
        const provided = namesExportedBy(readFileSync(coreZodSource, 'utf8'));
        const missing = new Set<string>();
        for (const file of result.outputFiles ?? []) {
          for (const name of namesReadFrom(file.text, target)) if (!provided.has(name)) missing.add(name);
        }
        if (missing.size > 0) {
          throw new Error(
            `${CORE_ZOD} does not export ${[...missing].join(', ')}: add it to packages/core/src/zod.ts`,
          );
        }
      });
    },
  };
}

/** The names an `export { a, b as c } from '…'` list of a module exports (`a`, `c`). */
function namesExportedBy(code: string): Set<string> {
  const lists = [...code.matchAll(/export\s*\{([^}]*)\}/g)].map((match) => match[1] ?? '');
  const names = lists.flatMap((list) =>
    list.split(',').map((item) =>
      item
        .trim()
        .split(/\s+as\s+/)
        .pop(),
    ),
  );
  return new Set(names.filter((name): name is string => Boolean(name)));
}

/**
 * The names a built module reads off `specifier`: through a namespace (`import * as z from …`,
 * or esbuild's CommonJS `var z = __toESM(require(…))`, then `z.string`) or by name (`import { en }`).
 */
function namesReadFrom(code: string, specifier: string): Set<string> {
  const quoted = JSON.stringify(specifier).replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
  const names = new Set<string>();
  const namespaces = [
    ...code.matchAll(new RegExp(`import \\* as (\\w+) from ${quoted}`, 'g')),
    ...code.matchAll(new RegExp(`var (\\w+) = (?:__toESM\\()?require\\(${quoted}\\)`, 'g')),
  ].map((match) => match[1] as string);
  for (const local of namespaces) {
    for (const [, name] of code.matchAll(new RegExp(`(?<![\\w$.])${local}\\.(\\w+)`, 'g')))
      names.add(name as string);
  }
  for (const [, list] of code.matchAll(new RegExp(`import \\{([^}]*)\\} from ${quoted}`, 'g'))) {
    for (const item of (list ?? '').split(',')) {
      const name = item.trim().split(/\s+as\s+/)[0];
      if (name) names.add(name);
    }
  }
  return names;
}

/** How a package's builds take zod. */
type ZodSource =
  /** Core: bundles zod into its Node builds and hands it out as {@link CORE_ZOD}. */
  | 'bundled-for-node'
  /** An adapter: its Node ESM and its CommonJS builds import zod as {@link CORE_ZOD}. */
  | 'from-core'
  /** Everything else: zod as the dependency it is. */
  | 'dependency';

/** The Node-only entries (`index.node`, `hmac.node`), chosen by the `node` export condition. */
function isNodeEntry(name: string): boolean {
  return name.endsWith('.node');
}

/** `entry` with only the names `keep` accepts. */
function entriesWhere(
  entry: Record<string, string>,
  keep: (name: string) => boolean,
): Record<string, string> {
  return Object.fromEntries(Object.entries(entry).filter(([name]) => keep(name)));
}

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

/** The one module of an adapter's Node build that holds every bundled entry (`dist/node/_bundle.js`). */
const NODE_BUNDLE = '_bundle';

/** The name under which the Node bundle exports the namespace of entry `name`. */
function namespaceOf(name: string): string {
  return `entry_${name.replace(/\W/g, '_')}`;
}

/**
 * Writes the source of the Node bundle: one namespace export per entry of `bundled`. It is a
 * build input, kept out of `src/` and `dist/` (what is published) in the package's build cache.
 */
function writeNodeBundleSource(entry: Record<string, string>, bundled: readonly string[]): string {
  const dir = join('node_modules', '.cache', 'mlh-build');
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `${NODE_BUNDLE}.ts`);
  const lines = bundled.map((name) => {
    const from = relative(dir, entry[name] as string)
      .split(sep)
      .join('/');
    return `export * as ${namespaceOf(name)} from '${from}';`;
  });
  writeFileSync(file, `${lines.join('\n')}\n`);
  return file;
}

/**
 * Writes `dist/node/<entry>.js` for each entry of `bundled`: its exports, by name, out of the Node
 * bundle (names read from the built bundle itself, so they are exactly the entry's). Exports are
 * functions, classes and constants, so a `const` copy of each binding is the binding. Each is
 * exported through a local name, so names that are reserved words (zod's `enum`, `null`) work.
 */
async function writeNodeFacades(bundled: readonly string[]): Promise<void> {
  const bundleUrl = pathToFileURL(resolve('dist/node', `${NODE_BUNDLE}.js`)).href;
  // A fresh URL per build: a watch build must not read the module the last build imported.
  const bundle: Record<string, Record<string, unknown>> = await import(`${bundleUrl}?build=${Date.now()}`);
  for (const name of bundled) {
    const namespace = namespaceOf(name);
    const names = Object.keys(bundle[namespace] ?? {});
    const locals = names.map((exported, index) => `${JSON.stringify(exported)}: e${index}`);
    const exports = names.map((exported, index) => `e${index} as ${exported}`);
    const body =
      names.length === 0
        ? `import './${NODE_BUNDLE}.js';\nexport {};\n`
        : `import { ${namespace} as entry } from './${NODE_BUNDLE}.js';\n` +
          `const { ${locals.join(', ')} } = entry;\nexport { ${exports.join(', ')} };\n`;
    writeFileSync(join('dist/node', `${name}.js`), body);
  }
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
 *   adapter read and compile about a hundred of them (see bench section 10). With `nodeBundled`,
 *   those entries are one module (`_bundle.js`) and each `dist/node/<entry>.js` hands out its
 *   entry's exports from it: the first import of any of them reads two or three files of the
 *   package rather than one per combination of entries sharing code (a score for an adapter).
 * - CJS: one bundled file per public entry, with ESM-only dependencies bundled in.
 * Declaration files (`.d.ts`, `.d.cts`) are written for the public entries only.
 *
 * `zod` says where the builds take zod from ({@link ZodSource}). Core's (`bundled-for-node`): its
 * Node ESM build bundles zod into one chunk that its entries share, and a CommonJS build for Node
 * is written beside it in `dist/node/` (its `*.node` entries and `zod`, the only file with zod in
 * it, which the others require), so CommonJS on Node also reads zod as one file; its `*.node`
 * entries are then left out of the portable CommonJS build, where nothing points at them.
 *
 * `entry` names the public entries (`{ index: 'src/index.ts', signer: 'src/signer.ts' }`); each
 * must be the source module of the same path, so the ESM file of an entry is that module.
 */
export function packageBuild(
  entry: Record<string, string> = { index: 'src/index.ts' },
  extra: Options = {},
  {
    nodeBuild = false,
    zod = 'dependency',
    nodeBundled = [],
  }: { nodeBuild?: boolean; zod?: ZodSource; nodeBundled?: readonly string[] } = {},
) {
  const modules = sourceModules();
  for (const [name, file] of Object.entries(entry)) {
    if (modules[name] !== file) throw new Error(`tsup entry ${name} must be src/${name}.ts, got ${file}`);
  }
  if (zod === 'bundled-for-node' && (!nodeBuild || entry.zod !== 'src/zod.ts')) {
    throw new Error('zod bundled for Node needs nodeBuild and the entry zod: src/zod.ts');
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
  // zod is a dependency, so tsup's own externals would keep it before a plugin could see it.
  const fromCore: Options =
    zod === 'from-core'
      ? { noExternal: ['zod/mini', 'zod/locales'], esbuildPlugins: [zodFrom(CORE_ZOD, CORE_ZOD_SOURCE)] }
      : {};
  const bundled = zod === 'bundled-for-node';
  for (const name of nodeBundled) {
    if (!entry[name]) throw new Error(`nodeBundled names ${name}, which is not an entry`);
  }
  const bundleSource =
    nodeBuild && nodeBundled.length > 0 ? writeNodeBundleSource(entry, nodeBundled) : undefined;
  const nodeEntry = bundleSource
    ? { [NODE_BUNDLE]: bundleSource, ...entriesWhere(entry, (name) => !nodeBundled.includes(name)) }
    : entry;
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
            entry: nodeEntry,
            format: ['esm'],
            splitting: true,
            outDir: 'dist/node',
            outExtension: () => ({ js: '.js' }),
            ...(bundled ? { noExternal: ['zod'] } : fromCore),
            ...(bundleSource ? { onSuccess: () => writeNodeFacades(nodeBundled) } : {}),
            ...extra,
          } satisfies Options,
        ]
      : []),
    ...(bundled
      ? [
          {
            ...common,
            entry: entriesWhere(entry, (name) => isNodeEntry(name) || name === 'zod'),
            format: ['cjs'],
            outDir: 'dist/node',
            noExternal: [...ESM_ONLY_DEPENDENCIES, 'zod'],
            esbuildPlugins: [zodFrom('./zod.cjs', 'src/zod.ts', 'src/zod.ts')],
            outExtension: () => ({ js: '.cjs' }),
            ...extra,
          } satisfies Options,
        ]
      : []),
    {
      ...common,
      entry: bundled ? entriesWhere(entry, (name) => !isNodeEntry(name)) : entry,
      format: ['cjs'],
      outExtension: () => ({ js: '.cjs' }),
      ...fromCore,
      noExternal: [...ESM_ONLY_DEPENDENCIES, ...((fromCore.noExternal as string[] | undefined) ?? [])],
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
 * it through); Node imports `dist/node/`, bundlers the per-module build. Under Node, `index`,
 * `lean` and the capability modules are one bundle (a first import of the adapter reads it and the
 * few files it shares with the `extra` entries, which stay small on their own: `signer` does not
 * load the client). On Node both take zod from core (`@mlh/core/zod`); the per-module build keeps
 * `zod/mini`, so what an app's bundle holds does not change.
 */
export function adapterBuild(capabilities: readonly string[], extra: Record<string, string> = {}) {
  const entry: Record<string, string> = { index: 'src/index.ts', ...extra, lean: 'src/lean.ts' };
  for (const name of capabilities) entry[name] = `src/${name}.ts`;
  const nodeBundled = ['index', 'lean', ...capabilities];
  return packageBuild(entry, { splitting: true }, { nodeBuild: true, zod: 'from-core', nodeBundled });
}
