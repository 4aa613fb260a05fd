import { beforeEach, describe, expect, it } from 'vitest';
import { type App, call, START_MS, useShopeeSandbox } from './shopee-helpers';

const CALLBACK = 'https://app.example.com/shopee/push';
let appUp = true;
const down = async (): Promise<Response> => new Response(null, { status: appUp ? 200 : 503 });

describe('Shopee lost pushes and push health', () => {
  const { sandbox, app } = useShopeeSandbox({
    webhooks: { target: down, callbackUrl: CALLBACK },
  });

  beforeEach(() => {
    appUp = true;
    sandbox.webhooks.configure({ target: down, callbackUrl: CALLBACK, maxAttempts: 1 });
  });

  /** Queues one buyer message (code 10) per text and delivers them while the app is down. */
  async function lose(a: App, texts: readonly string[]): Promise<void> {
    await sandbox.webhooks.flush();
    appUp = false;
    for (const text of texts) await sandbox.sendMessage({ shopId: a.shopId, text });
    await sandbox.webhooks.flush();
    appUp = true;
  }

  const lost = (a: App) => call(sandbox, a, 'GET', '/api/v2/push/get_lost_push_message', { kind: 'public' });
  const confirm = (a: App, id: unknown) =>
    call(sandbox, a, 'POST', '/api/v2/push/confirm_consumed_lost_push_message', {
      kind: 'public',
      body: { last_message_id: id },
    });

  it('keeps a push that failed its last attempt, with the original body as JSON text', async () => {
    const a = app();
    await lose(a, ['hello']);
    const { json } = await lost(a);
    expect(json.error).toBe('');
    const [message] = json.response.push_message_list;
    expect(message).toMatchObject({ shop_id: a.shopId, code: 10, timestamp: START_MS / 1000 });
    expect(typeof message.data).toBe('string');
    expect(JSON.parse(message.data)).toMatchObject({ code: 10, shop_id: a.shopId });
    expect(json.response).toMatchObject({ has_next_page: false, last_message_id: 1 });
  });

  it('lists the earliest 100, and confirming consumes every message up to the id given', async () => {
    const a = app();
    await lose(
      a,
      Array.from({ length: 101 }, (_, index) => `message ${index}`),
    );
    const first = (await lost(a)).json.response;
    expect(first.push_message_list).toHaveLength(100);
    expect(first).toMatchObject({ has_next_page: true, last_message_id: 100 });
    // Unconfirmed, the same page comes back: there is no cursor.
    expect((await lost(a)).json.response.last_message_id).toBe(100);

    expect((await confirm(a, 100)).json.error).toBe('');
    const second = (await lost(a)).json.response;
    expect(second).toMatchObject({ has_next_page: false, last_message_id: 101 });
    expect(second.push_message_list).toHaveLength(1);
  });

  it('refuses to confirm an id it never gave out', async () => {
    const a = app();
    await lose(a, ['hello']);
    const result = await confirm(a, 7);
    expect(result.json.error).toBe('error_param');
    expect(sandbox.lostPushes(a.partnerId)[0]?.consumed).toBe(false);
  });

  it('drops lost pushes after 3 days', async () => {
    const a = app();
    await lose(a, ['hello']);
    sandbox.clock.set(START_MS + 3 * 86_400_000);
    expect((await lost(a)).json.response).toMatchObject({ push_message_list: [], has_next_page: false });
  });

  it('sends nothing while suspended, and keeps nothing of what was missed', async () => {
    const a = app();
    sandbox.setLivePushStatus(a.partnerId, 'Suspended');
    await sandbox.webhooks.flush();
    await sandbox.sendMessage({ shopId: a.shopId, text: 'hello' });
    expect(await sandbox.webhooks.flush()).toEqual([]);
    expect(sandbox.lostPushes(a.partnerId)).toEqual([]);
    const config = await call(sandbox, a, 'GET', '/api/v2/push/get_app_push_config', { kind: 'public' });
    expect(config.json.response).toMatchObject({
      live_push_status: 'Suspended',
      suspended_time: START_MS / 1000,
    });
  });

  it('accepts only config ids 1-13 in set_app_push_config', async () => {
    const a = app();
    const result = await call(sandbox, a, 'POST', '/api/v2/push/set_app_push_config', {
      kind: 'public',
      body: { callback_url: CALLBACK, set_push_config_on: [15] },
    });
    expect(result.json.error).toBe('error_param');
  });
});

describe('Shopee lost pushes with data as an object', () => {
  const { sandbox, app } = useShopeeSandbox({
    webhooks: { target: () => new Response(null, { status: 500 }), callbackUrl: CALLBACK },
    lostPushData: 'object',
  });

  it('writes data as the parsed original push', async () => {
    const a = app();
    await sandbox.webhooks.flush();
    await sandbox.sendMessage({ shopId: a.shopId, text: 'hello' });
    await sandbox.webhooks.flush();
    const { json } = await call(sandbox, a, 'GET', '/api/v2/push/get_lost_push_message', { kind: 'public' });
    expect(json.response.push_message_list[0].data).toMatchObject({ code: 10, shop_id: a.shopId });
  });
});

describe('Shopee push health follows the success rate', () => {
  let okEvery = 1; // 1: every push succeeds; 2: every other one; 0: none
  let seen = 0;
  const target = async (): Promise<Response> => {
    seen += 1;
    const ok = okEvery !== 0 && seen % okEvery === 0;
    return new Response(null, { status: ok ? 200 : 503 });
  };
  const { sandbox, app } = useShopeeSandbox({ webhooks: { target, callbackUrl: CALLBACK } });

  beforeEach(() => {
    seen = 0;
    okEvery = 1;
    sandbox.webhooks.configure({ target, callbackUrl: CALLBACK, maxAttempts: 1 });
  });

  async function deliver(a: App, count: number): Promise<void> {
    for (let index = 0; index < count; index += 1)
      await sandbox.sendMessage({ shopId: a.shopId, text: `m${index}` });
    await sandbox.webhooks.flush();
  }
  const status = async (a: App) =>
    (await call(sandbox, a, 'GET', '/api/v2/push/get_app_push_config', { kind: 'public' })).json.response;

  it('warns above 600 pushes in 6 hours below 70 % success, and recovers when deliveries succeed', async () => {
    const a = app();
    await sandbox.webhooks.flush();
    okEvery = 2;
    await deliver(a, 600);
    expect((await status(a)).live_push_status).toBe('Normal'); // not more than 600 yet
    await deliver(a, 2);
    expect((await status(a)).live_push_status).toBe('Warning');
    okEvery = 1;
    await deliver(a, 500);
    expect((await status(a)).live_push_status).toBe('Normal');
  });

  it('suspends below 30 %, keeps what was lost before, sends nothing after, until the callback is set again', async () => {
    const a = app();
    await sandbox.webhooks.flush();
    okEvery = 0;
    await deliver(a, 601);
    expect(await status(a)).toMatchObject({ live_push_status: 'Suspended', suspended_time: START_MS / 1000 });
    const lostBefore = sandbox.lostPushes(a.partnerId).length;
    expect(lostBefore).toBeGreaterThanOrEqual(601);

    okEvery = 1;
    await deliver(a, 3);
    expect(sandbox.lostPushes(a.partnerId)).toHaveLength(lostBefore);
    const result = await call(sandbox, a, 'POST', '/api/v2/push/set_app_push_config', {
      kind: 'public',
      body: { callback_url: CALLBACK },
    });
    expect(result.json.error).toBe('');
    expect((await status(a)).live_push_status).toBe('Normal');
    const before = sandbox.webhooks.log.length;
    await deliver(a, 1);
    expect(sandbox.webhooks.log.slice(before).map((entry) => entry.ok)).toEqual([true]);
  });
});
