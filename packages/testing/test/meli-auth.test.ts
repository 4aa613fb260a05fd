import { describe, expect, it } from 'vitest';
import { sha256Base64Url } from '../src/index';
import { API, call, tokenCall, useMeliServer, withSeller } from './meli-setup';

const sandbox = useMeliServer();
const INVALID_GRANT = {
  error_description:
    'Error validating grant. Your authorization code or refresh token may be expired or it was already used',
  error: 'invalid_grant',
  status: 400,
  cause: [],
};

describe('Mercado Livre sandbox: OAuth', () => {
  it('exchanges an authorization code for tokens with the real lifetimes and shapes', async () => {
    const meli = sandbox();
    const seller = meli.addSeller();
    const { code } = meli.authorize({ state: 'xyz' });
    const { status, body } = await tokenCall({
      grant_type: 'authorization_code',
      client_id: String(meli.app.id),
      client_secret: meli.app.secret,
      code,
      redirect_uri: meli.app.redirectUris[0] as string,
    });
    expect(status).toBe(200);
    expect(body).toMatchObject({
      token_type: 'bearer',
      expires_in: 21600,
      scope: 'offline_access read write',
      user_id: seller.id,
    });
    expect(body.access_token).toMatch(/^APP_USR-/);
    expect(body.refresh_token).toMatch(/^TG-/);
    const me = await call(body.access_token, '/users/me');
    expect(me.body).toMatchObject({ id: seller.id, site_id: 'MLB', nickname: seller.nickname });
  });

  it('redirects the browser from the authorization page with the code and state', async () => {
    const meli = sandbox();
    meli.addSeller();
    const url = new URL('https://auth.mercadolivre.com.br/authorization');
    url.search = new URLSearchParams({
      response_type: 'code',
      client_id: String(meli.app.id),
      redirect_uri: meli.app.redirectUris[0] as string,
      state: 'abc',
    }).toString();
    const response = await fetch(url, { redirect: 'manual' });
    expect(response.status).toBe(302);
    const callback = new URL(response.headers.get('location') ?? '');
    expect(callback.searchParams.get('state')).toBe('abc');
    expect(callback.searchParams.get('code')).toMatch(/^TG-/);

    url.searchParams.set('redirect_uri', 'https://app.example.com/other');
    const mismatch = await fetch(url, { redirect: 'manual' });
    expect(mismatch.status).toBe(400);
    expect(await mismatch.text()).toContain('your client callback has to match with the redirect_uri param');
  });

  it('accepts a code only once', async () => {
    const meli = sandbox();
    meli.addSeller();
    const { code } = meli.authorize();
    const fields = {
      grant_type: 'authorization_code',
      client_id: String(meli.app.id),
      client_secret: meli.app.secret,
      code,
      redirect_uri: meli.app.redirectUris[0] as string,
    };
    expect((await tokenCall(fields)).status).toBe(200);
    expect(await tokenCall(fields)).toEqual({ status: 400, body: INVALID_GRANT });
  });

  it('lets a code expire after ten minutes', async () => {
    const meli = sandbox();
    meli.addSeller();
    const { code } = meli.authorize();
    meli.clock.advance(10 * 60 * 1000);
    const result = await tokenCall({
      grant_type: 'authorization_code',
      client_id: String(meli.app.id),
      client_secret: meli.app.secret,
      code,
      redirect_uri: meli.app.redirectUris[0] as string,
    });
    expect(result).toEqual({ status: 400, body: INVALID_GRANT });
  });

  it('checks the PKCE S256 verifier of a code', async () => {
    const meli = sandbox({ app: { pkce: true } });
    meli.addSeller();
    expect(() => meli.authorize()).toThrow(/code_challenge/);
    const verifier = 'a-long-random-verifier-string-of-at-least-43-characters-xyz';
    const fields = (code: string, extra: Record<string, string>) => ({
      grant_type: 'authorization_code',
      client_id: String(meli.app.id),
      client_secret: meli.app.secret,
      code,
      redirect_uri: meli.app.redirectUris[0] as string,
      ...extra,
    });
    const challenge = await sha256Base64Url(verifier);
    const missing = meli.authorize({ codeChallenge: challenge, codeChallengeMethod: 'S256' });
    expect(await tokenCall(fields(missing.code, {}))).toEqual({
      status: 400,
      body: {
        error_description: 'code_verifier is a required parameter',
        error: 'invalid_request',
        status: 400,
        cause: [],
      },
    });
    const wrong = meli.authorize({ codeChallenge: challenge, codeChallengeMethod: 'S256' });
    expect((await tokenCall(fields(wrong.code, { code_verifier: `${verifier}-wrong` }))).body.error).toBe(
      'invalid_grant',
    );
    const right = meli.authorize({ codeChallenge: challenge, codeChallengeMethod: 'S256' });
    expect((await tokenCall(fields(right.code, { code_verifier: verifier }))).status).toBe(200);
  });

  it('rotates refresh tokens: the new one works, a reused one answers invalid_grant', async () => {
    const meli = sandbox();
    const { tokens } = withSeller(meli);
    const refresh = (token: string) =>
      tokenCall({
        grant_type: 'refresh_token',
        client_id: String(meli.app.id),
        client_secret: meli.app.secret,
        refresh_token: token,
      });
    const first = await refresh(tokens.refresh_token as string);
    expect(first.status).toBe(200);
    expect(first.body.refresh_token).not.toBe(tokens.refresh_token);
    expect(await refresh(tokens.refresh_token as string)).toEqual({ status: 400, body: INVALID_GRANT });
    const second = await refresh(first.body.refresh_token);
    expect(second.status).toBe(200);
    expect((await call(second.body.access_token, '/users/me')).status).toBe(200);
  });

  it('answers the older error shape when configured', async () => {
    const meli = sandbox({ behaviour: { oauthErrorField: 'message' } });
    withSeller(meli);
    const result = await tokenCall({
      grant_type: 'refresh_token',
      client_id: String(meli.app.id),
      client_secret: meli.app.secret,
      refresh_token: 'TG-unknown',
    });
    expect(result.body).toEqual({
      message: INVALID_GRANT.error_description,
      error: 'invalid_grant',
      status: 400,
      cause: [],
    });
  });

  it('rejects a bad client secret and an unknown grant type', async () => {
    const meli = sandbox();
    withSeller(meli);
    const badClient = await tokenCall({
      grant_type: 'refresh_token',
      client_id: String(meli.app.id),
      client_secret: 'wrong',
      refresh_token: 'TG-x',
    });
    expect(badClient.body.error).toBe('invalid_client');
    const badGrant = await tokenCall({
      grant_type: 'password',
      client_id: String(meli.app.id),
      client_secret: meli.app.secret,
    });
    expect(badGrant.body.error).toBe('unsupported_grant_type');
  });

  it('lets a refresh token expire after six months', async () => {
    const meli = sandbox();
    const { tokens } = withSeller(meli);
    meli.clock.advance(181 * 24 * 60 * 60 * 1000);
    const result = await tokenCall({
      grant_type: 'refresh_token',
      client_id: String(meli.app.id),
      client_secret: meli.app.secret,
      refresh_token: tokens.refresh_token as string,
    });
    expect(result.body.error).toBe('invalid_grant');
  });

  it('answers 401 with the real body for a missing, expired or revoked token', async () => {
    const meli = sandbox();
    const { seller, token } = withSeller(meli);
    expect(await call(undefined, '/users/me')).toMatchObject({
      status: 401,
      body: {
        message: 'authorization value not present',
        error: 'unauthorized_request_error',
        status: 401,
        cause: [],
      },
    });
    expect((await call(token, '/users/me')).status).toBe(200);
    meli.clock.advance(6 * 60 * 60 * 1000 - 1);
    expect((await call(token, '/users/me')).status).toBe(200);
    meli.clock.advance(1);
    expect(await call(token, '/users/me')).toMatchObject({
      status: 401,
      body: { message: 'invalid access token', error: 'unauthorized_request_error', status: 401, cause: [] },
    });
    const fresh = meli.issueTokens(seller.id);
    meli.revokeGrant(seller.id);
    expect((await call(fresh.access_token, '/users/me')).status).toBe(401);
  });

  it('revokes a grant through DELETE /users/{id}/applications/{app}', async () => {
    const meli = sandbox();
    const { seller, token, tokens } = withSeller(meli);
    const revoked = await call(token, `/users/${seller.id}/applications/${meli.app.id}`, {
      method: 'DELETE',
    });
    expect(revoked.body).toMatchObject({ user_id: seller.id, app_id: meli.app.id });
    expect((await call(token, '/users/me')).status).toBe(401);
    const refresh = await tokenCall({
      grant_type: 'refresh_token',
      client_id: String(meli.app.id),
      client_secret: meli.app.secret,
      refresh_token: tokens.refresh_token as string,
    });
    expect(refresh.body.error).toBe('invalid_grant');
  });

  it('does not accept the token in the query string', async () => {
    const meli = sandbox();
    const { token } = withSeller(meli);
    const response = await fetch(`${API}/users/me?access_token=${token}`);
    expect(response.status).toBe(401);
  });
});
