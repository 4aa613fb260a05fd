import { createHash } from 'node:crypto';
import { AuthenticationError, createManualClock, ValidationError } from '@mlh/core';
import { HttpResponse, http } from 'msw';
import { describe, expect, it } from 'vitest';
import {
  createMeliAuthorizationRequest,
  createMeliTransport,
  exchangeMeliCode,
  MELI_AUTH_BASE_URLS,
  meliAuthBaseUrl,
  readMeliCallback,
  refreshMeliToken,
} from '../src/index';
import {
  API,
  APP_ID,
  APP_SECRET,
  drive,
  REDIRECT_URI,
  rejectionOf,
  SELLER,
  storeWithTokens,
  testMeli,
  useServer,
} from './support';

const server = useServer();

describe('authorization URL', () => {
  it.each([
    ['MLA', 'https://auth.mercadolibre.com.ar'],
    ['MLB', 'https://auth.mercadolivre.com.br'],
    ['MLM', 'https://auth.mercadolibre.com.mx'],
    ['MLC', 'https://auth.mercadolibre.cl'],
    ['MCO', 'https://auth.mercadolibre.com.co'],
    ['MLU', 'https://auth.mercadolibre.com.uy'],
    ['MPE', 'https://auth.mercadolibre.com.pe'],
    ['MEC', 'https://auth.mercadolibre.com.ec'],
    ['MLV', 'https://auth.mercadolibre.com.ve'],
    ['MPA', 'https://auth.mercadolibre.com.pa'],
    ['MCR', 'https://auth.mercadolibre.com.cr'],
    ['MRD', 'https://auth.mercadolibre.com.do'],
    ['MBO', 'https://auth.mercadolibre.com.bo'],
  ])('%s authorizes on %s', async (siteId, base) => {
    const request = await createMeliAuthorizationRequest({
      clientId: APP_ID,
      redirectUri: REDIRECT_URI,
      siteId,
    });
    const url = new URL(request.url);
    expect(`${url.origin}${url.pathname}`).toBe(`${base}/authorization`);
    expect(Object.fromEntries(url.searchParams)).toEqual({
      response_type: 'code',
      client_id: APP_ID,
      redirect_uri: REDIRECT_URI,
      state: request.state,
    });
    expect(request.codeVerifier).toBeUndefined();
  });

  it('has a table entry for every site it claims', () => {
    expect(Object.keys(MELI_AUTH_BASE_URLS)).toHaveLength(13);
  });

  it('refuses a site it has no domain for, unless told the domain', () => {
    expect(() => meliAuthBaseUrl('MPY')).toThrow(ValidationError);
    expect(meliAuthBaseUrl('MPY', { MPY: 'https://auth.mercadolibre.com.py' })).toBe(
      'https://auth.mercadolibre.com.py',
    );
  });

  it('generates a fresh, unguessable state each time', async () => {
    const options = { clientId: APP_ID, redirectUri: REDIRECT_URI };
    const a = await createMeliAuthorizationRequest(options);
    const b = await createMeliAuthorizationRequest(options);
    expect(a.state).not.toBe(b.state);
    expect(a.state.length).toBeGreaterThanOrEqual(43);
  });

  it('adds an S256 PKCE challenge of a fresh verifier', async () => {
    const request = await createMeliAuthorizationRequest({
      clientId: APP_ID,
      redirectUri: REDIRECT_URI,
      pkce: true,
    });
    const url = new URL(request.url);
    const verifier = request.codeVerifier ?? '';
    expect(verifier).toMatch(/^[A-Za-z0-9_-]{43,128}$/);
    expect(url.searchParams.get('code_challenge_method')).toBe('S256');
    expect(url.searchParams.get('code_challenge')).toBe(
      createHash('sha256').update(verifier).digest('base64url'),
    );
  });
  it("takes the caller's verifier (a server that keeps it elsewhere) and refuses one RFC 7636 does not allow", async () => {
    const verifier = 'v'.repeat(43);
    const request = await createMeliAuthorizationRequest({
      clientId: APP_ID,
      redirectUri: REDIRECT_URI,
      codeVerifier: verifier,
    });
    expect(request.codeVerifier).toBe(verifier);
    expect(new URL(request.url).searchParams.get('code_challenge')).toBe(
      createHash('sha256').update(verifier).digest('base64url'),
    );
    await expect(
      createMeliAuthorizationRequest({ clientId: APP_ID, redirectUri: REDIRECT_URI, codeVerifier: 'short' }),
    ).rejects.toMatchObject({ issues: [{ path: 'codeVerifier' }] });
  });
});

describe('callback', () => {
  it('returns the code when the state matches', () => {
    expect(readMeliCallback(`${REDIRECT_URI}?code=TG-abc-${SELLER}&state=s1`, 's1')).toEqual({
      code: `TG-abc-${SELLER}`,
    });
  });

  it('refuses a state that does not match (the API never checks it)', () => {
    const error = (() => {
      try {
        readMeliCallback({ code: 'TG-abc', state: 'forged' }, 's1');
      } catch (caught) {
        return caught;
      }
    })();
    expect(error).toBeInstanceOf(AuthenticationError);
    expect((error as AuthenticationError).code).toBe('state_mismatch');
  });

  it('reports a refused authorization and a missing code', () => {
    expect(() => readMeliCallback('?error=access_denied&state=s1', 's1')).toThrow(AuthenticationError);
    expect(() => readMeliCallback('?state=s1', 's1')).toThrow(ValidationError);
  });
});

function tokenBody(access: string, refresh: string) {
  return {
    access_token: access,
    token_type: 'bearer',
    expires_in: 21600,
    scope: 'offline_access read write',
    user_id: Number(SELLER),
    refresh_token: refresh,
  };
}

describe('code exchange', () => {
  it('posts the form-encoded grant in the body and returns a TokenSet', async () => {
    const clock = createManualClock();
    let seen: { contentType: string | null; body: string; query: string; auth: string | null } | undefined;
    server.use(
      http.post(`${API}/oauth/token`, async ({ request }) => {
        seen = {
          contentType: request.headers.get('content-type'),
          body: await request.text(),
          query: new URL(request.url).search,
          auth: request.headers.get('authorization'),
        };
        return HttpResponse.json(tokenBody('APP_USR-new', 'TG-new'));
      }),
    );
    const tokens = await exchangeMeliCode(createMeliTransport({ clock }), {
      clientId: APP_ID,
      clientSecret: APP_SECRET,
      code: 'TG-code',
      redirectUri: REDIRECT_URI,
      codeVerifier: 'verifier-123',
      clock,
    });
    expect(seen?.contentType).toBe('application/x-www-form-urlencoded');
    expect(seen?.query).toBe('');
    expect(seen?.auth).toBeNull();
    expect(Object.fromEntries(new URLSearchParams(seen?.body))).toEqual({
      grant_type: 'authorization_code',
      client_id: APP_ID,
      client_secret: APP_SECRET,
      code: 'TG-code',
      redirect_uri: REDIRECT_URI,
      code_verifier: 'verifier-123',
    });
    expect(tokens).toEqual({
      marketplace: 'meli',
      accountId: SELLER,
      accessToken: 'APP_USR-new',
      refreshToken: 'TG-new',
      tokenType: 'Bearer',
      expiresAt: clock.now() + 21_600_000,
      scopes: ['offline_access', 'read', 'write'],
    });
  });

  it('createMeli checks the state, exchanges the code and stores the tokens', async () => {
    server.use(http.post(`${API}/oauth/token`, () => HttpResponse.json(tokenBody('APP_USR-a', 'TG-a'))));
    const store = await storeWithTokens(Date.now());
    await store.delete('meli', SELLER);
    const meli = testMeli(store);
    const started = await meli.authorizationUrl({ siteId: 'MLC' });
    expect(started.url.startsWith('https://auth.mercadolibre.cl/authorization?')).toBe(true);

    await expect(meli.exchangeCode(`${REDIRECT_URI}?code=TG-x&state=wrong`, started)).rejects.toThrow(
      AuthenticationError,
    );
    expect(await store.get('meli', SELLER)).toBeUndefined();

    const saved = await meli.exchangeCode(`${REDIRECT_URI}?code=TG-x&state=${started.state}`, started);
    expect(saved).toMatchObject({ accountId: SELLER, accessToken: 'APP_USR-a', refreshToken: 'TG-a' });
    expect(await store.get('meli', SELLER)).toMatchObject({ refreshToken: 'TG-a' });
  });

  it('reads both shapes of invalid_grant as "authorize again"', async () => {
    const transport = createMeliTransport();
    for (const body of [
      { error_description: 'Error validating grant.', error: 'invalid_grant', status: 400, cause: [] },
      { message: 'Error validating grant.', error: 'invalid_grant', status: 400, cause: [] },
    ]) {
      server.use(http.post(`${API}/oauth/token`, () => HttpResponse.json(body, { status: 400 })));
      const error = await rejectionOf(
        exchangeMeliCode(transport, {
          clientId: APP_ID,
          clientSecret: APP_SECRET,
          code: 'old',
          redirectUri: REDIRECT_URI,
        }),
      );
      expect(error).toBeInstanceOf(AuthenticationError);
      expect(error).toMatchObject({ code: 'invalid_grant', reauthorizationRequired: true, status: 400 });
      expect(String((error as Error).message)).not.toContain(APP_SECRET);
    }
  });
});

describe('refresh through the token manager', () => {
  /** A token endpoint with single-use, rotating refresh tokens, like Mercado Livre's. */
  function rotatingTokenEndpoint(firstRefresh = 'TG-refresh-1') {
    let valid = firstRefresh;
    let generation = 1;
    const calls: string[] = [];
    server.use(
      http.post(`${API}/oauth/token`, async ({ request }) => {
        const form = new URLSearchParams(await request.text());
        const used = form.get('refresh_token') ?? '';
        calls.push(used);
        if (form.get('grant_type') !== 'refresh_token' || used !== valid) {
          return HttpResponse.json(
            { message: 'Error validating grant', error: 'invalid_grant', status: 400, cause: [] },
            { status: 400 },
          );
        }
        generation += 1;
        valid = `TG-refresh-${generation}`;
        return HttpResponse.json(tokenBody(`APP_USR-access-${generation}`, valid));
      }),
    );
    return { calls };
  }

  it('50 concurrent calls over an expiring token cause one refresh, and the rotated token is stored', async () => {
    const { calls } = rotatingTokenEndpoint();
    const store = await storeWithTokens(Date.now(), 60_000);
    const authorizations: string[] = [];
    server.use(
      http.get(`${API}/users/me`, ({ request }) => {
        authorizations.push(request.headers.get('authorization') ?? '');
        return HttpResponse.json({ id: Number(SELLER), site_id: 'MLB', tags: [] });
      }),
    );
    const client = testMeli(store).forAccount(SELLER);
    await Promise.all(Array.from({ length: 50 }, () => client.users.me()));

    expect(calls).toEqual(['TG-refresh-1']);
    expect(authorizations).toHaveLength(50);
    expect(new Set(authorizations)).toEqual(new Set(['Bearer APP_USR-access-2']));
    expect(await store.get('meli', SELLER)).toMatchObject({
      accessToken: 'APP_USR-access-2',
      refreshToken: 'TG-refresh-2',
    });
  });

  it('uses the rotated refresh token next time, never the spent one', async () => {
    const clock = createManualClock(Date.now());
    const { calls } = rotatingTokenEndpoint();
    const store = await storeWithTokens(clock.now(), 60_000);
    server.use(http.get(`${API}/users/me`, () => HttpResponse.json({ id: Number(SELLER), tags: [] })));
    const meli = testMeli(store, { transport: { clock } });
    const client = meli.forAccount(SELLER);
    await drive(clock, client.users.me());
    await clock.advance(6 * 3_600_000);
    await drive(clock, client.users.me());
    expect(calls).toEqual(['TG-refresh-1', 'TG-refresh-2']);
    expect(await store.get('meli', SELLER)).toMatchObject({ refreshToken: 'TG-refresh-3' });
  });

  it('a refused refresh token marks the account for re-authorization and fails with AuthenticationError', async () => {
    rotatingTokenEndpoint('TG-someone-else-used-it');
    const clock = createManualClock(Date.now());
    const store = await storeWithTokens(clock.now(), 60_000);
    const meli = testMeli(store, { transport: { clock } });
    const revoked: string[] = [];
    meli.tokens.on('reauthorizationRequired', ({ accountId }) => revoked.push(accountId));
    const client = meli.forAccount(SELLER);
    const error = await rejectionOf(drive(clock, client.users.me()));
    expect(error).toBeInstanceOf(AuthenticationError);
    expect((error as AuthenticationError).reauthorizationRequired).toBe(true);
    expect(revoked).toEqual([SELLER]);
    expect(await store.get('meli', SELLER)).toMatchObject({ reauthorizationRequired: true });
  });
});

describe('refresh per account', () => {
  it("counts each account's refresh against its own rate-limit bucket, with no bearer token", async () => {
    const other = '987654321';
    const authorizations: (string | null)[] = [];
    server.use(
      http.post(`${API}/oauth/token`, async ({ request }) => {
        authorizations.push(request.headers.get('authorization'));
        const form = new URLSearchParams(await request.text());
        const user = form.get('refresh_token') === 'TG-other' ? other : SELLER;
        return HttpResponse.json({ ...tokenBody('APP_USR-new', 'TG-new'), user_id: Number(user) });
      }),
    );
    const keys: string[] = [];
    const transport = createMeliTransport({
      rateLimits: { write: { perSecond: 100 } },
      rateLimiter: {
        reserve: (key) => {
          keys.push(key);
          return 0;
        },
      },
    });
    const credentials = { clientId: APP_ID, clientSecret: APP_SECRET };
    await refreshMeliToken(transport, credentials, { accountId: SELLER, refreshToken: 'TG-seller' });
    await refreshMeliToken(transport, credentials, { accountId: other, refreshToken: 'TG-other' });

    expect(keys).toHaveLength(2);
    expect(keys[0]).toContain(`:account:${SELLER}:`);
    expect(keys[1]).toContain(`:account:${other}:`);
    expect(authorizations).toEqual([null, null]);
  });
});

describe('secrets', () => {
  it('never puts the app secret or a whole token in a log line or an error', async () => {
    const lines: string[] = [];
    const write = (message: string, fields?: Record<string, unknown>) => {
      lines.push(`${message} ${JSON.stringify(fields ?? {})}`);
    };
    const logger = { debug: write, info: write, warn: write, error: write };
    server.use(
      http.post(`${API}/oauth/token`, () =>
        HttpResponse.json(
          { message: 'Error validating grant', error: 'invalid_grant', status: 400 },
          { status: 400 },
        ),
      ),
      http.get(`${API}/users/me`, () =>
        HttpResponse.json({ message: 'invalid access token', status: 401 }, { status: 401 }),
      ),
    );
    const clock = createManualClock(Date.now());
    const store = await storeWithTokens(clock.now());
    const client = testMeli(store, { transport: { clock, logger } }).forAccount(SELLER);
    const error = await rejectionOf(drive(clock, client.users.me()));
    const texts = [...lines, String(error), JSON.stringify(error), (error as Error).stack ?? ''];
    for (const secret of [APP_SECRET, 'APP_USR-current-access', 'TG-refresh-1']) {
      expect(texts.filter((text) => text.includes(secret))).toEqual([]);
    }
    expect(lines.length).toBeGreaterThan(0);
  });
});

describe('browser-facing URLs', () => {
  const base = { clientId: '123', redirectUri: 'https://shop.example.com/meli/callback' };

  it.each([
    ['redirectUri', { redirectUri: 'http://shop.example.com/meli/callback' }],
    ['authBaseUrl', { authBaseUrl: 'http://auth.mercadolivre.com.br' }],
    ['redirectUri', { redirectUri: 'javascript:alert(1)' }],
  ])('refuses plain http (or another scheme) in %s', async (field, override) => {
    const error = await rejectionOf(createMeliAuthorizationRequest({ ...base, ...override }));
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).issues).toEqual([expect.objectContaining({ path: field })]);
  });

  it.each(['http://localhost:3000/cb', 'http://127.0.0.1:8080/cb', 'http://[::1]:3000/cb'])(
    'accepts plain http to the loopback host %s',
    async (redirectUri) => {
      const auth = await createMeliAuthorizationRequest({
        ...base,
        redirectUri,
        authBaseUrl: 'http://localhost:9999',
      });
      expect(new URL(auth.url).searchParams.get('redirect_uri')).toBe(redirectUri);
    },
  );
});
