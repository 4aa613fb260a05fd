import { describe, expect, it } from 'vitest';
import { main } from '../fleet';

const redisUrl = process.env.REDIS_URL;
if (!redisUrl && process.env.CI) throw new Error('CI must run the fleet example: set REDIS_URL');

describe.skipIf(!redisUrl)('a fleet of workers on Redis, against the sandboxes', () => {
  it('brings every order in once, with the jobs spread over the workers', async () => {
    const queueName = `mlh-example-test-${process.pid}-${Date.now().toString(36)}`;
    const run = await main({ env: { REDIS_URL: redisUrl }, queueName, print: () => {} });
    for (const [marketplace, orderId] of Object.entries(run.placed)) {
      expect(run.stored[marketplace]).toEqual([orderId]);
    }
    expect(Object.keys(run.placed)).toHaveLength(3);
    expect(run.jobsPerWorker.reduce((sum, jobs) => sum + jobs, 0)).toBeGreaterThan(0);
  });
});
