#!/usr/bin/env node
// Runs examples/webhooks.ts the way its header says, under Bun (`bun run webhooks.ts`) and Deno
// (`deno serve --allow-env webhooks.ts`), on a loopback port: a correctly signed webhook of each
// marketplace must be answered 200, a forged one 401. Then @mlh/testing is imported and used
// under Deno with no permission at all and under Bun. Last, scripts/workers-smoke.mjs does the
// same in workerd (Cloudflare Workers' runtime, through miniflare on Node 22). Needs `pnpm build` first (the runtimes load
// the packages' dist/); the binaries are examples/' devDependencies `bun` and `deno` (npm packages).
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const examples = join(root, 'examples');
// The binaries themselves, not the node_modules/.bin wrappers: stopping a wrapper would leave the
// server it started running.
const requireFromExamples = createRequire(join(examples, 'package.json'));
const binaries = {
  bun: join(dirname(requireFromExamples.resolve('bun/package.json')), 'bin', 'bun.exe'),
  deno: join(
    dirname(requireFromExamples.resolve('deno/package.json')),
    process.platform === 'win32' ? 'deno.exe' : 'deno',
  ),
};
const bin = (name) => binaries[name];

for (const pkg of ['core', 'meli', 'shopee', 'tiktok', 'testing']) {
  if (!existsSync(join(root, 'packages', pkg, 'dist', 'index.js'))) {
    console.error(`packages/${pkg}/dist is missing: run \`pnpm build\` first`);
    process.exit(1);
  }
}
const { makeMeliNotificationRequest, makeShopeePushRequest, makeTikTokWebhookRequest } = await import(
  join(root, 'packages', 'testing', 'dist', 'index.js')
);

const PUBLIC_URL = 'https://webhooks.example.com';
const env = {
  MELI_CLIENT_ID: '5503910054141466',
  SHOPEE_PARTNER_KEY: 'shpk-smoke-partner-key',
  MLH_PUBLIC_URL: PUBLIC_URL,
  TIKTOK_APP_KEY: 'smoke-app-key',
  TIKTOK_APP_SECRET: 'smoke-app-secret',
};

/** The signed requests, built for the public URL and sent to the local server. */
async function deliveries() {
  const now = Math.floor(Date.now() / 1000);
  return [
    {
      name: 'meli',
      expected: 200,
      request: makeMeliNotificationRequest({
        url: `${PUBLIC_URL}/webhooks/meli`,
        body: { topic: 'orders_v2', resource: '/orders/2000009000000001', user_id: 100000001 },
      }),
    },
    {
      name: 'shopee',
      expected: 200,
      request: await makeShopeePushRequest({
        url: `${PUBLIC_URL}/webhooks/shopee`,
        partnerKey: env.SHOPEE_PARTNER_KEY,
        body: {
          code: 3,
          shop_id: 600001,
          timestamp: now,
          data: { ordersn: '260101SMOKE', status: 'READY_TO_SHIP' },
        },
      }),
    },
    ...['smoke-app-secret', 'someone-elses-secret'].map(async (appSecret) => ({
      name: appSecret === env.TIKTOK_APP_SECRET ? 'tiktok' : 'tiktok (forged signature)',
      expected: appSecret === env.TIKTOK_APP_SECRET ? 200 : 401,
      request: await makeTikTokWebhookRequest({
        appKey: env.TIKTOK_APP_KEY,
        appSecret,
        url: `${PUBLIC_URL}/webhooks/tiktok`,
        body: {
          type: 1,
          tts_notification_id: `smoke-${appSecret}`,
          shop_id: '7494049642642400001',
          timestamp: now,
          data: { order_id: '576461413038700001', order_status: 'AWAITING_SHIPMENT', update_time: now },
        },
      }),
    })),
  ];
}

function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

async function waitUntilServing(origin, child, output) {
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`exited with ${child.exitCode}:\n${output()}`);
    try {
      await (await fetch(`${origin}/`)).body?.cancel();
      return;
    } catch {
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
  throw new Error(`not serving after 30 s:\n${output()}`);
}

async function serveAndDeliver(runtime, args, extraEnv, port) {
  let output = '';
  const child = spawn(bin(runtime), args, {
    cwd: examples,
    env: { ...process.env, ...env, ...extraEnv, NO_COLOR: '1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout.on('data', (chunk) => (output += chunk));
  child.stderr.on('data', (chunk) => (output += chunk));
  const origin = `http://127.0.0.1:${port}`;
  const failures = [];
  try {
    await waitUntilServing(origin, child, () => output);
    for (const delivery of await Promise.all(await deliveries())) {
      const { pathname } = new URL(delivery.request.url);
      const response = await fetch(`${origin}${pathname}`, {
        method: 'POST',
        headers: delivery.request.headers,
        body: await delivery.request.text(),
      });
      await response.body?.cancel();
      const ok = response.status === delivery.expected;
      console.log(
        `  ${ok ? 'ok  ' : 'FAIL'} ${runtime} ${delivery.name}: ${response.status} (expected ${delivery.expected})`,
      );
      if (!ok) failures.push(`${runtime} ${delivery.name}: ${response.status}`);
    }
  } catch (error) {
    failures.push(`${runtime}: ${error.message}`);
  } finally {
    child.kill('SIGTERM');
    await new Promise((resolve) => (child.exitCode !== null ? resolve() : child.once('exit', resolve)));
  }
  if (failures.length > 0) console.log(output);
  return failures;
}

/** @mlh/testing's sandboxes and request builders, imported and used by the runtime itself. */
function testingUnder(runtime, args) {
  const file = join(examples, '.tmp', 'runtime-smoke-testing.mjs');
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(
    file,
    [
      "import { createMeliSandbox, createShopeeSandbox, createTikTokSandbox, makeTikTokWebhookRequest } from '@mlh/testing';",
      'const handlers = [createMeliSandbox(), createShopeeSandbox(), createTikTokSandbox()].flatMap((s) => s.handlers);',
      "const request = await makeTikTokWebhookRequest({ appKey: 'k', appSecret: 's', body: { type: 1 } });",
      "console.log(handlers.length > 0 && request.headers.get('authorization') ? 'ok' : 'empty');",
    ].join('\n'),
  );
  const result = spawnSync(bin(runtime), [...args, file], {
    cwd: examples,
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: '1' },
  });
  const ok = result.status === 0 && result.stdout.trim().endsWith('ok');
  console.log(
    `  ${ok ? 'ok  ' : 'FAIL'} ${runtime} ${args.join(' ')}: @mlh/testing sandboxes and signed requests`,
  );
  return ok ? [] : [`${runtime} @mlh/testing: ${result.stderr || result.stdout}`];
}

const failures = [];
console.log(
  `Bun ${spawnSync(bin('bun'), ['--version'], { encoding: 'utf8' }).stdout.trim()}: bun run webhooks.ts`,
);
const bunPort = await freePort();
failures.push(...(await serveAndDeliver('bun', ['run', 'webhooks.ts'], { PORT: String(bunPort) }, bunPort)));
failures.push(...testingUnder('bun', ['run']));

console.log(
  `${spawnSync(bin('deno'), ['--version'], { encoding: 'utf8' }).stdout.split('\n')[0]}: deno serve --allow-env webhooks.ts`,
);
const denoPort = await freePort();
failures.push(
  ...(await serveAndDeliver(
    'deno',
    ['serve', '--allow-env', '--host', '127.0.0.1', '--port', String(denoPort), 'webhooks.ts'],
    {},
    denoPort,
  )),
);
// No --allow-env, no other permission: importing the sandboxes must not read the environment.
failures.push(...testingUnder('deno', ['run']));

// Cloudflare Workers: workerd through miniflare, which needs Node 22 (fetched from npm like the
// consumer smoke's).
const node22 = execFileSync(join(root, 'scripts', 'node-binary.sh'), ['22'], { encoding: 'utf8' }).trim();
console.log('Cloudflare Workers (workerd via miniflare): webhooks.ts as a Worker, @mlh/testing in a Worker');
const workers = spawnSync(node22, [join(root, 'scripts', 'workers-smoke.mjs')], { stdio: 'inherit' });
if (workers.status !== 0) failures.push('workers smoke (see above)');

if (failures.length > 0) {
  console.error(`runtime smoke failed:\n${failures.join('\n')}`);
  process.exit(1);
}
console.log(
  'runtime smoke: webhooks.ts answers on Bun, Deno and workerd; @mlh/testing runs on Bun, Deno and workerd (nodejs_compat)',
);
