import type { MarketplaceId } from '../errors';

/** The tokens of one seller account on one marketplace. Times are epoch milliseconds. */
export interface TokenSet {
  marketplace: MarketplaceId;
  /** The account the tokens act for: Mercado Livre user id, Shopee shop id (or merchant id), TikTok shop id. */
  accountId: string;
  accessToken: string;
  refreshToken?: string | undefined;
  tokenType?: string | undefined;
  /** When the access token expires (epoch ms). */
  expiresAt: number;
  /** When the refresh token expires (epoch ms), when the marketplace says. */
  refreshExpiresAt?: number | undefined;
  scopes?: readonly string[] | undefined;
  /** Marketplace-specific extras (TikTok `open_id`, Shopee `merchant_id`, shop cipher, ...). */
  extra?: Readonly<Record<string, unknown>> | undefined;
}

/** A {@link TokenSet} as stored, with the store's version for compare-and-set. */
export interface StoredTokenSet extends TokenSet {
  /** Increases on every write; `set` with `expectedVersion` fails when it moved on. */
  version: number;
  /** Set when a refresh failed for good: the seller must authorize again. */
  reauthorizationRequired?: boolean | undefined;
}

/** Outcome of a compare-and-set write. */
export type TokenWriteResult =
  | { ok: true; stored: StoredTokenSet }
  | { ok: false; current: StoredTokenSet | undefined };

/**
 * Where tokens live: implement it over your database. Keys are marketplace + account id.
 * `set` without `expectedVersion` writes unconditionally; with it, it writes only when the stored
 * version equals it (`0` meaning "absent"), so two processes refreshing the same account cannot
 * both win.
 */
export interface TokenStore {
  get(marketplace: MarketplaceId, accountId: string): Promise<StoredTokenSet | undefined>;
  set(
    tokens: TokenSet & { reauthorizationRequired?: boolean | undefined },
    options?: { expectedVersion?: number },
  ): Promise<TokenWriteResult>;
  delete(marketplace: MarketplaceId, accountId: string): Promise<void>;
}
