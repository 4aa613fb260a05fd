import { describe, expect, it } from 'vitest';
import { main } from '../admin';

describe('pnpm demo:admin (examples/admin.ts --once)', () => {
  it('serves the dashboard: a login with the printed operator key opens the overview', async () => {
    const lines: string[] = [];
    const run = await main({ once: true, port: 0, print: (line) => lines.push(line) });
    expect(run.loginStatus).toBe(303);
    expect(run.overviewStatus).toBe(200);
    expect(lines.join('\n')).toMatch(/operator key: {2}mlh_[A-Za-z0-9_-]+/);
    expect(lines.join('\n')).toContain(run.adminUrl);
  });
});
