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

module.exports = { checkErrorNames, checkRoundTrip };
