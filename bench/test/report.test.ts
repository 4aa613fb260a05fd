import { describe, expect, it } from 'vitest';
import { exitCodeOf, failedRow, renderTable, type SectionResult, skippedRow } from '../lib/report';

const section = (id: number, rows: SectionResult['rows']): SectionResult => ({
  id,
  title: `section ${id}`,
  rows,
  notes: [],
  details: {},
});

describe('the bench’s verdict', () => {
  it('does not fail a run whose sections were skipped for a missing service or build', () => {
    const sections = [
      section(7, [skippedRow('bundle size', 'no dist/ in packages/core: run pnpm build first')]),
      section(8, [skippedRow('sync-postgres', 'DATABASE_URL is not set')]),
      section(1, [{ figure: 'signatures/s', ours: '10', versus: '', target: '' }]),
    ];
    expect(exitCodeOf(sections)).toBe(0);
    expect(renderTable(sections)).toContain('sync-postgres: skipped: DATABASE_URL is not set');
  });

  it('fails the run when a section threw, and prints it as failed rather than skipped', () => {
    const sections = [
      section(8, [skippedRow('sync-postgres', 'DATABASE_URL is not set')]),
      section(9, [failedRow('section', 'connect ECONNREFUSED 127.0.0.1:6379')]),
    ];
    expect(exitCodeOf(sections)).toBe(1);
    const table = renderTable(sections);
    expect(table).toContain('section: failed: connect ECONNREFUSED 127.0.0.1:6379');
    expect(table).not.toContain('section: skipped:');
  });
});
