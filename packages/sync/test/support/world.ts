import { type MarketplaceClient, money, normalizeProduct, type Product } from '@mlh/core';
import {
  createMemorySyncStore,
  InventorySync,
  type InventorySyncOptions,
  type MemorySyncStore,
  OrderSync,
  type OrderSyncOptions,
  ProductSync,
  type ProductSyncOptions,
  type SyncStore,
  type SyncTimers,
} from '../../src/index';
import { FakeClock, type FakeMarketplace, fakeMarketplaces } from './fake-marketplace';

/** Timers that fire only when the test says so. */
export class ManualTimers implements SyncTimers {
  private readonly pending = new Map<number, { at: number; callback: () => void }>();
  private readonly settlers: (() => Promise<unknown>)[] = [];
  private nextHandle = 1;

  constructor(private readonly clock: FakeClock) {}

  setTimeout(callback: () => void, ms: number): unknown {
    const handle = this.nextHandle++;
    this.pending.set(handle, { at: this.clock.now() + ms, callback });
    return handle;
  }

  clearTimeout(handle: unknown): void {
    this.pending.delete(handle as number);
  }

  /** Registers work to wait for after each timer fires (a worker's runs). */
  onSettle(settler: () => Promise<unknown>): void {
    this.settlers.push(settler);
  }

  /** How many timers are waiting. */
  get size(): number {
    return this.pending.size;
  }

  /** Moves the clock forward by `ms`, firing every timer that falls due on the way (in order). */
  async advance(ms: number): Promise<void> {
    const end = this.clock.now() + ms;
    for (;;) {
      const due = [...this.pending.entries()]
        .filter(([, t]) => t.at <= end)
        .sort((a, b) => a[1].at - b[1].at)[0];
      if (!due) break;
      const [handle, timer] = due;
      this.pending.delete(handle);
      if (timer.at > this.clock.now()) this.clock.advance(timer.at - this.clock.now());
      timer.callback();
      await this.settle();
    }
    if (end > this.clock.now()) this.clock.advance(end - this.clock.now());
    await this.settle();
  }

  private async settle(): Promise<void> {
    await settle();
    for (const settler of this.settlers) await settler();
  }
}

/** Lets every pending promise chain run to its end. */
export async function settle(): Promise<void> {
  for (let i = 0; i < 50; i += 1) await new Promise<void>((resolve) => setImmediate(resolve));
}

/** The seller's catalog: a mug in two colours, a cap without variants, a tee in three sizes. */
export function catalog(): Product[] {
  const brl = (amount: string) => money(amount, 'BRL');
  return [
    normalizeProduct({
      sku: 'MUG',
      title: 'Ceramic mug',
      description: 'Holds 350 ml',
      images: ['https://example.com/mug.jpg'],
      variants: [
        { sku: 'MUG-RED', price: brl('29.90'), quantity: 10, attributes: { color: 'Red' } },
        { sku: 'MUG-BLUE', price: brl('31.90'), quantity: 6, attributes: { color: 'Blue' } },
      ],
    }),
    normalizeProduct({
      sku: 'CAP',
      title: 'Baseball cap',
      images: ['https://example.com/cap.jpg'],
      price: brl('49.00'),
      quantity: 8,
    }),
    normalizeProduct({
      sku: 'TEE',
      title: 'Cotton tee',
      images: ['https://example.com/tee.jpg'],
      variants: ['S', 'M', 'L'].map((size) => ({
        sku: `TEE-${size}`,
        price: brl('59.90'),
        quantity: 4,
        attributes: { size },
      })),
    }),
  ];
}

/** The initial stock of every variant SKU of {@link catalog}. */
export function initialStock(): Map<string, number> {
  return new Map(catalog().flatMap((p) => p.variants.map((v) => [v.sku!, v.quantity] as const)));
}

/** Three marketplaces, a store with the catalog, one clock. */
export interface World {
  clock: FakeClock;
  timers: ManualTimers;
  marketplaces: FakeMarketplace[];
  meli: FakeMarketplace;
  shopee: FakeMarketplace;
  tiktok: FakeMarketplace;
  store: MemorySyncStore;
}

export async function createWorld(products: Product[] = catalog()): Promise<World> {
  const clock = new FakeClock();
  const marketplaces = fakeMarketplaces(clock);
  const store = createMemorySyncStore();
  await store.upsertProducts(products);
  return assemble(clock, marketplaces, store);
}

/** An independent copy of a world (its store, marketplaces and time), without its timers or call logs. */
export function cloneWorld(world: World): World {
  const clock = new FakeClock(world.clock.now());
  return assemble(
    clock,
    world.marketplaces.map((m) => m.clone(clock)),
    createMemorySyncStore(world.store.snapshot()),
  );
}

function assemble(clock: FakeClock, marketplaces: FakeMarketplace[], store: MemorySyncStore): World {
  const [meli, shopee, tiktok] = marketplaces as [FakeMarketplace, FakeMarketplace, FakeMarketplace];
  return { clock, timers: new ManualTimers(clock), marketplaces, meli, shopee, tiktok, store };
}

/** One worker process: its own orchestrators over (possibly wrapped) store and clients. */
export interface Worker {
  products: ProductSync;
  orders: OrderSync;
  inventory: InventorySync;
}

export function createWorker(
  world: World,
  options: {
    store?: SyncStore;
    clients?: MarketplaceClient[];
    owner?: string;
    products?: Partial<ProductSyncOptions>;
    orders?: Partial<OrderSyncOptions>;
    inventory?: Partial<InventorySyncOptions>;
  } = {},
): Worker {
  const store = options.store ?? world.store;
  const clients = options.clients ?? world.marketplaces.map((m) => m.client());
  const runtime = { clock: world.clock.now, timers: world.timers, owner: options.owner ?? 'worker-1' };
  const inventory = new InventorySync({ store, clients, ...runtime, ...options.inventory });
  const orders = new OrderSync({ store, clients, inventory, ...runtime, ...options.orders });
  world.timers.onSettle(() => Promise.all([orders.idle(), inventory.idle()]));
  return {
    inventory,
    orders,
    products: new ProductSync({ store, clients, ...runtime, ...options.products }),
  };
}
