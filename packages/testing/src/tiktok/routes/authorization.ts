import type { TikTokCall, TikTokRoute } from '../gateway';
import type { TikTokSandboxShop } from '../state';

function shopsOfSeller(call: TikTokCall): TikTokSandboxShop[] {
  return [...call.context.state.shops.values()].filter((shop) => shop.openId === call.token.openId);
}

/** Authorization and seller endpoints: signed, token header, and no `shop_cipher` (reference §4.7). */
export const authorizationRoutes: TikTokRoute[] = [
  {
    method: 'GET',
    path: '/authorization/202309/shops',
    scope: 'seller.authorization.info',
    shopCipher: 'forbidden',
    handle: (call) => ({
      shops: shopsOfSeller(call).map((shop) => ({
        id: shop.id,
        name: shop.name,
        region: shop.region,
        seller_type: shop.sellerType,
        cipher: shop.cipher,
        code: shop.code,
      })),
    }),
  },
  {
    method: 'GET',
    path: '/seller/202309/shops',
    scope: 'seller.shop.info',
    shopCipher: 'forbidden',
    handle: (call) => ({
      shops: shopsOfSeller(call).map((shop) => ({
        id: shop.id,
        name: shop.name,
        region: shop.region,
        seller_type: shop.sellerType,
      })),
    }),
  },
];
