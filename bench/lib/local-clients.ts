import { type MarketplaceClient, MemoryTokenStore } from '@mlh/core';
import { createMeli } from '@mlh/meli';
import { createShopee, shopAccountId } from '@mlh/shopee';
import { createTikTokShop } from '@mlh/tiktok';
import type { Marketplace } from './world';

/** App credentials and account of the local clients; the payload server checks none of them. */
export const LOCAL = {
  meli: { clientId: '5503910054141466', clientSecret: 'bench-secret', sellerId: '100000001' },
  shopee: { partnerId: 2001887, partnerKey: 'shpk-bench-partner-key', shopId: 600000 },
  tiktok: {
    appKey: '6benchapp',
    appSecret: 'bench-app-secret',
    shopId: '7494049642642441621',
    cipher: 'ROW_bench',
  },
  accessToken: 'bench-access-token-0123456789abcdef',
} as const;

const YEAR_MS = 365 * 86_400_000;

/**
 * Our three clients with default settings (retries, circuit breaker, token manager), pointed at
 * a local base URL through each adapter's base-URL option. Plain http is accepted by core for
 * loopback hosts only.
 */
export async function localClients(baseUrl: string): Promise<Record<Marketplace, MarketplaceClient>> {
  const tokenStore = new MemoryTokenStore();
  const expiresAt = Date.now() + YEAR_MS;
  for (const [marketplace, accountId] of [
    ['meli', LOCAL.meli.sellerId],
    ['shopee', shopAccountId(LOCAL.shopee.shopId)],
    ['tiktok', LOCAL.tiktok.shopId],
  ] as const) {
    await tokenStore.set({
      marketplace,
      accountId,
      accessToken: LOCAL.accessToken,
      refreshToken: 'bench-refresh-token',
      expiresAt,
      ...(marketplace === 'tiktok' ? { extra: { shopCipher: LOCAL.tiktok.cipher } } : {}),
    });
  }
  const meli = createMeli({
    clientId: LOCAL.meli.clientId,
    clientSecret: LOCAL.meli.clientSecret,
    redirectUri: 'https://app.example.com/callback',
    tokenStore,
    transport: { baseUrl },
  });
  const shopee = createShopee({
    partnerId: LOCAL.shopee.partnerId,
    partnerKey: LOCAL.shopee.partnerKey,
    baseUrl,
    tokenStore,
    currency: 'BRL',
  });
  const tiktok = createTikTokShop({
    appKey: LOCAL.tiktok.appKey,
    appSecret: LOCAL.tiktok.appSecret,
    apiBaseUrl: baseUrl,
    tokenStore,
  });
  return {
    meli: meli.forAccount(LOCAL.meli.sellerId, { siteId: 'MLB' }),
    shopee: shopee.forShop(LOCAL.shopee.shopId),
    tiktok: tiktok.forAccount(LOCAL.tiktok.shopId, { shopCipher: LOCAL.tiktok.cipher }),
  };
}
