import type { MlhEvent } from '@mlh/core';
import { type JobsOptions, Queue } from 'bullmq';
import { assertReachable, bullConnection, type FleetConnection } from './connection';
import {
  accountKey,
  DEFAULT_FLEET_CADENCE,
  DEFAULT_FLEET_QUEUE,
  FLEET_JOB_PRIORITY,
  type FleetAccount,
  type FleetCadence,
  type FleetJobData,
  type FleetJobKind,
  fleetJobId,
} from './jobs';

/** Options shared by {@link createFleetQueue} and `createFleetWorker`. */
export interface FleetQueueOptions {
  /** Redis: a URL (`process.env.REDIS_URL`) or BullMQ connection options. */
  connection: FleetConnection;
  /** Queue name; the web processes and the workers must agree. Default `mlh-sync`. */
  queueName?: string;
  /** BullMQ key prefix in Redis. Default `bull`. */
  prefix?: string;
  /** Attempts per job before it goes to the dead-letter queue. Default 5. */
  attempts?: number;
  /** First retry delay; it doubles on each attempt. Default 5 s. */
  backoffMs?: number;
  /** How long a handled webhook job is kept, so a redelivery of the same event is not queued again. Default 24 h. */
  keepCompletedMs?: number;
}

/** The web side of a fleet: enqueue webhook events and manage each account's repeatable jobs. */
export interface FleetQueue {
  /** The BullMQ queue, for dashboards and advanced use. */
  readonly queue: Queue<FleetJobData>;
  /** Throws a clear error when Redis does not answer within `timeoutMs` (default 5 s). */
  ready(options?: { timeoutMs?: number }): Promise<void>;
  /**
   * Hands a verified webhook event to the workers. The job id is the event's dedupe key, so a
   * redelivery while the first is queued or kept (24 h) adds nothing.
   */
  enqueueEvent(event: MlhEvent): Promise<void>;
  /** Creates or updates the account's repeatable jobs (order sync, inventory flush, reconcile). */
  scheduleAccount(account: FleetAccount, cadence?: FleetCadence): Promise<void>;
  /** Removes the account's repeatable jobs (a disconnected seller). */
  unscheduleAccount(account: FleetAccount): Promise<void>;
  /**
   * Asks for one inventory push of the account soon (after `delayMs`, default 1 s). Requests
   * made meanwhile collapse into that one; a request made while a push runs queues one more.
   */
  requestFlush(account: FleetAccount, delayMs?: number): Promise<void>;
  /**
   * Runs one of the scheduled kinds now for each account given (default `orders.sync`), e.g. the
   * first sync of a seller who just connected, or a sync of every account after an outage. A
   * request for an account whose run of that kind is still queued adds nothing; one made while it
   * runs queues one more. Runs at the kind's priority ({@link FLEET_JOB_PRIORITY}).
   *
   * @example
   * await fleet.runNow({ marketplace: 'meli', accountId: '123456' });
   * await fleet.runNow(accounts, 'inventory.reconcile');
   */
  runNow(accounts: FleetAccount | readonly FleetAccount[], kind?: ScheduledFleetJobKind): Promise<void>;
  close(): Promise<void>;
}

/** The kinds an account runs on a schedule (and {@link FleetQueue.runNow} can run at once). */
export type ScheduledFleetJobKind = Exclude<FleetJobKind, 'webhook.event'>;

const SCHEDULED: readonly [ScheduledFleetJobKind, keyof FleetCadence][] = [
  ['orders.sync', 'ordersSyncMs'],
  ['inventory.flush', 'inventoryFlushMs'],
  ['inventory.reconcile', 'inventoryReconcileMs'],
];

/** The job options every fleet job gets: retries with exponential backoff, bounded retention. */
export function fleetJobOptions(options: FleetQueueOptions): JobsOptions {
  return {
    attempts: options.attempts ?? 5,
    backoff: { type: 'exponential', delay: options.backoffMs ?? 5_000 },
    removeOnComplete: { age: Math.ceil((options.keepCompletedMs ?? 24 * 60 * 60_000) / 1000) },
    removeOnFail: { age: 7 * 24 * 60 * 60 },
  };
}

/** The BullMQ `priority` option of a kind: none for the urgent kinds (see {@link FLEET_JOB_PRIORITY}). */
export function priorityOf(kind: FleetJobKind): Pick<JobsOptions, 'priority'> {
  const priority = FLEET_JOB_PRIORITY[kind];
  return priority === undefined ? {} : { priority };
}

/** The scheduler id of one account's repeatable job. */
export function schedulerIdOf(kind: FleetJobKind, account: FleetAccount): string {
  return fleetJobId(kind, accountKey(account));
}

/**
 * Opens the fleet's queue for a web process (or a scheduler process).
 *
 * @example
 * const fleet = createFleetQueue({ connection: process.env.REDIS_URL! });
 * await fleet.ready();
 * webhooks.events.on('event', (event) => void fleet.enqueueEvent(event));
 * await fleet.scheduleAccount({ marketplace: 'shopee', accountId: '600000' });
 */
export function createFleetQueue(options: FleetQueueOptions): FleetQueue {
  const connection = bullConnection(options.connection, 'producer');
  const queue = new Queue<FleetJobData>(options.queueName ?? DEFAULT_FLEET_QUEUE, {
    connection,
    ...(options.prefix ? { prefix: options.prefix } : {}),
    defaultJobOptions: fleetJobOptions(options),
  });
  // Connection errors surface through ready() and the calls that fail; keep them off stderr.
  queue.on('error', () => undefined);
  return {
    queue,
    async ready({ timeoutMs = 5_000 } = {}) {
      await assertReachable(
        async () => (await queue.backend.client).get(`${queue.name}:ping`),
        options.connection,
        timeoutMs,
      );
    },
    async enqueueEvent(event) {
      await addEventJob(queue, event);
    },
    async scheduleAccount(account, cadence = {}) {
      for (const [kind, field] of SCHEDULED) {
        const every = cadence[field] ?? DEFAULT_FLEET_CADENCE[field];
        await queue.upsertJobScheduler(
          schedulerIdOf(kind, account),
          { every },
          { name: kind, data: { kind, account } as FleetJobData, opts: priorityOf(kind) },
        );
      }
    },
    async unscheduleAccount(account) {
      for (const [kind] of SCHEDULED) await queue.removeJobScheduler(schedulerIdOf(kind, account));
    },
    async requestFlush(account, delayMs = 1_000) {
      await requestFlushOn(queue, account, delayMs);
    },
    async runNow(accounts, kind = 'orders.sync') {
      const list: readonly FleetAccount[] = Array.isArray(accounts) ? accounts : [accounts as FleetAccount];
      await queue.addBulk(list.map((account) => requestedRun(kind, account, 0)));
    },
    async close() {
      await queue.close();
    },
  };
}

/**
 * Adds the `webhook.event` job of an event, for the worker of the account it names. The job id
 * is the event's dedupe key, so a redelivery while the first is queued or kept adds nothing.
 */
export async function addEventJob(
  queue: Queue<FleetJobData>,
  event: MlhEvent,
  options: JobsOptions = {},
): Promise<void> {
  const account = { marketplace: event.marketplace, accountId: event.accountId };
  const key = `${accountKey(account)}:${event.dedupeKey}`;
  const data: FleetJobData = { kind: 'webhook.event', account, event };
  await queue.add('webhook.event', data, { ...options, jobId: fleetJobId('webhook.event', key) });
}

/**
 * One requested run of a scheduled kind for an account: requests made while it is queued collapse
 * into it, and one made while it runs queues one more.
 */
function requestedRun(kind: ScheduledFleetJobKind, account: FleetAccount, delayMs: number) {
  return {
    name: kind,
    data: { kind, account } as FleetJobData,
    opts: {
      ...priorityOf(kind),
      delay: delayMs,
      deduplication: { id: `requested-${schedulerIdOf(kind, account)}`, keepLastIfActive: true },
    },
  };
}

/** Adds a coalescing `inventory.flush` job for an account (see {@link FleetQueue.requestFlush}). */
export async function requestFlushOn(
  queue: Queue<FleetJobData>,
  account: FleetAccount,
  delayMs: number,
): Promise<void> {
  const { name, data, opts } = requestedRun('inventory.flush', account, delayMs);
  await queue.add(name, data, opts);
}
