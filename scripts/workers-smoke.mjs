#!/usr/bin/env node
// The Cloudflare Workers part of scripts/runtime-smoke.mjs, run by it with Node ≥ 22 (miniflare's
// requirement). Bundles examples/webhooks.ts as a Worker (what `wrangler dev` does) and serves it
// in workerd through miniflare, installed from npm into .tmp/miniflare: the Worker's vars reach
// `fetch(request, env, ctx)` and a signed webhook of each marketplace is answered 200. Then
// @mlh/testing is bundled into a Worker and started with and without the `nodejs_compat` flag,
// to check what its README says: it needs the flag (with a compatibility date from 2025-09-15).
// Usage: node22 scripts/workers-smoke.mjs  (after `pnpm build`)
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const MINIFLARE = '4.20260730.0';
// From 2025-09-15 on, nodejs_compat gives Workers a \`process\` with \`versions.node\`, which msw
// looks for when it loads (@mlh/testing's README states both requirements).
const COMPATIBILITY_DATE = '2025-09-15';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const examples = join(root, 'examples');
const prefix = join(root, '.tmp', 'miniflare');
const miniflareEntry = join(prefix, 'node_modules', 'miniflare', 'package.json');
const installed =
  existsSync(miniflareEntry) && createRequire(miniflareEntry)('./package.json').version === MINIFLARE;
if (!installed) {
  execFileSync(
    'npm',
    [
      'install',
      '--prefix',
      prefix,
      '--no-save',
      '--no-audit',
      '--no-fund',
      '--loglevel=error',
      `miniflare@${MINIFLARE}`,
    ],
    { stdio: 'inherit' },
  );
}
const { Miniflare } = createRequire(miniflareEntry)('miniflare');
// esbuild comes with tsup, a devDependency of the root.
const esbuild = createRequire(createRequire(join(root, 'package.json')).resolve('tsup'))('esbuild');
const { makeMeliNotificationRequest, makeShopeePushRequest, makeTikTokWebhookRequest } = await import(
  pathToFileURL(join(root, 'packages', 'testing', 'dist', 'index.js')).href
);

/** Bundles a module for workerd, resolving packages as wrangler does. */
async function bundle(options) {
  const result = await esbuild.build({
    bundle: true,
    write: false,
    format: 'esm',
    platform: 'neutral',
    target: 'es2022',
    conditions: ['workerd', 'worker', 'browser', 'import', 'default'],
    mainFields: ['module', 'main'],
    absWorkingDir: examples,
    logLevel: 'silent',
    ...options,
  });
  return result.outputFiles[0].text;
}

const failures = [];
const report = (ok, what) => {
  console.log(`  ${ok ? 'ok  ' : 'FAIL'} workerd ${what}`);
  if (!ok) failures.push(what);
};

// 1. examples/webhooks.ts as a Worker, its variables as Worker vars.
const vars = {
  MELI_CLIENT_ID: '5503910054141466',
  SHOPEE_PARTNER_KEY: 'shpk-smoke-partner-key',
  MLH_PUBLIC_URL: 'https://webhooks.example.com',
  TIKTOK_APP_KEY: 'smoke-app-key',
  TIKTOK_APP_SECRET: 'smoke-app-secret',
};
const now = Math.floor(Date.now() / 1000);
const requests = [
  [
    'meli',
    200,
    makeMeliNotificationRequest({
      url: `${vars.MLH_PUBLIC_URL}/webhooks/meli`,
      body: { topic: 'orders_v2', resource: '/orders/2000009000000001', user_id: 100000001 },
    }),
  ],
  [
    'shopee',
    200,
    await makeShopeePushRequest({
      url: `${vars.MLH_PUBLIC_URL}/webhooks/shopee`,
      partnerKey: vars.SHOPEE_PARTNER_KEY,
      body: {
        code: 3,
        shop_id: 600001,
        timestamp: now,
        data: { ordersn: '260101WORKER', status: 'READY_TO_SHIP' },
      },
    }),
  ],
  [
    'tiktok',
    200,
    await makeTikTokWebhookRequest({
      appKey: vars.TIKTOK_APP_KEY,
      appSecret: vars.TIKTOK_APP_SECRET,
      url: `${vars.MLH_PUBLIC_URL}/webhooks/tiktok`,
      body: {
        type: 1,
        tts_notification_id: 'worker-smoke',
        shop_id: '7494049642642400001',
        timestamp: now,
        data: { order_id: '576461413038700001', order_status: 'AWAITING_SHIPMENT', update_time: now },
      },
    }),
  ],
];
const webhooksWorker = new Miniflare({
  modules: true,
  script: await bundle({ entryPoints: [join(examples, 'webhooks.ts')] }),
  compatibilityDate: COMPATIBILITY_DATE,
  bindings: vars,
});
try {
  for (const [name, expected, request] of requests) {
    const response = await webhooksWorker.dispatchFetch(request.url, {
      method: 'POST',
      headers: request.headers,
      body: await request.text(),
    });
    await response.text();
    report(response.status === expected, `webhooks.ts ${name}: ${response.status} (expected ${expected})`);
  }
} finally {
  await webhooksWorker.dispose();
}

// 2. @mlh/testing in a Worker: it needs nodejs_compat (msw looks for Node's process when it loads).
const testingWorker = await bundle({
  stdin: {
    contents: `import { createMeliSandbox, makeTikTokWebhookRequest } from '@mlh/testing';
export default {
  async fetch() {
    const request = await makeTikTokWebhookRequest({ appKey: 'k', appSecret: 's', body: { type: 1 } });
    return new Response(createMeliSandbox().handlers.length > 0 && request.headers.get('authorization') ? 'ok' : 'empty');
  },
};`,
    resolveDir: examples,
    loader: 'js',
  },
  external: ['node:*'],
});
for (const flags of [['nodejs_compat'], []]) {
  if (flags.length === 0)
    console.log("  (without the flag, workerd prints msw's localStorage error next: expected)");
  const worker = new Miniflare({
    modules: true,
    script: testingWorker,
    compatibilityDate: COMPATIBILITY_DATE,
    compatibilityFlags: flags,
  });
  let outcome;
  try {
    const response = await worker.dispatchFetch('http://localhost/');
    outcome = response.ok ? await response.text() : `status ${response.status}`;
  } catch (error) {
    outcome = error instanceof Error ? error.message.split('\n')[0] : String(error);
  } finally {
    // A Worker that failed at start-up fails again on dispose.
    await worker.dispose().catch(() => {});
  }
  const expected = flags.length > 0 ? 'ok' : 'a failure (the README says nodejs_compat is needed)';
  const ok = flags.length > 0 ? outcome === 'ok' : outcome !== 'ok';
  report(
    ok,
    `@mlh/testing ${flags.length > 0 ? 'with' : 'without'} nodejs_compat: ${outcome} (expected ${expected})`,
  );
}

if (failures.length > 0) {
  console.error(`workers smoke failed:\n${failures.join('\n')}`);
  process.exit(1);
}
