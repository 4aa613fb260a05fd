// What the consumer smoke checks on the built packages, shared by smoke.mjs (ESM) and smoke.cjs
// (CommonJS): each loads the packages its own way and hands them in, so both module systems are
// exercised by the same checks.
const assert = require('node:assert/strict');

/** Constructor arguments of the error classes whose first argument is not a message. */
const ERROR_ARGUMENTS = {
  MeliPartialCreateError: [['MLB1'], new Error('boom')],
  ShopeePartialUpdateError: ['update_price', { success_list: [], failure_list: [] }, [], new Error('boom')],
};

/** Every exported error class keeps its own name once built (bundlers rename classes). */
function checkErrorNames(packages) {
  const checked = [];
  for (const [pkg, exports] of Object.entries(packages)) {
    for (const [name, value] of Object.entries(exports)) {
      if (typeof value !== 'function' || !(value === Error || value.prototype instanceof Error)) continue;
      const error = new value(...(ERROR_ARGUMENTS[name] ?? ['boom', []]));
      assert.equal(error.name, name, `${pkg} ${name} reports its name as ${error.name}`);
      checked.push(name);
    }
  }
  assert.ok(checked.includes('ValidationError') && checked.includes('NetworkError'), 'error classes found');
  return checked.length;
}

/**
 * Real HTTP: the Shopee sandbox served on localhost by @mlh/testing/server, a Shopee client with
 * its token manager and an encrypted token store pointed at it, and `getOrder` (signed request, response validated and mapped).
 * Then the same client against a closed port: a retryable NetworkError, nothing else.
 */
async function checkRoundTrip({ core, shopee, testing, server }) {
  const sandbox = testing.createShopeeSandbox();
  const { partnerId, partnerKey } = sandbox.addPartner();
  const shop = sandbox.addShop({ region: 'BR' });
  const tokens = sandbox.issueTokens({ partnerId, shopId: shop.shopId });
  const item = sandbox.addItem({ shopId: shop.shopId, name: 'Mug', sku: 'MUG-1', price: '29.90', stock: 5 });
  const order = await sandbox.placeOrder({
    shopId: shop.shopId,
    items: [{ itemId: item.itemId, quantity: 2 }],
  });

  // Encrypted at rest (jose), so the smoke loads every runtime dependency of core.
  const tokenStore = new core.EncryptedTokenStore(new core.MemoryTokenStore(), {
    key: core.generateTokenEncryptionKey(),
  });
  await tokenStore.set({
    marketplace: 'shopee',
    accountId: shopee.shopAccountId(shop.shopId),
    accessToken: tokens.accessToken,
    refreshToken: tokens.refreshToken,
    expiresAt: tokens.accessTokenExpiresAt,
  });
  const running = await server.startSandboxServer(sandbox.handlers, {
    defaultHost: 'partner.shopeemobile.com',
  });
  const connect = (baseUrl) =>
    shopee
      .createShopee({ partnerId, partnerKey, baseUrl, tokenStore, currency: 'BRL', retry: false })
      .forShop(shop.shopId);
  try {
    const fetched = await connect(running.url).getOrder(order.orderSn);
    assert.equal(fetched.externalId, order.orderSn);
    assert.equal(fetched.items[0].quantity, 2);

    const missing = await connect(running.url)
      .getOrder('000000NOTANORDER')
      .then(
        () => undefined,
        (error) => error,
      );
    assert.ok(core.isMlhError(missing), `an unknown order fails with an MlhError, got ${missing}`);
    assert.equal(missing.retryable, false);
  } finally {
    await running.close();
  }

  const offline = await connect(running.url)
    .getOrder(order.orderSn)
    .then(
      () => undefined,
      (error) => error,
    );
  assert.ok(offline instanceof core.NetworkError, `a closed port gives a NetworkError, got ${offline}`);
  assert.equal(offline.name, 'NetworkError');
  assert.equal(offline.retryable, true);
}

/**
 * Everything the smoke checks, on the packages as one module system loaded them: exact money,
 * product validation, the reference signatures through the main and the light entry points,
 * the error class names and a real HTTP round trip.
 */
async function runChecks(packages) {
  const { core, meli, shopee, shopeeSigner, tiktok, tiktokSigner, sync, testing, server } = packages;
  const { addMoney, money, multiplyMoney, normalizeProduct, ValidationError } = core;

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
  await assert.rejects(shopeeSigner.signShopeeRequest({ ...shopeeInput, partnerKey: '' }), ValidationError);

  assert.equal(typeof sync.createMemorySyncStore().upsertProducts, 'function');
  assert.equal(typeof meli.createMeli, 'function');
  assert.ok(testing.createMeliSandbox().handlers.length > 0);

  const named = checkErrorNames({ core, meli, shopee, tiktok });
  await checkRoundTrip({ core, shopee, testing, server });
  console.log(`  ${named} error classes keep their names; Shopee getOrder over HTTP to the sandbox server`);
}

module.exports = { runChecks };
