import {
  createSequence,
  formatWithOffset,
  randomHex,
  type SandboxClock,
  type Sequence,
  type WebhookDelivery,
  type WebhookDeliveryRecord,
} from '../shared/index';
import { meliSite } from './sites';
import type {
  MeliApp,
  MeliCategory,
  MeliItem,
  MeliMessage,
  MeliNotification,
  MeliOrder,
  MeliPack,
  MeliSandboxBehaviour,
  MeliSandboxLimits,
  MeliShipment,
  MeliUser,
} from './types';

export interface GrantRecord {
  userId: number;
  appId: number;
  createdAt: number;
  scopes: string[];
}

export interface CodeRecord {
  code: string;
  appId: number;
  userId: number;
  redirectUri: string;
  expiresAt: number;
  challenge?: string;
  challengeMethod?: 'S256' | 'plain';
  used: boolean;
}

export interface AccessTokenRecord {
  token: string;
  userId: number;
  appId: number;
  expiresAt: number;
  revoked: boolean;
}

export interface RefreshTokenRecord {
  token: string;
  userId: number;
  appId: number;
  expiresAt: number;
  status: 'active' | 'used' | 'revoked';
}

export interface DescriptionRecord {
  plainText: string;
  createdAt: number;
  updatedAt: number;
}

export interface ItemRecord {
  item: MeliItem;
  createdAt: number;
  updatedAt: number;
  description?: DescriptionRecord;
}

export interface OrderLine {
  itemId: string;
  variationId: number | null;
  quantity: number;
}

export interface OrderRecord {
  order: MeliOrder;
  createdAt: number;
  closedAt: number | null;
  updatedAt: number;
  line: OrderLine;
  /** Units still held by this order (reserved at placement, given back on cancel). */
  stockHeld: boolean;
}

export interface PackRecord {
  pack: MeliPack;
  orderIds: number[];
}

export interface ShipmentHistoryEntry {
  status: string;
  substatus: string | null;
  date: string;
}

export interface ShipmentRecord {
  shipment: MeliShipment;
  packId: number;
  orderIds: number[];
  history: ShipmentHistoryEntry[];
  /** The full address, shown once the order is paid. */
  address: Record<string, unknown>;
  sellerNotifications: Array<{ status: string; substatus: string | null }>;
  /** What the seller pays for the shipment (`/shipments/{id}/costs` → `senders[].cost`). */
  sellerCost?: number | undefined;
}

export interface ScrollRecord {
  userId: number;
  ids: string[];
  position: number;
  expiresAt: number;
}

export interface MissedFeedRecord {
  notification: MeliNotification;
  recordedAt: number;
  siteId: string;
  url: string;
  last: WebhookDeliveryRecord;
}

/** Everything the sandbox remembers. */
export interface MeliState {
  apps: Map<number, MeliApp>;
  users: Map<number, MeliUser>;
  grants: Map<string, GrantRecord>;
  codes: Map<string, CodeRecord>;
  accessTokens: Map<string, AccessTokenRecord>;
  refreshTokens: Map<string, RefreshTokenRecord>;
  items: Map<string, ItemRecord>;
  orders: Map<number, OrderRecord>;
  packs: Map<number, PackRecord>;
  shipments: Map<number, ShipmentRecord>;
  messages: MeliMessage[];
  scrolls: Map<string, ScrollRecord>;
  missedFeeds: MissedFeedRecord[];
  categories: Map<string, MeliCategory>;
  /** family_id by `${sellerId}:${family_name}` (User Products). */
  families: Map<string, number>;
  authorizingUserId: number | undefined;
}

export interface MeliIds {
  seller: Sequence;
  buyer: Sequence;
  item: Sequence;
  variation: Sequence;
  userProduct: Sequence;
  family: Sequence;
  picture: Sequence;
  order: Sequence;
  pack: Sequence;
  shipment: Sequence;
  payment: Sequence;
}

/** What every handler module shares. */
export interface MeliContext {
  state: MeliState;
  ids: MeliIds;
  clock: SandboxClock;
  limits: MeliSandboxLimits;
  behaviour: MeliSandboxBehaviour;
  webhooks: WebhookDelivery;
  /** A local ISO date (with the site's offset) of an epoch; now by default. */
  date(epochMs?: number, siteId?: string): string;
  /** Queues the notification of a change to every app the user granted and that subscribed to the topic. */
  notify(topic: string, resource: string, userId: number, actions?: string[]): void;
}

export function createState(): MeliState {
  return {
    apps: new Map(),
    users: new Map(),
    grants: new Map(),
    codes: new Map(),
    accessTokens: new Map(),
    refreshTokens: new Map(),
    items: new Map(),
    orders: new Map(),
    packs: new Map(),
    shipments: new Map(),
    messages: [],
    scrolls: new Map(),
    missedFeeds: [],
    categories: new Map(),
    families: new Map(),
    authorizingUserId: undefined,
  };
}

export function createIds(): MeliIds {
  return {
    seller: createSequence(100_000_001),
    buyer: createSequence(500_000_001),
    item: createSequence(1_000_000_001),
    variation: createSequence(180_000_000_001),
    userProduct: createSequence(1_000_000_001),
    family: createSequence(2_000_000_001),
    picture: createSequence(600_001),
    order: createSequence(2_000_009_000_000_001),
    pack: createSequence(2_000_006_000_000_001),
    shipment: createSequence(44_000_000_001),
    payment: createSequence(91_000_000_001),
  };
}

export function grantKey(userId: number, appId: number): string {
  return `${userId}:${appId}`;
}

export function createContext(parts: Omit<MeliContext, 'date' | 'notify'>): MeliContext {
  const context: MeliContext = {
    ...parts,
    date(epochMs = parts.clock.now(), siteId = 'MLB') {
      return formatWithOffset(epochMs, meliSite(siteId).utcOffsetMinutes);
    },
    notify(topic, resource, userId, actions) {
      const received = new Date(parts.clock.now()).toISOString();
      for (const grant of parts.state.grants.values()) {
        if (grant.userId !== userId) continue;
        const app = parts.state.apps.get(grant.appId);
        if (app === undefined || !subscribed(app, topic)) continue;
        const user = parts.state.users.get(userId);
        const notificationId = randomHex(24);
        const payload = (attempt: number): MeliNotification => ({
          _id: notificationId,
          resource,
          user_id: userId,
          topic,
          application_id: app.id,
          attempts: attempt,
          sent: new Date(parts.clock.now()).toISOString(),
          received,
          ...(actions === undefined ? {} : { actions }),
        });
        parts.webhooks.send(
          ({ url, attempt }) =>
            new Request(url, {
              method: 'POST',
              headers: { 'content-type': 'application/json', accept: 'application/json' },
              body: JSON.stringify(payload(attempt)),
            }),
          {
            onGiveUp: (last) => {
              parts.state.missedFeeds.push({
                notification: payload(last.attempt),
                recordedAt: parts.clock.now(),
                siteId: user?.site_id ?? app.siteId,
                url: last.url,
                last,
              });
            },
          },
        );
      }
    },
  };
  return context;
}

function subscribed(app: MeliApp, topic: string): boolean {
  if (app.topics === 'all') return true;
  const wanted = normaliseTopic(topic);
  return app.topics.some((candidate) => normaliseTopic(candidate) === wanted);
}

// The docs spell some topics two ways (stock-location / stock-locations).
function normaliseTopic(topic: string): string {
  return topic.toLowerCase().replace(/s$/, '');
}
