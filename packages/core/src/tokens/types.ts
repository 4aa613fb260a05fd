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
 * A held per-account refresh lock: a lease that ends by itself `leaseMs` after it was taken or
 * last renewed, so a holder that dies (crash, kill, lost network) frees it without help.
 */
export interface TokenRefreshLock {
  /** How long the lease lasts after it is taken or renewed (milliseconds). */
  readonly leaseMs: number;
  /**
   * Extends the lease to `leaseMs` from now. Resolves false when it was lost (it ended, and
   * another process may hold the lock now); rejects when the lock's backend cannot be reached.
   */
  renew(): Promise<boolean>;
  /** Gives the lock up. Never frees a lock that has meanwhile been taken by another holder. */
  release(): Promise<void>;
}

/** The part of a {@link TokenStore} that coordinates refreshes between processes. */
export interface TokenRefreshLocks {
  /**
   * Takes the refresh lock of one account, or resolves undefined at once when another holder's
   * lease is live. Rejects (never falls back to a per-process lock) when the backend is unreachable.
   */
  acquireRefreshLock(marketplace: MarketplaceId, accountId: string): Promise<TokenRefreshLock | undefined>;
}

/**
 * Where tokens live: implement it over your database. Keys are marketplace + account id.
 * `set` without `expectedVersion` writes unconditionally; with it, it writes only when the stored
 * version equals it (`0` meaning "absent"), so two processes refreshing the same account cannot
 * both win.
 *
 * `acquireRefreshLock` (optional) makes the processes that share the store take turns: the one
 * holding an account's lock refreshes, the others wait and use what it stored, so an expiry costs
 * one refresh call across the fleet. Without it each process refreshes on its own and the
 * compare-and-set plus `invalidGrantGraceMs` of the token manager sort out the race.
 * `MemoryTokenStore`, `@mlh/sync-postgres` and `@mlh/fleet` (Redis) provide it; add it to your
 * own store with {@link TokenRefreshLocks} and `withRefreshLocks`.
 */
export interface TokenStore extends Partial<TokenRefreshLocks> {
  get(marketplace: MarketplaceId, accountId: string): Promise<StoredTokenSet | undefined>;
  set(
    tokens: TokenSet & { reauthorizationRequired?: boolean | undefined },
    options?: { expectedVersion?: number },
  ): Promise<TokenWriteResult>;
  delete(marketplace: MarketplaceId, accountId: string): Promise<void>;
}
