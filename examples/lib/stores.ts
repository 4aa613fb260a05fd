import {
  EncryptedTokenStore,
  generateTokenEncryptionKey,
  type MarketplaceId,
  MemoryTokenStore,
  type TokenSet,
  type TokenStore,
} from '@mlh/core';
import { createMemorySyncStore, type SyncStore } from '@mlh/sync';
import type { ExampleConfig, Marketplace } from './config';
import { FileTokenStore } from './file-token-store';

/** Where an example keeps its state. */
export interface ExampleStores {
  syncStore: SyncStore;
  /** Always encrypted (core `EncryptedTokenStore`): tokens are JWE at rest. */
  tokenStore: TokenStore;
  /** Accounts with stored tokens, when the store can list them (the file store). */
  storedAccounts(marketplace: Marketplace): Promise<string[]>;
  /** One line saying where state and tokens live, for the start-up banner. */
  description: string;
  close(): Promise<void>;
}

/**
 * Tokens of the marketplaces called for real go to the persistent store; the sandboxes' throw-away
 * tokens stay in memory, so they never end up beside a real seller's.
 */
class TokensByMarketplace implements TokenStore {
  constructor(
    private readonly persistent: TokenStore,
    private readonly persisted: (marketplace: MarketplaceId) => boolean,
    private readonly memory: TokenStore,
  ) {}

  private storeOf(marketplace: MarketplaceId): TokenStore {
    return this.persisted(marketplace) ? this.persistent : this.memory;
  }

  get(marketplace: MarketplaceId, accountId: string) {
    return this.storeOf(marketplace).get(marketplace, accountId);
  }

  set(
    tokens: TokenSet & { reauthorizationRequired?: boolean | undefined },
    options?: { expectedVersion?: number },
  ) {
    return this.storeOf(tokens.marketplace).set(tokens, options);
  }

  delete(marketplace: MarketplaceId, accountId: string) {
    return this.storeOf(marketplace).delete(marketplace, accountId);
  }
}

/**
 * Opens the stores of a run. Sandboxed marketplaces keep everything in memory and start empty.
 * The marketplaces called for real (`live`) read and write the tokens the OAuth examples saved,
 * encrypted with `MLH_TOKEN_KEY`: in PostgreSQL when `DATABASE_URL` is set, otherwise in the
 * token file (`tokenFile` forces the file, for every marketplace). The sync state goes to
 * PostgreSQL only when every marketplace is real: a sandbox's ids start over on each run.
 */
export async function openStores(
  config: ExampleConfig,
  options: { live: readonly Marketplace[]; tokenFile?: string | undefined },
): Promise<ExampleStores> {
  const memoryTokens = new EncryptedTokenStore(new MemoryTokenStore(), { key: generateTokenEncryptionKey() });
  if (options.live.length === 0 && options.tokenFile === undefined) {
    return {
      syncStore: createMemorySyncStore(),
      tokenStore: memoryTokens,
      storedAccounts: async () => [],
      description: 'state and tokens in memory (tokens encrypted with a throw-away key)',
      close: async () => {},
    };
  }
  if (config.tokenKey === undefined) {
    throw new Error(
      'MLH_TOKEN_KEY is required to keep tokens in a file or database (they are stored encrypted). ' +
        'Make one with: openssl rand -hex 32',
    );
  }
  const persisted = (marketplace: MarketplaceId) =>
    options.tokenFile !== undefined || (options.live as readonly string[]).includes(marketplace);

  if (config.databaseUrl !== undefined && options.tokenFile === undefined) {
    const { createPostgresStores } = await import('@mlh/sync-postgres');
    const postgres = await createPostgresStores({ connectionString: config.databaseUrl, migrate: true });
    const allLive = options.live.length === 3;
    return {
      syncStore: allLive ? postgres.syncStore : createMemorySyncStore(),
      tokenStore: new TokensByMarketplace(
        new EncryptedTokenStore(postgres.tokenStore, { key: config.tokenKey }),
        persisted,
        memoryTokens,
      ),
      storedAccounts: async () => [],
      description: `tokens in PostgreSQL (DATABASE_URL, encrypted); sync state in ${allLive ? 'PostgreSQL' : 'memory'}`,
      close: () => postgres.close(),
    };
  }
  const path = options.tokenFile ?? config.tokenFile;
  const file = new FileTokenStore(path);
  return {
    syncStore: createMemorySyncStore(),
    tokenStore: new TokensByMarketplace(
      new EncryptedTokenStore(file, { key: config.tokenKey }),
      persisted,
      memoryTokens,
    ),
    storedAccounts: (marketplace) => file.accounts(marketplace),
    description: `tokens encrypted in ${path}; sync state in memory`,
    close: async () => {},
  };
}
