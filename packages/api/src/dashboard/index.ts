/**
 * The admin dashboard: server-rendered pages over the API's own HTTP contract. It calls the API
 * in process with the operator's key (kept in an encrypted, HttpOnly, SameSite=Strict cookie), so
 * the key's scope, the rate limits and the validation are the API's.
 */
import { type Context, Hono } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import { ApiCallError, type ApiClient, type ApiEndpoint, apiClient } from './client';
import { accountName } from './format';
import { html, type Markup } from './html';
import { type NavItem, shell } from './layout';
import {
  accountsPage,
  alertsPage,
  type Capabilities,
  catalogPage,
  inventoryPage,
  orderPage,
  ordersPage,
  overviewPage,
  type PageContext,
  syncPage,
} from './pages';
import { type DashboardSession, openSession, sealSession, sessionKey } from './session';
import type { ReconcileItem } from './views';

export type { ApiEndpoint } from './client';
export type { DashboardSession } from './session';

/** Options of {@link createAdminDashboard}. */
export interface AdminDashboardOptions {
  /** The API the dashboard is a client of: the app `createApi` returned (called in process), or any `{ fetch }`. */
  api: ApiEndpoint;
  /**
   * Encrypts the session cookie (at least 32 characters; 32 random bytes in base64url). Give every
   * process of a fleet the same one so any of them reads the cookie.
   */
  sessionSecret: string;
  /** Where the dashboard is served. Default `/admin`; mount with `app.route('/', dashboard)`. */
  basePath?: string | undefined;
  /** How often open pages refresh their live regions, in seconds. Default 5; 0 turns polling off. */
  pollSeconds?: number | undefined;
  /** How long a login lasts, in seconds. Default 8 hours. */
  sessionTtlSeconds?: number | undefined;
  /**
   * The origins the dashboard is reached at, for the CSRF check of every POST. Default: the origin
   * of the request URL, which is right unless a proxy rewrites the host or the scheme.
   */
  origins?: readonly string[] | undefined;
  /**
   * Rewrites a marketplace authorization URL before the browser is sent there (the sandboxes'
   * local server in the demo). Default: the URL as the API gave it.
   */
  authorizationUrl?: ((url: string, marketplace: string) => string) | undefined;
  /** Epoch milliseconds. Default `Date.now`. */
  clock?: (() => number) | undefined;
}

/** The dashboard's Hono app; it serves under its `basePath`. */
export type AdminDashboard = Hono<DashboardEnv>;

/** The Hono environment of the dashboard's app: the signed-in session and the page's CSP nonce. */
export interface DashboardEnv {
  Variables: { session: DashboardSession; nonce: string };
}
type DashboardContext = Context<DashboardEnv>;

const SESSION_COOKIE = 'mlh_admin_session';
const NOTICE_COOKIE = 'mlh_admin_notice';
const FRAGMENT_HEADER = 'x-mlh-fragment';
const IDEMPOTENCY_KEY = /^[\x21-\x7e]{1,255}$/;

/** The pages: path, navigation label, and the routes a page needs to be shown at all. */
const PAGES: ReadonlyArray<NavItem & { needs?: readonly [method: 'get', path: string] }> = [
  { path: '/', label: 'Overview' },
  { path: '/accounts', label: 'Accounts' },
  { path: '/catalog', label: 'Catalog' },
  { path: '/inventory', label: 'Inventory' },
  { path: '/orders', label: 'Orders' },
  { path: '/sync', label: 'Sync', needs: ['get', '/sync/runs'] },
  { path: '/alerts', label: 'Alerts', needs: ['get', '/alerts'] },
];

/** `/a/{marketplace}/b` → `/a/{}/b`: parameter names differ between documents, positions do not. */
function routeShape(path: string): string {
  return path.replace(/\{[^}]*\}/g, '{}');
}

async function readCapabilities(api: ApiEndpoint): Promise<Capabilities> {
  const response = await api.fetch(new Request('http://mlh-api.internal/openapi.json'));
  // Not kept when it fails (the caller forgets the promise): the next page asks again.
  if (!response.ok) throw new Error(`The API answered ${response.status} to GET /openapi.json`);
  const document = (await response.json()) as { paths?: Record<string, Record<string, unknown>> };
  const served = new Set<string>();
  for (const [path, operations] of Object.entries(document.paths ?? {})) {
    for (const method of Object.keys(operations)) served.add(`${method} ${routeShape(path)}`);
  }
  return { has: (method, path) => served.has(`${method} ${routeShape(path)}`) };
}

/**
 * The admin dashboard as a Hono app serving under `basePath` (default `/admin`): overview,
 * accounts, catalog, inventory, orders, sync runs and alerts, each a thin client of the API.
 *
 * @example
 * const api = createApi({ ... });
 * const app = new Hono();
 * app.route('/api', api);
 * app.route('/', createAdminDashboard({ api, sessionSecret: process.env.ADMIN_SESSION_SECRET! }));
 */
export function createAdminDashboard(options: AdminDashboardOptions): AdminDashboard {
  const base = (options.basePath ?? '/admin').replace(/\/+$/, '');
  if (base !== '' && !/^\/[A-Za-z0-9._~/-]*$/.test(base)) {
    throw new TypeError('basePath must be a path such as /admin');
  }
  const clock = options.clock ?? (() => Date.now());
  const pollSeconds = options.pollSeconds ?? 5;
  const ttlSeconds = options.sessionTtlSeconds ?? 8 * 3600;
  const keyPromise = sessionKey(options.sessionSecret);
  // Throws at once on a short secret rather than on the first login.
  keyPromise.catch(() => undefined);
  if (typeof options.sessionSecret !== 'string' || options.sessionSecret.length < 32) {
    throw new TypeError('sessionSecret must be a string of at least 32 characters');
  }
  let capabilities: Promise<Capabilities> | undefined;
  const can = () => {
    capabilities ??= readCapabilities(options.api).catch((error: unknown) => {
      capabilities = undefined;
      throw error;
    });
    return capabilities;
  };

  const app = new Hono<DashboardEnv>({ strict: false }).basePath(base === '' ? '/' : base);
  const secure = (c: DashboardContext) => new URL(c.req.url).protocol === 'https:';
  const cookiePath = base === '' ? '/' : base;

  const setNotice = (c: DashboardContext, text: string, error: boolean) =>
    // Hono encodes the cookie value (and `getCookie` decodes it).
    setCookie(c, NOTICE_COOKIE, `${error ? 'e' : 'i'}${text.slice(0, 400)}`, {
      path: cookiePath,
      httpOnly: true,
      sameSite: 'Strict',
      secure: secure(c),
      maxAge: 60,
    });
  const takeNotice = (c: DashboardContext) => {
    const value = getCookie(c, NOTICE_COOKIE);
    if (value === undefined || c.req.header(FRAGMENT_HEADER) !== undefined) return undefined;
    deleteCookie(c, NOTICE_COOKIE, { path: cookiePath });
    return { text: value.slice(1), error: value.startsWith('e') };
  };

  // Security headers; a nonce per response lets only the dashboard's own style and script run.
  app.use('*', async (c, next) => {
    const nonce = crypto.randomUUID().replace(/-/g, '');
    c.set('nonce', nonce);
    await next();
    c.res.headers.set(
      'content-security-policy',
      `default-src 'none'; style-src 'nonce-${nonce}'; script-src 'nonce-${nonce}'; img-src 'self' data:; connect-src 'self'; base-uri 'none'; frame-ancestors 'none'`,
    );
    c.res.headers.set('x-content-type-options', 'nosniff');
    c.res.headers.set('referrer-policy', 'same-origin');
    c.res.headers.set('cache-control', 'no-store');
  });

  // CSRF: the session cookie is SameSite=Strict, and every POST must come from the dashboard's own origin.
  app.use('*', async (c, next) => {
    if (c.req.method !== 'GET' && c.req.method !== 'HEAD') {
      const origin = c.req.header('origin');
      const allowed = options.origins ?? [new URL(c.req.url).origin];
      if (origin === undefined || !allowed.includes(origin)) {
        return c.text('This form was not sent from the dashboard (Origin check failed).', 403);
      }
    }
    await next();
  });

  const render = (
    c: DashboardContext,
    title: string,
    active: string,
    content: Markup,
    nav: readonly NavItem[],
    events: boolean,
    notice?: { text: string; error: boolean },
  ) =>
    // A live refresh gets the page's content alone: the client takes its `[data-live]` regions.
    c.req.header(FRAGMENT_HEADER) !== undefined
      ? c.html(content.value)
      : c.html(
          shell(
            {
              title,
              basePath: base,
              active,
              nav,
              nonce: c.get('nonce'),
              scope: c.get('session')?.scope,
              pollSeconds,
              eventsUrl: events ? `${base}/events` : undefined,
              notice: notice ?? takeNotice(c),
            },
            content,
          ).value,
        );

  /**
   * What the authorization callback reports (`?connected=meli:123`, `?error=denied&marketplace=meli`),
   * checked against their formats so that a crafted link cannot put its own words on the page.
   */
  const callbackNotice = (c: DashboardContext) => {
    const connected = c.req.query('connected');
    const account = '(meli|shopee|tiktok):[A-Za-z0-9_.-]{1,64}';
    if (connected !== undefined && new RegExp(`^${account}(,${account}){0,19}$`).test(connected)) {
      return { text: `Connected ${connected.replace(/,/g, ', ')}.`, error: false };
    }
    const error = c.req.query('error');
    const marketplace = c.req.query('marketplace');
    if (
      error !== undefined &&
      /^[a-z_]{1,64}$/.test(error) &&
      (marketplace === undefined || /^(meli|shopee|tiktok)$/.test(marketplace))
    ) {
      return {
        text: `Connecting ${marketplace ?? 'the account'} failed (${error.replace(/_/g, ' ')}).`,
        error: true,
      };
    }
    return undefined;
  };

  const loginPage = (c: DashboardContext, message?: string, status: 200 | 401 = 200) => {
    const fromCallback = callbackNotice(c);
    const notice = message
      ? { text: message, error: true }
      : fromCallback
        ? { ...fromCallback, text: `${fromCallback.text} Log in to see it.` }
        : undefined;
    return c.html(
      shell(
        {
          title: 'Log in',
          basePath: base,
          active: '/login',
          nav: [],
          nonce: c.get('nonce'),
          pollSeconds,
          notice,
        },
        html`<form method="post" action="${base}/login" class="stack">
<p>Paste your API key. It stays in an encrypted cookie of this browser; every page calls the API with it, so it sees and does what the key may.</p>
<div><label for="apiKey">API key</label><br><input id="apiKey" name="apiKey" type="password" autocomplete="off" required spellcheck="false" size="40"></div>
<div><button type="submit">Log in</button></div>
</form>`,
      ).value,
      status,
    );
  };

  app.get('/login', (c) => loginPage(c));
  app.post('/login', async (c) => {
    const form = await c.req.parseBody();
    const apiKey = typeof form.apiKey === 'string' ? form.apiKey.trim() : '';
    if (apiKey === '') return loginPage(c, 'Paste an API key.', 401);
    const client = apiClient(options.api, apiKey);
    const me = await client.raw('/me');
    if (me.status === 401) return loginPage(c, 'The API does not know this key.', 401);
    if (!me.ok) return loginPage(c, `The API answered ${me.status}; try again.`, 401);
    const scope = ((await me.json()) as { canWrite: boolean }).canWrite ? 'operator' : 'read';
    setCookie(
      c,
      SESSION_COOKIE,
      await sealSession({ apiKey, scope }, await keyPromise, ttlSeconds, clock()),
      {
        path: cookiePath,
        httpOnly: true,
        sameSite: 'Strict',
        secure: secure(c),
        maxAge: ttlSeconds,
      },
    );
    return c.redirect(base === '' ? '/' : base, 303);
  });
  app.post('/logout', (c) => {
    deleteCookie(c, SESSION_COOKIE, { path: cookiePath, secure: secure(c) });
    return c.redirect(`${base}/login`, 303);
  });

  // Every other route needs a session.
  app.use('*', async (c, next) => {
    const session = await openSession(getCookie(c, SESSION_COOKIE), await keyPromise, clock());
    if (!session) {
      if (c.req.method === 'GET' && c.req.header(FRAGMENT_HEADER) === undefined) {
        // A seller sent back by the marketplace arrives without the Strict cookie (the redirect
        // chain started on another site): the login page says what happened.
        const search = new URL(c.req.url).search;
        return c.redirect(`${base}/login${callbackNotice(c) ? search : ''}`, 303);
      }
      return c.text('Log in first.', 401);
    }
    c.set('session', session);
    await next();
  });

  const param = (c: DashboardContext, name: string) => c.req.param(name) ?? '';
  const clientOf = (c: DashboardContext): ApiClient => apiClient(options.api, c.get('session').apiKey);
  const navOf = (capabilities: Capabilities) =>
    PAGES.filter((page) => page.needs === undefined || capabilities.has(page.needs[0], page.needs[1]));

  const page = (
    path: string,
    title: (c: DashboardContext) => string,
    build: (ctx: PageContext, c: DashboardContext) => Promise<Markup>,
  ) =>
    app.get(path, async (c) => {
      const capabilities = await can();
      const nav = navOf(capabilities);
      const ctx: PageContext = {
        client: clientOf(c),
        base,
        scope: c.get('session').scope,
        can: capabilities,
        now: clock(),
        query: new URL(c.req.url).searchParams,
      };
      const active = PAGES.find((entry) => entry.path === path)?.path ?? `/${path.split('/')[1] ?? ''}`;
      const events = capabilities.has('get', '/events');
      try {
        return render(c, title(c), active, await build(ctx, c), nav, events, callbackNotice(c));
      } catch (error) {
        if (error instanceof ApiCallError) {
          if (error.status === 401) {
            deleteCookie(c, SESSION_COOKIE, { path: cookiePath });
            return c.redirect(`${base}/login`, 303);
          }
          return c.html(
            shell(
              {
                title: title(c),
                basePath: base,
                active,
                nav,
                nonce: c.get('nonce'),
                scope: c.get('session').scope,
                pollSeconds: 0,
                notice: { text: `The API answered ${error.status}: ${error.message}`, error: true },
              },
              html`<p><a href="${c.req.url}">Try again</a></p>`,
            ).value,
            error.status === 404 ? 404 : 502,
          );
        }
        throw error;
      }
    });

  page(
    '/',
    () => 'Overview',
    (ctx) => overviewPage(ctx),
  );
  page(
    '/accounts',
    () => 'Accounts',
    (ctx) => accountsPage(ctx),
  );
  page(
    '/catalog',
    () => 'Catalog',
    (ctx) => catalogPage(ctx),
  );
  page(
    '/inventory',
    () => 'Inventory',
    (ctx) => inventoryPage(ctx),
  );
  page(
    '/orders',
    () => 'Orders',
    (ctx) => ordersPage(ctx),
  );
  page(
    '/orders/:marketplace/:accountId/:externalId',
    (c) => `Order ${c.req.param('externalId')}`,
    (ctx, c) =>
      orderPage(ctx, {
        marketplace: param(c, 'marketplace'),
        accountId: param(c, 'accountId'),
        externalId: param(c, 'externalId'),
      }),
  );
  page(
    '/sync',
    () => 'Sync runs and failures',
    (ctx) => syncPage(ctx),
  );
  page(
    '/alerts',
    () => 'Alerts',
    (ctx) => alertsPage(ctx),
  );

  // The API's event stream, relayed with the operator's key (a browser's EventSource cannot send
  // one). 204 tells the browser not to reconnect when the API streams no events.
  app.get('/events', async (c) => {
    const upstream = await clientOf(c).raw('/events', { signal: c.req.raw.signal });
    if (!upstream.ok || upstream.body === null) {
      await upstream.body?.cancel();
      return c.body(null, 204);
    }
    return new Response(upstream.body, {
      headers: {
        'content-type': 'text/event-stream',
        'cache-control': 'no-store',
        'x-accel-buffering': 'no',
      },
    });
  });

  /**
   * A dashboard action: the form's one-time idempotency key goes to the API as `Idempotency-Key`
   * (a double submit is answered once), and the outcome is shown on the page it redirects to.
   */
  const action = (
    path: string,
    run: (
      client: ApiClient,
      form: Record<string, string | string[]>,
      idempotencyKey: string,
      c: DashboardContext,
    ) => Promise<{ back: string; notice: string; error?: boolean; location?: string }>,
  ) =>
    app.post(path, async (c) => {
      const parsed = await c.req.parseBody({ all: true });
      const form: Record<string, string | string[]> = {};
      for (const [name, value] of Object.entries(parsed)) {
        if (typeof value === 'string') form[name] = value;
        else if (Array.isArray(value))
          form[name] = value.filter((entry): entry is string => typeof entry === 'string');
      }
      const key =
        typeof form.idempotencyKey === 'string' && IDEMPOTENCY_KEY.test(form.idempotencyKey)
          ? `admin-${form.idempotencyKey}`
          : `admin-${crypto.randomUUID()}`;
      const outcome = await run(clientOf(c), form, key, c);
      if (outcome.location !== undefined) return c.redirect(outcome.location, 303);
      setNotice(c, outcome.notice, outcome.error ?? false);
      return c.redirect(`${base}${outcome.back}`, 303);
    });

  const refused = (back: string, error: ApiCallError | undefined) => ({
    back,
    error: true,
    notice:
      error?.status === 403 && error.problem.kind === 'permission'
        ? `Refused: ${error.message}.`
        : `The API refused (${error?.status ?? '?'}): ${error?.message ?? 'no detail'}`,
  });
  const text = (form: Record<string, string | string[]>, name: string) => {
    const value = form[name];
    return typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined;
  };
  const list = (form: Record<string, string | string[]>, name: string) => {
    const value = form[name];
    return value === undefined ? [] : Array.isArray(value) ? value : [value];
  };
  const segment = (value: string) => encodeURIComponent(value);

  action('/accounts/:marketplace/connect', async (client, _form, key, c) => {
    const marketplace = param(c, 'marketplace');
    const result = await client.send<{ authorizationUrl: string }>(
      'POST',
      `/accounts/${segment(marketplace)}/authorizations`,
      {},
      key,
    );
    if (!result.ok || !result.body) return refused('/accounts', result.error);
    const url = options.authorizationUrl
      ? options.authorizationUrl(result.body.authorizationUrl, marketplace)
      : result.body.authorizationUrl;
    return { back: '/accounts', notice: '', location: url };
  });
  action('/accounts/:marketplace/:accountId/disconnect', async (client, _form, _key, c) => {
    const marketplace = param(c, 'marketplace');
    const accountId = param(c, 'accountId');
    const result = await client.send('DELETE', `/accounts/${segment(marketplace)}/${segment(accountId)}`);
    if (!result.ok) return refused('/accounts', result.error);
    return { back: '/accounts', notice: `Disconnected ${accountId} on ${marketplace}.` };
  });
  action('/catalog/:sku/publish', async (client, form, key, c) => {
    const sku = param(c, 'sku');
    const targets = list(form, 'target')
      .map((value) => /^(meli|shopee|tiktok):(.+)$/.exec(value))
      .filter((match): match is RegExpExecArray => match !== null)
      .map((match) => ({ marketplace: match[1], accountId: match[2] }));
    if (targets.length === 0)
      return { back: '/catalog', notice: 'Choose at least one account to publish to.', error: true };
    const result = await client.send<{
      results: Array<{
        marketplace: string;
        accountId: string;
        status: string;
        error?: { detail?: string; reason?: string; message?: string } | string;
      }>;
    }>('POST', `/products/${segment(sku)}/publish`, { targets }, key);
    if (!result.ok || !result.body) return refused('/catalog', result.error);
    const failed = result.body.results.filter((entry) => entry.status !== 'published');
    const words = result.body.results.map((entry) => {
      const reason =
        typeof entry.error === 'string'
          ? entry.error
          : (entry.error?.detail ?? entry.error?.reason ?? entry.error?.message);
      return `${accountName(entry.marketplace, entry.accountId)}: ${entry.status}${reason ? ` (${reason})` : ''}`;
    });
    return { back: '/catalog', notice: `Published ${sku}: ${words.join('; ')}.`, error: failed.length > 0 };
  });
  action('/inventory/reconcile', async (client, _form, key) => {
    const result = await client.send<ReconcileItem>('POST', '/inventory/reconcile', { repair: true }, key);
    if (!result.ok || !result.body) return refused('/inventory', result.error);
    const { checked, drift, failed } = result.body;
    return {
      back: '/inventory',
      error: failed.length > 0,
      notice: `Reconciled: ${checked} listing values checked, ${drift.length} differed${drift.length > 0 ? ` (${drift.filter((entry) => entry.repaired).length} repaired)` : ''}${failed.length > 0 ? `, ${failed.length} could not be read` : ''}.`,
    };
  });
  action('/inventory/:sku', async (client, form, key, c) => {
    const sku = param(c, 'sku');
    const quantity = Number(text(form, 'quantity'));
    if (!Number.isInteger(quantity) || quantity < 0) {
      return {
        back: '/inventory',
        notice: `The stock of ${sku} must be a whole number of 0 or more.`,
        error: true,
      };
    }
    const result = await client.send<{ applied: boolean }>(
      'PUT',
      `/inventory/${segment(sku)}`,
      { quantity, reason: 'admin.set' },
      key,
    );
    if (!result.ok) return refused('/inventory', result.error);
    return {
      back: '/inventory',
      notice: `The stock of ${sku} is ${quantity}; it is being sent to every listing.`,
    };
  });
  const orderPath = (c: DashboardContext) =>
    `/orders/${segment(param(c, 'marketplace'))}/${segment(param(c, 'accountId'))}/${segment(param(c, 'externalId'))}`;
  action('/orders/:marketplace/:accountId/:externalId/ship', async (client, form, key, c) => {
    const path = orderPath(c);
    const body = {
      ...(text(form, 'carrier') === undefined ? {} : { carrier: text(form, 'carrier') }),
      ...(text(form, 'trackingNumber') === undefined ? {} : { trackingNumber: text(form, 'trackingNumber') }),
      ...(text(form, 'method') === undefined ? {} : { method: text(form, 'method') }),
    };
    const result = await client.send('POST', `${path}/fulfillment`, body, key);
    if (!result.ok) return refused(path, result.error);
    return { back: path, notice: 'Shipped: the marketplace has the shipment.' };
  });
  action('/orders/:marketplace/:accountId/:externalId/cancel', async (client, form, key, c) => {
    const path = orderPath(c);
    const reason = text(form, 'reason');
    const result = await client.send(
      'POST',
      `${path}/cancellation`,
      reason === undefined ? {} : { reason },
      key,
    );
    if (!result.ok) return refused(path, result.error);
    return { back: path, notice: 'Cancelled on the marketplace.' };
  });
  action('/sync/runs', async (client, form, key) => {
    const kind = text(form, 'kind') ?? 'orders.poll';
    const account = /^(meli|shopee|tiktok):(.+)$/.exec(text(form, 'account') ?? '');
    const result = await client.send<{ runId: string }>(
      'POST',
      '/sync/runs',
      { kind, ...(account ? { marketplace: account[1], accountId: account[2] } : {}) },
      key,
    );
    if (!result.ok) return refused('/sync', result.error);
    return { back: '/sync', notice: `Started ${kind}.` };
  });
  action('/sync/failures/:id/retry', async (client, _form, key, c) => {
    const result = await client.send('POST', `/sync/failures/${segment(param(c, 'id'))}/retry`, {}, key);
    if (!result.ok) return refused('/sync', result.error);
    return { back: '/sync', notice: 'Retrying: a new run started.' };
  });
  action('/alerts/:id/resolve', async (client, _form, key, c) => {
    const result = await client.send<{ title?: string }>(
      'POST',
      `/alerts/${segment(param(c, 'id'))}/resolve`,
      {},
      key,
    );
    if (!result.ok) return refused('/alerts', result.error);
    return { back: '/alerts', notice: `Resolved${result.body?.title ? `: ${result.body.title}` : ''}.` };
  });

  return app;
}
