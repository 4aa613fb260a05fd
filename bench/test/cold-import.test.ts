import { describe, expect, it } from 'vitest';
import { type ColdFigures, coldContenders, coldImportRows, keyOf } from '../sections/cold-import';

/** Medians for every contender: `ms` by key, the floor and anything unnamed at 1 ms. */
function figuresWith(ms: Record<string, number>): Record<string, ColdFigures> {
  return Object.fromEntries(
    coldContenders().map((contender) => {
      const wallMs = ms[keyOf(contender)] ?? 1;
      return [keyOf(contender), { wallMs, cpuMs: wallMs, lifeMs: wallMs + 40 }];
    }),
  );
}

describe('section 10, cold import', () => {
  it('measures each adapter, full and lean, and both peers, through import() and require()', () => {
    const keys = coldContenders().map(keyOf);
    for (const loader of ['import', 'require']) {
      for (const entry of ['@mlh/shopee', '@mlh/shopee/lean', '@mlh/tiktok', '@mlh/meli/lean']) {
        expect(keys).toContain(`${loader} ${entry}`);
      }
      expect(keys).toContain(`${loader} tiktok-shop-sdk`);
    }
    expect(keys).toContain('import @congminh1254/shopee-sdk');
    // Published as ESM only: a CommonJS app cannot require it.
    expect(keys).not.toContain('require @congminh1254/shopee-sdk');
  });

  it('holds the full Shopee and TikTok Shop imports to 1.5× their peer', () => {
    const { rows } = coldImportRows(
      figuresWith({
        'import @mlh/shopee': 30,
        'import @congminh1254/shopee-sdk': 20,
        'import @mlh/tiktok': 40,
        'import tiktok-shop-sdk': 20,
      }),
    );
    const shopee = rows.find(
      (row) => row.figure === 'Shopee: import() of @mlh/shopee vs @congminh1254/shopee-sdk',
    );
    expect(shopee).toMatchObject({
      ours: '30.0 ms',
      versus: '20.0 ms peer',
      ratio: 1.5,
      target: '≤ 1.50×',
      met: true,
    });
    const tiktok = rows.find(
      (row) => row.figure === 'TikTok Shop: import() of @mlh/tiktok vs tiktok-shop-sdk',
    );
    expect(tiktok).toMatchObject({ ratio: 2, met: false });
  });

  it('compares Mercado Livre, which has no peer, with the faster peer, without a verdict', () => {
    const { rows } = coldImportRows(
      figuresWith({
        'import @mlh/meli': 30,
        'import @congminh1254/shopee-sdk': 15,
        'import tiktok-shop-sdk': 10,
      }),
    );
    const meli = rows.find((row) => row.figure === 'Mercado Livre: import() of @mlh/meli');
    expect(meli).toMatchObject({
      versus: '10.0 ms fastest peer (tiktok-shop-sdk)',
      ratio: 3,
      target: 'reported',
    });
    expect(meli?.met).toBeUndefined();
  });

  it('compares the CommonJS Shopee build with the peer’s import(), the only way to load it, and says so', () => {
    const { rows } = coldImportRows(
      figuresWith({ 'require @mlh/shopee': 12, 'import @congminh1254/shopee-sdk': 8 }),
    );
    const shopee = rows.find((row) => row.figure.startsWith('Shopee: require() of @mlh/shopee vs'));
    expect(shopee?.figure).toContain('has no CommonJS build');
    expect(shopee).toMatchObject({ ratio: 1.5, met: true });
  });

  it('gives the floors as reference rows', () => {
    const { rows } = coldImportRows(figuresWith({}));
    expect(rows.filter((row) => row.target === 'reference').map((row) => row.figure)).toEqual([
      'floor: import() of an empty module',
      'floor: require() of an empty module',
    ]);
  });
});
