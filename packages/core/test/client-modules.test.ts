import { describe, expect, it } from 'vitest';
import {
  buildAppModules,
  buildClientModules,
  type ClientModule,
  describeClientModules,
  type MarketplaceCapabilities,
  ValidationError,
} from '../src/index';

const BASE: MarketplaceCapabilities = Object.freeze({
  marketplace: 'shopee',
  orderWebhooks: false,
  orderPollIntervalMs: 60_000,
  missedEventRecovery: false,
  variants: true,
  maxBatch: { getProducts: 50, getOrders: 50, updateInventory: 50, updatePrices: 50 },
  cancelOrder: true,
  sellerFulfillment: true,
  productStatuses: ['active'] as const,
});

function module(
  name: string,
  extra: Partial<ClientModule<{ id: string }, object, { app: string }, object>> = {},
): ClientModule<{ id: string }, object, { app: string }, object> {
  return {
    marketplace: 'shopee',
    name,
    capabilities: {},
    build: (ctx) => ({ [`${name}Of`]: () => ctx.id }),
    ...extra,
  };
}

describe('capability modules', () => {
  it('merge their descriptor parts over the base, frozen, leaving the base alone', () => {
    const labels = module('labels', { capabilities: { shippingLabels: ['pdf'] } });
    const events = module('events', { capabilities: { missedEventRecovery: true } });
    const described = describeClientModules(BASE, [labels, events]);
    expect(described).toEqual({ ...BASE, shippingLabels: ['pdf'], missedEventRecovery: true });
    expect(Object.isFrozen(described)).toBe(true);
    expect(BASE.missedEventRecovery).toBe(false);
    expect(describeClientModules(BASE, [])).toEqual(BASE);
  });

  it('refuse a value that is not a module, a module of another marketplace and a name given twice', () => {
    const attempt = () =>
      describeClientModules(BASE, [
        module('labels'),
        { name: 'x' } as unknown as ClientModule<never, object>,
        module('returns', { marketplace: 'meli' }),
        module('labels'),
      ]);
    expect(attempt).toThrow(ValidationError);
    try {
      attempt();
    } catch (error) {
      expect((error as ValidationError).issues).toEqual([
        { path: 'capabilities[1]', message: 'must be a capability module of @mlh/shopee' },
        { path: 'capabilities[2]', message: 'the returns module of meli cannot be added to a shopee client' },
        { path: 'capabilities[3]', message: 'the labels module is already in the list' },
      ]);
    }
  });

  it('build each module over the context, and the app members of those that have some', () => {
    const withApp = module('events', { app: (app) => ({ source: () => app.app }) });
    const members = buildClientModules({ id: '42' }, [module('labels'), withApp]);
    expect(Object.keys(members)).toEqual(['labelsOf', 'eventsOf']);
    expect((members.eventsOf as () => string)()).toBe('42');
    const app = buildAppModules({ app: 'shopee-app' }, [module('labels'), withApp]);
    expect(Object.keys(app)).toEqual(['source']);
    expect((app.source as () => string)()).toBe('shopee-app');
  });
});
