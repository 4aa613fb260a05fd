import {
  type BatchResult,
  type FieldIssue,
  type FulfillmentInput,
  type Instant,
  type ListOrdersOptions,
  type ListProductsOptions,
  type MarketplaceCapabilities,
  type MarketplaceClient,
  type MlhEvent,
  type Money,
  money,
  multiplyMoney,
  NotFoundError,
  type Order,
  type OrderStatus,
  type PriceUpdate,
  type Product,
  type ProductStatus,
  ServerError,
  type Shipment,
  type StockUpdate,
  sumMoney,
  TimeoutError,
  ValidationError,
} from '@mlh/core';

/** A clock the whole test world shares. */
export class FakeClock {
  constructor(public current = Date.UTC(2026, 0, 10, 12)) {}
  now = (): number => this.current;
  advance(ms: number): void {
    this.current += ms;
  }
}

/** Which calls of the client change something on the marketplace. */
export const WRITE_OPERATIONS = new Set([
  'createProduct',
  'updateProduct',
  'setProductStatus',
  'updateInventory',
  'updatePrices',
  'fulfillOrder',
  'cancelOrder',
]);

/**
 * A fault for the next matching call: `5xx` fails before doing anything, `timeout` too (the
 * caller cannot know), `lost-response` does the work and then times out, `delayed` times out
 * while the marketplace keeps the write and applies it when the test calls `landDelayed()`.
 */
export type FaultKind = '5xx' | 'timeout' | 'lost-response' | 'delayed';

interface Fault {
  operation: string;
  kind: FaultKind;
  remaining: number;
}

/** Describes one fake marketplace. */
export interface FakeMarketplaceSpec {
  marketplace: string;
  accountId: string;
  orderWebhooks: boolean;
  orderPollIntervalMs: number;
  missedEventRecovery: boolean;
  maxBatch: MarketplaceCapabilities['maxBatch'];
  /** Longest title the marketplace accepts. */
  titleMax: number;
  /** Whether order lines carry the seller SKU (otherwise only the listing's ids). */
  orderLinesCarrySku: boolean;
}

/** The three marketplaces of the tests, shaped like Mercado Livre, Shopee and TikTok Shop. */
export const SPECS: readonly FakeMarketplaceSpec[] = [
  {
    marketplace: 'meli',
    accountId: 'meli-seller-1',
    orderWebhooks: true,
    orderPollIntervalMs: 60 * 60_000,
    missedEventRecovery: true,
    maxBatch: { getProducts: 20, getOrders: 50, updateInventory: 2, updatePrices: 2 },
    titleMax: 60,
    orderLinesCarrySku: true,
  },
  {
    marketplace: 'shopee',
    accountId: 'shopee-shop-1',
    orderWebhooks: false,
    orderPollIntervalMs: 5 * 60_000,
    missedEventRecovery: false,
    maxBatch: { getProducts: 50, getOrders: 50, updateInventory: 3, updatePrices: 3 },
    titleMax: 120,
    orderLinesCarrySku: true,
  },
  {
    marketplace: 'tiktok',
    accountId: 'tiktok-shop-1',
    orderWebhooks: true,
    orderPollIntervalMs: 60 * 60_000,
    missedEventRecovery: false,
    maxBatch: { getProducts: 50, getOrders: 50, updateInventory: 4, updatePrices: 4 },
    titleMax: 255,
    orderLinesCarrySku: false,
  },
];

/** One recorded client call. */
export interface FakeCall {
  operation: string;
  args: unknown[];
}

/**
 * A stateful, in-memory marketplace with one seller account, and a {@link MarketplaceClient} over
 * it that honours the contract: normalized models, batch results, NotFoundError for unknown ids,
 * validation before a write, orders that hold the marketplace's own stock, and notifications.
 */
export class FakeMarketplace {
  readonly products = new Map<string, Product>();
  /** Every version of every order, oldest first. */
  readonly orderVersions = new Map<string, Order[]>();
  readonly calls: FakeCall[] = [];
  /** Notifications sent, in order. */
  readonly events: MlhEvent[] = [];
  /** Notifications the marketplace failed to deliver (for `recoverMissedEvents`). */
  readonly undelivered: MlhEvent[] = [];
  private readonly faults: Fault[] = [];
  private readonly delayed: (() => unknown)[] = [];
  private readonly holds: { operation: string; until: Promise<void> }[] = [];
  private readonly staleReads = new Map<string, number>();
  private readonly shipments = new Map<string, Shipment>();
  private sequence = 0;
  private lastStamp = 0;

  constructor(
    readonly spec: FakeMarketplaceSpec,
    readonly clock: FakeClock,
  ) {}

  /** An independent copy of this marketplace's state (listings, orders, notifications) on `clock`. */
  clone(clock: FakeClock): FakeMarketplace {
    const copy = new FakeMarketplace(this.spec, clock);
    for (const [id, product] of this.products) copy.products.set(id, structuredClone(product));
    for (const [id, versions] of this.orderVersions) copy.orderVersions.set(id, structuredClone(versions));
    copy.events.push(...structuredClone(this.events));
    copy.undelivered.push(...structuredClone(this.undelivered));
    copy.sequence = this.sequence;
    copy.lastStamp = this.lastStamp;
    return copy;
  }

  /** Makes the next `times` calls of `operation` fail with `kind`. */
  inject(operation: keyof MarketplaceClient, kind: FaultKind, times = 1): void {
    this.faults.push({ operation, kind, remaining: times });
  }

  /** Applies the writes that `delayed` faults held back, in the order they arrived; returns how many. */
  landDelayed(): number {
    const held = this.delayed.splice(0);
    for (const work of held) work();
    return held.length;
  }

  /**
   * Makes the next call of `operation` hang, before it takes effect, until the returned function
   * is called: a slow request in flight.
   */
  hold(operation: keyof MarketplaceClient): () => void {
    let release!: () => void;
    this.holds.push({ operation, until: new Promise<void>((resolve) => (release = resolve)) });
    return () => release();
  }

  /** The marketplace is healthy again: pending faults are dropped. */
  clearFaults(): void {
    this.faults.length = 0;
  }

  /** The next `times` reads of this order return its previous version (a lagging replica). */
  serveStaleOrder(orderId: string, times = 1): void {
    this.staleReads.set(orderId, times);
  }

  /** Calls that changed (or tried to change) something. */
  writes(): FakeCall[] {
    return this.calls.filter((c) => WRITE_OPERATIONS.has(c.operation));
  }

  /** Listings carrying this SKU (product or variant). */
  listingsWithSku(sku: string): Product[] {
    return [...this.products.values()].filter((p) => p.sku === sku || p.variants.some((v) => v.sku === sku));
  }

  /** The marketplace's stock of a variant SKU across its listings (one listing expected). */
  stockOf(sku: string): number | undefined {
    const [listing] = this.listingsWithSku(sku);
    return listing?.variants.find((v) => v.sku === sku)?.quantity;
  }

  priceOf(sku: string): Money | undefined {
    const [listing] = this.listingsWithSku(sku);
    return listing?.variants.find((v) => v.sku === sku)?.price;
  }

  /**
   * A buyer orders: the marketplace takes the units from its own stock and notifies. Returns the
   * order and its notification (`deliver: false` loses the notification).
   */
  placeOrder(
    lines: readonly { sku: string; quantity: number }[],
    options: { status?: OrderStatus; deliver?: boolean } = {},
  ): { order: Order; event: MlhEvent } {
    const id = `${this.spec.marketplace}-order-${++this.sequence}`;
    const stamp = this.stamp();
    const items = lines.map((line) => {
      const listing = this.listingsWithSku(line.sku)[0];
      const variant = listing?.variants.find((v) => v.sku === line.sku);
      if (!listing?.externalId || !variant)
        throw new Error(`${this.spec.marketplace} has no listing of ${line.sku}`);
      variant.quantity = Math.max(0, variant.quantity - line.quantity);
      listing.quantity = listing.variants.reduce((sum, v) => sum + v.quantity, 0);
      return {
        externalId: `${id}-line-${line.sku}`,
        productExternalId: listing.externalId,
        ...(variant.externalId ? { variantExternalId: variant.externalId } : {}),
        ...(this.spec.orderLinesCarrySku ? { sku: line.sku } : {}),
        title: listing.title,
        quantity: line.quantity,
        unitPrice: variant.price,
        total: multiplyMoney(variant.price, line.quantity),
      };
    });
    const subtotal = sumMoney(
      items.map((i) => i.total),
      'BRL',
    );
    const order: Order = {
      externalId: id,
      marketplace: this.spec.marketplace,
      accountId: this.spec.accountId,
      buyer: { nickname: 'buyer' },
      items,
      currency: 'BRL',
      subtotal,
      shippingCost: money('0', 'BRL'),
      tax: money('0', 'BRL'),
      total: subtotal,
      status: options.status ?? 'paid',
      rawStatus: (options.status ?? 'paid').toUpperCase(),
      paymentStatus: 'paid',
      shipmentIds: [],
      createdAt: stamp,
      updatedAt: stamp,
    };
    this.orderVersions.set(id, [order]);
    return { order, event: this.notify(order, 'order.created', options.deliver ?? true) };
  }

  /** The order moves on (shipped, cancelled, ...); a cancellation gives the units back. */
  changeOrder(
    id: string,
    status: OrderStatus,
    options: { deliver?: boolean } = {},
  ): { order: Order; event: MlhEvent } {
    const versions = this.orderVersions.get(id);
    const current = versions?.at(-1);
    if (!versions || !current) throw new Error(`no order ${id}`);
    if (status === 'cancelled' && current.status !== 'cancelled') {
      for (const item of current.items) {
        const listing = this.products.get(item.productExternalId);
        const variant = listing?.variants.find((v) =>
          item.variantExternalId ? v.externalId === item.variantExternalId : true,
        );
        if (listing && variant) {
          variant.quantity += item.quantity;
          listing.quantity = listing.variants.reduce((sum, v) => sum + v.quantity, 0);
        }
      }
    }
    const stamp = this.stamp();
    const next: Order = {
      ...current,
      status,
      rawStatus: status.toUpperCase(),
      updatedAt: stamp,
      ...(status === 'cancelled' ? { cancelledAt: stamp } : {}),
    };
    versions.push(next);
    return {
      order: next,
      event: this.notify(
        next,
        status === 'cancelled' ? 'order.cancelled' : 'order.updated',
        options.deliver ?? true,
      ),
    };
  }

  currentOrder(id: string): Order | undefined {
    return this.orderVersions.get(id)?.at(-1);
  }

  /** The {@link MarketplaceClient} of this account. */
  client(): MarketplaceClient {
    const capabilities: MarketplaceCapabilities = {
      marketplace: this.spec.marketplace,
      orderWebhooks: this.spec.orderWebhooks,
      orderPollIntervalMs: this.spec.orderPollIntervalMs,
      missedEventRecovery: this.spec.missedEventRecovery,
      variants: true,
      maxBatch: this.spec.maxBatch,
      cancelOrder: true,
      sellerFulfillment: true,
      productStatuses: ['active', 'inactive', 'paused'],
    };
    const client: MarketplaceClient = {
      marketplace: this.spec.marketplace,
      accountId: this.spec.accountId,
      capabilities,
      validateProduct: (product) => this.validate(product),
      listProducts: (options) => this.listProducts(options),
      getProduct: (id) => this.call('getProduct', [id], () => this.product(id)),
      getProducts: (ids) =>
        this.call('getProducts', [ids], () =>
          ids.flatMap((id) => (this.products.has(id) ? [this.product(id)] : [])),
        ),
      findProductsBySku: (sku) =>
        this.call('findProductsBySku', [sku], () => this.listingsWithSku(sku).map((p) => structuredClone(p))),
      createProduct: (product) => this.call('createProduct', [product], () => this.create(product)),
      updateProduct: (id, product) =>
        this.call('updateProduct', [id, product], () => this.update(id, product)),
      setProductStatus: (id, status) =>
        this.call('setProductStatus', [id, status], () => this.setStatus(id, status)),
      updateInventory: (updates) => this.call('updateInventory', [updates], () => this.setStock(updates)),
      updatePrices: (updates) => this.call('updatePrices', [updates], () => this.setPrices(updates)),
      listOrders: (options) => this.listOrders(options),
      getOrder: (id) => this.call('getOrder', [id], () => this.readOrder(id)),
      getOrders: (ids) =>
        this.call('getOrders', [ids], () =>
          ids.flatMap((id) => (this.orderVersions.has(id) ? [this.readOrder(id)] : [])),
        ),
      fulfillOrder: (id, input) => this.call('fulfillOrder', [id, input], () => this.fulfill(id, input)),
      getShipment: (id) =>
        this.call('getShipment', [id], () => {
          const shipment = this.shipments.get(id);
          if (!shipment)
            throw new NotFoundError(`shipment ${id} not found`, {
              marketplace: this.spec.marketplace,
              status: 404,
            });
          return structuredClone(shipment);
        }),
      cancelOrder: (id) =>
        this.call('cancelOrder', [id], () => {
          this.changeOrder(id, 'cancelled');
        }),
      request: (request) =>
        this.call('request', [request], () => {
          throw new NotFoundError(`the fake has no raw endpoint ${request.path}`, {
            marketplace: this.spec.marketplace,
            status: 404,
          });
        }),
    };
    if (this.spec.missedEventRecovery) {
      client.recoverMissedEvents = (options) => this.recoverMissed(options?.since);
    }
    return client;
  }

  private async call<T>(operation: string, args: unknown[], work: () => T): Promise<T> {
    await Promise.resolve();
    this.calls.push({ operation, args: structuredClone(args) });
    const holdIndex = this.holds.findIndex((h) => h.operation === operation);
    if (holdIndex >= 0) await this.holds.splice(holdIndex, 1)[0]?.until;
    const faultIndex = this.faults.findIndex((f) => f.operation === operation && f.remaining > 0);
    const fault = faultIndex >= 0 ? this.faults[faultIndex] : undefined;
    if (fault) {
      fault.remaining -= 1;
      if (fault.remaining === 0) this.faults.splice(faultIndex, 1);
      const options = { marketplace: this.spec.marketplace };
      if (fault.kind === '5xx')
        throw new ServerError(`${operation}: 503 Service Unavailable`, { ...options, status: 503 });
      if (fault.kind === 'timeout') throw new TimeoutError(`${operation}: timed out`, options);
      if (fault.kind === 'delayed') {
        this.delayed.push(work);
        throw new TimeoutError(`${operation}: timed out while the marketplace still held it`, options);
      }
      work();
      throw new TimeoutError(`${operation}: timed out after the marketplace applied it`, options);
    }
    return work();
  }

  private validate(product: Product): FieldIssue[] {
    const issues: FieldIssue[] = [];
    if (product.title.length > this.spec.titleMax) {
      issues.push({
        path: 'title',
        message: `at most ${this.spec.titleMax} characters on ${this.spec.marketplace}`,
      });
    }
    if (product.images.length === 0)
      issues.push({ path: 'images', message: 'at least one image is required' });
    product.variants.forEach((v, i) => {
      if (v.quantity < 0) issues.push({ path: `variants.${i}.quantity`, message: 'must not be negative' });
    });
    return issues;
  }

  private product(id: string): Product {
    const product = this.products.get(id);
    if (!product)
      throw new NotFoundError(`product ${id} not found`, { marketplace: this.spec.marketplace, status: 404 });
    return structuredClone(product);
  }

  private create(input: Product): Product {
    const issues = this.validate(input);
    if (issues.length > 0)
      throw new ValidationError('Rejected by the marketplace', issues, {
        marketplace: this.spec.marketplace,
        status: 400,
      });
    const externalId = `${this.spec.marketplace.toUpperCase()}-P${++this.sequence}`;
    const stamp = this.stamp();
    const product: Product = {
      ...structuredClone(input),
      externalId,
      marketplace: this.spec.marketplace,
      accountId: this.spec.accountId,
      variants: input.variants.map((v) => ({
        ...structuredClone(v),
        externalId: `${externalId}-V${++this.sequence}`,
      })),
      createdAt: stamp,
      updatedAt: stamp,
    };
    this.products.set(externalId, product);
    return structuredClone(product);
  }

  private update(id: string, input: Product): Product {
    const existing = this.products.get(id);
    if (!existing)
      throw new NotFoundError(`product ${id} not found`, { marketplace: this.spec.marketplace, status: 404 });
    const issues = this.validate(input);
    if (issues.length > 0)
      throw new ValidationError('Rejected by the marketplace', issues, {
        marketplace: this.spec.marketplace,
        status: 400,
      });
    // Content and prices change; the stock of existing variants is the marketplace's own.
    const variants = input.variants.map((v) => {
      const before = existing.variants.find((e) => e.sku === v.sku);
      return before
        ? { ...structuredClone(v), externalId: before.externalId, quantity: before.quantity }
        : { ...structuredClone(v), externalId: `${id}-V${++this.sequence}` };
    });
    const updated: Product = {
      ...structuredClone(input),
      externalId: id,
      marketplace: this.spec.marketplace,
      accountId: this.spec.accountId,
      status: existing.status,
      variants,
      quantity: variants.reduce((sum, v) => sum + v.quantity, 0),
      createdAt: existing.createdAt,
      updatedAt: this.stamp(),
    } as Product;
    this.products.set(id, updated);
    return structuredClone(updated);
  }

  private setStatus(id: string, status: ProductStatus): void {
    const product = this.products.get(id);
    if (!product)
      throw new NotFoundError(`product ${id} not found`, { marketplace: this.spec.marketplace, status: 404 });
    product.status = status;
  }

  private setStock(updates: readonly StockUpdate[]): BatchResult<StockUpdate> {
    const result: BatchResult<StockUpdate> = { succeeded: [], failed: [] };
    for (const update of updates) {
      const variant = this.variantOf(update);
      if (!variant) {
        result.failed.push({
          item: update,
          error: new NotFoundError('no such listing', { marketplace: this.spec.marketplace }),
        });
      } else if (!Number.isInteger(update.quantity) || update.quantity < 0) {
        result.failed.push({
          item: update,
          error: new ValidationError('Invalid stock', [
            { path: 'quantity', message: 'must be a whole number ≥ 0' },
          ]),
        });
      } else {
        variant.variant.quantity = update.quantity;
        variant.product.quantity = variant.product.variants.reduce((sum, v) => sum + v.quantity, 0);
        result.succeeded.push(update);
      }
    }
    return result;
  }

  private setPrices(updates: readonly PriceUpdate[]): BatchResult<PriceUpdate> {
    const result: BatchResult<PriceUpdate> = { succeeded: [], failed: [] };
    for (const update of updates) {
      const variant = this.variantOf(update);
      if (!variant) {
        result.failed.push({
          item: update,
          error: new NotFoundError('no such listing', { marketplace: this.spec.marketplace }),
        });
      } else {
        variant.variant.price = { ...update.price };
        result.succeeded.push(update);
      }
    }
    return result;
  }

  private variantOf(update: {
    productExternalId: string;
    variantExternalId?: string | undefined;
    sku?: string | undefined;
  }) {
    const product = this.products.get(update.productExternalId);
    const variant = product?.variants.find((v) =>
      update.variantExternalId
        ? v.externalId === update.variantExternalId
        : v.sku === update.sku || product.variants.length === 1,
    );
    return product && variant ? { product, variant } : undefined;
  }

  private async *listProducts(options: ListProductsOptions = {}): AsyncGenerator<Product> {
    await this.call('listProducts', [options], () => undefined);
    const statuses =
      options.status === undefined ? undefined : ([] as ProductStatus[]).concat(options.status);
    for (const product of [...this.products.values()]) {
      if (!statuses || statuses.includes(product.status)) yield structuredClone(product);
    }
  }

  private async *listOrders(options: ListOrdersOptions = {}): AsyncGenerator<Order> {
    const since = options.since === undefined ? -Infinity : toMs(options.since);
    const until = options.until === undefined ? Infinity : toMs(options.until);
    const field = options.by === 'created' ? 'createdAt' : 'updatedAt';
    const pageSize = options.pageSize ?? 2;
    const matching = [...this.orderVersions.values()]
      .map((versions) => versions.at(-1)!)
      .filter((o) => {
        const at = Date.parse(o[field]);
        return at >= since && at <= until;
      })
      .sort((a, b) => Date.parse(a[field]) - Date.parse(b[field]));
    for (let offset = 0; offset < matching.length || offset === 0; offset += pageSize) {
      const page = await this.call('listOrders', [{ ...options, offset }], () =>
        matching.slice(offset, offset + pageSize),
      );
      for (const order of page) yield structuredClone(order);
      if (page.length < pageSize) break;
    }
  }

  private readOrder(id: string): Order {
    const versions = this.orderVersions.get(id);
    if (!versions)
      throw new NotFoundError(`order ${id} not found`, { marketplace: this.spec.marketplace, status: 404 });
    const stale = this.staleReads.get(id) ?? 0;
    if (stale > 0 && versions.length > 1) {
      this.staleReads.set(id, stale - 1);
      return structuredClone(versions.at(-2)!);
    }
    return structuredClone(versions.at(-1)!);
  }

  private fulfill(id: string, input: FulfillmentInput): Shipment {
    this.readOrder(id);
    const shipment: Shipment = {
      externalId: `${id}-shipment`,
      marketplace: this.spec.marketplace,
      accountId: this.spec.accountId,
      orderIds: [id],
      status: 'shipped',
      rawStatus: 'SHIPPED',
      mode: 'seller',
      ...(input.carrier ? { carrier: input.carrier } : {}),
      ...(input.trackingNumber ? { trackingNumber: input.trackingNumber } : {}),
    };
    this.shipments.set(shipment.externalId, shipment);
    this.changeOrder(id, 'shipped');
    return structuredClone(shipment);
  }

  private async *recoverMissed(since: Instant | undefined): AsyncGenerator<MlhEvent> {
    const from = since === undefined ? -Infinity : toMs(since);
    const events = await this.call('recoverMissedEvents', [since], () =>
      this.undelivered.filter((e) => Date.parse(e.occurredAt) >= from),
    );
    for (const event of events) yield structuredClone(event);
  }

  private notify(
    order: Order,
    type: 'order.created' | 'order.updated' | 'order.cancelled',
    deliver: boolean,
  ): MlhEvent {
    const event: MlhEvent = {
      type,
      marketplace: this.spec.marketplace,
      accountId: this.spec.accountId,
      resourceType: 'order',
      resourceId: order.externalId,
      occurredAt: order.updatedAt,
      dedupeKey: `${this.spec.marketplace}-notification-${++this.sequence}`,
      topic: 'orders',
      status: order.rawStatus,
      raw: { resource: order.externalId },
    };
    (deliver ? this.events : this.undelivered).push(event);
    return event;
  }

  /** The shared clock's time, moved on a second when nothing else moved it, so versions are ordered. */
  private stamp(): string {
    if (this.clock.now() <= this.lastStamp) this.clock.advance(this.lastStamp + 1_000 - this.clock.now());
    this.lastStamp = this.clock.now();
    return new Date(this.lastStamp).toISOString();
  }
}

function toMs(instant: Instant): number {
  return instant instanceof Date
    ? instant.getTime()
    : typeof instant === 'number'
      ? instant
      : Date.parse(instant);
}

/** The three fake marketplaces on one clock. */
export function fakeMarketplaces(clock: FakeClock): FakeMarketplace[] {
  return SPECS.map((spec) => new FakeMarketplace(spec, clock));
}
