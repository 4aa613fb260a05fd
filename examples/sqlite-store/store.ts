import type { MarketplaceId, Money, Order, Product, ProductStatus, TokenStore } from '@mlh/core';
import {
  assertValidMovements,
  checkedStockAfterMovement,
  decideOrderUpsert,
  type Lease,
  type Listing,
  type ListingKey,
  type ListingVariant,
  type Page,
  type StockLevel,
  type StockMovement,
  type StockMovementResult,
  type StockToPush,
  type StoredOrder,
  type SyncStore,
  stockAfterMovement,
  withStorableInputs,
} from '@mlh/sync';
import { migrate, SCHEMA_VERSION } from './schema';
import { openSqliteDatabase, type Param, type Row, type Sql } from './sqlite';
import { sqliteTokenStore } from './token-store';

/** Options of {@link createSqliteSyncStore}. */
export interface SqliteSyncStoreOptions {
  /** A database file to load and save to; without it the database lives in memory only. */
  filename?: string | undefined;
}

/** A {@link SyncStore} on SQLite, with a `TokenStore` in the same database. */
export interface SqliteSyncStore extends SyncStore {
  /** Token sets in the same database, with compare-and-set; wrap it in core's `EncryptedTokenStore`. */
  readonly tokens: TokenStore;
  /** Frees the database; every later call rejects. */
  close(): void;
}

/**
 * A SyncStore written from scratch on SQLite (sql.js, SQLite compiled to WebAssembly). Each port
 * method runs in one transaction whose statements all run synchronously, so concurrent calls never
 * interleave and a failing call changes nothing. With a `filename` the database is saved after
 * every call that changed it, before the call resolves.
 *
 * @example
 * const store = await createSqliteSyncStore({ filename: 'mlh.sqlite' });
 * const products = new ProductSync({ store, clients });
 */
export async function createSqliteSyncStore(options: SqliteSyncStoreOptions = {}): Promise<SqliteSyncStore> {
  const db = await openSqliteDatabase({ filename: options.filename, migrate, schemaVersion: SCHEMA_VERSION });

  function applyMovements(sql: Sql, movements: readonly StockMovement[]): StockMovementResult[] {
    return movements.map((movement, index) => {
      const current = readStock(sql, movement.sku);
      const quantity = stockAfterMovement(current?.quantity, movement);
      if (!Number.isSafeInteger(quantity)) {
        // A key applied before changes nothing; a new one throws, and the transaction rolls back.
        const seen = sql.get('SELECT 1 AS seen FROM stock_movements WHERE key = ?', [movement.key]);
        if (!seen) checkedStockAfterMovement(current?.quantity, movement, index);
        const level = current ?? { sku: movement.sku, quantity: 0, version: 0 };
        return { ...level, key: movement.key, applied: false };
      }
      const version = (current?.version ?? 0) + 1;
      const recorded = sql.run(
        `INSERT INTO stock_movements (key, sku, delta, set_to, reason, quantity_after, version_after)
         VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (key) DO NOTHING`,
        [
          movement.key,
          movement.sku,
          'delta' in movement ? movement.delta : null,
          'set' in movement ? movement.set : null,
          movement.reason,
          quantity,
          version,
        ],
      );
      if (recorded === 0) {
        const level = current ?? { sku: movement.sku, quantity: 0, version: 0 };
        return { ...level, key: movement.key, applied: false };
      }
      sql.run(
        `INSERT INTO stock (sku, quantity, version) VALUES (?, ?, ?)
         ON CONFLICT (sku) DO UPDATE SET quantity = excluded.quantity, version = excluded.version`,
        [movement.sku, quantity, version],
      );
      return { sku: movement.sku, quantity, version, key: movement.key, applied: true };
    });
  }

  function readListing(sql: Sql, key: ListingKey): Listing | undefined {
    const row = sql.get('SELECT * FROM listings WHERE marketplace = ? AND account_id = ? AND sku = ?', [
      key.marketplace,
      key.accountId,
      key.sku,
    ]);
    return row ? withVariants(sql, [row])[0] : undefined;
  }

  // Input SQLite could not keep as given (U+0000, lone surrogates, numbers past 2^53) is refused first.
  return withStorableInputs({
    tokens: sqliteTokenStore(db),
    close: () => db.close(),

    // ── catalog ──────────────────────────────────────────────────────────────
    async upsertProducts(products) {
      db.write((sql) => {
        for (const product of products) {
          sql.run(
            'INSERT INTO products (sku, data) VALUES (?, ?) ON CONFLICT (sku) DO UPDATE SET data = excluded.data',
            [product.sku, JSON.stringify(product)],
          );
          for (const variant of product.variants) {
            sql.run(
              'INSERT INTO stock (sku, quantity, version) VALUES (?, ?, 1) ON CONFLICT (sku) DO NOTHING',
              [variant.sku, variant.quantity],
            );
          }
        }
      });
    },

    async getProducts(skus) {
      // json_each turns one bound JSON array into rows: one statement for any number of SKUs,
      // in the order they were asked for.
      return db.read((sql) =>
        sql
          .all(
            'SELECT p.data FROM json_each(?) AS wanted JOIN products p ON p.sku = wanted.value ORDER BY wanted.key',
            [JSON.stringify(skus)],
          )
          .map((row) => parseJson<Product>(row.data)),
      );
    },

    async listProducts({ after, limit }) {
      const rows = db.read((sql) =>
        after === undefined
          ? sql.all('SELECT sku, data FROM products ORDER BY sku LIMIT ?', [limit + 1])
          : sql.all('SELECT sku, data FROM products WHERE sku > ? ORDER BY sku LIMIT ?', [after, limit + 1]),
      );
      return pageOf(
        rows.map((row) => parseJson<Product>(row.data)).slice(0, limit),
        rows.length > limit,
        (p) => p.sku,
      );
    },

    async countProducts() {
      return db.read((sql) => int(sql.get('SELECT count(*) AS n FROM products')?.n));
    },

    // ── stock ledger ─────────────────────────────────────────────────────────
    async getStock(skus) {
      return db.read((sql) =>
        sql
          .all(
            'SELECT s.sku, s.quantity, s.version FROM json_each(?) AS wanted JOIN stock s ON s.sku = wanted.value ORDER BY wanted.key',
            [JSON.stringify(skus)],
          )
          .map(stockFromRow),
      );
    },

    async applyStockMovements(movements) {
      assertValidMovements(movements);
      return db.write((sql) => applyMovements(sql, movements));
    },

    // ── listings ─────────────────────────────────────────────────────────────
    async getListing(key) {
      return db.read((sql) => readListing(sql, key));
    },

    async findListingByExternalId(marketplace, accountId, productExternalId) {
      return db.read((sql) => {
        const row = sql.get(
          `SELECT * FROM listings
           WHERE marketplace = ? AND account_id = ? AND product_external_id = ? AND state = 'active'
           ORDER BY sku LIMIT 1`,
          [marketplace, accountId, productExternalId],
        );
        return row ? withVariants(sql, [row])[0] : undefined;
      });
    },

    async findListingsBySku(sku) {
      return db.read((sql) =>
        withVariants(
          sql,
          sql.all(
            `SELECT * FROM listings WHERE sku = ?1
             UNION
             SELECT l.* FROM listing_variants v
             JOIN listings l ON l.marketplace = v.marketplace AND l.account_id = v.account_id AND l.sku = v.sku
             WHERE v.variant_sku = ?1
             ORDER BY marketplace, account_id, sku`,
            [sku],
          ),
        ),
      );
    },

    async listListings({ marketplace, accountId, after, limit }) {
      const listings = db.read((sql) =>
        withVariants(
          sql,
          after === undefined
            ? sql.all(
                'SELECT * FROM listings WHERE marketplace = ? AND account_id = ? ORDER BY sku LIMIT ?',
                [marketplace, accountId, limit + 1],
              )
            : sql.all(
                'SELECT * FROM listings WHERE marketplace = ? AND account_id = ? AND sku > ? ORDER BY sku LIMIT ?',
                [marketplace, accountId, after, limit + 1],
              ),
        ),
      );
      return pageOf(listings.slice(0, limit), listings.length > limit, (l) => l.sku);
    },

    async claimListingCreate({ marketplace, accountId, sku, intentId, now, staleBefore }) {
      const key = { marketplace, accountId, sku };
      return db.write((sql) => {
        const existing = readListing(sql, key);
        if (!existing) {
          sql.run(
            `INSERT INTO listings (marketplace, account_id, sku, state, intent_id, intent_started_at, updated_at)
             VALUES (?, ?, ?, 'creating', ?, ?, ?)`,
            [marketplace, accountId, sku, intentId, now, now],
          );
          return { claimed: true, listing: readListing(sql, key)! };
        }
        if (existing.state === 'creating' && existing.intent && existing.intent.startedAt < staleBefore) {
          sql.run(
            `UPDATE listings SET intent_id = ?, intent_started_at = ?, updated_at = ?
             WHERE marketplace = ? AND account_id = ? AND sku = ?`,
            [intentId, now, now, marketplace, accountId, sku],
          );
          return { claimed: true, listing: readListing(sql, key)!, takenOver: existing.intent };
        }
        return { claimed: false, listing: existing };
      });
    },

    async completeListingCreate(input) {
      const { marketplace, accountId, sku } = input;
      return db.write((sql) => {
        const existing = readListing(sql, input);
        if (existing?.state === 'active' && existing.productExternalId !== input.productExternalId) {
          return { ok: false, listing: existing };
        }
        sql.run(
          `INSERT INTO listings (marketplace, account_id, sku, state, product_external_id, content_hash, status, updated_at)
           VALUES (?, ?, ?, 'active', ?, ?, ?, ?)
           ON CONFLICT (marketplace, account_id, sku) DO UPDATE SET
             state = 'active', intent_id = NULL, intent_started_at = NULL,
             product_external_id = excluded.product_external_id, content_hash = excluded.content_hash,
             status = excluded.status, updated_at = excluded.updated_at`,
          [marketplace, accountId, sku, input.productExternalId, input.contentHash, input.status, input.now],
        );
        writeVariants(sql, input, input.variants);
        return { ok: true, listing: readListing(sql, input)! };
      });
    },

    async abandonListingCreate({ marketplace, accountId, sku, intentId }) {
      return db.write((sql) => {
        const deleted = sql.run(
          `DELETE FROM listings
           WHERE marketplace = ? AND account_id = ? AND sku = ? AND state = 'creating' AND intent_id = ?`,
          [marketplace, accountId, sku, intentId],
        );
        if (deleted > 0) writeVariants(sql, { marketplace, accountId, sku }, []);
        return deleted > 0;
      });
    },

    async updateListing(key, patch, now) {
      return db.write((sql) => {
        const existing = readListing(sql, key);
        if (existing?.state !== 'active') return undefined;
        sql.run(
          `UPDATE listings SET
             product_external_id = coalesce(?, product_external_id),
             content_hash = coalesce(?, content_hash),
             status = coalesce(?, status),
             updated_at = ?
           WHERE marketplace = ? AND account_id = ? AND sku = ?`,
          [
            patch.productExternalId,
            patch.contentHash,
            patch.status,
            now,
            key.marketplace,
            key.accountId,
            key.sku,
          ],
        );
        if (patch.variants) {
          const before = new Map(existing.variants.map((v) => [v.sku, v]));
          writeVariants(
            sql,
            key,
            patch.variants.map((v) => ({
              ...before.get(v.sku),
              sku: v.sku,
              externalId: v.externalId ?? before.get(v.sku)?.externalId,
            })),
          );
        }
        return readListing(sql, key);
      });
    },

    async recordPushes(pushes, now) {
      db.write((sql) => {
        for (const push of pushes) {
          const where = [push.marketplace, push.accountId, push.sku];
          const listing = sql.get(
            "SELECT 1 AS found FROM listings WHERE marketplace = ? AND account_id = ? AND sku = ? AND state = 'active'",
            where,
          );
          if (!listing) continue;
          // A SKU the listing did not know yet goes last, after the ones it has.
          sql.run(
            `INSERT INTO listing_variants (marketplace, account_id, sku, variant_sku, position)
             SELECT ?1, ?2, ?3, ?4, coalesce(max(position) + 1, 0) FROM listing_variants
             WHERE marketplace = ?1 AND account_id = ?2 AND sku = ?3
             ON CONFLICT DO NOTHING`,
            [...where, push.variantSku],
          );
          if (push.price) {
            sql.run(
              `UPDATE listing_variants SET pushed_price = ?
               WHERE marketplace = ? AND account_id = ? AND sku = ? AND variant_sku = ?`,
              [JSON.stringify(push.price), ...where, push.variantSku],
            );
          }
          if (push.stock) {
            // The version guard in the statement itself: an older push never overwrites a newer one.
            sql.run(
              `UPDATE listing_variants SET pushed_quantity = ?, pushed_stock_version = ?
               WHERE marketplace = ? AND account_id = ? AND sku = ? AND variant_sku = ?
                 AND (pushed_stock_version IS NULL OR pushed_stock_version < ?)`,
              [push.stock.quantity, push.stock.version, ...where, push.variantSku, push.stock.version],
            );
          }
          // A read-back clears a check due at or before it; a new check keeps the later time.
          if (push.stockReadBackAt !== undefined) {
            sql.run(
              `UPDATE listing_variants SET stock_check_after = NULL
               WHERE marketplace = ? AND account_id = ? AND sku = ? AND variant_sku = ? AND stock_check_after <= ?`,
              [...where, push.variantSku, push.stockReadBackAt],
            );
          }
          if (push.stockCheckAfter !== undefined) {
            sql.run(
              `UPDATE listing_variants SET stock_check_after = max(coalesce(stock_check_after, ?5), ?5)
               WHERE marketplace = ?1 AND account_id = ?2 AND sku = ?3 AND variant_sku = ?4`,
              [...where, push.variantSku, push.stockCheckAfter],
            );
          }
          sql.run('UPDATE listings SET updated_at = ? WHERE marketplace = ? AND account_id = ? AND sku = ?', [
            now,
            ...where,
          ]);
        }
      });
    },

    async listStockToPush({ marketplace, accountId, after, limit }) {
      const rows = db.read((sql) =>
        sql.all(
          `SELECT l.sku, v.variant_sku, l.product_external_id, v.external_id,
                  s.quantity, s.version, v.pushed_quantity, v.pushed_stock_version, v.stock_check_after
           FROM listings l
           JOIN listing_variants v ON v.marketplace = l.marketplace AND v.account_id = l.account_id AND v.sku = l.sku
           JOIN stock s ON s.sku = v.variant_sku
           WHERE l.marketplace = ? AND l.account_id = ? AND l.state = 'active'
             AND l.product_external_id IS NOT NULL
             AND (v.pushed_stock_version IS NULL OR v.pushed_stock_version < s.version
                  OR v.stock_check_after IS NOT NULL)
             ${after ? 'AND (l.sku, v.variant_sku) > (?, ?)' : ''}
           ORDER BY l.sku, v.variant_sku
           LIMIT ?`,
          [marketplace, accountId, ...(after ? [after.sku, after.variantSku] : []), limit + 1],
        ),
      );
      const items = rows.slice(0, limit).map(
        (row): StockToPush =>
          compact({
            marketplace,
            accountId,
            sku: text(row.sku),
            variantSku: text(row.variant_sku),
            productExternalId: text(row.product_external_id),
            variantExternalId: optionalText(row.external_id),
            stock: { sku: text(row.variant_sku), quantity: int(row.quantity), version: int(row.version) },
            pushedQuantity: optionalInt(row.pushed_quantity),
            pushedStockVersion: optionalInt(row.pushed_stock_version),
            stockCheckAfter: optionalInt(row.stock_check_after),
          }),
      );
      return pageOf(items, rows.length > limit, (i) => ({ sku: i.sku, variantSku: i.variantSku }));
    },

    // ── orders ───────────────────────────────────────────────────────────────
    async getOrder(key) {
      return db.read((sql) => {
        const row = sql.get(
          'SELECT * FROM orders WHERE marketplace = ? AND account_id = ? AND external_id = ?',
          [key.marketplace, key.accountId, key.externalId],
        );
        return row ? orderFromRow(row) : undefined;
      });
    },

    async upsertOrder({ order, contentHash, movements, now }) {
      assertValidMovements(movements);
      return db.write((sql) => {
        const where = [order.marketplace, order.accountId, order.externalId];
        const row = sql.get(
          'SELECT * FROM orders WHERE marketplace = ? AND account_id = ? AND external_id = ?',
          where,
        );
        const existing = row ? orderFromRow(row) : undefined;
        const outcome = decideOrderUpsert(existing, { order, contentHash });
        if (outcome === 'stale') return { outcome, stored: existing!, stock: [] };
        if (outcome === 'unchanged')
          return { outcome, stored: existing!, stock: applyMovements(sql, movements) };
        const data = JSON.stringify(order);
        sql.run(
          `INSERT INTO orders (marketplace, account_id, external_id, data, content_hash, stored_at)
           VALUES (?, ?, ?, ?, ?, ?)
           ON CONFLICT (marketplace, account_id, external_id) DO UPDATE SET
             data = excluded.data, content_hash = excluded.content_hash, stored_at = excluded.stored_at`,
          [...where, data, contentHash, now],
        );
        const stored = { order: parseJson<Order>(data), contentHash, storedAt: now };
        return { outcome, stored, stock: applyMovements(sql, movements) };
      });
    },

    async listOrders({ marketplace, accountId, after, limit }) {
      const orders = db.read((sql) =>
        (after === undefined
          ? sql.all(
              'SELECT * FROM orders WHERE marketplace = ? AND account_id = ? ORDER BY external_id LIMIT ?',
              [marketplace, accountId, limit + 1],
            )
          : sql.all(
              'SELECT * FROM orders WHERE marketplace = ? AND account_id = ? AND external_id > ? ORDER BY external_id LIMIT ?',
              [marketplace, accountId, after, limit + 1],
            )
        ).map(orderFromRow),
      );
      return pageOf(orders.slice(0, limit), orders.length > limit, (o) => o.order.externalId);
    },

    // ── checkpoints ──────────────────────────────────────────────────────────
    async getCheckpoint({ marketplace, accountId, stream }) {
      const row = db.read((sql) =>
        sql.get('SELECT value FROM checkpoints WHERE marketplace = ? AND account_id = ? AND stream = ?', [
          marketplace,
          accountId,
          stream,
        ]),
      );
      return row ? text(row.value) : undefined;
    },

    async setCheckpoint({ marketplace, accountId, stream }, value) {
      db.write((sql) =>
        sql.run(
          `INSERT INTO checkpoints (marketplace, account_id, stream, value) VALUES (?, ?, ?, ?)
           ON CONFLICT (marketplace, account_id, stream) DO UPDATE SET value = excluded.value`,
          [marketplace, accountId, stream, value],
        ),
      );
    },

    // ── seen events ──────────────────────────────────────────────────────────
    async claimEvent({ key, ttlMs, now }) {
      // One statement: insert the claim, or take over an expired one; 0 rows changed means a live
      // claim exists.
      const changed = db.write((sql) =>
        sql.run(
          `INSERT INTO event_claims (key, expires_at) VALUES (?, ?)
           ON CONFLICT (key) DO UPDATE SET expires_at = excluded.expires_at WHERE event_claims.expires_at <= ?`,
          [key, now + ttlMs, now],
        ),
      );
      return changed > 0;
    },

    async completeEvent({ key, ttlMs, now }) {
      db.write((sql) =>
        sql.run(
          `INSERT INTO event_claims (key, expires_at) VALUES (?, ?)
           ON CONFLICT (key) DO UPDATE SET expires_at = max(event_claims.expires_at, excluded.expires_at)`,
          [key, now + ttlMs],
        ),
      );
    },

    async releaseEvent(key) {
      db.write((sql) => sql.run('DELETE FROM event_claims WHERE key = ?', [key]));
    },

    // ── leases ───────────────────────────────────────────────────────────────
    async acquireLease({ key, owner, ttlMs, now }) {
      return db.write((sql): Lease | undefined => {
        const current = sql.get('SELECT owner, expires_at, token FROM leases WHERE key = ?', [key]);
        const live = current !== undefined && int(current.expires_at) > now;
        if (live && current.owner !== owner) return undefined;
        // The owner extending its live lease keeps its token; any new acquisition gets the next one.
        const token = live
          ? int(current.token)
          : int(
              sql.get(
                `INSERT INTO lease_tokens (key, token) VALUES (?, 1)
                 ON CONFLICT (key) DO UPDATE SET token = token + 1 RETURNING token`,
                [key],
              )?.token,
            );
        const lease: Lease = { key, owner, expiresAt: now + ttlMs, token };
        sql.run(
          `INSERT INTO leases (key, owner, expires_at, token) VALUES (?, ?, ?, ?)
           ON CONFLICT (key) DO UPDATE SET owner = excluded.owner, expires_at = excluded.expires_at, token = excluded.token`,
          [key, owner, lease.expiresAt, token],
        );
        return lease;
      });
    },

    async renewLease({ key, owner, ttlMs, now }) {
      const row = db.write((sql) =>
        sql.get(
          'UPDATE leases SET expires_at = ? WHERE key = ? AND owner = ? AND expires_at > ? RETURNING token',
          [now + ttlMs, key, owner, now],
        ),
      );
      return row ? { key, owner, expiresAt: now + ttlMs, token: int(row.token) } : undefined;
    },

    async releaseLease({ key, owner }) {
      return db.write((sql) => sql.run('DELETE FROM leases WHERE key = ? AND owner = ?', [key, owner]) > 0);
    },

    // ── housekeeping ─────────────────────────────────────────────────────────
    async purgeExpired(now) {
      return db.write(
        (sql) =>
          sql.run('DELETE FROM event_claims WHERE expires_at <= ?', [now]) +
          sql.run('DELETE FROM leases WHERE expires_at <= ?', [now]),
      );
    },
  });
}

/** Attaches each listing's variants (in their stored order) to its row: one query for all rows. */
function withVariants(sql: Sql, rows: readonly Row[]): Listing[] {
  if (rows.length === 0) return [];
  const keys = rows.map((row) => [text(row.marketplace), text(row.account_id), text(row.sku)]);
  const variants = sql.all(
    `SELECT v.* FROM json_each(?) AS k
     JOIN listing_variants v ON v.marketplace = k.value ->> 0 AND v.account_id = k.value ->> 1 AND v.sku = k.value ->> 2
     ORDER BY v.marketplace, v.account_id, v.sku, v.position`,
    [JSON.stringify(keys)],
  );
  const byListing = new Map<string, ListingVariant[]>();
  for (const row of variants) {
    const id = listingId(row);
    byListing.set(id, [...(byListing.get(id) ?? []), variantFromRow(row)]);
  }
  return rows.map((row) => listingFromRow(row, byListing.get(listingId(row)) ?? []));
}

/** Replaces a listing's variants, keeping their order. */
function writeVariants(sql: Sql, key: ListingKey, variants: readonly ListingVariant[]): void {
  const where: Param[] = [key.marketplace, key.accountId, key.sku];
  sql.run('DELETE FROM listing_variants WHERE marketplace = ? AND account_id = ? AND sku = ?', where);
  variants.forEach((variant, position) => {
    sql.run(
      `INSERT INTO listing_variants
         (marketplace, account_id, sku, variant_sku, position, external_id, pushed_price, pushed_quantity,
          pushed_stock_version, stock_check_after)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT DO UPDATE SET
         external_id = excluded.external_id, pushed_price = excluded.pushed_price,
         pushed_quantity = excluded.pushed_quantity, pushed_stock_version = excluded.pushed_stock_version,
         stock_check_after = excluded.stock_check_after`,
      [
        ...where,
        variant.sku,
        position,
        variant.externalId,
        variant.pushedPrice ? JSON.stringify(variant.pushedPrice) : null,
        variant.pushedQuantity,
        variant.pushedStockVersion,
        variant.stockCheckAfter,
      ],
    );
  });
}

function readStock(sql: Sql, sku: string): StockLevel | undefined {
  const row = sql.get('SELECT sku, quantity, version FROM stock WHERE sku = ?', [sku]);
  return row ? stockFromRow(row) : undefined;
}

function stockFromRow(row: Row): StockLevel {
  return { sku: text(row.sku), quantity: int(row.quantity), version: int(row.version) };
}

function listingId(row: Row): string {
  return JSON.stringify([row.marketplace, row.account_id, row.sku]);
}

function listingFromRow(row: Row, variants: ListingVariant[]): Listing {
  const state = text(row.state) as Listing['state'];
  const intentId = optionalText(row.intent_id);
  return compact({
    marketplace: text(row.marketplace) as MarketplaceId,
    accountId: text(row.account_id),
    sku: text(row.sku),
    state,
    intent:
      state === 'creating' && intentId !== undefined
        ? { id: intentId, startedAt: int(row.intent_started_at) }
        : undefined,
    productExternalId: optionalText(row.product_external_id),
    contentHash: optionalText(row.content_hash),
    status: optionalText(row.status) as ProductStatus | undefined,
    variants,
    updatedAt: int(row.updated_at),
  });
}

function variantFromRow(row: Row): ListingVariant {
  return compact({
    sku: text(row.variant_sku),
    externalId: optionalText(row.external_id),
    pushedPrice: row.pushed_price === null ? undefined : parseJson<Money>(row.pushed_price),
    pushedQuantity: optionalInt(row.pushed_quantity),
    pushedStockVersion: optionalInt(row.pushed_stock_version),
    stockCheckAfter: optionalInt(row.stock_check_after),
  });
}

function orderFromRow(row: Row): StoredOrder {
  return {
    order: parseJson<Order>(row.data),
    contentHash: text(row.content_hash),
    storedAt: int(row.stored_at),
  };
}

function pageOf<T, C>(items: T[], more: boolean, cursor: (last: T) => C): Page<T, C> {
  const last = items.at(-1);
  return more && last !== undefined ? { items, next: cursor(last) } : { items };
}

/** Drops keys whose value is undefined, so a record reads the same whichever optional fields it has. */
function compact<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}

function parseJson<T>(value: Row[string] | undefined): T {
  return JSON.parse(text(value)) as T;
}

function text(value: Row[string] | undefined): string {
  if (typeof value !== 'string') throw new Error(`Expected a text column, got ${typeof value}`);
  return value;
}

function optionalText(value: Row[string] | undefined): string | undefined {
  return value === null || value === undefined ? undefined : text(value);
}

function int(value: Row[string] | undefined): number {
  if (typeof value !== 'number') throw new Error(`Expected an integer column, got ${typeof value}`);
  return value;
}

function optionalInt(value: Row[string] | undefined): number | undefined {
  return value === null || value === undefined ? undefined : int(value);
}
