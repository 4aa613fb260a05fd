import { type Money, money, normalizeProduct, type Product, ValidationError } from '@mlh/core';
import { type ShopeeSignInput, signShopeeRequest } from '@mlh/shopee/signer';
import type { PostgresStores } from '@mlh/sync-postgres';
import { signTikTokRequest, type TikTokSignInput } from '@mlh/tiktok/signer';

const price: Money = money('1.00', 'BRL');
const product: Product = normalizeProduct({ sku: 'A', title: 'A', price, quantity: 1 });
export const sku: string = product.sku;
export const kind: 'validation' = new ValidationError('bad', []).kind;
const shopeeInput: ShopeeSignInput = {
  partnerId: 1,
  partnerKey: 'k',
  path: '/api/v2/shop/get_shop_info',
  timestamp: 1,
};
const tiktokInput: TikTokSignInput = { appSecret: 's', path: '/order/202309/orders', query: {} };
export const signatures: Promise<string>[] = [signShopeeRequest(shopeeInput), signTikTokRequest(tiktokInput)];

// Its declarations import pg's types: with skipLibCheck false this needs @types/pg installed with it.
export type Stores = PostgresStores;
