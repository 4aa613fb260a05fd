import type { MarketplaceId, StoredTokenSet, TokenStore } from '@mlh/core';
import { NotFoundError } from '@mlh/core';
import { Hono } from 'hono';
import type { ApiEnv } from '../context';
import type { AccountDirectory, AccountRef, AccountRegistry } from '../options';
import type { AccountView } from '../schemas';
import { requireScope } from '../security';

/** The accounts of a directory, in the API's order: marketplace, then account id. */
export async function listAccounts(directory: AccountDirectory): Promise<AccountRef[]> {
  const accounts =
    typeof directory === 'function'
      ? await directory()
      : isAccountRegistry(directory)
        ? await directory.list()
        : directory;
  return [...accounts].sort(
    (a, b) =>
      compareText(String(a.marketplace), String(b.marketplace)) || compareText(a.accountId, b.accountId),
  );
}

/** Whether a directory is a registry the API can add connected accounts to. */
export function isAccountRegistry(directory: AccountDirectory): directory is AccountRegistry {
  return typeof directory === 'object' && !Array.isArray(directory) && 'register' in directory;
}

/**
 * An {@link AccountRegistry} in this process's memory, starting with `initial`: for the quick
 * start and one-process apps (behind several processes, `createPostgresAccountRegistry` of
 * `@mlh/api/postgres`, or the two methods over your own table).
 *
 * @example
 * createApi({ ..., accounts: createMemoryAccountRegistry([{ marketplace: 'meli', accountId: '123' }]) })
 */
export function createMemoryAccountRegistry(initial: readonly AccountRef[] = []): AccountRegistry {
  const accounts = new Map<string, AccountRef>();
  const keyOf = (account: AccountRef) => `${account.marketplace}\u0000${account.accountId}`;
  for (const account of initial) accounts.set(keyOf(account), { ...account });
  return {
    async list() {
      return [...accounts.values()]
        .map((account) => ({ ...account }))
        .sort((a, b) => compareText(a.marketplace, b.marketplace) || compareText(a.accountId, b.accountId));
    },
    async register(account) {
      const label = account.label ?? accounts.get(keyOf(account))?.label;
      accounts.set(keyOf(account), {
        marketplace: account.marketplace,
        accountId: account.accountId,
        ...(label === undefined ? {} : { label }),
      });
    },
  };
}

/** Code-point order, the same on every runtime (unlike `localeCompare`). */
export function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * A token's health from what is stored, without calling the marketplace: `disconnected` without
 * tokens; `reauthorization_required` when a refresh failed for good or cannot happen (no refresh
 * token, or it expired, after the access token expired); `refresh_due` when the access token
 * expired but a refresh will renew it on the next call; `healthy` otherwise.
 */
export function tokenHealth(tokens: StoredTokenSet | undefined, now: number): AccountView['health'] {
  if (!tokens) return 'disconnected';
  if (tokens.reauthorizationRequired) return 'reauthorization_required';
  if (tokens.expiresAt > now) return 'healthy';
  const refreshable =
    tokens.refreshToken !== undefined &&
    (tokens.refreshExpiresAt === undefined || tokens.refreshExpiresAt > now);
  return refreshable ? 'refresh_due' : 'reauthorization_required';
}

/** The public view of an account: its health and expiry times, never a token. */
export function accountView(
  account: AccountRef,
  tokens: StoredTokenSet | undefined,
  now: number,
): AccountView {
  const health = tokenHealth(tokens, now);
  return {
    marketplace: String(account.marketplace),
    accountId: account.accountId,
    ...(account.label === undefined ? {} : { label: account.label }),
    health,
    reauthorizationRequired: health === 'reauthorization_required',
    ...(tokens ? { accessTokenExpiresAt: new Date(tokens.expiresAt).toISOString() } : {}),
    ...(tokens?.refreshExpiresAt === undefined
      ? {}
      : { refreshTokenExpiresAt: new Date(tokens.refreshExpiresAt).toISOString() }),
  };
}

async function findAccount(directory: AccountDirectory, marketplace: string, accountId: string) {
  const account = (await listAccounts(directory)).find(
    (candidate) => candidate.marketplace === marketplace && candidate.accountId === accountId,
  );
  if (!account) throw new NotFoundError(`No account ${accountId} on ${marketplace} is served by this API`);
  return account;
}

/** `GET /accounts`, `GET /accounts/{marketplace}/{accountId}`, `DELETE /accounts/{marketplace}/{accountId}`. */
export function accountRoutes(options: {
  accounts: AccountDirectory;
  tokenStore: TokenStore;
  clock: () => number;
}): Hono<ApiEnv> {
  const routes = new Hono<ApiEnv>();
  routes.get('/', requireScope('read'), async (c) => {
    const accounts = await listAccounts(options.accounts);
    const now = options.clock();
    const items = await Promise.all(
      accounts.map(async (account) =>
        accountView(account, await options.tokenStore.get(account.marketplace, account.accountId), now),
      ),
    );
    return c.json({ items });
  });
  routes.get('/:marketplace/:accountId', requireScope('read'), async (c) => {
    const account = await findAccount(options.accounts, c.req.param('marketplace'), c.req.param('accountId'));
    const tokens = await options.tokenStore.get(account.marketplace as MarketplaceId, account.accountId);
    return c.json(accountView(account, tokens, options.clock()));
  });
  // Disconnecting forgets the account's tokens: calls for it fail until the seller authorizes again.
  routes.delete('/:marketplace/:accountId', requireScope('operator'), async (c) => {
    const account = await findAccount(options.accounts, c.req.param('marketplace'), c.req.param('accountId'));
    await options.tokenStore.delete(account.marketplace, account.accountId);
    return c.body(null, 204);
  });
  return routes;
}
