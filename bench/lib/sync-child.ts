/**
 * Child-process entry of the sync bench: receives a list of {@link SyncJob}s for one marketplace
 * and runs them one after the other (in the order given), then
 * answers every result. One process per marketplace keeps the three apart and on both cores.
 */
import { startSandboxHost } from './sandbox-host';
import { runSyncJob, type SyncJob, type SyncJobResult } from './sync-job';

process.once('message', async (message) => {
  const results: SyncJobResult[] = [];
  const host = startSandboxHost();
  try {
    for (const job of message as SyncJob[]) {
      const result = await runSyncJob(job, host);
      results.push(result);
      process.send?.({ kind: 'progress', result });
    }
    process.send?.({ kind: 'done', results });
  } catch (error) {
    process.send?.({
      kind: 'failed',
      error: error instanceof Error ? (error.stack ?? error.message) : String(error),
    });
  }
  await host.close();
  process.disconnect?.();
});
