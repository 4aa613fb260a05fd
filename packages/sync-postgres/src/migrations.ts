import { MlhError } from '@mlh/core';
import type pg from 'pg';
import { connectionError, type Naming, type Queryable, sqlLiteral } from './db';

/** One versioned step of the schema. Versions only grow; a shipped migration never changes. */
export interface Migration {
  version: number;
  name: string;
  sql: (naming: Naming) => string;
}

/**
 * The schema, as versioned migrations. Every index names the query it serves.
 * Text keys use the "C" collation so SQL ordering matches JavaScript's string ordering, which
 * keyset paging (`after`) relies on.
 */
export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'sync store and token store',
    sql: ({ table }) => `
CREATE TABLE ${table('products')} (
  sku text COLLATE "C" PRIMARY KEY,
  data jsonb NOT NULL,
  updated_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE ${table('stock')} (
  sku text COLLATE "C" PRIMARY KEY,
  quantity bigint NOT NULL,
  version bigint NOT NULL
);

-- The inventory ledger: a movement key exists once, so applying it twice changes nothing.
CREATE TABLE ${table('stock_movements')} (
  key text PRIMARY KEY,
  sku text COLLATE "C" NOT NULL,
  delta bigint,
  set_to bigint,
  reason text,
  quantity_after bigint NOT NULL,
  version_after bigint NOT NULL,
  applied_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE ${table('listings')} (
  marketplace text NOT NULL,
  account_id text NOT NULL,
  sku text COLLATE "C" NOT NULL,
  state text NOT NULL CHECK (state IN ('creating', 'active')),
  intent_id text,
  intent_started_at bigint,
  product_external_id text,
  content_hash text,
  status text,
  updated_at bigint NOT NULL,
  PRIMARY KEY (marketplace, account_id, sku)
);
-- findListingByExternalId: an active listing by its marketplace id.
CREATE INDEX ${'listings_external_id'} ON ${table('listings')} (marketplace, account_id, product_external_id)
  WHERE state = 'active';

CREATE TABLE ${table('listing_variants')} (
  marketplace text NOT NULL,
  account_id text NOT NULL,
  sku text COLLATE "C" NOT NULL,
  variant_sku text COLLATE "C" NOT NULL,
  position integer NOT NULL,
  external_id text,
  pushed_price jsonb,
  pushed_quantity bigint,
  pushed_stock_version bigint,
  PRIMARY KEY (marketplace, account_id, sku, variant_sku),
  FOREIGN KEY (marketplace, account_id, sku) REFERENCES ${table('listings')} ON DELETE CASCADE
);
-- findListingsBySku and listStockToPush's join with stock: variants by their SKU.
CREATE INDEX ${'listing_variants_sku'} ON ${table('listing_variants')} (variant_sku);

CREATE TABLE ${table('orders')} (
  marketplace text NOT NULL,
  account_id text NOT NULL,
  external_id text COLLATE "C" NOT NULL,
  data jsonb NOT NULL,
  content_hash text NOT NULL,
  stored_at bigint NOT NULL,
  PRIMARY KEY (marketplace, account_id, external_id)
);

CREATE TABLE ${table('checkpoints')} (
  marketplace text NOT NULL,
  account_id text NOT NULL,
  stream text NOT NULL,
  value text NOT NULL,
  PRIMARY KEY (marketplace, account_id, stream)
);

CREATE TABLE ${table('event_claims')} (
  key text PRIMARY KEY,
  expires_at bigint NOT NULL
);
-- purgeExpired: expired claims.
CREATE INDEX ${'event_claims_expires_at'} ON ${table('event_claims')} (expires_at);

CREATE TABLE ${table('leases')} (
  key text PRIMARY KEY,
  owner text NOT NULL,
  expires_at bigint NOT NULL,
  token bigint NOT NULL
);
-- purgeExpired: expired leases.
CREATE INDEX ${'leases_expires_at'} ON ${table('leases')} (expires_at);

-- The last fencing token of each lease key, kept after a lease is released or purged so tokens only grow.
CREATE TABLE ${table('lease_tokens')} (
  key text PRIMARY KEY,
  last_token bigint NOT NULL
);

-- Token versions come from a sequence, so a version is never reused after a delete: a process
-- still holding an old expected version can never win a compare-and-set against a new row.
CREATE SEQUENCE ${table('token_versions')};

CREATE TABLE ${table('tokens')} (
  marketplace text NOT NULL,
  account_id text NOT NULL,
  data jsonb NOT NULL,
  version bigint NOT NULL,
  reauthorization_required boolean NOT NULL DEFAULT false,
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (marketplace, account_id)
);
`,
  },
  {
    version: 2,
    name: 'stock read-back after a write of unknown outcome',
    sql: ({ table }) => `
-- Set while a stock write's outcome is unknown: the SKU is not synced until read back after this time.
ALTER TABLE ${table('listing_variants')} ADD COLUMN stock_check_after bigint;
`,
  },
  {
    version: 3,
    name: 'token refresh locks',
    sql: ({ table }) => `
-- One row per account whose tokens are being refreshed: the holder and when its lease ends
-- (database time, so the processes' clocks do not matter). An expired row is free to take.
CREATE TABLE ${table('token_refresh_locks')} (
  marketplace text NOT NULL,
  account_id text NOT NULL,
  holder text NOT NULL,
  expires_at timestamptz NOT NULL,
  PRIMARY KEY (marketplace, account_id)
);
`,
  },
  {
    version: 4,
    name: 'listings by product SKU',
    sql: ({ table }) => `
-- findListingsBySku: listings by their product SKU, on every account (the primary key starts with the account).
CREATE INDEX ${'listings_sku'} ON ${table('listings')} (sku);
`,
  },
  {
    version: 5,
    name: 'sync activity: runs, failures, alerts, listing errors',
    sql: ({ table }) => `
CREATE TABLE ${table('sync_runs')} (
  id text COLLATE "C" PRIMARY KEY,
  kind text NOT NULL,
  marketplace text,
  account_id text,
  status text NOT NULL CHECK (status IN ('running', 'succeeded', 'partial', 'failed')),
  started_at bigint NOT NULL,
  finished_at bigint,
  done integer NOT NULL,
  failed integer NOT NULL
);
-- listRuns, newest first: unfiltered, by kind, by account.
CREATE INDEX ${'sync_runs_started'} ON ${table('sync_runs')} (started_at, id);
CREATE INDEX ${'sync_runs_kind'} ON ${table('sync_runs')} (kind, started_at, id);
CREATE INDEX ${'sync_runs_account'} ON ${table('sync_runs')} (marketplace, account_id, started_at, id);
-- prune: finished runs by age.
CREATE INDEX ${'sync_runs_finished'} ON ${table('sync_runs')} (finished_at) WHERE finished_at IS NOT NULL;

-- A failure's id derives from its run and item, so a replayed event inserts nothing.
CREATE TABLE ${table('sync_failures')} (
  id text COLLATE "C" PRIMARY KEY,
  run_id text COLLATE "C" NOT NULL,
  kind text NOT NULL,
  marketplace text NOT NULL,
  account_id text NOT NULL,
  sku text COLLATE "C",
  order_id text,
  stage text NOT NULL,
  reason text NOT NULL,
  retryable boolean NOT NULL,
  at bigint NOT NULL,
  resolved_at bigint
);
-- listFailures, newest first: unfiltered (and countFailuresByDay, prune), open only, by run, by account.
CREATE INDEX ${'sync_failures_at'} ON ${table('sync_failures')} (at, id);
CREATE INDEX ${'sync_failures_open_at'} ON ${table('sync_failures')} (at, id) WHERE resolved_at IS NULL;
CREATE INDEX ${'sync_failures_run'} ON ${table('sync_failures')} (run_id, at, id);
CREATE INDEX ${'sync_failures_account'} ON ${table('sync_failures')} (marketplace, account_id, at, id);
-- resolveListings / resolveFailures: the open failures of a listing or an account.
CREATE INDEX ${'sync_failures_open_item'} ON ${table('sync_failures')} (marketplace, account_id, sku)
  WHERE resolved_at IS NULL;

CREATE TABLE ${table('sync_alerts')} (
  id text COLLATE "C" PRIMARY KEY,
  key text NOT NULL,
  kind text NOT NULL,
  severity text NOT NULL,
  marketplace text NOT NULL,
  account_id text NOT NULL,
  sku text COLLATE "C",
  title text NOT NULL,
  detail text NOT NULL,
  opened_at bigint NOT NULL,
  resolved_at bigint
);
-- openAlert: at most one open alert per key, whichever process opens it.
CREATE UNIQUE INDEX ${'sync_alerts_open_key'} ON ${table('sync_alerts')} (key) WHERE resolved_at IS NULL;
-- listAlerts: open ones oldest first, resolved ones most recently resolved first (and prune).
CREATE INDEX ${'sync_alerts_open'} ON ${table('sync_alerts')} (opened_at, id) WHERE resolved_at IS NULL;
CREATE INDEX ${'sync_alerts_resolved'} ON ${table('sync_alerts')} (resolved_at, id) WHERE resolved_at IS NOT NULL;
-- resolveListings: a listing's open alerts.
CREATE INDEX ${'sync_alerts_open_item'} ON ${table('sync_alerts')} (marketplace, account_id, sku)
  WHERE resolved_at IS NULL;

CREATE TABLE ${table('listing_errors')} (
  marketplace text NOT NULL,
  account_id text NOT NULL,
  sku text COLLATE "C" NOT NULL,
  stage text NOT NULL,
  reason text NOT NULL,
  at bigint NOT NULL,
  failure_id text NOT NULL,
  PRIMARY KEY (marketplace, account_id, sku)
);
`,
  },
  {
    version: 6,
    name: 'listings: the external-id look-up led by the external id',
    // Without statistics the planner costs the (marketplace, account_id) prefix of the primary key
    // the same as this look-up's own index, and at 50,000 listings it took the primary key: every
    // listing of the account read per id (0.3–0.6 s for a page of orders). The look-ups now ask
    // for the external id behind a fence the primary key cannot serve, on an index it leads.
    sql: ({ schema, prefix, table }) => `
CREATE INDEX ${'listings_by_external_id'} ON ${table('listings')} (product_external_id, marketplace, account_id)
  WHERE state = 'active';
DROP INDEX "${schema}"."${prefix}listings_external_id";
`,
  },
  {
    version: 7,
    name: 'orders: new orders and their movements stored by one function call',
    // A page of new orders was one message of five statements sent as text: planned again on every
    // call (0.75 ms for a page of 100), a PL/pgSQL `DO` block compiled again for the check, and
    // 120 KB of order JSON scanned as a literal. A function keeps its plans for the session, takes
    // the orders as a parameter and runs, sent alone, as its own transaction.
    sql: ({ table }) => `
CREATE FUNCTION ${table('insert_new_orders')}(
  new_orders jsonb, stock_skus text[], movement_keys text[], movement_skus text[],
  movement_deltas bigint[], movement_reasons text[])
RETURNS TABLE (quantities text, versions text)
LANGUAGE plpgsql VOLATILE AS $fn$
DECLARE
  all_new boolean;
BEGIN
  -- The SKUs' locks first, in array order (ascending): the statement after them takes its
  -- snapshot once they are held, so it reads the newest stock and ledger.
  PERFORM count(pg_advisory_xact_lock(hashtext(${sqlLiteral(`${table('stock')}:`)} || k.sku)))
  FROM unnest(stock_skus) AS k(sku);
  WITH inserted AS (
    INSERT INTO ${table('orders')} (marketplace, account_id, external_id, data, content_hash, stored_at)
    SELECT o.marketplace, o.account_id, o.external_id, o.data, o.content_hash, o.stored_at
    FROM jsonb_to_recordset(new_orders) AS o(marketplace text, account_id text, external_id text, data jsonb,
      content_hash text, stored_at bigint)
    ON CONFLICT DO NOTHING RETURNING 1),
  movement AS (
    SELECT * FROM unnest(movement_keys, movement_skus, movement_deltas, movement_reasons)
      WITH ORDINALITY AS m(key, sku, delta, reason, n)),
  stock_before AS (
    SELECT k.sku, s.quantity, s.version FROM unnest(stock_skus) AS k(sku)
    LEFT JOIN LATERAL (SELECT s.quantity, s.version FROM ${table('stock')} s WHERE s.sku = k.sku OFFSET 0) s ON true),
  stock_after AS (
    SELECT m.n, m.key, m.sku, m.delta, m.reason, b.quantity IS NULL AS absent,
      COALESCE(b.quantity, 0) + sum(m.delta) OVER w AS quantity,
      COALESCE(b.version, 0) + row_number() OVER w AS version
    FROM movement m JOIN stock_before b ON b.sku = m.sku
    WINDOW w AS (PARTITION BY m.sku ORDER BY m.n)),
  fits AS (
    SELECT COALESCE(bool_and(abs(a.quantity) <= 9007199254740991), true) AS ok FROM stock_after a),
  ledger AS (
    INSERT INTO ${table('stock_movements')} (key, sku, delta, reason, quantity_after, version_after)
    SELECT a.key, a.sku, a.delta, a.reason, a.quantity, a.version FROM stock_after a WHERE (SELECT ok FROM fits)
    ON CONFLICT (key) DO NOTHING RETURNING 1),
  levels AS (
    SELECT DISTINCT ON (a.sku) a.sku, a.quantity, a.version, a.absent FROM stock_after a
    WHERE (SELECT ok FROM fits) ORDER BY a.sku, a.n DESC),
  created AS (
    INSERT INTO ${table('stock')} (sku, quantity, version)
    SELECT l.sku, l.quantity, l.version FROM levels l WHERE l.absent
    ON CONFLICT (sku) DO NOTHING RETURNING 1),
  updated AS (
    INSERT INTO ${table('stock')} (sku, quantity, version)
    SELECT l.sku, l.quantity, l.version FROM levels l WHERE NOT l.absent
    ON CONFLICT (sku) DO UPDATE SET quantity = EXCLUDED.quantity, version = EXCLUDED.version)
  SELECT (SELECT count(*) FROM inserted) = jsonb_array_length(new_orders)
      AND (SELECT count(*) FROM ledger) = cardinality(movement_keys)
      AND (SELECT count(*) FROM created) = (SELECT count(*) FROM levels l WHERE l.absent),
    (SELECT array_agg(a.quantity ORDER BY a.n) FROM stock_after a)::text,
    (SELECT array_agg(a.version ORDER BY a.n) FROM stock_after a)::text
  INTO all_new, quantities, versions;
  -- An order stored already, a key in the ledger (or being written by another call), a stock past
  -- ±(2^53−1): nothing of the call is kept, and the store takes the general path.
  IF NOT all_new THEN
    RAISE EXCEPTION 'the orders were not all new' USING ERRCODE = 'MLH01';
  END IF;
  RETURN NEXT;
END
$fn$;

-- The catalog SKU of each order line that has one (see resolveOrderLineSkus), its plan kept for
-- the session: planning the statement cost about as much as running it (1 ms for 150 lines).
CREATE FUNCTION ${table('resolve_order_line_skus')}(
  line_marketplace text, line_account_id text, product_ids text[], variant_ids text[], line_skus text[])
RETURNS TABLE (line_number integer, resolved_sku text)
LANGUAGE plpgsql STABLE AS $fn$
BEGIN
  RETURN QUERY
  SELECT k.n::integer, COALESCE(vs.sku, ls.sku)
  FROM unnest(product_ids, variant_ids, line_skus) WITH ORDINALITY AS k(product_id, variant_id, sku, n)
  LEFT JOIN LATERAL (
    SELECT * FROM (
      SELECT l.marketplace, l.account_id, l.sku FROM ${table('listings')} l
      WHERE l.product_external_id = k.product_id AND l.state = 'active' OFFSET 0) l
    WHERE l.marketplace = line_marketplace AND l.account_id = line_account_id
    LIMIT 1) l ON true
  LEFT JOIN LATERAL (
    -- The variant with the line's variant id, else the listing's only variant, each read on the
    -- primary key; the second only when the first finds none.
    SELECT COALESCE(
      (SELECT v.variant_sku FROM ${table('listing_variants')} v
       WHERE v.marketplace = l.marketplace AND v.account_id = l.account_id AND v.sku = l.sku
         AND v.external_id = k.variant_id
       ORDER BY v.position LIMIT 1),
      (SELECT min(v.variant_sku) FROM ${table('listing_variants')} v
       WHERE v.marketplace = l.marketplace AND v.account_id = l.account_id AND v.sku = l.sku
       HAVING count(*) = 1)) AS variant_sku) v ON true
  LEFT JOIN LATERAL (SELECT s.sku FROM ${table('stock')} s WHERE s.sku = v.variant_sku OFFSET 0) vs ON true
  -- Read only when the listing gave no SKU (most lines resolve above).
  LEFT JOIN LATERAL (SELECT s.sku FROM ${table('stock')} s WHERE vs.sku IS NULL AND s.sku = k.sku OFFSET 0) ls
    ON true
  WHERE vs.sku IS NOT NULL OR ls.sku IS NOT NULL;
END
$fn$;
`,
  },
];

/** The newest schema version this package knows. */
export const SCHEMA_VERSION = Math.max(...MIGRATIONS.map((m) => m.version));

function migrationsTable(naming: Naming): string {
  return naming.table('schema_migrations');
}

/** Index names are per schema; prefix them like the tables so two prefixes can share a schema. */
function withIndexNames(sql: string, naming: Naming): string {
  return sql.replace(
    /CREATE (UNIQUE )?INDEX (\w+) ON/g,
    (_, unique: string | undefined, name: string) =>
      `CREATE ${unique ?? ''}INDEX "${naming.prefix}${name}" ON`,
  );
}

/**
 * Applies the pending migrations. Idempotent, and safe to run from several processes at once:
 * they serialize on an advisory lock, and each migration runs in its own transaction.
 */
export async function migrate(
  pool: Queryable,
  naming: Naming,
  target = 'the database',
): Promise<{ applied: number[] }> {
  let client: pg.PoolClient;
  try {
    client = await pool.connect();
  } catch (error) {
    throw connectionError(target, error);
  }
  const lockKey = `mlh-sync-postgres:${naming.schema}:${naming.prefix}`;
  try {
    await client.query('SELECT pg_advisory_lock(hashtext($1))', [lockKey]);
    await client.query(`CREATE SCHEMA IF NOT EXISTS "${naming.schema}"`);
    await client.query(
      `CREATE TABLE IF NOT EXISTS ${migrationsTable(naming)} (version integer PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())`,
    );
    const { rows } = await client.query<{ version: number }>(
      `SELECT version FROM ${migrationsTable(naming)}`,
    );
    const done = new Set(rows.map((r) => r.version));
    assertNotNewer(done, naming);
    const applied: number[] = [];
    for (const migration of MIGRATIONS) {
      if (done.has(migration.version)) continue;
      await client.query('BEGIN');
      try {
        await client.query(withIndexNames(migration.sql(naming), naming));
        await client.query(`INSERT INTO ${migrationsTable(naming)} (version, name) VALUES ($1, $2)`, [
          migration.version,
          migration.name,
        ]);
        await client.query('COMMIT');
      } catch (error) {
        await client.query('ROLLBACK').catch(() => {});
        throw new MlhError(
          `Migration ${migration.version} (${migration.name}) failed: ${(error as Error).message}`,
          {
            cause: error,
          },
        );
      }
      applied.push(migration.version);
    }
    return { applied };
  } finally {
    await client.query('SELECT pg_advisory_unlock(hashtext($1))', [lockKey]).catch(() => {});
    client.release();
  }
}

/**
 * Checks, before any data is touched, that the schema is exactly at this package's version:
 * a missing migration and a schema from a newer package version are both clear errors.
 */
export async function assertSchemaCurrent(pool: Queryable, naming: Naming, target: string): Promise<void> {
  let rows: { version: number }[];
  try {
    const exists = await pool.query<{ present: boolean }>('SELECT to_regclass($1) IS NOT NULL AS present', [
      `"${naming.schema}"."${naming.prefix}schema_migrations"`,
    ]);
    if (!exists.rows[0]?.present) {
      throw new MlhError(
        `The @mlh/sync-postgres schema "${naming.schema}" is not set up in ${target}: run migrate() first (or pass migrate: true)`,
      );
    }
    rows = (await pool.query<{ version: number }>(`SELECT version FROM ${migrationsTable(naming)}`)).rows;
  } catch (error) {
    if (error instanceof MlhError) throw error;
    throw connectionError(target, error);
  }
  const done = new Set(rows.map((r) => r.version));
  assertNotNewer(done, naming);
  const missing = MIGRATIONS.filter((m) => !done.has(m.version)).map((m) => m.version);
  if (missing.length > 0) {
    throw new MlhError(
      `The @mlh/sync-postgres schema "${naming.schema}" is missing migration(s) ${missing.join(', ')}: run migrate() first`,
    );
  }
}

function assertNotNewer(done: ReadonlySet<number>, naming: Naming): void {
  const newest = Math.max(0, ...done);
  if (newest > SCHEMA_VERSION) {
    throw new MlhError(
      `The schema "${naming.schema}" is at version ${newest}, newer than this @mlh/sync-postgres knows (${SCHEMA_VERSION}): upgrade the package`,
    );
  }
}
