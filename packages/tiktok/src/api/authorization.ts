import { type TikTokAuthorizedShop, TikTokAuthorizedShopsData } from '../schemas';
import { callTikTok, type TikTokCallContext } from '../transport';

/**
 * The shops the seller authorized, with each shop's `cipher` (the `shop_cipher` of shop-scoped
 * calls): `GET /authorization/202309/shops`. Signed, never with `shop_cipher`. Call it with an
 * explicit `accessToken` right after the code exchange, or with an `accountId` afterwards.
 */
export async function getAuthorizedShops(context: TikTokCallContext): Promise<TikTokAuthorizedShop[]> {
  const { data } = await callTikTok(
    { ...context, shopCipher: undefined },
    { method: 'GET', path: '/authorization/202309/shops', operation: 'authorization.shops' },
    TikTokAuthorizedShopsData,
    'authorization.shops',
  );
  return data.shops;
}
