import type { MarketplaceId, Money, Order, Product, ProductStatus } from '@mlh/core';
import { withoutUndefined } from '@mlh/core';
import {
  assertValidMovements,
  checkedStockAfterMovement,
  decideOrderUpsert,
  type Lease,
  type Listing,
  type ListingKey,
  type ListingVariant,
  type OrderUpsertInput,
  type OrderUpsertResult,
  type Page,
  prefixedValidationError,
  type StockMovement,
  type StockMovementResult,
  type StockToPush,
  type StoredOrder,
  type SyncStore,
  withStorableInputs,
} from '@mlh/sync';
import type pg from 'pg';
import {
  bigintLiteral,
  inOneStatement,
  inSharedTripTransaction,
  inTransaction,
  type Naming,
  type Queryable,
  sqlArray,
  sqlLiteral,
  type Transaction,
  toNumber,
} from './db';

type Client = pg.PoolClient;

/**
 * Fails the transaction as a serialization failure (so it is retried) when the statement before
 * found the ledger or the stock other than read; a statement of its own, since only PL/pgSQL can
 * raise an error with a chosen code.
 */
const LEDGER_INTACT_CHECK = `DO $$BEGIN
  IF current_setting('mlh.ledger_intact') <> 'true' THEN
    RAISE EXCEPTION 'the stock ledger changed while movements were applied' USING ERRCODE = 'serialization_failure';
  END IF;
END$$`;

/**
 * SQLSTATE the `insert_new_orders` function (migration 7) raises when its premise fails: the call
 * is run again on the general path (not an error the caller sees).
 */
const GENERAL_PATH_NEEDED = 'MLH01';

/**
 * A row of a statement that returns several kinds of rows: stock (`s`), seen keys (`k`), the
 * count of inserted orders (`n`, in `a`) and, when not all were, each inserted order (`o`).
 */
interface KindRow {
  kind: 's' | 'k' | 'n' | 'o';
  a: string;
  b: string | null;
  c: string | null;
  quantity: string | null;
  version: string | null;
}

/** The stock of some SKUs and the movement keys the ledger holds, as read under the SKUs' locks. */
interface LedgerState {
  levels: Map<string, { quantity: number; version: number }>;
  seen: Set<string>;
}

/** Where a movement sits in a call's input, for the paths of a `ValidationError`. */
interface MovementPlace {
  prefix?: string | undefined;
  index: number;
}

interface ListingRow {
  marketplace: string;
  account_id: string;
  sku: string;
  state: 'creating' | 'active';
  intent_id: string | null;
  intent_started_at: string | null;
  product_external_id: string | null;
  content_hash: string | null;
  status: string | null;
  updated_at: string;
}

interface VariantRow {
  marketplace: string;
  account_id: string;
  sku: string;
  variant_sku: string;
  external_id: string | null;
  pushed_price: Money | null;
  pushed_quantity: string | null;
  pushed_stock_version: string | null;
  stock_check_after: string | null;
}

/**
 * The {@link SyncStore} over PostgreSQL. Each port call is one transaction; concurrent calls on
 * the same keys are serialized by unique keys (`INSERT … ON CONFLICT`) and row locks
 * (`SELECT … FOR UPDATE`), never by read-modify-write in the application.
 */
export function postgresSyncStore(pool: Queryable, naming: Naming): SyncStore {
  const t = naming.table;
  /** The literal of the prefix of every SKU's advisory lock key. */
  const lockPrefix = sqlLiteral(`${t('stock')}:`);

  /**
   * SQL of a statement taking the transaction-level advisory lock of each SKU in `skus` (an SQL
   * array, ascending, so two calls never wait on each other in a cycle; one function scan takes
   * them in array order). Every write of `stock` holds its SKUs' locks, so a statement sent after
   * this one, which gets a snapshot taken once they are held, reads the newest stock and ledger
   * and nothing can change them until the transaction ends: no row lock is needed.
   */
  const locksSql = (skus: string) =>
    `SELECT count(pg_advisory_xact_lock(hashtext(${lockPrefix} || sku))) FROM unnest(${skus}) AS sku`;

  /**
   * SQL reading the stock rows of `skus` and the keys of `keys` already in the ledger (both SQL
   * arrays), each by primary key: rows `(kind, a, b, c, quantity, version)`, kind `s` (a = SKU) or
   * `k` (a = key). Sent after {@link locksSql}, in the same message.
   */
  const stockAndKeysSql = (skus: string, keys: string) =>
    `SELECT 's'::text AS kind, s.sku AS a, NULL::text AS b, NULL::text AS c, s.quantity, s.version
     FROM unnest(${skus}) AS k(sku)
     CROSS JOIN LATERAL (SELECT * FROM ${t('stock')} s WHERE s.sku = k.sku OFFSET 0) s
     UNION ALL
     SELECT 'k', m.key, NULL, NULL, NULL, NULL FROM unnest(${keys}) AS k(key)
     CROSS JOIN LATERAL (SELECT key FROM ${t('stock_movements')} m WHERE m.key = k.key OFFSET 0) m`;

  /** The stock and seen keys out of the rows of {@link stockAndKeysSql}. */
  function ledgerStateOf(rows: readonly KindRow[]): LedgerState {
    const levels = new Map<string, { quantity: number; version: number }>();
    const seen = new Set<string>();
    for (const row of rows) {
      if (row.kind === 'k') seen.add(row.a);
      else if (row.kind === 's')
        levels.set(row.a, { quantity: toNumber(row.quantity), version: toNumber(row.version) });
    }
    return { levels, seen };
  }

  /** The SKUs of `movements`, each once, ascending (the order their locks are taken in). */
  function skusOf(movements: readonly StockMovement[]): string[] {
    return [...new Set(movements.map((m) => m.sku))].sort(compare);
  }

  /** The keys of `movements`, each once. */
  function keysOf(movements: readonly StockMovement[]): string[] {
    return [...new Set(movements.map((m) => m.key))];
  }

  /** Locks the SKUs of `movements` and reads their stock and seen keys, in one round trip. */
  async function readLedgerState(tx: Transaction, movements: readonly StockMovement[]): Promise<LedgerState> {
    const skus = sqlArray(skusOf(movements), 'text');
    const results = await tx.text<KindRow>(
      `${locksSql(skus)};\n${stockAndKeysSql(skus, sqlArray(keysOf(movements), 'text'))}`,
    );
    return ledgerStateOf(results.at(-1)!.rows);
  }

  /**
   * Applies movements in two round trips whatever their count: the SKUs are locked and their
   * stock and seen keys read (`state`, when the caller read them along with other work), the
   * movements are worked out here in input order, and the ledger rows and stock levels are written
   * in one statement. A write that finds the ledger or the stock other than read (a key applied
   * under another SKU by a call that committed meanwhile) fails the transaction as a serialization
   * failure, so it is run again on what is there now.
   * `placeOf` names a movement in a `ValidationError`: its index, after an optional prefix
   * (`3.movements` in a batch of orders). With `commit`, the write commits the transaction in
   * the same round trip (when there is a write).
   */
  async function applyMovements(
    tx: Transaction,
    movements: readonly StockMovement[],
    placeOf: (index: number) => MovementPlace = (index) => ({ index }),
    state?: LedgerState,
    commit = false,
  ): Promise<StockMovementResult[]> {
    if (movements.length === 0) return [];
    const { levels, seen } = state ?? (await readLedgerState(tx, movements));
    const existed = new Set(levels.keys());
    // The ledger rows as columns, one array each: no field names repeated per row, and cheaper
    // for the server to read than `jsonb_to_recordset`.
    const ledger = {
      key: [] as string[],
      sku: [] as string[],
      delta: [] as (number | null)[],
      setTo: [] as (number | null)[],
      reason: [] as (string | null)[],
      quantity: [] as number[],
      version: [] as number[],
    };
    const results = movements.map((movement, index): StockMovementResult => {
      const before = levels.get(movement.sku);
      if (seen.has(movement.key)) {
        return {
          sku: movement.sku,
          quantity: before?.quantity ?? 0,
          version: before?.version ?? 0,
          key: movement.key,
          applied: false,
        };
      }
      const place = placeOf(index);
      let quantity: number;
      try {
        quantity = checkedStockAfterMovement(before?.quantity, movement, place.index);
      } catch (error) {
        throw place.prefix ? prefixedValidationError(place.prefix, error) : error;
      }
      const version = (before?.version ?? 0) + 1;
      seen.add(movement.key);
      levels.set(movement.sku, { quantity, version });
      ledger.key.push(movement.key);
      ledger.sku.push(movement.sku);
      ledger.delta.push('delta' in movement ? movement.delta : null);
      ledger.setTo.push('set' in movement ? movement.set : null);
      ledger.reason.push(movement.reason ?? null);
      ledger.quantity.push(quantity);
      ledger.version.push(version);
      return { sku: movement.sku, quantity, version, key: movement.key, applied: true };
    });
    const written = ledger.key.length;
    if (written === 0) return results;
    const changed = [...new Set(ledger.sku)];
    const created = changed.filter((sku) => !existed.has(sku));
    const updated = changed.filter((sku) => existed.has(sku));
    /** The stock rows of `skus` as an `unnest` of three arrays. */
    const stockRows = (skus: readonly string[]) =>
      `unnest(${sqlArray(skus, 'text')}, ${sqlArray(
        skus.map((sku) => levels.get(sku)!.quantity),
        'bigint',
      )}, ${sqlArray(
        skus.map((sku) => levels.get(sku)!.version),
        'bigint',
      )}) AS s(sku, quantity, version)`;
    // The SKUs are locked (every stock write takes their locks), so rows read above are overwritten
    // as computed; a SKU that had no row gets one only if no other call created it since (ON
    // CONFLICT DO NOTHING, counted), and a key only if no call applied it since. A count short
    // of what was written fails the statement after it as a serialization failure, before the
    // COMMIT that may follow, so the transaction is retried on what is there now.
    await tx.text(
      `WITH ledger AS (
         INSERT INTO ${t('stock_movements')} (key, sku, delta, set_to, reason, quantity_after, version_after)
         SELECT m.key, m.sku, m.delta, m.set_to, m.reason, m.quantity_after, m.version_after
         FROM unnest(${sqlArray(ledger.key, 'text')}, ${sqlArray(ledger.sku, 'text')},
           ${sqlArray(ledger.delta, 'bigint')}, ${sqlArray(ledger.setTo, 'bigint')}, ${sqlArray(ledger.reason, 'text')},
           ${sqlArray(ledger.quantity, 'bigint')}, ${sqlArray(ledger.version, 'bigint')})
           AS m(key, sku, delta, set_to, reason, quantity_after, version_after)
         ON CONFLICT (key) DO NOTHING RETURNING key),
       created AS (
         INSERT INTO ${t('stock')} (sku, quantity, version)
         SELECT s.sku, s.quantity, s.version FROM ${stockRows(created)}
         ON CONFLICT (sku) DO NOTHING RETURNING sku),
       updated AS (
         INSERT INTO ${t('stock')} (sku, quantity, version)
         SELECT s.sku, s.quantity, s.version FROM ${stockRows(updated)}
         ON CONFLICT (sku) DO UPDATE SET quantity = EXCLUDED.quantity, version = EXCLUDED.version)
       SELECT set_config('mlh.ledger_intact',
         ((SELECT count(*) FROM ledger) = ${written} AND (SELECT count(*) FROM created) = ${created.length})::text,
         true);
       ${LEDGER_INTACT_CHECK}`,
      { commit },
    );
    return results;
  }

  /**
   * Serializes stock changes per SKU even before the SKU has a stock row (a row lock cannot,
   * since there is no row yet). `skus` must be in ascending order, so waits never form a cycle;
   * one statement takes them all, in array order (a function scan keeps it).
   */
  async function lockSkus(client: Client, skus: readonly string[]): Promise<void> {
    if (skus.length === 0) return;
    await client.query(
      'SELECT count(pg_advisory_xact_lock(hashtext($1 || sku))) FROM unnest($2::text[]) AS sku',
      [`${t('stock')}:`, skus],
    );
  }

  /** Inserts the orders of `records` (JSON rows) that are not stored yet, returning `returning` of each. */
  function insertOrdersSql(records: readonly string[], returning: string): string {
    return `INSERT INTO ${t('orders')} (marketplace, account_id, external_id, data, content_hash, stored_at)
         SELECT o.marketplace, o.account_id, o.external_id, o.data, o.content_hash, o.stored_at
         FROM jsonb_to_recordset(${sqlLiteral(`[${records.join(',')}]`)}::jsonb) AS o(marketplace text, account_id text,
           external_id text, data jsonb, content_hash text, stored_at bigint)
         ON CONFLICT DO NOTHING RETURNING ${returning}`;
  }

  /**
   * Upserts orders with their movements in the caller's transaction, in a few round trips per
   * batch: per round, one message that locks the SKUs and then inserts the new orders and reads
   * the stock and ledger keys; one that reads (and locks) the orders that existed, when any did;
   * one that updates the orders that changed, when any did; one that writes the movements (and
   * commits, after the last round). An order given twice goes in a later round, so each round's
   * orders are distinct and the outcome is that of upserting them one after the other.
   */
  async function upsertOrderRows(tx: Transaction, batch: OrderBatch): Promise<OrderUpsertResult[]> {
    batch.results = new Array(batch.inputs.length);
    for (let roundIndex = 0; roundIndex < batch.rounds.length; roundIndex += 1) {
      // The last round's movements commit the call with their write.
      await upsertRound(tx, batch, batch.rounds[roundIndex]!, roundIndex === batch.rounds.length - 1);
    }
    return batch.results;
  }

  /**
   * Whether the last call of orders found some of them stored already: then the next call goes
   * straight to the general path rather than trying {@link insertNewOrders} first (a poll's
   * overlap window, a re-sync). Only a guess about the next call; neither path depends on it.
   */
  let ordersWereStored = false;

  /**
   * Upserts orders with their movements in one transaction: with `newFirst`, when the call allows
   * it, first in one round trip that assumes every order is new ({@link insertNewOrders}); else, or
   * when that premise fails (it is then rolled back whole), on the general path of
   * {@link upsertOrderRows}.
   */
  async function upsertOrderCall(
    inputs: readonly OrderUpsertInput[],
    prefixOf: (order: number) => string | undefined,
    newFirst: boolean,
  ): Promise<OrderUpsertResult[]> {
    assertValidOrderMovements(inputs, prefixOf);
    const keyTexts = inputs.map((input) => orderKeyText(input.order));
    const batch: OrderBatch = {
      inputs,
      // Each order is serialized once: for its row, and for the copy the result hands back.
      texts: inputs.map((input) => JSON.stringify(input.order)),
      keyTexts,
      rounds: rounds(keyTexts),
      results: [],
      prefixOf,
      someStored: false,
    };
    if (newFirst && !ordersWereStored && newOrdersPathFits(batch)) {
      try {
        const results = await insertNewOrders(batch);
        ordersWereStored = false;
        return results;
      } catch (error) {
        if ((error as { code?: string }).code !== GENERAL_PATH_NEEDED) throw error;
      }
    }
    const results = await inSharedTripTransaction(pool, (tx) => upsertOrderRows(tx, batch));
    ordersWereStored = batch.someStored;
    return results;
  }

  /**
   * Whether {@link insertNewOrders} can store the call if its orders are new: each order once
   * (one round), movements by `delta` only, each key once (so, on an empty ledger, each applies
   * and the stock after each is a running sum).
   */
  function newOrdersPathFits(batch: OrderBatch): boolean {
    if (batch.rounds.length !== 1) return false;
    const keys = new Set<string>();
    for (const input of batch.inputs) {
      for (const movement of input.movements) {
        if (!('delta' in movement) || keys.has(movement.key)) return false;
        keys.add(movement.key);
      }
    }
    return true;
  }

  /**
   * Stores a call whose orders are all new in one round trip, through the schema's
   * `insert_new_orders` function (migration 7), which runs as its own transaction: it locks the
   * SKUs, inserts the orders, and works out and writes every movement in the database (the stock
   * after each a running sum per SKU, in input order, its version one more each time) where the
   * general path reads the stock and ledger keys first and works them out here. When an order was
   * there already, a key was in the ledger or a stock would pass ±(2^53−1), nothing is kept: the
   * call fails with {@link GENERAL_PATH_NEEDED} and takes the general path.
   */
  async function insertNewOrders(batch: OrderBatch): Promise<OrderUpsertResult[]> {
    const { inputs, texts, keyTexts } = batch;
    // Rows are inserted in key order, the same in every call.
    const sorted = inputs.map((_, index) => index).sort((a, b) => compare(keyTexts[a]!, keyTexts[b]!));
    const movements = inputs.flatMap((input) => input.movements) as DeltaMovement[];
    const answer = await inOneStatement<{ quantities: string | null; versions: string | null }>(
      pool,
      `SELECT quantities, versions FROM ${t('insert_new_orders')}($1::jsonb, $2::text[], $3::text[], $4::text[], $5::bigint[], $6::text[])`,
      [
        `[${sorted.map((index) => orderRecordJson(inputs[index]!, texts[index]!)).join(',')}]`,
        skusOf(movements),
        // The movements as columns, in input order (their ordinality is the order they apply in).
        movements.map((m) => m.key),
        movements.map((m) => m.sku),
        movements.map((m) => m.delta),
        movements.map((m) => m.reason ?? null),
      ],
    );
    const row = answer.rows[0]!;
    const quantities = integersOf(row.quantities);
    const versions = integersOf(row.versions);
    let at = 0;
    return inputs.map((input, index) => ({
      outcome: 'created',
      stored: storedOf(input, texts[index]!),
      stock: input.movements.map((movement): StockMovementResult => {
        const result = {
          sku: movement.sku,
          quantity: quantities[at]!,
          version: versions[at]!,
          key: movement.key,
          applied: true,
        };
        at += 1;
        return result;
      }),
    }));
  }

  /** One round of {@link upsertOrderRows}: orders that are distinct, all decided on one read. */
  async function upsertRound(
    tx: Transaction,
    batch: OrderBatch,
    round: number[],
    last: boolean,
  ): Promise<void> {
    const { inputs, texts, keyTexts, results } = batch;
    // Rows are inserted and locked in key order, the same in every call.
    const sorted = [...round].sort((a, b) => compare(keyTexts[a]!, keyTexts[b]!));
    const movements = round.flatMap((index) => inputs[index]!.movements);
    const { state, inserted } = await insertOrdersReadingLedger(tx, batch, sorted, movements);
    if (inserted !== 'all') batch.someStored = true;
    const existing =
      inserted === 'all'
        ? new Map<string, StoredOrder>()
        : await lockExistingOrders(tx, batch, sorted, inserted);
    const updates: number[] = [];
    const moving: { index: number; movement: StockMovement; position: number }[] = [];
    for (const index of round) {
      const input = inputs[index]!;
      const before = existing.get(keyTexts[index]!);
      if (!before) {
        results[index] = { outcome: 'created', stored: storedOf(input, texts[index]!), stock: [] };
      } else {
        const outcome = decideOrderUpsert(before, input);
        if (outcome === 'stale') {
          results[index] = { outcome, stored: before, stock: [] };
          continue;
        }
        if (outcome === 'updated') updates.push(index);
        results[index] = {
          outcome,
          stored: outcome === 'updated' ? storedOf(input, texts[index]!) : before,
          stock: [],
        };
      }
      const planned = input.movements;
      for (let position = 0; position < planned.length; position += 1) {
        moving.push({ index, movement: planned[position]!, position });
      }
    }
    if (updates.length > 0) await updateOrders(tx, batch, updates);
    const applied = await applyMovements(
      tx,
      moving.map((m) => m.movement),
      (at) => ({ prefix: batch.prefixOf(moving[at]!.index), index: moving[at]!.position }),
      state,
      last,
    );
    for (let at = 0; at < applied.length; at += 1) results[moving[at]!.index]!.stock.push(applied[at]!);
  }

  /**
   * Locks the SKUs any of the round's orders may move, inserts the orders that are new and reads
   * the stock and ledger keys of the movements, in one message. `inserted` is `all` when every
   * order went in (most pages are all new), else the keys of those that did.
   */
  async function insertOrdersReadingLedger(
    tx: Transaction,
    batch: OrderBatch,
    sorted: readonly number[],
    movements: readonly StockMovement[],
  ): Promise<{ state: LedgerState; inserted: 'all' | Set<string> }> {
    const skus = sqlArray(skusOf(movements), 'text');
    const records = sorted.map((index) => orderRecordJson(batch.inputs[index]!, batch.texts[index]!));
    const answers = await tx.text<KindRow>(
      `${locksSql(skus)};
       WITH inserted AS (${insertOrdersSql(records, 'marketplace, account_id, external_id')})
       ${stockAndKeysSql(skus, sqlArray(keysOf(movements), 'text'))}
       UNION ALL
       SELECT 'n', (SELECT count(*) FROM inserted)::text, NULL, NULL, NULL, NULL
       UNION ALL
       -- Which orders went in matters only when some did not (most pages are all new).
       SELECT 'o', marketplace, account_id, external_id, NULL, NULL FROM inserted
       WHERE (SELECT count(*) FROM inserted) < ${sorted.length}`,
    );
    const rows = answers.at(-1)!.rows;
    const inserted = new Set<string>();
    let count = 0;
    for (const row of rows) {
      if (row.kind === 'n') count = toNumber(row.a);
      else if (row.kind === 'o')
        inserted.add(orderKeyText({ marketplace: row.a, accountId: row.b!, externalId: row.c! }));
    }
    return { state: ledgerStateOf(rows), inserted: count === sorted.length ? 'all' : inserted };
  }

  /** Reads and locks the round's orders that were there already (those not just inserted). */
  async function lockExistingOrders(
    tx: Transaction,
    batch: OrderBatch,
    sorted: readonly number[],
    inserted: ReadonlySet<string>,
  ): Promise<Map<string, StoredOrder>> {
    const existing = new Map<string, StoredOrder>();
    const others = sorted.filter((index) => !inserted.has(batch.keyTexts[index]!));
    if (others.length === 0) return existing;
    const keys = others.map((index) => batch.inputs[index]!.order);
    const locked = await tx.query<
      OrderRow & { marketplace: string; account_id: string; external_id: string }
    >(
      `SELECT o.marketplace, o.account_id, o.external_id, o.data, o.content_hash, o.stored_at
       FROM unnest($1::text[], $2::text[], $3::text[]) AS k(marketplace, account_id, external_id)
       CROSS JOIN LATERAL (
         SELECT * FROM ${t('orders')} o
         WHERE o.marketplace = k.marketplace AND o.account_id = k.account_id AND o.external_id = k.external_id
         OFFSET 0 FOR UPDATE) o`,
      [keys.map((k) => k.marketplace), keys.map((k) => k.accountId), keys.map((k) => k.externalId)],
    );
    for (const row of locked.rows) {
      existing.set(
        orderKeyText({
          marketplace: row.marketplace,
          accountId: row.account_id,
          externalId: row.external_id,
        }),
        orderFromRow(row),
      );
    }
    return existing;
  }

  /** Writes the orders that changed (locked by {@link lockExistingOrders}). */
  async function updateOrders(tx: Transaction, batch: OrderBatch, updates: readonly number[]): Promise<void> {
    // Rows locked above, written through their key (an UPDATE … FROM joins the whole table
    // when the planner has no statistics).
    await tx.query(
      `INSERT INTO ${t('orders')} AS o (marketplace, account_id, external_id, data, content_hash, stored_at)
       SELECT u.marketplace, u.account_id, u.external_id, u.data, u.content_hash, u.stored_at
       FROM jsonb_to_recordset($1::jsonb) AS u(marketplace text, account_id text, external_id text, data jsonb,
         content_hash text, stored_at bigint)
       ON CONFLICT (marketplace, account_id, external_id)
       DO UPDATE SET data = EXCLUDED.data, content_hash = EXCLUDED.content_hash, stored_at = EXCLUDED.stored_at`,
      [`[${updates.map((index) => orderRecordJson(batch.inputs[index]!, batch.texts[index]!)).join(',')}]`],
    );
  }

  async function readListings(client: Queryable | Client, rows: ListingRow[]): Promise<Listing[]> {
    if (rows.length === 0) return [];
    const keys = rows.map((r) => [r.marketplace, r.account_id, r.sku]);
    const variants = await client.query<VariantRow>(
      `SELECT v.* FROM ${t('listing_variants')} v
       JOIN unnest($1::text[], $2::text[], $3::text[]) AS k(marketplace, account_id, sku)
         ON v.marketplace = k.marketplace AND v.account_id = k.account_id AND v.sku = k.sku
       ORDER BY v.position`,
      [keys.map((k) => k[0]), keys.map((k) => k[1]), keys.map((k) => k[2])],
    );
    const byListing = new Map<string, ListingVariant[]>();
    for (const row of variants.rows) {
      const id = listingId(row.marketplace, row.account_id, row.sku);
      const list = byListing.get(id) ?? [];
      list.push(variantFromRow(row));
      byListing.set(id, list);
    }
    return rows.map((row) =>
      listingFromRow(row, byListing.get(listingId(row.marketplace, row.account_id, row.sku)) ?? []),
    );
  }

  async function lockListing(client: Client, key: ListingKey): Promise<Listing | undefined> {
    const { rows } = await client.query<ListingRow>(
      `SELECT * FROM ${t('listings')} WHERE marketplace = $1 AND account_id = $2 AND sku = $3 FOR UPDATE`,
      [key.marketplace, key.accountId, key.sku],
    );
    return (await readListings(client, rows))[0];
  }

  async function writeVariants(
    client: Client,
    key: ListingKey,
    variants: readonly ListingVariant[],
  ): Promise<void> {
    await client.query(
      `DELETE FROM ${t('listing_variants')} WHERE marketplace = $1 AND account_id = $2 AND sku = $3`,
      [key.marketplace, key.accountId, key.sku],
    );
    if (variants.length === 0) return;
    await client.query(
      `INSERT INTO ${t('listing_variants')}
         (marketplace, account_id, sku, variant_sku, position, external_id, pushed_price, pushed_quantity,
          pushed_stock_version, stock_check_after)
       SELECT $1, $2, $3, v.variant_sku, v.position, v.external_id, v.pushed_price, v.pushed_quantity,
         v.pushed_stock_version, v.stock_check_after
       FROM jsonb_to_recordset($4::jsonb) AS v(variant_sku text, position integer, external_id text, pushed_price jsonb,
         pushed_quantity bigint, pushed_stock_version bigint, stock_check_after bigint)`,
      [
        key.marketplace,
        key.accountId,
        key.sku,
        JSON.stringify(
          variants.map((v, position) => ({
            variant_sku: v.sku,
            position,
            external_id: v.externalId ?? null,
            pushed_price: v.pushedPrice ?? null,
            pushed_quantity: v.pushedQuantity ?? null,
            pushed_stock_version: v.pushedStockVersion ?? null,
            stock_check_after: v.stockCheckAfter ?? null,
          })),
        ),
      ],
    );
  }

  return withStorableInputs({
    async upsertProducts(products) {
      if (products.length === 0) return;
      await inTransaction(pool, async (client) => {
        const sorted = [...products].sort((a, b) => compare(a.sku, b.sku));
        await client.query(
          `INSERT INTO ${t('products')} (sku, data)
           SELECT p.sku, p.data FROM jsonb_to_recordset($1::jsonb) AS p(sku text, data jsonb)
           ON CONFLICT (sku) DO UPDATE SET data = EXCLUDED.data, updated_at = now()`,
          [JSON.stringify(dedupeLast(sorted, (p) => p.sku).map((p) => ({ sku: p.sku, data: p })))],
        );
        const seeds = dedupeFirst(
          // Catalog variants carry a SKU; one without is no stock line.
          sorted.flatMap((p) =>
            p.variants.flatMap((v) => (v.sku === undefined ? [] : [{ sku: v.sku, quantity: v.quantity }])),
          ),
          (s) => s.sku,
        ).sort((a, b) => compare(a.sku, b.sku));
        await lockSkus(
          client,
          seeds.map((seed) => seed.sku),
        );
        await client.query(
          `INSERT INTO ${t('stock')} (sku, quantity, version)
           SELECT s.sku, s.quantity, 1 FROM jsonb_to_recordset($1::jsonb) AS s(sku text, quantity bigint)
           ON CONFLICT (sku) DO NOTHING`,
          [JSON.stringify(seeds)],
        );
      });
    },

    async getProducts(skus) {
      if (skus.length === 0) return [];
      // One primary-key lookup per SKU: without statistics `sku = ANY(…)` plans as a scan of the table.
      const { rows } = await pool.query<{ sku: string; data: Product }>(
        `SELECT p.sku, p.data FROM unnest($1::text[]) AS k(sku)
         CROSS JOIN LATERAL (SELECT sku, data FROM ${t('products')} p WHERE p.sku = k.sku OFFSET 0) p`,
        [[...new Set(skus)]],
      );
      const bySku = new Map(rows.map((r) => [r.sku, r.data]));
      return skus.flatMap((sku) => {
        const product = bySku.get(sku);
        return product ? [product] : [];
      });
    },

    async listProducts({ after, limit }) {
      const { rows } = await pool.query<{ sku: string; data: Product }>(
        `SELECT sku, data FROM ${t('products')} WHERE ($1::text IS NULL OR sku > $1) ORDER BY sku LIMIT $2`,
        [after ?? null, limit + 1],
      );
      const items = rows.slice(0, limit).map((r) => r.data);
      return pageOf(items, rows.length > limit ? items.at(-1)?.sku : undefined);
    },

    async countProducts() {
      const { rows } = await pool.query<{ count: string }>(`SELECT count(*) AS count FROM ${t('products')}`);
      return toNumber(rows[0]?.count ?? 0);
    },

    async getStock(skus) {
      if (skus.length === 0) return [];
      // One primary-key lookup per SKU: without statistics `sku = ANY(…)` plans as a scan of the table.
      const { rows } = await pool.query<{ sku: string; quantity: string; version: string }>(
        `SELECT s.sku, s.quantity, s.version FROM unnest($1::text[]) AS k(sku)
         CROSS JOIN LATERAL (SELECT sku, quantity, version FROM ${t('stock')} s WHERE s.sku = k.sku OFFSET 0) s`,
        [[...new Set(skus)]],
      );
      const bySku = new Map(rows.map((r) => [r.sku, r]));
      return skus.flatMap((sku) => {
        const row = bySku.get(sku);
        return row ? [{ sku, quantity: toNumber(row.quantity), version: toNumber(row.version) }] : [];
      });
    },

    async applyStockMovements(movements) {
      assertValidMovements(movements);
      if (movements.length === 0) return [];
      return inSharedTripTransaction(pool, (tx) => applyMovements(tx, movements, undefined, undefined, true));
    },

    async getListing(key) {
      const { rows } = await pool.query<ListingRow>(
        `SELECT * FROM ${t('listings')} WHERE marketplace = $1 AND account_id = $2 AND sku = $3`,
        [key.marketplace, key.accountId, key.sku],
      );
      return (await readListings(pool, rows))[0];
    },

    async findListingByExternalId(marketplace, accountId, productExternalId) {
      const { rows } = await pool.query<ListingRow>(
        // The external id behind a fence (OFFSET 0 keeps the account's columns out of it), so only
        // the index the external id leads can serve it, statistics or not (migration 6).
        `SELECT * FROM (
           SELECT * FROM ${t('listings')} WHERE product_external_id = $3 AND state = 'active' OFFSET 0) l
         WHERE marketplace = $1 AND account_id = $2 LIMIT 1`,
        [marketplace, accountId, productExternalId],
      );
      return (await readListings(pool, rows))[0];
    },

    async findListingsByExternalIds(marketplace, accountId, productExternalIds) {
      if (productExternalIds.length === 0) return [];
      // Listings and their variants in one round trip: one lookup per id on the external-id index
      // (behind a fence, as in findListingByExternalId)
      // and one per listing on the variants' primary key, whatever the planner would guess; a row
      // per variant (building JSON per variant on the server cost more than the extra rows). They
      // are put in order here: an ORDER BY made the server sort each listing's few variants as a
      // group of an incremental sort, 8 ms of its CPU for 150 listings, more than the reads.
      const { rows } = await pool.query<
        ListingRow & { [K in keyof VariantRow as `v_${K}`]: VariantRow[K] | null } & {
          n: string;
          v_position: number | null;
        }
      >(
        `SELECT l.*, k.n, v.position AS v_position, v.variant_sku AS v_variant_sku, v.external_id AS v_external_id,
           v.pushed_price AS v_pushed_price, v.pushed_quantity AS v_pushed_quantity,
           v.pushed_stock_version AS v_pushed_stock_version, v.stock_check_after AS v_stock_check_after
         FROM unnest($3::text[]) WITH ORDINALITY AS k(id, n)
         CROSS JOIN LATERAL (
           SELECT * FROM (
             SELECT * FROM ${t('listings')} l WHERE l.product_external_id = k.id AND l.state = 'active' OFFSET 0) l
           WHERE l.marketplace = $1 AND l.account_id = $2
           LIMIT 1) l
         LEFT JOIN LATERAL (
           SELECT * FROM ${t('listing_variants')} v
           WHERE v.marketplace = l.marketplace AND v.account_id = l.account_id AND v.sku = l.sku
           OFFSET 0) v ON true`,
        [marketplace, accountId, [...new Set(productExternalIds)]],
      );
      rows.sort((a, b) => toNumber(a.n) - toNumber(b.n) || (a.v_position ?? 0) - (b.v_position ?? 0));
      const listings = new Map<string, Listing>();
      for (const row of rows) {
        let listing = listings.get(row.n);
        if (!listing) {
          listing = listingFromRow(row, []);
          listings.set(row.n, listing);
        }
        if (row.v_variant_sku !== null) {
          listing.variants.push(
            variantFromRow({
              marketplace: row.marketplace,
              account_id: row.account_id,
              sku: row.sku,
              variant_sku: row.v_variant_sku,
              external_id: row.v_external_id,
              pushed_price: row.v_pushed_price,
              pushed_quantity: row.v_pushed_quantity,
              pushed_stock_version: row.v_pushed_stock_version,
              stock_check_after: row.v_stock_check_after,
            }),
          );
        }
      }
      return [...listings.values()];
    },

    async resolveOrderLineSkus(marketplace, accountId, lines) {
      if (lines.length === 0) return [];
      // One round trip and one small row per resolved line, each read by index whatever the
      // planner would guess: the listing on the external-id index (behind a fence, as in
      // findListingByExternalId), its variants on their primary key, the candidate SKUs' stock on
      // its primary key. Reading the whole listings back to match them here cost a poll more CPU
      // than storing its orders.
      const { rows } = await pool.query<{ line_number: number; resolved_sku: string }>(
        `SELECT line_number, resolved_sku FROM ${t('resolve_order_line_skus')}($1, $2, $3::text[], $4::text[], $5::text[])`,
        [
          marketplace,
          accountId,
          lines.map((line) => line.productExternalId),
          lines.map((line) => line.variantExternalId ?? null),
          lines.map((line) => line.sku ?? null),
        ],
      );
      const skus: (string | undefined)[] = new Array(lines.length).fill(undefined);
      for (const row of rows) skus[row.line_number - 1] = row.resolved_sku;
      return skus;
    },

    async findListingsBySku(sku) {
      // Two index lookups (the product SKU, then the variant SKU and its listing by primary key)
      // rather than an OR over every listing, which plans as a scan of the whole table.
      const { rows } = await pool.query<ListingRow>(
        `SELECT * FROM (
           SELECT * FROM ${t('listings')} WHERE sku = $1
           UNION
           SELECT l.* FROM ${t('listing_variants')} v
           CROSS JOIN LATERAL (
             SELECT * FROM ${t('listings')} l
             WHERE l.marketplace = v.marketplace AND l.account_id = v.account_id AND l.sku = v.sku OFFSET 0) l
           WHERE v.variant_sku = $1) found
         ORDER BY marketplace COLLATE "C", account_id COLLATE "C", sku`,
        [sku],
      );
      return readListings(pool, rows);
    },

    async listListings({ marketplace, accountId, after, limit }) {
      const { rows } = await pool.query<ListingRow>(
        `SELECT * FROM ${t('listings')} WHERE marketplace = $1 AND account_id = $2 AND ($3::text IS NULL OR sku > $3)
         ORDER BY sku LIMIT $4`,
        [marketplace, accountId, after ?? null, limit + 1],
      );
      const items = await readListings(pool, rows.slice(0, limit));
      return pageOf(items, rows.length > limit ? items.at(-1)?.sku : undefined);
    },

    async claimListingCreate({ marketplace, accountId, sku, intentId, now, staleBefore }) {
      return inTransaction(pool, async (client) => {
        const inserted = await client.query<ListingRow>(
          `INSERT INTO ${t('listings')} (marketplace, account_id, sku, state, intent_id, intent_started_at, updated_at)
           VALUES ($1, $2, $3, 'creating', $4, $5, $5) ON CONFLICT DO NOTHING RETURNING *`,
          [marketplace, accountId, sku, intentId, now],
        );
        if (inserted.rows[0]) return { claimed: true, listing: listingFromRow(inserted.rows[0], []) };
        const existing = (await lockListing(client, { marketplace, accountId, sku }))!;
        if (existing.state === 'creating' && existing.intent && existing.intent.startedAt < staleBefore) {
          const takenOver = existing.intent;
          await client.query(
            `UPDATE ${t('listings')} SET intent_id = $4, intent_started_at = $5, updated_at = $5
             WHERE marketplace = $1 AND account_id = $2 AND sku = $3`,
            [marketplace, accountId, sku, intentId, now],
          );
          return {
            claimed: true,
            listing: { ...existing, intent: { id: intentId, startedAt: now }, updatedAt: now },
            takenOver,
          };
        }
        return { claimed: false, listing: existing };
      });
    },

    async completeListingCreate({
      marketplace,
      accountId,
      sku,
      productExternalId,
      contentHash,
      status,
      variants,
      now,
    }) {
      return inTransaction(pool, async (client) => {
        const key = { marketplace, accountId, sku };
        // Make sure a row exists to lock, so two completions serialize on it.
        await client.query(
          `INSERT INTO ${t('listings')} (marketplace, account_id, sku, state, updated_at)
           VALUES ($1, $2, $3, 'creating', $4) ON CONFLICT DO NOTHING`,
          [marketplace, accountId, sku, now],
        );
        const existing = (await lockListing(client, key))!;
        if (existing.state === 'active' && existing.productExternalId !== productExternalId) {
          return { ok: false, listing: existing };
        }
        await client.query(
          `UPDATE ${t('listings')} SET state = 'active', intent_id = NULL, intent_started_at = NULL,
             product_external_id = $4, content_hash = $5, status = $6, updated_at = $7
           WHERE marketplace = $1 AND account_id = $2 AND sku = $3`,
          [marketplace, accountId, sku, productExternalId, contentHash ?? null, status ?? null, now],
        );
        await writeVariants(client, key, variants);
        return { ok: true, listing: (await lockListing(client, key))! };
      });
    },

    async abandonListingCreate({ marketplace, accountId, sku, intentId }) {
      const result = await pool.query(
        `DELETE FROM ${t('listings')}
         WHERE marketplace = $1 AND account_id = $2 AND sku = $3 AND state = 'creating' AND intent_id = $4`,
        [marketplace, accountId, sku, intentId],
      );
      return (result.rowCount ?? 0) > 0;
    },

    async updateListing(key, patch, now) {
      return inTransaction(pool, async (client) => {
        const existing = await lockListing(client, key);
        if (existing?.state !== 'active') return undefined;
        await client.query(
          `UPDATE ${t('listings')} SET product_external_id = COALESCE($4, product_external_id),
             content_hash = COALESCE($5, content_hash), status = COALESCE($6, status), updated_at = $7
           WHERE marketplace = $1 AND account_id = $2 AND sku = $3`,
          [
            key.marketplace,
            key.accountId,
            key.sku,
            patch.productExternalId ?? null,
            patch.contentHash ?? null,
            patch.status ?? null,
            now,
          ],
        );
        if (patch.variants) {
          const before = new Map(existing.variants.map((v) => [v.sku, v]));
          const next = patch.variants.map((v) =>
            withoutUndefined({
              ...before.get(v.sku),
              sku: v.sku,
              externalId: v.externalId ?? before.get(v.sku)?.externalId,
            }),
          );
          await writeVariants(client, key, next);
        }
        return lockListing(client, key);
      });
    },

    async recordPushes(pushes, now) {
      if (pushes.length === 0) return;
      await inTransaction(pool, async (client) => {
        // Lock the listings in one global order, then write every push in a few multi-row statements.
        const listingKeys = dedupeFirst(
          pushes.map((p) => ({ marketplace: p.marketplace, account_id: p.accountId, sku: p.sku })),
          (k) => listingId(k.marketplace, k.account_id, k.sku),
        ).sort(
          (a, b) =>
            compare(a.marketplace, b.marketplace) ||
            compare(a.account_id, b.account_id) ||
            compare(a.sku, b.sku),
        );
        const locked = await client.query<{ marketplace: string; account_id: string; sku: string }>(
          `SELECT l.marketplace, l.account_id, l.sku FROM jsonb_to_recordset($1::jsonb) AS k(marketplace text, account_id text, sku text)
           CROSS JOIN LATERAL (
             SELECT marketplace, account_id, sku, state FROM ${t('listings')} l
             WHERE l.marketplace = k.marketplace AND l.account_id = k.account_id AND l.sku = k.sku
             OFFSET 0 FOR UPDATE) l
           WHERE l.state = 'active'`,
          [JSON.stringify(listingKeys)],
        );
        const active = new Set(locked.rows.map((r) => listingId(r.marketplace, r.account_id, r.sku)));
        const recorded = pushes.filter((p) => active.has(listingId(p.marketplace, p.accountId, p.sku)));
        if (recorded.length === 0) return;
        // A SKU pushed twice in one call is written twice, in turn (one statement cannot update a row twice).
        for (const round of rounds(
          recorded.map((p) => `${listingId(p.marketplace, p.accountId, p.sku)}\u0000${p.variantSku}`),
        )) {
          const rows = JSON.stringify(
            round.map((index) => {
              const push = recorded[index]!;
              return {
                marketplace: push.marketplace,
                account_id: push.accountId,
                sku: push.sku,
                variant_sku: push.variantSku,
                price: push.price ?? null,
                quantity: push.stock?.quantity ?? null,
                version: push.stock?.version ?? null,
                check_after: push.stockCheckAfter ?? null,
                read_back_at: push.stockReadBackAt ?? null,
                n: index,
              };
            }),
          );
          const columns = `u(marketplace text, account_id text, sku text, variant_sku text, price jsonb, quantity bigint,
            version bigint, check_after bigint, read_back_at bigint, n integer)`;
          await client.query(
            `UPDATE ${t('listing_variants')} v SET
               pushed_price = COALESCE(u.price, v.pushed_price),
               pushed_quantity = CASE WHEN u.version > COALESCE(v.pushed_stock_version, -1)
                 THEN u.quantity ELSE v.pushed_quantity END,
               pushed_stock_version = CASE WHEN u.version > COALESCE(v.pushed_stock_version, -1)
                 THEN u.version ELSE v.pushed_stock_version END,
               -- A read-back clears a check due at or before it; a new check keeps the later time.
               stock_check_after = CASE
                 WHEN u.read_back_at IS NOT NULL AND v.stock_check_after <= u.read_back_at THEN u.check_after
                 ELSE GREATEST(v.stock_check_after, u.check_after) END
             FROM jsonb_to_recordset($1::jsonb) AS ${columns}
             WHERE v.marketplace = u.marketplace AND v.account_id = u.account_id AND v.sku = u.sku
               AND v.variant_sku = u.variant_sku`,
            [rows],
          );
          // SKUs the listing did not have yet go last, in input order (the listing is locked: no race).
          await client.query(
            `INSERT INTO ${t('listing_variants')} (marketplace, account_id, sku, variant_sku, position,
               pushed_price, pushed_quantity, pushed_stock_version, stock_check_after)
             SELECT u.marketplace, u.account_id, u.sku, u.variant_sku,
               (SELECT COALESCE(max(position) + 1, 0) FROM ${t('listing_variants')} p
                WHERE p.marketplace = u.marketplace AND p.account_id = u.account_id AND p.sku = u.sku)
                 + row_number() OVER (PARTITION BY u.marketplace, u.account_id, u.sku ORDER BY u.n) - 1,
               u.price, u.quantity, u.version, u.check_after
             FROM jsonb_to_recordset($1::jsonb) AS ${columns}
             WHERE NOT EXISTS (
               SELECT 1 FROM ${t('listing_variants')} v
               WHERE v.marketplace = u.marketplace AND v.account_id = u.account_id AND v.sku = u.sku
                 AND v.variant_sku = u.variant_sku)`,
            [rows],
          );
        }
        await client.query(
          `UPDATE ${t('listings')} l SET updated_at = $2
           FROM jsonb_to_recordset($1::jsonb) AS k(marketplace text, account_id text, sku text)
           WHERE l.marketplace = k.marketplace AND l.account_id = k.account_id AND l.sku = k.sku`,
          [
            JSON.stringify(
              listingKeys.filter((k) => active.has(listingId(k.marketplace, k.account_id, k.sku))),
            ),
            now,
          ],
        );
      });
    },

    async listStockToPush({ marketplace, accountId, after, limit }) {
      // Plans must be sane before any statistics exist (a fresh schema, autovacuum off): the
      // variants are walked in key order on their primary key, and each one's listing and stock
      // are read by primary key in LATERAL subqueries that the planner may not flatten (OFFSET 0)
      // nor serve from another index (their filters stay outside). Without this the planner,
      // guessing one row everywhere, joined listings on the account alone: 40 s at 10,000 listings.
      const params = [marketplace, accountId, limit + 1];
      const from = after ? 'AND (v.sku, v.variant_sku) > ($4::text COLLATE "C", $5::text COLLATE "C")' : '';
      if (after) params.push(after.sku, after.variantSku);
      const { rows } = await pool.query<
        VariantRow & { product_external_id: string; quantity: string; version: string }
      >(
        `SELECT v.*, l.product_external_id, s.quantity, s.version
         FROM ${t('listing_variants')} v
         CROSS JOIN LATERAL (
           SELECT l.state, l.product_external_id FROM ${t('listings')} l
           WHERE l.marketplace = v.marketplace AND l.account_id = v.account_id AND l.sku = v.sku OFFSET 0) l
         CROSS JOIN LATERAL (SELECT s.quantity, s.version FROM ${t('stock')} s WHERE s.sku = v.variant_sku OFFSET 0) s
         WHERE v.marketplace = $1 AND v.account_id = $2 ${from}
           AND l.state = 'active' AND l.product_external_id IS NOT NULL
           AND (v.pushed_stock_version IS NULL OR v.pushed_stock_version < s.version OR v.stock_check_after IS NOT NULL)
         ORDER BY v.sku, v.variant_sku
         LIMIT $3`,
        params,
      );
      const items: StockToPush[] = rows.slice(0, limit).map((row) =>
        withoutUndefined({
          marketplace,
          accountId,
          sku: row.sku,
          variantSku: row.variant_sku,
          productExternalId: row.product_external_id,
          variantExternalId: row.external_id ?? undefined,
          stock: { sku: row.variant_sku, quantity: toNumber(row.quantity), version: toNumber(row.version) },
          pushedQuantity: row.pushed_quantity === null ? undefined : toNumber(row.pushed_quantity),
          pushedStockVersion:
            row.pushed_stock_version === null ? undefined : toNumber(row.pushed_stock_version),
          stockCheckAfter: row.stock_check_after === null ? undefined : toNumber(row.stock_check_after),
        }),
      );
      const last = items.at(-1);
      return pageOf(
        items,
        rows.length > limit && last ? { sku: last.sku, variantSku: last.variantSku } : undefined,
      );
    },

    async getOrder(key) {
      const { rows } = await pool.query<OrderRow>(
        `SELECT data, content_hash, stored_at FROM ${t('orders')}
         WHERE marketplace = $1 AND account_id = $2 AND external_id = $3`,
        [key.marketplace, key.accountId, key.externalId],
      );
      return rows[0] ? orderFromRow(rows[0]) : undefined;
    },

    async upsertOrder(input) {
      // One order at a time is mostly a webhook's update of an order stored already: the general
      // path first, so that no call pays for a message that keeps nothing.
      const [result] = await upsertOrderCall([input], () => undefined, false);
      return result!;
    },

    async upsertOrders(inputs) {
      if (inputs.length === 0) return [];
      return upsertOrderCall(inputs, (order) => `${order}.movements`, true);
    },

    async listOrders({ marketplace, accountId, after, limit }) {
      const { rows } = await pool.query<OrderRow>(
        `SELECT data, content_hash, stored_at FROM ${t('orders')}
         WHERE marketplace = $1 AND account_id = $2 AND ($3::text IS NULL OR external_id > $3)
         ORDER BY external_id LIMIT $4`,
        [marketplace, accountId, after ?? null, limit + 1],
      );
      const items = rows.slice(0, limit).map(orderFromRow);
      return pageOf(items, rows.length > limit ? items.at(-1)?.order.externalId : undefined);
    },

    async getCheckpoint(key) {
      const { rows } = await pool.query<{ value: string }>(
        `SELECT value FROM ${t('checkpoints')} WHERE marketplace = $1 AND account_id = $2 AND stream = $3`,
        [key.marketplace, key.accountId, key.stream],
      );
      return rows[0]?.value;
    },

    async setCheckpoint(key, value) {
      await pool.query(
        `INSERT INTO ${t('checkpoints')} (marketplace, account_id, stream, value) VALUES ($1, $2, $3, $4)
         ON CONFLICT (marketplace, account_id, stream) DO UPDATE SET value = EXCLUDED.value`,
        [key.marketplace, key.accountId, key.stream, value],
      );
    },

    async claimEvent({ key, ttlMs, now }) {
      const { rowCount } = await pool.query(
        `INSERT INTO ${t('event_claims')} AS c (key, expires_at) VALUES ($1, $2)
         ON CONFLICT (key) DO UPDATE SET expires_at = EXCLUDED.expires_at WHERE c.expires_at <= $3`,
        [key, now + ttlMs, now],
      );
      return (rowCount ?? 0) > 0;
    },

    async completeEvent({ key, ttlMs, now }) {
      await pool.query(
        `INSERT INTO ${t('event_claims')} AS c (key, expires_at) VALUES ($1, $2)
         ON CONFLICT (key) DO UPDATE SET expires_at = GREATEST(c.expires_at, EXCLUDED.expires_at)`,
        [key, now + ttlMs],
      );
    },

    async releaseEvent(key) {
      await pool.query(`DELETE FROM ${t('event_claims')} WHERE key = $1`, [key]);
    },

    async acquireLease({ key, owner, ttlMs, now }) {
      // One round trip: the key's token row is locked first (created if new), then, with a
      // snapshot taken after that lock, the live lease decides and the grant is written.
      const [keyText, ownerText] = [sqlLiteral(key), sqlLiteral(owner)];
      const [at, expiresAt] = [bigintLiteral(now), bigintLiteral(now + ttlMs)];
      const results = await inSharedTripTransaction(pool, (tx) =>
        tx.text<{ token: string }>(
          `INSERT INTO ${t('lease_tokens')} (key, last_token) VALUES (${keyText}, 0) ON CONFLICT DO NOTHING;
           SELECT last_token FROM ${t('lease_tokens')} WHERE key = ${keyText} FOR UPDATE;
           WITH last AS (SELECT last_token FROM ${t('lease_tokens')} WHERE key = ${keyText}),
           held AS (SELECT owner, expires_at, token FROM ${t('leases')} WHERE key = ${keyText}),
           granted AS (
             SELECT CASE WHEN h.owner = ${ownerText} AND h.expires_at > ${at} THEN h.token
               ELSE l.last_token + 1 END AS token
             FROM last l LEFT JOIN held h ON true
             WHERE h.owner IS NULL OR h.owner = ${ownerText} OR h.expires_at <= ${at}),
           written AS (
             INSERT INTO ${t('leases')} (key, owner, expires_at, token)
             SELECT ${keyText}, ${ownerText}, ${expiresAt}, token FROM granted
             ON CONFLICT (key) DO UPDATE SET owner = EXCLUDED.owner, expires_at = EXCLUDED.expires_at,
               token = EXCLUDED.token
             RETURNING token),
           counted AS (
             UPDATE ${t('lease_tokens')} SET last_token = g.token FROM granted g WHERE key = ${keyText})
           SELECT token FROM written`,
          { commit: true },
        ),
      );
      const granted = results.at(-1)?.rows[0];
      return granted ? { key, owner, expiresAt: now + ttlMs, token: toNumber(granted.token) } : undefined;
    },

    async renewLease({ key, owner, ttlMs, now }) {
      const { rows } = await pool.query<LeaseRow>(
        `UPDATE ${t('leases')} SET expires_at = $3 WHERE key = $1 AND owner = $2 AND expires_at > $4 RETURNING *`,
        [key, owner, now + ttlMs, now],
      );
      return rows[0] ? leaseFromRow(rows[0]) : undefined;
    },

    async releaseLease({ key, owner }) {
      const { rowCount } = await pool.query(`DELETE FROM ${t('leases')} WHERE key = $1 AND owner = $2`, [
        key,
        owner,
      ]);
      return (rowCount ?? 0) > 0;
    },

    async purgeExpired(now) {
      return inTransaction(pool, async (client) => {
        const claims = await client.query(`DELETE FROM ${t('event_claims')} WHERE expires_at <= $1`, [now]);
        const leases = await client.query(`DELETE FROM ${t('leases')} WHERE expires_at <= $1`, [now]);
        return (claims.rowCount ?? 0) + (leases.rowCount ?? 0);
      });
    },
  });
}

/**
 * A call of `upsertOrders`: its inputs, each order's JSON and key, its rounds (see
 * {@link rounds}), the results filled in, and whether some order was found stored already.
 */
interface OrderBatch {
  inputs: readonly OrderUpsertInput[];
  texts: string[];
  keyTexts: string[];
  rounds: number[][];
  results: OrderUpsertResult[];
  prefixOf: (order: number) => string | undefined;
  someStored: boolean;
}

/** A stock movement by a delta. */
type DeltaMovement = Extract<StockMovement, { delta: number }>;

/** The integers of a `bigint[]` as PostgreSQL writes it (`{1,-2}`); none for NULL. */
function integersOf(array: string | null): number[] {
  if (array === null || array === '{}') return [];
  return array.slice(1, -1).split(',').map(Number);
}

/** Checks every order's movements before anything is sent, naming `3.movements.0.delta` in a batch. */
function assertValidOrderMovements(
  inputs: readonly OrderUpsertInput[],
  prefixOf: (order: number) => string | undefined,
): void {
  for (let index = 0; index < inputs.length; index += 1) {
    try {
      assertValidMovements(inputs[index]!.movements);
    } catch (error) {
      const prefix = prefixOf(index);
      throw prefix ? prefixedValidationError(prefix, error) : error;
    }
  }
}

interface OrderRow {
  data: Order;
  content_hash: string;
  stored_at: string;
}

interface LeaseRow {
  key: string;
  owner: string;
  expires_at: string;
  token: string;
}

function orderFromRow(row: OrderRow): StoredOrder {
  return { order: row.data, contentHash: row.content_hash, storedAt: toNumber(row.stored_at) };
}

/** One `orders` row to write, as a JSON record of `jsonb_to_recordset`; `orderText` is the order's JSON. */
function orderRecordJson({ order, contentHash, now }: OrderUpsertInput, orderText: string): string {
  const keys = JSON.stringify({
    marketplace: order.marketplace,
    account_id: order.accountId,
    external_id: order.externalId,
    content_hash: contentHash,
    stored_at: now,
  });
  return `${keys.slice(0, -1)},"data":${orderText}}`;
}

/**
 * The stored order as a later read returns it (through JSON), not sharing the caller's objects.
 * The copy is parsed from `orderText` when first read: a poll reads none of them.
 */
function storedOf({ contentHash, now }: OrderUpsertInput, orderText: string): StoredOrder {
  let order: Order | undefined;
  return {
    get order(): Order {
      order ??= JSON.parse(orderText) as Order;
      return order;
    },
    set order(value: Order) {
      order = value;
    },
    contentHash,
    storedAt: now,
  };
}

function orderKeyText(key: { marketplace: string; accountId: string; externalId: string }): string {
  return `${key.marketplace}\u0000${key.accountId}\u0000${key.externalId}`;
}

/**
 * Splits item indexes into rounds in which each key appears once: the n-th occurrence of a key
 * goes into round n, so the rounds, in order, keep the order of the repeats.
 */
function rounds(keys: readonly string[]): number[][] {
  const seen = new Map<string, number>();
  const out: number[][] = [];
  keys.forEach((key, index) => {
    const round = seen.get(key) ?? 0;
    seen.set(key, round + 1);
    const list = out[round] ?? [];
    list.push(index);
    out[round] = list;
  });
  return out;
}

function leaseFromRow(row: LeaseRow): Lease {
  return { key: row.key, owner: row.owner, expiresAt: toNumber(row.expires_at), token: toNumber(row.token) };
}

function listingFromRow(row: ListingRow, variants: ListingVariant[]): Listing {
  return withoutUndefined({
    marketplace: row.marketplace as MarketplaceId,
    accountId: row.account_id,
    sku: row.sku,
    state: row.state,
    intent:
      row.state === 'creating' && row.intent_id !== null
        ? { id: row.intent_id, startedAt: toNumber(row.intent_started_at) }
        : undefined,
    productExternalId: row.product_external_id ?? undefined,
    contentHash: row.content_hash ?? undefined,
    status: (row.status ?? undefined) as ProductStatus | undefined,
    variants,
    updatedAt: toNumber(row.updated_at),
  });
}

function variantFromRow(row: VariantRow): ListingVariant {
  return withoutUndefined({
    sku: row.variant_sku,
    externalId: row.external_id ?? undefined,
    pushedPrice: row.pushed_price ?? undefined,
    pushedQuantity: row.pushed_quantity === null ? undefined : toNumber(row.pushed_quantity),
    pushedStockVersion: row.pushed_stock_version === null ? undefined : toNumber(row.pushed_stock_version),
    stockCheckAfter: row.stock_check_after === null ? undefined : toNumber(row.stock_check_after),
  });
}

function listingId(marketplace: string, accountId: string, sku: string): string {
  return `${marketplace}\u0000${accountId}\u0000${sku}`;
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function pageOf<T, C>(items: T[], next: C | undefined): Page<T, C> {
  return next === undefined ? { items } : { items, next };
}

function dedupeLast<T>(items: readonly T[], key: (item: T) => string): T[] {
  return [...new Map(items.map((item) => [key(item), item])).values()];
}

function dedupeFirst<T>(items: readonly T[], key: (item: T) => string): T[] {
  const seen = new Map<string, T>();
  for (const item of items) if (!seen.has(key(item))) seen.set(key(item), item);
  return [...seen.values()];
}
