const assert = require('node:assert/strict');
const core = require('@mlh/core');
const testing = require('@mlh/testing');
const server = require('@mlh/testing/server');
const meli = require('@mlh/meli');
const shopee = require('@mlh/shopee');
const shopeeSigner = require('@mlh/shopee/signer');
const tiktok = require('@mlh/tiktok');
const tiktokSigner = require('@mlh/tiktok/signer');
const { createMemorySyncStore } = require('@mlh/sync');
const { checkErrorNames, checkRoundTrip } = require('./checks.cjs');

const { addMoney, money, multiplyMoney, normalizeProduct, ValidationError } = core;

async function main() {
  const total = addMoney(multiplyMoney(money('0.10', 'BRL'), 3), money('0.20', 'BRL'));
  assert.equal(total.amount, '0.50');
  const product = normalizeProduct({ sku: 'MUG-1', title: 'Mug', price: money('29.90', 'BRL'), quantity: 5 });
  assert.equal(product.variants.length, 1);
  assert.throws(() => normalizeProduct({ title: '' }), { name: 'ValidationError' });
  assert.throws(() => normalizeProduct({ title: '' }), ValidationError);

  // Reference vectors: Shopee S6 and TikTok V1, through the main and the light entry points.
  const shopeeInput = {
    partnerId: 1000001,
    partnerKey: 'test-partner-key-0123456789abcdef',
    path: '/api/v2/order/get_order_list',
    timestamp: 1700000000,
    accessToken: '6a55746e61546f707579627656637464',
    shopId: 600000,
  };
  const tiktokInput = {
    appSecret: 'e59af819cc',
    path: '/authorization/202309/shops',
    query: { app_key: '29a39d', timestamp: 1623812664 },
  };
  for (const sign of [shopee.signShopeeRequest, shopeeSigner.signShopeeRequest]) {
    assert.equal(await sign(shopeeInput), '7182b56433e091ea637e82f85173e6de9337a1ff33cb768e3a2e2c69c5d1cc07');
  }
  for (const sign of [tiktok.signTikTokRequest, tiktokSigner.signTikTokRequest]) {
    assert.equal(await sign(tiktokInput), 'b596b73e0cc6de07ac26f036364178ab16b0a907af13d43f0a0cd2345f582dc8');
  }
  await assert.rejects(
    shopeeSigner.signShopeeRequest({ ...shopeeInput, partnerKey: '' }),
    core.ValidationError,
  );

  assert.equal(typeof createMemorySyncStore().upsertProducts, 'function');
  assert.equal(typeof meli.createMeli, 'function');
  assert.ok(testing.createMeliSandbox().handlers.length > 0);

  const named = checkErrorNames({ core, meli, shopee, tiktok });
  await checkRoundTrip({ core, shopee, testing, server });
  console.log(`  ${named} error classes keep their names; Shopee getOrder over HTTP to the sandbox server`);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
