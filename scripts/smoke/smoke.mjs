import assert from 'node:assert/strict';
import { addMoney, money, multiplyMoney, normalizeProduct, ValidationError } from '@mlh/core';
import { createMeli } from '@mlh/meli';
import { signShopeeRequest } from '@mlh/shopee';
import { createMemorySyncStore } from '@mlh/sync';
import { createMeliSandbox } from '@mlh/testing';
import { signTikTokRequest } from '@mlh/tiktok';

async function main() {
  const total = addMoney(multiplyMoney(money('0.10', 'BRL'), 3), money('0.20', 'BRL'));
  assert.equal(total.amount, '0.50');
  const product = normalizeProduct({ sku: 'MUG-1', title: 'Mug', price: money('29.90', 'BRL'), quantity: 5 });
  assert.equal(product.variants.length, 1);
  assert.throws(() => normalizeProduct({ title: '' }), ValidationError);

  // Reference vectors: Shopee S6 and TikTok V1.
  const shopee = await signShopeeRequest({
    partnerId: 1000001,
    partnerKey: 'test-partner-key-0123456789abcdef',
    path: '/api/v2/order/get_order_list',
    timestamp: 1700000000,
    accessToken: '6a55746e61546f707579627656637464',
    shopId: 600000,
  });
  assert.equal(shopee, '7182b56433e091ea637e82f85173e6de9337a1ff33cb768e3a2e2c69c5d1cc07');
  const tiktok = await signTikTokRequest({
    appSecret: 'e59af819cc',
    path: '/authorization/202309/shops',
    query: { app_key: '29a39d', timestamp: 1623812664 },
  });
  assert.equal(tiktok, 'b596b73e0cc6de07ac26f036364178ab16b0a907af13d43f0a0cd2345f582dc8');

  assert.equal(typeof createMemorySyncStore().upsertProducts, 'function');
  assert.equal(typeof createMeli, 'function');
  assert.ok(createMeliSandbox().handlers.length > 0);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
