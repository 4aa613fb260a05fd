import { createHmac } from 'node:crypto';
import { hmacSha256Hex } from '@mlh/core';
import { shopeeBaseString, signShopeeRequest, signShopeeRequestSync } from '@mlh/shopee';
import { signTikTokRequest, signTikTokRequestSync, tiktokSigningBase } from '@mlh/tiktok';
import { type Contender, compareThroughput, median, pairedRatio } from '../lib/measure';
import { measured } from '../lib/measured';
import { type BenchMode, byMode } from '../lib/mode';
import { fmt, type Row, type SectionResult } from '../lib/report';

const TARGET = 0.8;
const BATCH = 64;

/** Runs `sign` `BATCH` times one after the other, as requests sign: each waits for its signature. */
function sequential(sign: () => Promise<string>): () => Promise<void> {
  return async () => {
    for (let index = 0; index < BATCH; index++) await sign();
  };
}

/** Runs `BATCH` signatures at once: what a busy server signing many requests sees. */
function concurrent(sign: () => Promise<string>): () => Promise<unknown> {
  return () => Promise.all(Array.from({ length: BATCH }, sign));
}

/** Runs `sign` `BATCH` times synchronously: the transport's signing hooks call the sync signers. */
function synchronous(sign: () => string): () => void {
  return () => {
    for (let index = 0; index < BATCH; index++) sign();
  };
}

/** The bare HMAC behind a promise, awaited like the async signers: the same calling convention. */
function bareAsync(key: string, base: string): () => Promise<string> {
  return async () => createHmac('sha256', key).update(base).digest('hex');
}

function bare(key: string, base: string): () => void {
  return () => {
    for (let index = 0; index < BATCH; index++) createHmac('sha256', key).update(base).digest('hex');
  };
}

/** (1) Signatures per second against a bare `node:crypto` HMAC of the same base string. */
export async function signingSection(mode: BenchMode): Promise<SectionResult> {
  // The portable build of the synchronous HMAC (what Bun, Deno, Workers and browsers get without
  // the `node` export condition), by path: under Node, `@mlh/core/hmac` resolves to node:crypto.
  const portable: typeof import('../../packages/core/src/hmac') = await import(
    measured === 'dist' ? '../../packages/core/dist/hmac.js' : '../../packages/core/src/hmac'
  );
  const pureJsHmac = portable.hmacSha256HexSync;
  const shopeeInput = {
    partnerId: 2001887,
    partnerKey: 'shpk4c6f6a4e6b6f4a4b5a6c7a4f6e6d6c4b',
    path: '/api/v2/order/get_order_detail',
    timestamp: 1_767_225_600,
    accessToken: '6a6d4c4b4a4f4e4d4c4b4a4f4e4d4c4b',
    shopId: 600000,
  };
  const shopeeBase = shopeeBaseString(shopeeInput);
  const tiktokInput = {
    appSecret: 'e59af819cc0c2ac3a1b1b2c3d4e5f60718293a4b',
    path: '/order/202309/orders/search',
    query: { app_key: '6abc123def', timestamp: 1_767_225_600, shop_cipher: 'ROW_x8ks0', page_size: 50 },
    body: '{"order_status":"AWAITING_SHIPMENT","update_time_ge":1767139200}',
    contentType: 'application/json',
  };
  const tiktokBase = `${tiktokInput.appSecret}${tiktokSigningBase(tiktokInput)}${tiktokInput.appSecret}`;

  // The WebCrypto floor: the key imported once, then `crypto.subtle.sign` and hex per signature.
  const subtleKey = await crypto.subtle.importKey(
    'raw',
    new TextEncoder().encode(shopeeInput.partnerKey),
    { name: 'HMAC', hash: 'SHA-256' },
    false,
    ['sign'],
  );
  const subtleHex = async (message: string) =>
    Buffer.from(await crypto.subtle.sign('HMAC', subtleKey, new TextEncoder().encode(message))).toString(
      'hex',
    );

  // Same bytes, same MAC: a wrong comparison would be worse than none.
  const check = [
    [
      await signShopeeRequest(shopeeInput),
      createHmac('sha256', shopeeInput.partnerKey).update(shopeeBase).digest('hex'),
    ],
    [signShopeeRequestSync(shopeeInput), pureJsHmac(shopeeInput.partnerKey, shopeeBase)],
    [await hmacSha256Hex(shopeeInput.partnerKey, shopeeBase), await subtleHex(shopeeBase)],
    [
      await signTikTokRequest(tiktokInput),
      createHmac('sha256', tiktokInput.appSecret).update(tiktokBase).digest('hex'),
    ],
  ];
  for (const [ours, theirs] of check) {
    if (ours !== theirs)
      throw new Error('signing bench: our signature differs from node:crypto on the same base string');
  }

  const contenders: Contender[] = [
    { name: 'shopee', run: sequential(() => signShopeeRequest(shopeeInput)) },
    { name: 'shopee-sync', run: synchronous(() => signShopeeRequestSync(shopeeInput)) },
    { name: 'shopee-concurrent', run: concurrent(() => signShopeeRequest(shopeeInput)) },
    { name: 'shopee-bare', run: bare(shopeeInput.partnerKey, shopeeBase) },
    { name: 'shopee-bare-async', run: sequential(bareAsync(shopeeInput.partnerKey, shopeeBase)) },
    { name: 'shopee-bare-concurrent', run: concurrent(bareAsync(shopeeInput.partnerKey, shopeeBase)) },
    { name: 'tiktok', run: sequential(() => signTikTokRequest(tiktokInput)) },
    { name: 'tiktok-sync', run: synchronous(() => signTikTokRequestSync(tiktokInput)) },
    { name: 'tiktok-concurrent', run: concurrent(() => signTikTokRequest(tiktokInput)) },
    { name: 'tiktok-bare', run: bare(tiktokInput.appSecret, tiktokBase) },
    { name: 'tiktok-bare-async', run: sequential(bareAsync(tiktokInput.appSecret, tiktokBase)) },
    { name: 'tiktok-bare-concurrent', run: concurrent(bareAsync(tiktokInput.appSecret, tiktokBase)) },
    { name: 'webcrypto', run: sequential(() => hmacSha256Hex(shopeeInput.partnerKey, shopeeBase)) },
    { name: 'subtle-bare', run: sequential(() => subtleHex(shopeeBase)) },
    { name: 'pure-js', run: synchronous(() => pureJsHmac(shopeeInput.partnerKey, shopeeBase)) },
  ];
  const result = await compareThroughput(contenders, {
    batch: BATCH,
    warmupMs: byMode(mode, 200, 60),
    rounds: byMode(mode, 5, 3),
    roundMs: byMode(mode, 120, 40),
    clock: 'cpu',
  });
  const perSecond = (name: string) => median(result[name] ?? []);
  const ratio = (name: string, baseline: string) => pairedRatio(result[name] ?? [], result[baseline] ?? []);

  const rows: Row[] = [];
  for (const [label, key] of [
    ['Shopee', 'shopee'],
    ['TikTok', 'tiktok'],
  ] as const) {
    const syncRatio = ratio(`${key}-sync`, `${key}-bare`);
    rows.push({
      figure: `${label} signatures/s (sync signer, as the transport signs)`,
      ours: fmt(perSecond(`${key}-sync`)),
      versus: `${fmt(perSecond(`${key}-bare`))} node:crypto`,
      ratio: syncRatio,
      target: `≥ ${TARGET.toFixed(2)}×`,
      met: syncRatio >= TARGET,
    });
    // The async twin pays a promise per signature, so its floor is node:crypto behind one too.
    const sequentialRatio = ratio(key, `${key}-bare-async`);
    rows.push({
      figure: `${label} signatures/s (async signer, one at a time)`,
      ours: fmt(perSecond(key)),
      versus: `${fmt(perSecond(`${key}-bare-async`))} node:crypto awaited`,
      ratio: sequentialRatio,
      target: `≥ ${TARGET.toFixed(2)}×`,
      met: sequentialRatio >= TARGET,
    });
    const concurrentRatio = ratio(`${key}-concurrent`, `${key}-bare-concurrent`);
    rows.push({
      figure: `${label} signatures/s (async signer, ${BATCH} in flight)`,
      ours: fmt(perSecond(`${key}-concurrent`)),
      versus: `${fmt(perSecond(`${key}-bare-concurrent`))} node:crypto awaited`,
      ratio: concurrentRatio,
      target: `≥ ${TARGET.toFixed(2)}×`,
      met: concurrentRatio >= TARGET,
    });
  }
  rows.push({
    figure: 'pure-JS HMAC alone (@mlh/core/hmac off Node)',
    ours: fmt(perSecond('pure-js')),
    versus: `${fmt(perSecond('shopee-bare'))} node:crypto`,
    ratio: ratio('pure-js', 'shopee-bare'),
    target: 'reference',
  });
  rows.push({
    figure: 'bare WebCrypto crypto.subtle.sign, key imported once (floor)',
    ours: fmt(perSecond('subtle-bare')),
    versus: `${fmt(perSecond('shopee-bare'))} node:crypto`,
    ratio: ratio('subtle-bare', 'shopee-bare'),
    target: 'reference',
  });
  rows.push({
    figure: 'core hmacSha256Hex alone (WebCrypto) vs the WebCrypto floor',
    ours: fmt(perSecond('webcrypto')),
    versus: `${fmt(perSecond('subtle-bare'))} subtle.sign`,
    ratio: ratio('webcrypto', 'subtle-bare'),
    target: 'reference',
  });
  return {
    id: 1,
    title: 'Signing: signatures per second vs a bare node:crypto HMAC of the same base string',
    rows,
    notes: [
      `base strings: Shopee ${shopeeBase.length} chars, TikTok ${tiktokBase.length} chars; same MAC checked first`,
      `${BATCH} signatures per batch; signatures per second of this process's CPU time; contenders take turns in rotating order;`,
      '  floors: node:crypto createHmac (sync),',
      '  the same behind an async function for the async signer (awaited one at a time, or 64 at once), crypto.subtle.sign (WebCrypto)',
    ],
    details: { opsPerSecondPerRound: result, batch: BATCH },
  };
}
