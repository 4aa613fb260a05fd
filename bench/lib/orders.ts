import type { MeliSeat, Seat, ShopeeSeat, TikTokSeat } from './world';

const PLENTY = 1_000_000;

async function meliOrders(seat: MeliSeat, count: number): Promise<string[]> {
  const item = seat.sandbox.addItem({
    sellerId: seat.sellerId,
    title: 'Caneca de cerâmica 300 ml',
    price: 49.9,
    available_quantity: PLENTY,
  });
  const ids: string[] = [];
  for (let index = 0; index < count; index++) {
    const { orderId } = seat.sandbox.placeOrder({ itemId: item.id, quantity: 1 + (index % 3) });
    seat.sandbox.payOrder(orderId);
    ids.push(String(orderId));
  }
  return ids;
}

async function shopeeOrders(seat: ShopeeSeat, count: number): Promise<string[]> {
  const item = seat.sandbox.addItem({
    shopId: seat.shopId,
    name: 'Camiseta algodão',
    tierVariation: [{ name: 'Tamanho', options: ['P', 'M'] }],
    models: [
      { tierIndex: [0], sku: 'TEE-P', price: '59.90', stock: PLENTY },
      { tierIndex: [1], sku: 'TEE-M', price: '59.90', stock: PLENTY },
    ],
  });
  const [small, medium] = item.models;
  const ids: string[] = [];
  for (let index = 0; index < count; index++) {
    const order = await seat.sandbox.placeOrder({
      shopId: seat.shopId,
      items: [
        { itemId: item.itemId, modelId: small?.modelId ?? 0, quantity: 1 },
        { itemId: item.itemId, modelId: medium?.modelId ?? 0, quantity: 1 + (index % 2) },
      ],
    });
    await seat.sandbox.payOrder(order.orderSn);
    ids.push(order.orderSn);
  }
  return ids;
}

async function tiktokOrders(seat: TikTokSeat, count: number): Promise<string[]> {
  const product = seat.sandbox.addProduct({
    shopId: seat.shopId,
    title: 'Camiseta algodão',
    skus: [
      { sellerSku: 'TEE-P', price: '59.90', stock: PLENTY, salesAttributes: { Size: 'P' } },
      { sellerSku: 'TEE-M', price: '59.90', stock: PLENTY, salesAttributes: { Size: 'M' } },
    ],
  });
  const ids: string[] = [];
  for (let index = 0; index < count; index++) {
    const order = seat.sandbox.placeOrder({
      shopId: seat.shopId,
      items: product.skus.map((sku) => ({ skuId: sku.id, quantity: 1 })),
    });
    seat.sandbox.payOrder(order.id);
    ids.push(order.id);
  }
  return ids;
}

/** Places and pays `count` orders on the seat's sandbox (straight into its state, no API call). */
export function seedOrders(seat: Seat, count: number): Promise<string[]> {
  switch (seat.marketplace) {
    case 'meli':
      return meliOrders(seat, count);
    case 'shopee':
      return shopeeOrders(seat, count);
    case 'tiktok':
      return tiktokOrders(seat, count);
  }
}
