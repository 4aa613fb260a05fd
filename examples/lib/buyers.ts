/**
 * The buyers' side of the sandboxes: orders placed and paid on the marketplace itself (as a
 * shopper would, not through the seller's API), cancellations, and webhook delivery.
 */
import type { SyncStore } from '@mlh/sync';
import type { Marketplace } from './config';
import type { Sandboxes } from './sandbox';

/** One line of a buyer's cart: a catalog SKU and how many units. */
export interface CartLine {
  sku: string;
  quantity: number;
}

/** An order a buyer placed and paid. */
export interface PlacedOrder {
  marketplace: Marketplace;
  accountId: string;
  orderId: string;
  lines: CartLine[];
}

/** What buyers can do in the sandboxes. */
export interface SandboxBuyers {
  /** Places and pays an order for catalog SKUs, on the listings `ProductSync` created. */
  order(marketplace: Marketplace, accountId: string, lines: readonly CartLine[]): Promise<PlacedOrder>;
  /** The buyer cancels a paid order; the marketplace refunds it and takes the units back. */
  cancel(order: PlacedOrder): Promise<void>;
  /** Sends the webhooks the marketplaces queued (Mercado Livre and TikTok Shop) to their targets. */
  deliverWebhooks(): Promise<number>;
}

/** The ids of the listing variant carrying `sku` on one account, from the sync store. */
async function listingIds(
  store: SyncStore,
  marketplace: Marketplace,
  accountId: string,
  sku: string,
): Promise<{ productId: string; variantId: string | undefined }> {
  const listings = await store.findListingsBySku(sku);
  const listing = listings.find(
    (found) => found.marketplace === marketplace && found.accountId === accountId,
  );
  const variant = listing?.variants.find((candidate) => candidate.sku === sku);
  if (listing?.productExternalId === undefined || variant === undefined) {
    throw new Error(`${sku} is not listed on ${marketplace} account ${accountId}`);
  }
  return { productId: listing.productExternalId, variantId: variant.externalId };
}

/**
 * Buyers for the sandboxed marketplaces.
 *
 * @example
 * const buyers = sandboxBuyers(marketplaces.sandboxes, store);
 * const order = await buyers.order('meli', sellerId, [{ sku: 'MUG-300', quantity: 2 }]);
 * await buyers.deliverWebhooks();
 */
export function sandboxBuyers(sandboxes: Sandboxes, store: SyncStore): SandboxBuyers {
  return {
    async order(marketplace, accountId, lines) {
      const ids = await Promise.all(lines.map((line) => listingIds(store, marketplace, accountId, line.sku)));
      const items = lines.map((line, index) => ({ line, ...(ids[index] as (typeof ids)[number]) }));
      let orderId: string;
      if (marketplace === 'meli' && sandboxes.meli) {
        const placed = sandboxes.meli.placeOrder({
          items: items.map(({ line, productId, variantId }) => ({
            itemId: productId,
            ...(variantId === undefined ? {} : { variationId: Number(variantId) }),
            quantity: line.quantity,
          })),
        });
        sandboxes.meli.payOrder(placed.orderId);
        orderId = String(placed.orderId);
      } else if (marketplace === 'shopee' && sandboxes.shopee) {
        const placed = await sandboxes.shopee.placeOrder({
          shopId: Number(accountId),
          items: items.map(({ line, productId, variantId }) => ({
            itemId: productId,
            // A Shopee item without variations has the model id 0.
            ...(variantId === undefined || variantId === '0' ? {} : { modelId: variantId }),
            quantity: line.quantity,
          })),
        });
        await sandboxes.shopee.payOrder(placed.orderSn);
        orderId = placed.orderSn;
      } else if (marketplace === 'tiktok' && sandboxes.tiktok) {
        const placed = sandboxes.tiktok.placeOrder({
          shopId: accountId,
          items: items.map(({ line, variantId }) => ({ skuId: variantId ?? '', quantity: line.quantity })),
          shippingType: 'SELLER',
        });
        sandboxes.tiktok.payOrder(placed.id);
        orderId = placed.id;
      } else {
        throw new Error(`${marketplace} is not sandboxed: no simulated buyers there`);
      }
      return { marketplace, accountId, orderId, lines: [...lines] };
    },

    async cancel(order) {
      if (order.marketplace === 'meli' && sandboxes.meli) {
        sandboxes.meli.cancelOrder(Number(order.orderId), { requestedBy: 'buyer' });
      } else if (order.marketplace === 'shopee' && sandboxes.shopee) {
        await sandboxes.shopee.cancelOrder(order.orderId, { by: 'buyer' });
      } else if (order.marketplace === 'tiktok' && sandboxes.tiktok) {
        sandboxes.tiktok.cancelOrder(order.orderId, { initiator: 'BUYER' });
      } else {
        throw new Error(`${order.marketplace} is not sandboxed`);
      }
    },

    async deliverWebhooks() {
      const statuses = [
        ...((await sandboxes.meli?.webhooks.flush()) ?? []),
        ...((await sandboxes.shopee?.webhooks.flush()) ?? []),
        ...((await sandboxes.tiktok?.webhooks.flush()) ?? []),
      ];
      return statuses.length;
    },
  };
}

/**
 * Without a catalog: puts one product on each sandboxed seller account (directly in the sandbox,
 * as if listed by hand) and has a buyer order and pay it there. Returns the order ids.
 */
export async function orderOnEverySandbox(
  sandboxes: Sandboxes,
  accounts: Partial<Record<Marketplace, string | undefined>>,
): Promise<Partial<Record<Marketplace, string>>> {
  const orders: Partial<Record<Marketplace, string>> = {};
  if (sandboxes.meli && accounts.meli) {
    const item = sandboxes.meli.addItem({
      sellerId: Number(accounts.meli),
      title: 'Caneca de cerâmica 300 ml',
      price: 49.9,
    });
    const placed = sandboxes.meli.placeOrder({ itemId: item.id, quantity: 1 });
    sandboxes.meli.payOrder(placed.orderId);
    orders.meli = String(placed.orderId);
  }
  if (sandboxes.shopee && accounts.shopee) {
    const shopId = Number(accounts.shopee);
    const item = sandboxes.shopee.addItem({
      shopId,
      name: 'Caneca de cerâmica 300 ml',
      sku: 'MUG-300',
      price: '49.90',
      stock: 10,
    });
    const placed = await sandboxes.shopee.placeOrder({
      shopId,
      items: [{ itemId: item.itemId, quantity: 1 }],
    });
    await sandboxes.shopee.payOrder(placed.orderSn);
    orders.shopee = placed.orderSn;
  }
  if (sandboxes.tiktok && accounts.tiktok) {
    const product = sandboxes.tiktok.addProduct({
      shopId: accounts.tiktok,
      skus: [{ sellerSku: 'MUG-300', price: '49.90', stock: 10 }],
    });
    const placed = sandboxes.tiktok.placeOrder({
      shopId: accounts.tiktok,
      items: [{ skuId: product.skus[0]?.id ?? '', quantity: 1 }],
    });
    sandboxes.tiktok.payOrder(placed.id);
    orders.tiktok = placed.id;
  }
  return orders;
}
