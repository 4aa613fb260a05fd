/**
 * A fresh @mlh/sync-postgres schema on the bench's PostgreSQL, loaded the way a catalog lands:
 * products and their stock through the store, listings written straight in SQL (the fixture, not
 * what is measured). Nothing is ANALYZEd: with autovacuum off, plans run without statistics.
 */
import { createPostgresStores, type PostgresStores } from '@mlh/sync-postgres';
import pg from 'pg';
import { catalogProduct, productSku, VARIANTS_PER_PRODUCT, variantSku } from './catalog';

/** One fresh schema: its stores, a raw pool for fixtures and floors, and how to drop it. */
export interface PostgresWorld {
  schema: string;
  stores: PostgresStores;
  raw: pg.Pool;
  table(name: string): string;
  drop(): Promise<void>;
}

let counter = 0;

/** Creates a fresh schema (migrated, empty) on `databaseUrl`. */
export async function postgresWorld(databaseUrl: string): Promise<PostgresWorld> {
  counter += 1;
  const schema = `bench_${process.pid}_${Date.now().toString(36)}_${counter}`;
  const stores = await createPostgresStores({ connectionString: databaseUrl, schema, migrate: true });
  const raw = new pg.Pool({ connectionString: databaseUrl, max: 4 });
  return {
    schema,
    stores,
    raw,
    table: (name) => `"${schema}"."${name}"`,
    drop: async () => {
      await stores.close();
      await raw.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`).catch(() => undefined);
      await raw.end();
    },
  };
}

/** Puts `products` catalog products (and their stock) into the store, 1,000 per call. */
export async function loadProducts(world: PostgresWorld, products: number): Promise<void> {
  for (let start = 0; start < products; start += 1000) {
    const count = Math.min(1000, products - start);
    await world.stores.syncStore.upsertProducts(
      Array.from({ length: count }, (_, offset) => catalogProduct(start + offset)),
    );
  }
}

/**
 * Active listings of catalog products `from` to `products` − 1 on one account, each SKU recorded
 * as pushed at its current stock version (nothing to push), written in multi-row statements.
 */
export async function loadListings(
  world: PostgresWorld,
  account: { marketplace: string; accountId: string },
  products: number,
  from = 0,
): Promise<void> {
  for (let start = from; start < products; start += 5000) {
    const indexes = Array.from({ length: Math.min(5000, products - start) }, (_, i) => start + i);
    await world.raw.query(
      `INSERT INTO ${world.table('listings')} (marketplace, account_id, sku, state, product_external_id, content_hash, updated_at)
       SELECT $1, $2, sku, 'active', 'P' || sku, 'hash', 0 FROM unnest($3::text[]) AS sku`,
      [account.marketplace, account.accountId, indexes.map(productSku)],
    );
    const variants = indexes.flatMap((index) =>
      Array.from({ length: VARIANTS_PER_PRODUCT }, (_, variant) => ({
        sku: productSku(index),
        variant_sku: variantSku(index, variant),
        position: variant,
      })),
    );
    await world.raw.query(
      `INSERT INTO ${world.table('listing_variants')}
         (marketplace, account_id, sku, variant_sku, position, external_id, pushed_quantity, pushed_stock_version)
       SELECT $1, $2, v.sku, v.variant_sku, v.position, 'V' || v.variant_sku, s.quantity, s.version
       FROM jsonb_to_recordset($3::jsonb) AS v(sku text, variant_sku text, position integer)
       JOIN ${world.table('stock')} s ON s.sku = v.variant_sku`,
      [account.marketplace, account.accountId, JSON.stringify(variants)],
    );
  }
}
