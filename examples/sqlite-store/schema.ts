import type { Sql } from './sqlite';

/** The schema version this example writes (kept in SQLite's `PRAGMA user_version`). */
export const SCHEMA_VERSION = 2;

/**
 * Version 1 of the schema. Text keys use SQLite's default BINARY collation (byte order), which keyset
 * paging needs: `ORDER BY sku` and `WHERE sku > ?` must agree, and NOCASE would merge SKUs that
 * differ only in case. Each index says which query it serves; primary keys serve point lookups.
 */
const SCHEMA_V1 = `
-- Catalog products as JSON. PK: getProducts, listProducts paging (WHERE sku > ? ORDER BY sku).
CREATE TABLE products (
  sku TEXT PRIMARY KEY,
  data TEXT NOT NULL
) WITHOUT ROWID;

-- Stock per SKU. PK: getStock, the per-SKU read in every movement, the join in listStockToPush.
CREATE TABLE stock (
  sku TEXT PRIMARY KEY,
  quantity INTEGER NOT NULL,
  version INTEGER NOT NULL
) WITHOUT ROWID;

-- The inventory ledger. PK on key: a movement's key is inserted once (ON CONFLICT DO NOTHING).
CREATE TABLE stock_movements (
  key TEXT PRIMARY KEY,
  sku TEXT NOT NULL,
  delta INTEGER,
  set_to INTEGER,
  reason TEXT,
  quantity_after INTEGER NOT NULL,
  version_after INTEGER NOT NULL
) WITHOUT ROWID;

-- Listings. PK: getListing, claim/complete/abandon, listListings paging of one account.
CREATE TABLE listings (
  marketplace TEXT NOT NULL,
  account_id TEXT NOT NULL,
  sku TEXT NOT NULL,
  state TEXT NOT NULL CHECK (state IN ('creating', 'active')),
  intent_id TEXT,
  intent_started_at INTEGER,
  product_external_id TEXT,
  content_hash TEXT,
  status TEXT,
  updated_at INTEGER NOT NULL,
  PRIMARY KEY (marketplace, account_id, sku)
) WITHOUT ROWID;
-- findListingByExternalId (partial: only active listings carry an id worth finding).
CREATE INDEX listings_by_external_id ON listings (marketplace, account_id, product_external_id)
  WHERE state = 'active';
-- findListingsBySku, by the listing's own SKU across marketplaces and accounts.
CREATE INDEX listings_by_sku ON listings (sku);

-- The SKUs of a listing and what was last pushed to each. PK: a listing's variants, recordPushes,
-- and the (listing SKU, variant SKU) order of listStockToPush.
CREATE TABLE listing_variants (
  marketplace TEXT NOT NULL,
  account_id TEXT NOT NULL,
  sku TEXT NOT NULL,
  variant_sku TEXT NOT NULL,
  position INTEGER NOT NULL,
  external_id TEXT,
  pushed_price TEXT,
  pushed_quantity INTEGER,
  pushed_stock_version INTEGER,
  PRIMARY KEY (marketplace, account_id, sku, variant_sku)
) WITHOUT ROWID;
-- findListingsBySku, by a variant SKU.
CREATE INDEX listing_variants_by_variant_sku ON listing_variants (variant_sku);

-- Orders as JSON. PK: getOrder, upsertOrder, listOrders paging of one account.
CREATE TABLE orders (
  marketplace TEXT NOT NULL,
  account_id TEXT NOT NULL,
  external_id TEXT NOT NULL,
  data TEXT NOT NULL,
  content_hash TEXT NOT NULL,
  stored_at INTEGER NOT NULL,
  PRIMARY KEY (marketplace, account_id, external_id)
) WITHOUT ROWID;

CREATE TABLE checkpoints (
  marketplace TEXT NOT NULL,
  account_id TEXT NOT NULL,
  stream TEXT NOT NULL,
  value TEXT NOT NULL,
  PRIMARY KEY (marketplace, account_id, stream)
) WITHOUT ROWID;

-- Seen-event claims. PK: claimEvent's conditional upsert.
CREATE TABLE event_claims (
  key TEXT PRIMARY KEY,
  expires_at INTEGER NOT NULL
) WITHOUT ROWID;
-- purgeExpired.
CREATE INDEX event_claims_by_expiry ON event_claims (expires_at);

CREATE TABLE leases (
  key TEXT PRIMARY KEY,
  owner TEXT NOT NULL,
  expires_at INTEGER NOT NULL,
  token INTEGER NOT NULL
) WITHOUT ROWID;
-- purgeExpired.
CREATE INDEX leases_by_expiry ON leases (expires_at);

-- The last fencing token per lease key; survives release and purge, so tokens only grow.
CREATE TABLE lease_tokens (
  key TEXT PRIMARY KEY,
  token INTEGER NOT NULL
) WITHOUT ROWID;

-- Token sets as JSON (access and refresh tokens are JWE strings when wrapped in EncryptedTokenStore).
CREATE TABLE tokens (
  marketplace TEXT NOT NULL,
  account_id TEXT NOT NULL,
  data TEXT NOT NULL,
  version INTEGER NOT NULL,
  PRIMARY KEY (marketplace, account_id)
) WITHOUT ROWID;

-- Store-wide counters (token versions), so a version is never handed out twice, even after a delete.
CREATE TABLE counters (
  name TEXT PRIMARY KEY,
  value INTEGER NOT NULL
) WITHOUT ROWID;
`;

/** Version 2: a stock write of unknown outcome marks its SKU for a read-back after this time. */
const SCHEMA_V2 = `
ALTER TABLE listing_variants ADD COLUMN stock_check_after INTEGER;
`;

/** Brings a database from `fromVersion` to {@link SCHEMA_VERSION}, inside the caller's transaction. */
export function migrate(sql: Sql, fromVersion: number): void {
  if (fromVersion < 1) sql.script(SCHEMA_V1);
  if (fromVersion < 2) sql.script(SCHEMA_V2);
}
