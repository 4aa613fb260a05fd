import { type ShopeeShopProfile, ShopeeShopProfile as ShopProfileSchema } from '../schemas';
import { callShopee, type ShopeeScope } from '../transport';

/** Thin typed calls of the `shop` module (Shop APIs). */

/**
 * `GET /api/v2/shop/get_profile`: the shop's name, logo and description, and for a Brazilian CNPJ
 * seller who issues its NF-e (`invoice_issuer`: `Shopee` or `Other`).
 */
export async function getShopProfile(scope: ShopeeScope): Promise<ShopeeShopProfile> {
  const { response } = await callShopee(
    scope.transport,
    {
      method: 'GET',
      path: '/api/v2/shop/get_profile',
      accountId: scope.accountId,
      operation: 'shop.get_profile',
      signal: scope.signal,
    },
    ShopProfileSchema,
  );
  return response;
}
