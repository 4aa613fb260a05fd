import { describe, expect, it } from 'vitest';
import { main } from '../poll-orders';

describe('polling orders on a schedule, against the sandboxes', () => {
  it('picks up every order placed between polls, each stored once', async () => {
    const run = await main({ env: {}, intervalMs: 50, rounds: 2, print: () => {} });
    for (const marketplace of ['meli', 'shopee', 'tiktok']) {
      const stored = run.stored[marketplace] ?? [];
      expect(stored).toHaveLength(2);
      expect(new Set(stored).size).toBe(2);
      const polls = run.polls.filter((poll) => poll.marketplace === marketplace);
      // The scheduler kept polling the account, moving its checkpoint forward.
      expect(polls.length).toBeGreaterThanOrEqual(2);
      expect(polls.every((poll) => poll.ran && poll.failed.length === 0)).toBe(true);
      expect(polls.reduce((created, poll) => created + poll.created, 0)).toBe(2);
      const checkpoints = polls.map((poll) => poll.checkpoint ?? '');
      expect([...checkpoints].sort()).toEqual(checkpoints);
    }
  });
});
