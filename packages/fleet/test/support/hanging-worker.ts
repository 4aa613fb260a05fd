/**
 * A fleet worker process that takes one job and never finishes it (its client never answers): the
 * kill -9 test starts it, waits for `started`, and kills it mid-job. Run with `node --import tsx`
 * from the repository root.
 */
import { createFleetWorker } from '@mlh/fleet';
import { createPostgresStores } from '@mlh/sync-postgres';

const stores = await createPostgresStores({
  connectionString: process.env.DATABASE_URL!,
  schema: process.env.MLH_SYNC_SCHEMA!,
});
const worker = createFleetWorker({
  connection: process.env.REDIS_URL!,
  queueName: process.env.MLH_QUEUE!,
  store: stores.syncStore,
  accounts: () => [],
  clientFor: () => new Promise(() => undefined),
  accountLeaseMs: 1_500,
  lockDurationMs: 1_000,
  stalledIntervalMs: 500,
});
worker.on('job.started', (job) => process.send?.({ type: 'started', id: job.id }));
await worker.ready();
process.send?.({ type: 'ready' });
