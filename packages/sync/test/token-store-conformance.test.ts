import {
  createMemoryRefreshLocks,
  EncryptedTokenStore,
  generateTokenEncryptionKey,
  MemoryTokenStore,
  type TokenStore,
  withRefreshLocks,
} from '@mlh/core';
import { describeTokenStoreConformance } from '@mlh/sync/testing';

const leaseMs = 300;

describeTokenStoreConformance('MemoryTokenStore', async () => ({
  store: new MemoryTokenStore({ refreshLockLeaseMs: leaseMs }),
  leaseMs,
}));

describeTokenStoreConformance('EncryptedTokenStore over MemoryTokenStore', async () => ({
  store: new EncryptedTokenStore(new MemoryTokenStore({ refreshLockLeaseMs: leaseMs }), {
    key: generateTokenEncryptionKey(),
  }),
  leaseMs,
}));

/** A store as an application writes it over its own database: no locks of its own. */
function applicationStore(): TokenStore {
  const inner = new MemoryTokenStore();
  return {
    get: (marketplace, accountId) => inner.get(marketplace, accountId),
    set: (tokens, options) => inner.set(tokens, options),
    delete: (marketplace, accountId) => inner.delete(marketplace, accountId),
  };
}

describeTokenStoreConformance('an application store with withRefreshLocks', async () => ({
  store: withRefreshLocks(applicationStore(), createMemoryRefreshLocks({ leaseMs })),
  leaseMs,
}));

describeTokenStoreConformance(
  'an application store without locks (one process)',
  async () => ({ store: applicationStore(), leaseMs }),
  {
    refreshLocks: false,
  },
);
