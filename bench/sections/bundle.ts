import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { build, type Metafile } from 'esbuild';
import type { BenchMode } from '../lib/mode';
import { fmt, type Row, type SectionResult, skippedRow } from '../lib/report';

const KB = 1024;
const LIGHT_TARGET = 10 * KB;
const CLIENT_TARGET = 50 * KB;

const benchDir = fileURLToPath(new URL('..', import.meta.url));
const packagesDir = fileURLToPath(new URL('../../packages/', import.meta.url));

/** What a consumer's bundle holds, minified, and where its bytes come from. */
interface Bundle {
  minified: number;
  gzip: number;
  /** Minified bytes by origin: `@mlh/<package>` or the npm package name. */
  bySource: Record<string, number>;
}

/** Where an input of the bundle comes from: `@mlh/shopee` for packages/shopee/dist/..., else the npm name. */
function sourceOf(input: string): string {
  const ours = /packages\/([^/]+)\/dist\//.exec(input);
  if (ours) return `@mlh/${ours[1]}`;
  const parts = input.split('node_modules/');
  const tail = parts[parts.length - 1] ?? input;
  const match = /^(@[^/]+\/[^/]+|[^/]+)/.exec(tail);
  return match?.[1] ?? input;
}

/**
 * Bundles `code` the way an app's bundler would: esbuild, minified, tree-shaken, for the browser
 * platform (workers, edge runtimes), resolving `@mlh/*` to the BUILT packages (their `exports` →
 * `dist/`), never to the sources the workspace's tsconfig paths point at.
 */
async function bundle(code: string): Promise<Bundle> {
  const result = await build({
    stdin: { contents: code, resolveDir: benchDir, loader: 'js', sourcefile: 'app.js' },
    bundle: true,
    minify: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    // The workspace tsconfig maps @mlh/* to src/: a consumer only ever sees dist/.
    tsconfigRaw: '{}',
    write: false,
    metafile: true,
    logLevel: 'silent',
  });
  const output = result.outputFiles[0]?.contents ?? new Uint8Array();
  const meta = Object.values((result.metafile as Metafile).outputs)[0];
  const bySource: Record<string, number> = {};
  for (const [input, { bytesInOutput }] of Object.entries(meta?.inputs ?? {})) {
    if (bytesInOutput === 0 || input === 'app.js') continue;
    const source = sourceOf(input);
    bySource[source] = (bySource[source] ?? 0) + bytesInOutput;
  }
  return { minified: output.length, gzip: gzipSync(output, { level: 9 }).length, bySource };
}

function kb(bytes: number): string {
  return `${fmt(bytes / KB, 1)} KB`;
}

function breakdown(result: Bundle): string {
  return Object.entries(result.bySource)
    .sort((a, b) => b[1] - a[1])
    .map(([source, bytes]) => `${source} ${kb(bytes)}`)
    .join(', ');
}

interface Case {
  figure: string;
  code: string;
  target: number;
  /** Printed under the rows with the bundle's breakdown, when set. */
  note?: string;
}

const TOKEN_STORE = "import { MemoryTokenStore } from '@mlh/core';";

/** The consumers measured: light parts alone, one full client, three adapters with one used. */
const LIGHT: Case[] = [
  {
    figure: 'signShopeeRequest alone (@mlh/shopee/signer)',
    code: "import { signShopeeRequest } from '@mlh/shopee/signer'; export const sign = signShopeeRequest;",
    target: LIGHT_TARGET,
  },
  {
    figure: 'signTikTokRequest alone (@mlh/tiktok/signer)',
    code: "import { signTikTokRequest } from '@mlh/tiktok/signer'; export const sign = signTikTokRequest;",
    target: LIGHT_TARGET,
  },
  {
    figure: 'signShopeeRequest alone, from @mlh/shopee',
    code: "import { signShopeeRequest } from '@mlh/shopee'; export const sign = signShopeeRequest;",
    target: LIGHT_TARGET,
  },
  {
    figure: 'Shopee push signature check alone (signShopeePush + timingSafeEqual)',
    code: `import { timingSafeEqual } from '@mlh/core'; import { signShopeePush } from '@mlh/shopee';
export const check = async (input, header) => timingSafeEqual(await signShopeePush(input), header);`,
    target: LIGHT_TARGET,
  },
  {
    figure: 'verifyShopeePush alone (verify + parse)',
    code: "import { verifyShopeePush } from '@mlh/shopee'; export const verify = verifyShopeePush;",
    target: LIGHT_TARGET,
    note: 'the verifiers read their small envelope without zod; the rest is the HMAC, the lossless JSON parser and the mapping to a core event',
  },
  {
    figure: 'verifyTikTokWebhook alone (verify + parse)',
    code: "import { verifyTikTokWebhook } from '@mlh/tiktok'; export const verify = verifyTikTokWebhook;",
    target: LIGHT_TARGET,
  },
  {
    figure: 'verifyMeliNotification alone (check + parse)',
    code: "import { verifyMeliNotification } from '@mlh/meli'; export const verify = verifyMeliNotification;",
    target: LIGHT_TARGET,
  },
];

/**
 * One client with its token manager, made and exported (so nothing of it can be dropped), from
 * `entry`: `''` for the full client (`@mlh/<adapter>`, every capability), `/lean` for the lean one
 * (catalog, inventory, orders, fulfilment), whose target is the issue's 50 KB.
 */
const CLIENTS: Record<'meli' | 'shopee' | 'tiktok', { label: string; code(entry: '' | '/lean'): string }> = {
  meli: {
    label: 'Mercado Livre',
    code: (entry) => `import { createMeli } from '@mlh/meli${entry}'; ${TOKEN_STORE}
export const client = createMeli({ clientId: '1', clientSecret: 's', redirectUri: 'https://app.example.com/cb',
  tokenStore: new MemoryTokenStore() }).forAccount('1', { siteId: 'MLB' });`,
  },
  shopee: {
    label: 'Shopee',
    code: (entry) => `import { createShopee } from '@mlh/shopee${entry}'; ${TOKEN_STORE}
export const client = createShopee({ partnerId: 1, partnerKey: 'k', tokenStore: new MemoryTokenStore() }).forShop(1);`,
  },
  tiktok: {
    label: 'TikTok Shop',
    code: (entry) => `import { createTikTokShop } from '@mlh/tiktok${entry}'; ${TOKEN_STORE}
export const client = createTikTokShop({ appKey: 'a', appSecret: 's', tokenStore: new MemoryTokenStore() })
  .forAccount('1', { shopCipher: 'c' });`,
  },
};

/** The three adapters' clients imported, `used` the only one called (an app wired for all three). */
function threeImported(used: keyof typeof CLIENTS): string {
  const factories = { meli: 'createMeli', shopee: 'createShopee', tiktok: 'createTikTokShop' };
  const others = (Object.keys(CLIENTS) as (keyof typeof CLIENTS)[]).filter((name) => name !== used);
  return [
    ...others.map((name) => `import { ${factories[name]} } from '@mlh/${name}';`),
    CLIENTS[used].code(''),
  ].join('\n');
}

/**
 * (7) What the SDK adds to an app's bundle: esbuild, minified, gzip -9, from the built packages.
 * The same in both modes (it takes a few seconds).
 */
export async function bundleSection(_mode: BenchMode): Promise<SectionResult> {
  const missing = ['core', 'meli', 'shopee', 'tiktok'].filter(
    (name) => !existsSync(`${packagesDir}${name}/dist/index.js`),
  );
  if (missing.length > 0) {
    return {
      id: 7,
      title: 'Bundle size',
      rows: [skippedRow('bundle size', `no dist/ in ${missing.join(', ')}: run pnpm build first`)],
      notes: [],
      details: {},
    };
  }

  const rows: Row[] = [];
  const notes: string[] = [];
  const details: Record<string, Bundle> = {};
  const sized = (figure: string, result: Bundle, target: number): Row => ({
    figure,
    ours: `${kb(result.gzip)} gzip`,
    versus: `${kb(result.minified)} min`,
    target: `≤ ${kb(target)} gzip`,
    met: result.gzip <= target,
  });

  for (const light of LIGHT) {
    const result = await bundle(light.code);
    details[light.figure] = result;
    rows.push(sized(light.figure, result, light.target));
    if (light.note) notes.push(`${light.figure}: ${breakdown(result)};`, `  ${light.note}`);
  }

  for (const [name, client] of Object.entries(CLIENTS)) {
    const result = await bundle(client.code('/lean'));
    details[`${name} lean client`] = result;
    rows.push(
      sized(
        `${client.label} lean client + token manager (@mlh/${name}/lean: catalog, inventory, orders, fulfilment)`,
        result,
        CLIENT_TARGET,
      ),
    );
    notes.push(`${client.label} lean client: ${breakdown(result)}`);
  }

  for (const [name, client] of Object.entries(CLIENTS)) {
    const result = await bundle(client.code(''));
    details[`${name} client`] = result;
    rows.push({
      figure: `${client.label} full client + token manager (@mlh/${name}: every capability module)`,
      ours: `${kb(result.gzip)} gzip`,
      versus: `${kb(result.minified)} min`,
      target: 'reported',
    });
    notes.push(`${client.label} full client: ${breakdown(result)}`);
  }

  for (const used of Object.keys(CLIENTS) as (keyof typeof CLIENTS)[]) {
    const result = await bundle(threeImported(used));
    details[`three imported, ${used} used`] = result;
    const foreign = Object.entries(result.bySource)
      .filter(([source]) => /^@mlh\/(meli|shopee|tiktok)$/.test(source) && source !== `@mlh/${used}`)
      .reduce((total, [, bytes]) => total + bytes, 0);
    rows.push({
      figure: `three adapters imported, ${CLIENTS[used].label} used: bytes from the other two`,
      ours: `${fmt(foreign)} B`,
      versus: `${kb(result.gzip)} gzip in all`,
      target: '0 B',
      met: foreign === 0,
    });
  }

  notes.push(
    'app = a module importing the named export and exporting it (or the client it makes); esbuild --bundle',
    '  --minify --platform=browser from the built dist/; KB = 1,024 bytes; breakdowns are minified bytes by origin',
  );
  return {
    id: 7,
    title: "Bundle size: what the SDK adds to an app's bundle (esbuild, minified, gzip)",
    rows,
    notes,
    details,
  };
}
