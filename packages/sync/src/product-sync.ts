import {
  type CreateProductOptions,
  chunk,
  type MarketplaceClient,
  mapLimit,
  moneyEquals,
  type PriceUpdate,
  type Product,
  type ProductVariant,
  ValidationError,
} from '@mlh/core';
import {
  type AdoptionCandidate,
  AdoptionIndex,
  type AdoptionLookup,
  type ExistingListing,
  findExisting,
} from './adoption';
import { type ListingAction, SyncEmitter, type SyncFailure } from './events';
import { contentHash } from './hash';
import { describeError, isOutcomeUnknown, isRetryable } from './internal/util';
import { newId, resolveRuntime, type SyncRuntime, type SyncRuntimeOptions } from './runtime';
import {
  assertStockLeaseOutlivesWrite,
  DEFAULT_READ_BACK_DELAY_MS,
  DEFAULT_STOCK_LEASE_TTL_MS,
  DEFAULT_STOCK_WRITE_MAX_MS,
  publishedStock,
  pushAccountStock,
  type StockBuffer,
} from './stock';
import type {
  Listing,
  ListingKey,
  ListingPush,
  ListingVariant,
  StockLevel,
  StockToPush,
  SyncStore,
} from './store';

/** What is sent to one marketplace for one catalog product. */
export interface PreparedListing {
  product: Product;
  options?: CreateProductOptions | undefined;
}

/**
 * A catalog product whose variants all carry a SKU: sync keys stock and listings on them. A
 * product read from a marketplace may have variants without one; those match no catalog SKU.
 */
type CatalogProduct = { [K in keyof Product as K extends 'variants' ? never : K]: Product[K] } & {
  variants: Array<ProductVariant & { sku: string }>;
};

interface Prepared extends PreparedListing {
  product: CatalogProduct;
}

function withSkus(product: Product, stage: string): CatalogProduct {
  const missing = product.variants.flatMap((variant, index) =>
    variant.sku === undefined
      ? [{ path: `variants.${index}.sku`, message: 'required: sync keys stock and listings on variant SKUs' }]
      : [],
  );
  if (missing.length > 0) {
    throw new StageError(
      stage,
      new ValidationError(`Product ${product.sku} has variants without a SKU`, missing),
    );
  }
  return product as CatalogProduct;
}

/**
 * Turns a catalog product into what one marketplace receives (its category id, a price markup,
 * `marketplaceFields`, ...). Stock quantities are set by the sync afterwards and cannot be changed here.
 */
export type PrepareListing = (
  product: Product,
  client: MarketplaceClient,
) => PreparedListing | Promise<PreparedListing>;

/** Options of {@link ProductSync}. */
export interface ProductSyncOptions extends SyncRuntimeOptions {
  store: SyncStore;
  /** One client per marketplace account to publish the catalog to. */
  clients: readonly MarketplaceClient[];
  /** Per-marketplace shaping of each product. Default: the catalog product as it is. */
  prepare?: PrepareListing;
  /** Products in flight at once per marketplace account (keep it within its rate limit). Default 4. */
  concurrency?: number;
  /** Catalog products read per page. Default 100. */
  pageSize?: number;
  /** Units held back from each marketplace's stock. Default none. */
  stockBuffer?: StockBuffer;
  /**
   * How long a started create is assumed to be in flight. Past it, a listing still `creating`
   * (the outcome was never learned) is searched on the marketplace by SKU and adopted, or created
   * again. Keep it well above the transport's timeout and the marketplace's search indexing delay.
   * Default 10 minutes.
   */
  createIntentTimeoutMs?: number;
  /**
   * Search the marketplace by SKU before every first create and adopt a listing that already
   * carries the SKU (one made by hand or by another tool). Default true. With false, the search
   * happens only after a create whose outcome was never learned.
   */
  adoptExisting?: boolean;
  /**
   * How `adoptExisting` looks listings up, and what it costs (see {@link AdoptionLookup}). Default
   * `auto`: one catalogue read per run and account where the marketplace has no SKU search (or
   * once a run has searched as many products one by one as the read costs calls), one search per page of
   * products where the marketplace searches many SKUs at once. A listing made by hand on the
   * marketplace while a run is under way is not in a catalogue read made before it.
   */
  adoptionLookup?: AdoptionLookup;
  /**
   * Products searched one by one in a run before `auto` reads the catalogue instead. Default: as
   * many as the calls the client's `estimateCatalogRead` says that read costs (an empty or small
   * account is read at once), or 50 where the client cannot estimate it.
   */
  adoptionScanAfter?: number;
  /**
   * How long a worker holds an account's stock lease without renewing it; must exceed
   * `stockWriteMaxMs`. Default 240 s (see `InventorySync`'s option of the same name).
   */
  leaseTtlMs?: number;
  /** The longest one stock write can take. Default 210 s (see `InventorySync`). */
  stockWriteMaxMs?: number;
  /** Wait before reading back a stock write of unknown outcome. Default 60 s. */
  readBackDelayMs?: number;
}

/** What {@link ProductSync.run} did. */
export interface ProductSyncSummary {
  kind: 'products';
  runId: string;
  startedAt: number;
  finishedAt: number;
  /** Product × marketplace account pairs looked at. */
  total: number;
  created: number;
  adopted: number;
  updated: number;
  statusChanged: number;
  unchanged: number;
  pricesPushed: number;
  stockPushed: number;
  failed: SyncFailure[];
}

/**
 * Publishes the store's catalog to every marketplace account: validates each product against
 * that marketplace first, creates the listing where there is none (recording the intent before
 * sending, so a create whose response was lost is found by SKU and adopted, never duplicated),
 * updates content only when its hash changed, and pushes prices and stock in the marketplace's
 * largest batches. One product's failure is reported and the run goes on.
 *
 * @example
 * const products = new ProductSync({ store, clients: [meli, shopee, tiktok], concurrency: 4 });
 * products.on('progress', ({ done, total }) => bar.update(done / total));
 * const summary = await products.run();
 */
export class ProductSync extends SyncEmitter {
  private readonly store: SyncStore;
  private readonly clients: readonly MarketplaceClient[];
  private readonly prepare: PrepareListing;
  private readonly concurrency: number;
  private readonly pageSize: number;
  private readonly buffer: StockBuffer | undefined;
  private readonly createIntentTimeoutMs: number;
  private readonly adoptExisting: boolean;
  private readonly adoptionLookup: AdoptionLookup;
  private readonly adoptionScanAfter: number | undefined;
  private readonly leaseTtlMs: number;
  private readonly stockWriteMaxMs: number;
  private readonly readBackDelayMs: number;
  private readonly runtime: SyncRuntime;

  constructor(options: ProductSyncOptions) {
    super();
    this.store = options.store;
    this.clients = options.clients;
    this.prepare = options.prepare ?? ((product) => ({ product }));
    this.concurrency = Math.max(1, options.concurrency ?? 4);
    this.pageSize = Math.max(1, options.pageSize ?? 100);
    this.buffer = options.stockBuffer;
    this.createIntentTimeoutMs = options.createIntentTimeoutMs ?? 10 * 60_000;
    this.adoptExisting = options.adoptExisting ?? true;
    this.adoptionLookup = options.adoptionLookup ?? 'auto';
    this.adoptionScanAfter =
      options.adoptionScanAfter === undefined ? undefined : Math.max(0, options.adoptionScanAfter);
    this.leaseTtlMs = options.leaseTtlMs ?? DEFAULT_STOCK_LEASE_TTL_MS;
    this.stockWriteMaxMs = options.stockWriteMaxMs ?? DEFAULT_STOCK_WRITE_MAX_MS;
    this.readBackDelayMs = options.readBackDelayMs ?? DEFAULT_READ_BACK_DELAY_MS;
    assertStockLeaseOutlivesWrite(this.leaseTtlMs, this.stockWriteMaxMs);
    this.runtime = resolveRuntime(options);
  }

  /**
   * Syncs the whole catalog (page by page), or only the products with these SKUs. `runId` names
   * the run (default a new UUID), e.g. one the caller recorded before starting it.
   */
  async run(
    options: { skus?: readonly string[]; signal?: AbortSignal; runId?: string } = {},
  ): Promise<ProductSyncSummary> {
    const runId = options.runId ?? newId();
    const startedAt = this.runtime.clock();
    const count = options.skus ? new Set(options.skus).size : await this.store.countProducts();
    const summary: ProductSyncSummary = {
      kind: 'products',
      runId,
      startedAt,
      finishedAt: startedAt,
      total: count * this.clients.length,
      created: 0,
      adopted: 0,
      updated: 0,
      statusChanged: 0,
      unchanged: 0,
      pricesPushed: 0,
      stockPushed: 0,
      failed: [],
    };
    this.emitSafe('started', { runId, kind: 'products', at: startedAt });
    const run: RunState = {
      runId,
      summary,
      done: 0,
      stockExtras: new Map(this.clients.map((c) => [c, []])),
      adoption: new Map(
        this.clients.map((c) => [c, new AdoptionIndex(c, this.adoptionLookup, this.adoptionScanAfter)]),
      ),
    };
    const missing = (count: number) => {
      summary.total -= count * this.clients.length;
    };
    for await (const page of this.pages(options.skus, missing)) {
      options.signal?.throwIfAborted();
      await this.syncPage(run, page);
    }
    await Promise.all(this.clients.map((client) => this.pushStock(run, client)));
    summary.finishedAt = this.runtime.clock();
    this.emitSafe('finished', { runId, kind: 'products', summary });
    return summary;
  }

  private async *pages(
    skus: readonly string[] | undefined,
    onMissing: (count: number) => void,
  ): AsyncGenerator<Product[]> {
    if (skus) {
      for (const part of chunk([...new Set(skus)], this.pageSize)) {
        const found = await this.store.getProducts(part);
        onMissing(part.length - found.length);
        if (found.length > 0) yield found;
      }
      return;
    }
    let after: string | undefined;
    do {
      const page = await this.store.listProducts({ after, limit: this.pageSize });
      if (page.items.length > 0) yield page.items;
      after = page.next;
    } while (after !== undefined);
  }

  private async syncPage(run: RunState, products: readonly Product[]): Promise<void> {
    const skus = products.flatMap((p) => p.variants.flatMap((v) => (v.sku === undefined ? [] : [v.sku])));
    const stock = new Map((await this.store.getStock(skus)).map((level) => [level.sku, level]));
    await Promise.all(
      this.clients.map(async (client) => {
        const prices: PendingPrice[] = [];
        run.adoption.get(client)?.beginPage(products.map(adoptionCandidate));
        await mapLimit(products, this.concurrency, async (product) => {
          try {
            await this.syncListing(run, client, product, stock, prices);
          } catch (error) {
            this.fail(run, failureOf(client, product.sku, stageOf(error), error));
          }
          run.done += 1;
          this.emitSafe('progress', {
            runId: run.runId,
            kind: 'products',
            done: run.done,
            total: run.summary.total,
          });
        });
        for (const batch of chunk(prices, client.capabilities.maxBatch.updatePrices)) {
          await this.pushPrices(run, client, batch);
        }
      }),
    );
  }

  private async syncListing(
    run: RunState,
    client: MarketplaceClient,
    catalogProduct: Product,
    stock: ReadonlyMap<string, StockLevel>,
    prices: PendingPrice[],
  ): Promise<void> {
    const key: ListingKey = {
      marketplace: client.marketplace,
      accountId: client.accountId,
      sku: catalogProduct.sku,
    };
    const prepared = await this.prepareFor(client, catalogProduct, stock);
    const issues = client.validateProduct(prepared.product);
    if (issues.length > 0) {
      throw new StageError(
        'validate',
        new ValidationError(`Product ${catalogProduct.sku} is not valid for ${client.marketplace}`, issues, {
          marketplace: client.marketplace,
        }),
      );
    }
    const hash = await contentHash(listingContent(prepared));
    const actions: ListingAction[] = [];
    let listing = await this.store.getListing(key);
    if (!listing || listing.state === 'creating') {
      const adoption = run.adoption.get(client);
      const result = await this.createOrAdopt(client, key, prepared, hash, stock, listing, adoption);
      listing = result.listing;
      if (result.action) {
        actions.push(result.action);
        run.summary[result.action] += 1;
      }
    }
    const externalId = listing.productExternalId!;
    if (listing.contentHash !== hash) {
      listing = await this.updateContent(client, key, listing, prepared, hash);
      actions.push('updated');
      run.summary.updated += 1;
    }
    const desiredStatus = prepared.product.status;
    // A listing whose marketplace status is unknown (adopted from a payload without a readable
    // status) is left as it is: "fixing" it could re-activate a live product, which on TikTok
    // Shop sends it back to audit. Its status stays unknown in the store until it is known.
    if (desiredStatus !== 'unknown' && listing.status !== 'unknown' && listing.status !== desiredStatus) {
      await stageOr('status', () => client.setProductStatus(externalId, desiredStatus));
      listing =
        (await stageOr('store', () =>
          this.store.updateListing(key, { status: prepared.product.status }, this.runtime.clock()),
        )) ?? listing;
      actions.push('status');
      run.summary.statusChanged += 1;
    }
    this.queuePushes(run, client, listing, prepared.product, stock, prices);
    if (actions.length === 0) {
      actions.push('unchanged');
      run.summary.unchanged += 1;
    }
    this.emitSafe('item.synced', {
      runId: run.runId,
      marketplace: client.marketplace,
      accountId: client.accountId,
      sku: key.sku,
      productExternalId: externalId,
      actions,
    });
  }

  private async prepareFor(
    client: MarketplaceClient,
    catalogProduct: Product,
    stock: ReadonlyMap<string, StockLevel>,
  ): Promise<Prepared> {
    withSkus(catalogProduct, 'validate');
    const prepared = await stageOr('prepare', async () =>
      this.prepare(structuredClone(catalogProduct), client),
    );
    const variants = withSkus(prepared.product, 'prepare').variants.map((variant) => ({
      ...variant,
      quantity: publishedStock(
        stock.get(variant.sku)?.quantity ?? 0,
        { marketplace: client.marketplace, accountId: client.accountId, sku: variant.sku },
        this.buffer,
      ),
    }));
    const product: CatalogProduct = {
      ...prepared.product,
      variants,
      quantity: variants.reduce((sum, v) => sum + v.quantity, 0),
    };
    return prepared.options ? { product, options: prepared.options } : { product };
  }

  /**
   * Claims the create (the intent is stored before anything is sent), searches the marketplace
   * by SKU when the listing may already exist, and either adopts what it finds or creates.
   */
  private async createOrAdopt(
    client: MarketplaceClient,
    key: ListingKey,
    prepared: Prepared,
    hash: string,
    stock: ReadonlyMap<string, StockLevel>,
    existing: Listing | undefined,
    adoption: AdoptionIndex | undefined,
  ): Promise<{ listing: Listing; action?: 'created' | 'adopted' }> {
    const now = this.runtime.clock();
    const intentId = newId();
    const claim = await stageOr('store', () =>
      this.store.claimListingCreate({ ...key, intentId, now, staleBefore: now - this.createIntentTimeoutMs }),
    );
    if (!claim.claimed) {
      // Another worker completed it meanwhile: go on as with any active listing.
      if (claim.listing.state === 'active') return { listing: claim.listing };
      throw new StageError(
        'create',
        new Error(
          `a create started at ${new Date(claim.listing.intent?.startedAt ?? now).toISOString()} has no known outcome yet; ` +
            'the SKU will be searched on the marketplace once the intent times out',
        ),
      );
    }
    const mayExist = this.adoptExisting || claim.takenOver !== undefined || existing !== undefined;
    if (mayExist) {
      let found: ExistingListing | undefined;
      try {
        // After a create of unknown outcome, a fresh search: a catalogue read made earlier in
        // the run cannot hold what that create made.
        found =
          claim.takenOver !== undefined || existing !== undefined || !adoption
            ? await findExisting(client, prepared.product)
            : await adoption.find(prepared.product);
      } catch (error) {
        // Nothing was sent under this intent: drop it unless an earlier create may have happened.
        if (!claim.takenOver) await this.store.abandonListingCreate({ ...key, intentId }).catch(() => false);
        throw new StageError('lookup', error);
      }
      if (found?.externalId) {
        const listing = await this.complete(
          key,
          found.externalId,
          undefined,
          found.status,
          variantsOf(found, prepared.product),
          now,
        );
        return { listing, action: 'adopted' };
      }
    }
    let created: Product;
    try {
      created = await client.createProduct(prepared.product, prepared.options);
    } catch (error) {
      if (!isOutcomeUnknown(error))
        await this.store.abandonListingCreate({ ...key, intentId }).catch(() => false);
      throw new StageError('create', error);
    }
    if (!created.externalId) {
      throw new StageError(
        'create',
        new Error(`${client.marketplace} returned no id for the created product`),
      );
    }
    const variants = variantsOf(created, prepared.product).map((variant): ListingVariant => {
      const sent = prepared.product.variants.find((v) => v.sku === variant.sku);
      const level = stock.get(variant.sku);
      return {
        ...variant,
        pushedPrice: sent?.price,
        ...(sent && level ? { pushedQuantity: sent.quantity, pushedStockVersion: level.version } : {}),
      };
    });
    const listing = await this.complete(
      key,
      created.externalId,
      hash,
      prepared.product.status,
      variants,
      this.runtime.clock(),
    );
    return { listing, action: 'created' };
  }

  private async complete(
    key: ListingKey,
    productExternalId: string,
    hash: string | undefined,
    status: Product['status'],
    variants: ListingVariant[],
    now: number,
  ): Promise<Listing> {
    const completion = await stageOr('store', () =>
      this.store.completeListingCreate({
        ...key,
        productExternalId,
        contentHash: hash,
        status,
        variants,
        now,
      }),
    );
    if (!completion.ok) {
      throw new StageError(
        'duplicate',
        new Error(
          `listing ${productExternalId} duplicates ${completion.listing.productExternalId} already stored for SKU ${key.sku}; remove one on the marketplace`,
        ),
      );
    }
    return completion.listing;
  }

  private async updateContent(
    client: MarketplaceClient,
    key: ListingKey,
    listing: Listing,
    prepared: Prepared,
    hash: string,
  ): Promise<Listing> {
    const updated = await stageOr('update', () =>
      client.updateProduct(listing.productExternalId!, prepared.product, prepared.options),
    );
    const variants = variantsOf(updated, prepared.product);
    const now = this.runtime.clock();
    const patched = await stageOr('store', () =>
      this.store.updateListing(key, { contentHash: hash, variants }, now),
    );
    // The update carried the variants' prices (see MarketplaceClient.updateProduct).
    const pushes: ListingPush[] = prepared.product.variants.map((v) => ({
      ...key,
      variantSku: v.sku,
      price: v.price,
    }));
    await stageOr('store', () => this.store.recordPushes(pushes, now));
    const after = (await stageOr('store', () => this.store.getListing(key))) ?? patched;
    if (!after) throw new StageError('store', new Error(`listing ${key.sku} vanished during its update`));
    return after;
  }

  private queuePushes(
    run: RunState,
    client: MarketplaceClient,
    listing: Listing,
    product: CatalogProduct,
    stock: ReadonlyMap<string, StockLevel>,
    prices: PendingPrice[],
  ): void {
    for (const variant of product.variants) {
      const recorded = listing.variants.find((v) => v.sku === variant.sku);
      const base = {
        productExternalId: listing.productExternalId!,
        variantExternalId: recorded?.externalId,
        sku: variant.sku,
      };
      if (!recorded?.pushedPrice || !moneyEquals(recorded.pushedPrice, variant.price)) {
        prices.push({ update: { ...base, price: variant.price }, listing });
      }
      const level = stock.get(variant.sku);
      // A changed buffer leaves the version current but the published value wrong.
      if (
        level &&
        recorded?.pushedStockVersion === level.version &&
        recorded.pushedQuantity !== variant.quantity
      ) {
        run.stockExtras.get(client)?.push({
          marketplace: client.marketplace,
          accountId: client.accountId,
          sku: listing.sku,
          variantSku: variant.sku,
          productExternalId: base.productExternalId,
          variantExternalId: base.variantExternalId,
          stock: level,
          pushedQuantity: recorded.pushedQuantity,
          pushedStockVersion: recorded.pushedStockVersion,
        });
      }
    }
  }

  private async pushPrices(
    run: RunState,
    client: MarketplaceClient,
    batch: readonly PendingPrice[],
  ): Promise<void> {
    let accepted: PendingPrice[];
    try {
      const result = await client.updatePrices(batch.map((p) => p.update));
      const refused = new Set(result.failed.map((f) => f.item));
      for (const failure of result.failed) {
        this.fail(
          run,
          failureOf(client, failure.item.sku ?? failure.item.productExternalId, 'price', failure.error),
        );
      }
      accepted = batch.filter(
        (p) =>
          !refused.has(p.update) &&
          !result.failed.some(
            (f) => f.item.productExternalId === p.update.productExternalId && f.item.sku === p.update.sku,
          ),
      );
    } catch (error) {
      for (const p of batch) this.fail(run, failureOf(client, p.update.sku ?? p.listing.sku, 'price', error));
      return;
    }
    const pushes: ListingPush[] = accepted.map((p) => ({
      marketplace: client.marketplace,
      accountId: client.accountId,
      sku: p.listing.sku,
      variantSku: p.update.sku ?? p.listing.sku,
      price: p.update.price,
    }));
    try {
      await this.store.recordPushes(pushes, this.runtime.clock());
      run.summary.pricesPushed += accepted.length;
    } catch (error) {
      for (const p of accepted)
        this.fail(run, failureOf(client, p.update.sku ?? p.listing.sku, 'store', error));
    }
  }

  private async pushStock(run: RunState, client: MarketplaceClient): Promise<void> {
    try {
      const outcome = await pushAccountStock(
        {
          store: this.store,
          client,
          buffer: this.buffer,
          clock: this.runtime.clock,
          owner: this.runtime.owner,
          leaseTtlMs: this.leaseTtlMs,
          writeMaxMs: this.stockWriteMaxMs,
          readBackDelayMs: this.readBackDelayMs,
          timers: this.runtime.timers,
          onPushed: ({ item, quantity }) =>
            this.emitSafe('stock.pushed', {
              marketplace: client.marketplace,
              accountId: client.accountId,
              sku: item.sku,
              variantSku: item.variantSku,
              quantity,
              stock: item.stock.quantity,
              version: item.stock.version,
            }),
        },
        run.stockExtras.get(client) ?? [],
      );
      run.summary.stockPushed += outcome.pushed.length;
      for (const failure of outcome.failed) this.fail(run, failure);
    } catch (error) {
      this.fail(run, { ...failureOf(client, undefined, 'stock', error) });
    }
  }

  private fail(run: RunState, failure: SyncFailure): void {
    run.summary.failed.push(failure);
    this.emitSafe('item.failed', { ...failure, runId: run.runId, kind: 'products' });
  }
}

interface RunState {
  runId: string;
  summary: ProductSyncSummary;
  done: number;
  stockExtras: Map<MarketplaceClient, StockToPush[]>;
  /** The run's listing lookups per account (see `adoptionLookup`). */
  adoption: Map<MarketplaceClient, AdoptionIndex>;
}

interface PendingPrice {
  update: PriceUpdate;
  listing: Listing;
}

/** An error tagged with the step it came from, for the report. */
class StageError extends Error {
  constructor(
    readonly stage: string,
    override readonly cause: unknown,
  ) {
    super(describeError(cause));
  }
}

async function stageOr<T>(stage: string, step: () => Promise<T>): Promise<T> {
  try {
    return await step();
  } catch (error) {
    throw error instanceof StageError ? error : new StageError(stage, error);
  }
}

function stageOf(error: unknown): string {
  return error instanceof StageError ? error.stage : 'sync';
}

function failureOf(
  client: MarketplaceClient,
  sku: string | undefined,
  stage: string,
  error: unknown,
): SyncFailure {
  const cause = error instanceof StageError ? error.cause : error;
  return {
    marketplace: client.marketplace,
    accountId: client.accountId,
    sku,
    stage: error instanceof StageError ? error.stage : stage,
    reason: describeError(cause),
    retryable: isRetryable(cause),
    error: cause,
  };
}

/**
 * The part of a prepared listing whose change needs a content update: everything but price,
 * stock, status, ids, timestamps and the raw payload (prices and stock go through their batch
 * endpoints, status through its own call).
 */
export function listingContent(prepared: PreparedListing): unknown {
  const {
    price: _price,
    quantity: _quantity,
    status: _status,
    externalId: _externalId,
    marketplace: _marketplace,
    accountId: _accountId,
    rawStatus: _rawStatus,
    createdAt: _createdAt,
    updatedAt: _updatedAt,
    raw: _raw,
    variants,
    ...content
  } = prepared.product;
  return {
    ...content,
    variants: variants.map(({ price: _p, quantity: _q, externalId: _e, ...variant }) => variant),
    options: prepared.options,
  };
}

/** A product's SKUs for a page search (a variant without a SKU fails later, on its own). */
function adoptionCandidate(product: Product): AdoptionCandidate {
  return {
    sku: product.sku,
    variants: product.variants.flatMap((variant) =>
      variant.sku === undefined ? [] : [{ sku: variant.sku }],
    ),
  };
}

/** The listing's variants: the catalog's SKUs with the marketplace's variant ids. */
function variantsOf(
  remote: ExistingListing,
  product: CatalogProduct,
): { sku: string; externalId?: string | undefined }[] {
  return product.variants.map((variant) => {
    const match =
      remote.variants.find((v) => v.sku === variant.sku) ??
      (product.variants.length === 1 && remote.variants.length === 1 ? remote.variants[0] : undefined);
    return match?.externalId ? { sku: variant.sku, externalId: match.externalId } : { sku: variant.sku };
  });
}
