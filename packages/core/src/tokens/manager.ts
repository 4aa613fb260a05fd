import type { EventEmitter } from 'eventemitter3';
import { systemClock } from '../clock';
import { createIsolatedEmitter } from '../emitter';
import { AuthenticationError, isMlhError, type MarketplaceId, MlhError, ValidationError } from '../errors';
import { silentLogger } from '../redact';
import type { AccessTokenProvider, Clock, Logger } from '../transport/types';
import type { StoredTokenSet, TokenRefreshLock, TokenSet, TokenStore } from './types';

/** Events of a {@link TokenManager}. */
export interface TokenManagerEvents {
  /** A refresh succeeded and the new tokens are stored. */
  refreshed: [
    { marketplace: MarketplaceId; accountId: string; expiresAt: number; reason: 'expiring' | 'forced' },
  ];
  /** The account's refresh failed for good: the seller must authorize the app again. */
  reauthorizationRequired: [{ marketplace: MarketplaceId; accountId: string; error: AuthenticationError }];
  /** A refresh failed for a transient reason (network, 5xx); the next call tries again. */
  refreshFailed: [{ marketplace: MarketplaceId; accountId: string; error: unknown }];
}

/** Options of {@link createTokenManager}. */
export interface TokenManagerOptions {
  marketplace: MarketplaceId;
  store: TokenStore;
  /**
   * Exchanges the stored refresh token for a new token set (the adapter's `refresh…` call).
   * Throw an {@link AuthenticationError} with code `invalid_grant` or `reauthorizationRequired`
   * when the refresh token is refused for good.
   */
  refresh: (current: StoredTokenSet) => Promise<TokenSet>;
  /** Refresh when less than this remains of the access token. Default 5 minutes. */
  refreshMarginMs?: number;
  clock?: Clock;
  logger?: Logger;
  /**
   * After a refresh is refused, how long to wait for another process that may have used the same
   * single-use refresh token a moment earlier to store its result, before declaring the account
   * in need of re-authorization. Default 1 s; 0 re-reads the store once without waiting.
   */
  invalidGrantGraceMs?: number;
  /** Decides whether a refresh error means "re-authorize". Default: see {@link isReauthorizationError}. */
  isReauthorizationError?: (error: unknown) => boolean;
  /**
   * With a store that has refresh locks: how long a call waits for another process's refresh of
   * the same account before failing with a retryable `token_refresh_busy` error. Default 60 s
   * (longer than a lease, so a dead holder's lease ends first).
   */
  refreshLockWaitMs?: number;
  /** How often a waiting call looks at the store and the lock again. Default 100 ms. */
  refreshLockPollMs?: number;
}

/**
 * Hands out valid access tokens per account, refreshing them before they expire. One per
 * marketplace (and app), shared by every client and transport of that marketplace.
 */
export interface TokenManager extends AccessTokenProvider {
  readonly marketplace: MarketplaceId;
  /** The stored token set of an account (decrypted when the store encrypts). */
  getTokenSet(accountId: string): Promise<StoredTokenSet | undefined>;
  /**
   * Saves a token set unconditionally (after the code exchange of the authorization flow),
   * clearing any re-authorization mark.
   */
  saveTokenSet(tokens: TokenSet): Promise<StoredTokenSet>;
  /** Forgets an account's tokens (the seller disconnected the app). */
  deleteTokenSet(accountId: string): Promise<void>;
  readonly events: EventEmitter<TokenManagerEvents>;
  /** Subscribes to an event; returns the function that unsubscribes. */
  on<K extends keyof TokenManagerEvents>(
    event: K,
    listener: (...args: TokenManagerEvents[K]) => void,
  ): () => void;
}

/**
 * The default test of a refresh error that means the seller must authorize again: an
 * {@link AuthenticationError} with `reauthorizationRequired`, or with code `invalid_grant`.
 */
export function isReauthorizationError(error: unknown): boolean {
  return (
    isMlhError(error) &&
    error.kind === 'authentication' &&
    ((error as AuthenticationError).reauthorizationRequired === true || error.code === 'invalid_grant')
  );
}

const DEFAULT_REFRESH_MARGIN_MS = 5 * 60_000;
const PERSIST_ATTEMPTS = 3;

/**
 * Creates a {@link TokenManager}.
 *
 * - Refreshes when less than `refreshMarginMs` (5 min) remains; N concurrent callers for one
 *   account cause one refresh (single-flight per account in this process).
 * - When the store has refresh locks (`acquireRefreshLock`), the refresh runs under the account's
 *   lock, renewed while the token endpoint answers; every other process waits, re-reads the store
 *   and uses the token the holder stored: one refresh call per expiry across the fleet, however
 *   slowly the marketplace answers. A holder that dies frees the lock when its lease ends. A lock
 *   backend that cannot be reached fails the refresh (never a silent per-process fallback).
 * - Persists the new tokens with compare-and-set **before** handing out the access token, so a
 *   rotated single-use refresh token (Mercado Livre) is never lost; if another process stored
 *   first, its tokens are used.
 * - On `forceRefresh` (after a 401) with `failedToken`, refreshes only if the stored token is
 *   still the one that failed.
 * - A refresh refused for good marks the account `reauthorizationRequired`, emits
 *   `reauthorizationRequired`, and every later call fails fast with an
 *   {@link AuthenticationError} until `saveTokenSet` stores new tokens.
 * - A transient refresh failure while the current token is still valid returns the current token.
 *
 * @example
 * const tokens = createTokenManager({
 *   marketplace: 'meli',
 *   store: new EncryptedTokenStore(myStore, { key }),
 *   refresh: (current) => meliAuth.refresh(current.refreshToken!),
 * });
 * tokens.on('reauthorizationRequired', ({ accountId }) => notifySeller(accountId));
 * const accessToken = await tokens.getAccessToken('123456');
 */
export function createTokenManager(options: TokenManagerOptions): TokenManager {
  const { marketplace, store } = options;
  const clock = options.clock ?? systemClock;
  const logger = options.logger ?? silentLogger;
  const marginMs = options.refreshMarginMs ?? DEFAULT_REFRESH_MARGIN_MS;
  const graceMs = options.invalidGrantGraceMs ?? 1_000;
  const needsReauthorization = options.isReauthorizationError ?? isReauthorizationError;
  const lockWaitMs = options.refreshLockWaitMs ?? 60_000;
  const lockPollMs = Math.max(1, options.refreshLockPollMs ?? 100);
  const flights = new Map<string, Promise<string>>();
  const events = createIsolatedEmitter<TokenManagerEvents>((error, event) => {
    logger.error('token manager event listener failed', {
      marketplace,
      event: String(event),
      error: error instanceof Error ? error.message : String(error),
    });
  });

  const isFresh = (tokens: StoredTokenSet) => tokens.expiresAt - clock.now() >= marginMs;
  const isUnexpired = (tokens: StoredTokenSet) => tokens.expiresAt > clock.now();

  const mustReauthorize = (accountId: string, reason: string, cause?: unknown) =>
    new AuthenticationError(
      `${marketplace} account ${accountId} must be re-authorized: ${reason}. ` +
        'Send the seller through the authorization flow again and save the new tokens.',
      {
        marketplace,
        accountId,
        reauthorizationRequired: true,
        code: isMlhError(cause) && cause.code ? cause.code : 'reauthorization_required',
        cause,
      },
    );

  const usable = (accountId: string, stored: StoredTokenSet | undefined): StoredTokenSet => {
    if (!stored) throw mustReauthorize(accountId, 'no tokens are stored for it');
    if (stored.reauthorizationRequired) throw mustReauthorize(accountId, 'its refresh token was refused');
    return stored;
  };

  const withoutVersion = (
    stored: StoredTokenSet,
  ): TokenSet & { reauthorizationRequired?: boolean | undefined } => {
    const { version: _version, ...tokens } = stored;
    return tokens;
  };

  /** Marks the account as needing re-authorization, unless another process stored valid tokens meanwhile. */
  async function markReauthorization(
    current: StoredTokenSet,
    reason: string,
    cause?: unknown,
  ): Promise<string> {
    const error = mustReauthorize(current.accountId, reason, cause);
    try {
      const result = await store.set(
        { ...withoutVersion(current), reauthorizationRequired: true },
        { expectedVersion: current.version },
      );
      if (!result.ok && result.current && !result.current.reauthorizationRequired) {
        return result.current.accessToken;
      }
    } catch (storeError) {
      logger.error('could not mark the account as needing re-authorization', {
        marketplace,
        accountId: current.accountId,
        error: storeError instanceof Error ? storeError.message : String(storeError),
      });
    }
    logger.warn(`${marketplace} account ${current.accountId} needs re-authorization`, { reason });
    events.emit('reauthorizationRequired', { marketplace, accountId: current.accountId, error });
    throw error;
  }

  /**
   * After a refused refresh: did another process refresh (with the same single-use token) first?
   * Waits `invalidGrantGraceMs` even under a refresh lock, for processes that take no lock (an
   * older version still running during a rolling deploy, a script with its own store).
   */
  async function storedByAnother(current: StoredTokenSet): Promise<StoredTokenSet | undefined> {
    for (const waitMs of graceMs > 0 ? [0, graceMs] : [0]) {
      if (waitMs > 0) await clock.sleep(waitMs);
      const latest = await store.get(marketplace, current.accountId);
      if (latest && latest.version !== current.version && !latest.reauthorizationRequired) return latest;
    }
    return undefined;
  }

  async function persist(
    candidate: TokenSet,
    current: StoredTokenSet,
    reason: 'expiring' | 'forced',
  ): Promise<string> {
    let expectedVersion = current.version;
    let lastError: unknown;
    for (let attempt = 0; attempt < PERSIST_ATTEMPTS; attempt++) {
      let result: Awaited<ReturnType<TokenStore['set']>>;
      try {
        result = await store.set({ ...candidate, reauthorizationRequired: false }, { expectedVersion });
      } catch (error) {
        lastError = error;
        continue;
      }
      if (result.ok) {
        logger.info(`refreshed the tokens of ${marketplace} account ${current.accountId}`, { reason });
        events.emit('refreshed', {
          marketplace,
          accountId: current.accountId,
          expiresAt: result.stored.expiresAt,
          reason,
        });
        return result.stored.accessToken;
      }
      const other = result.current;
      if (!other) throw mustReauthorize(current.accountId, 'its tokens were deleted while refreshing');
      if (other.reauthorizationRequired && other.refreshToken === current.refreshToken) {
        // Another process was refused the refresh token we had just used: our new tokens are valid.
        expectedVersion = other.version;
        continue;
      }
      if (other.reauthorizationRequired)
        throw mustReauthorize(current.accountId, 'its refresh token was refused');
      return other.accessToken;
    }
    throw new MlhError(
      `Refreshed the tokens of ${marketplace} account ${current.accountId} but could not store them; ` +
        'if the marketplace rotates refresh tokens the seller may need to authorize again',
      { marketplace, code: 'token_persist_failed', cause: lastError },
    );
  }

  /**
   * Whether `latest` still calls for the refresh this call was asked for; `seen` is what the call
   * read first, so a refresh stored by anyone since then counts as done.
   */
  function stillNeeded(
    latest: StoredTokenSet,
    seen: StoredTokenSet,
    force: boolean,
    failedToken: string | undefined,
  ): boolean {
    if (!isFresh(latest)) return true;
    if (!force) return false;
    if (failedToken !== undefined) return latest.accessToken === failedToken;
    return latest.version === seen.version;
  }

  async function refreshAccount(
    accountId: string,
    force: boolean,
    failedToken: string | undefined,
  ): Promise<string> {
    const seen = usable(accountId, await store.get(marketplace, accountId));
    if (!stillNeeded(seen, seen, force, failedToken)) return seen.accessToken;
    if (!store.acquireRefreshLock) return refreshNow(seen, force, undefined);
    return refreshUnderLock(seen, force, failedToken);
  }

  /** Takes the account's refresh lock (waiting while another process holds it), then refreshes if still needed. */
  async function refreshUnderLock(
    seen: StoredTokenSet,
    force: boolean,
    failedToken: string | undefined,
  ): Promise<string> {
    const { accountId } = seen;
    const deadline = clock.now() + lockWaitMs;
    let latest = seen;
    for (;;) {
      // Leases run on the lock backend's real time, not on the (possibly simulated) `clock`.
      const startedAt = Date.now();
      let lock: TokenRefreshLock | undefined;
      try {
        lock = await (store.acquireRefreshLock as NonNullable<TokenStore['acquireRefreshLock']>)(
          marketplace,
          accountId,
        );
      } catch (error) {
        return refreshFailed(latest, force, lockUnavailable(accountId, error));
      }
      if (lock) return refreshHolding(lock, startedAt, seen, force, failedToken);
      if (clock.now() >= deadline) {
        throw new MlhError(
          `Another process has been refreshing the tokens of ${marketplace} account ${accountId} for ` +
            `${lockWaitMs} ms; try again shortly`,
          { marketplace, code: 'token_refresh_busy', retryable: true },
        );
      }
      await clock.sleep(lockPollMs);
      latest = usable(accountId, await store.get(marketplace, accountId));
      if (!stillNeeded(latest, seen, force, failedToken)) return latest.accessToken;
    }
  }

  async function refreshHolding(
    lock: TokenRefreshLock,
    takenAt: number,
    seen: StoredTokenSet,
    force: boolean,
    failedToken: string | undefined,
  ): Promise<string> {
    const lease = keepLease(lock, takenAt);
    try {
      // The previous holder may have stored new tokens between our read and our taking the lock.
      const current = usable(seen.accountId, await store.get(marketplace, seen.accountId));
      if (!stillNeeded(current, seen, force, failedToken)) return current.accessToken;
      return await refreshNow(current, force, lease);
    } finally {
      lease.stop();
      await lock.release().catch((error: unknown) => {
        logger.warn('could not release a token refresh lock; it frees itself when its lease ends', {
          marketplace,
          accountId: seen.accountId,
          error: error instanceof Error ? error.message : String(error),
        });
      });
    }
  }

  /**
   * Renews the lease while the refresh runs. `lost` turns true once a renewal says the lease
   * ended, or once no renewal has confirmed it for a whole lease (the backend is unreachable).
   * Real timers: a lease lives in the backend's time, whatever `clock` the manager was given.
   */
  function keepLease(lock: TokenRefreshLock, takenAt: number): { readonly lost: boolean; stop(): void } {
    const stopped = new AbortController();
    let validUntil = takenAt + lock.leaseMs;
    let refused = false;
    const every = Math.max(1, Math.floor(lock.leaseMs / 3));
    void (async () => {
      while (!refused) {
        try {
          await systemClock.sleep(every, stopped.signal);
        } catch {
          return;
        }
        const askedAt = Date.now();
        try {
          if (await lock.renew()) validUntil = askedAt + lock.leaseMs;
          else refused = true;
        } catch {
          // Not confirmed; `validUntil` decides whether the lease may have ended meanwhile.
        }
      }
    })();
    return {
      get lost() {
        return refused || Date.now() >= validUntil;
      },
      stop: () => stopped.abort(),
    };
  }

  function leaseLost(accountId: string): MlhError {
    return new MlhError(
      `The refresh lock of ${marketplace} account ${accountId} was lost while refreshing; ` +
        'another process may be refreshing it now, so nothing was written. Try again.',
      { marketplace, code: 'token_refresh_lock_lost', retryable: true },
    );
  }

  function lockUnavailable(accountId: string, error: unknown): MlhError {
    return new MlhError(
      `Cannot take the refresh lock of ${marketplace} account ${accountId}: ` +
        `${error instanceof Error ? error.message : String(error)}`,
      {
        marketplace,
        code: isMlhError(error) && error.code ? error.code : 'token_refresh_lock_unavailable',
        retryable: true,
        cause: error,
      },
    );
  }

  /** A refresh that failed for a transient reason: the current token while it lasts, else the error. */
  function refreshFailed(current: StoredTokenSet, force: boolean, error: unknown): string {
    const { accountId } = current;
    events.emit('refreshFailed', { marketplace, accountId, error });
    if (!force && isUnexpired(current)) {
      logger.warn(`token refresh of ${marketplace} account ${accountId} failed; using the current token`, {
        error: error instanceof Error ? error.message : String(error),
      });
      return current.accessToken;
    }
    throw error;
  }

  /**
   * Calls the marketplace and stores the result. `lease` is the refresh lock when one is held:
   * a lease lost before the call or before marking the account aborts without writing.
   */
  async function refreshNow(
    current: StoredTokenSet,
    force: boolean,
    lease: { readonly lost: boolean } | undefined,
  ): Promise<string> {
    const { accountId } = current;
    if (!current.refreshToken) {
      if (!force && isUnexpired(current)) return current.accessToken;
      return markReauthorization(current, 'it has no refresh token and its access token expired');
    }
    if (current.refreshExpiresAt !== undefined && current.refreshExpiresAt <= clock.now()) {
      return markReauthorization(current, 'its refresh token expired');
    }
    if (lease?.lost) throw leaseLost(accountId);

    let next: TokenSet;
    try {
      next = await options.refresh(current);
    } catch (error) {
      if (needsReauthorization(error)) {
        const latest = await storedByAnother(current);
        if (latest) return latest.accessToken;
        if (lease?.lost) throw leaseLost(accountId);
        return markReauthorization(current, 'the marketplace refused its refresh token', error);
      }
      return refreshFailed(current, force, error);
    }

    // Stored even when the lease was lost meanwhile: the marketplace has already rotated the
    // refresh token, so these are the only valid tokens, and the compare-and-set below cannot
    // overwrite anything another holder stored.
    const candidate: TokenSet = {
      ...next,
      marketplace,
      accountId,
      refreshToken: next.refreshToken ?? current.refreshToken,
    };
    return persist(candidate, current, force ? 'forced' : 'expiring');
  }

  function singleFlight(accountId: string, force: boolean, failedToken: string | undefined): Promise<string> {
    const running = flights.get(accountId);
    if (running) return running;
    const flight = refreshAccount(accountId, force, failedToken).finally(() => flights.delete(accountId));
    flights.set(accountId, flight);
    return flight;
  }

  return {
    marketplace,
    events,
    async getAccessToken(accountId, request = {}) {
      const running = flights.get(accountId);
      if (running) return running;
      const stored = usable(accountId, await store.get(marketplace, accountId));
      if (request.forceRefresh) {
        if (
          request.failedToken !== undefined &&
          stored.accessToken !== request.failedToken &&
          isFresh(stored)
        ) {
          return stored.accessToken;
        }
        return singleFlight(accountId, true, request.failedToken);
      }
      if (isFresh(stored)) return stored.accessToken;
      return singleFlight(accountId, false, undefined);
    },
    getTokenSet(accountId) {
      return store.get(marketplace, accountId);
    },
    async saveTokenSet(tokens) {
      const issues = [
        ...(tokens.marketplace === marketplace
          ? []
          : [{ path: 'marketplace', message: `must be ${marketplace} for this token manager` }]),
        ...(tokens.accountId ? [] : [{ path: 'accountId', message: 'required' }]),
        ...(tokens.accessToken ? [] : [{ path: 'accessToken', message: 'required' }]),
        ...(Number.isFinite(tokens.expiresAt)
          ? []
          : [{ path: 'expiresAt', message: 'must be epoch milliseconds' }]),
      ];
      if (issues.length > 0) throw new ValidationError('Invalid token set', issues, { marketplace });
      const result = await store.set({ ...tokens, reauthorizationRequired: false });
      if (!result.ok) {
        throw new MlhError(`The token store refused an unconditional write for account ${tokens.accountId}`, {
          marketplace,
          code: 'token_store_refused',
        });
      }
      return result.stored;
    },
    deleteTokenSet(accountId) {
      return store.delete(marketplace, accountId);
    },
    on(event, listener) {
      events.on(event, listener as never);
      return () => {
        events.off(event, listener as never);
      };
    },
  };
}
