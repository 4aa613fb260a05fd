import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EncryptedTokenStore, generateTokenEncryptionKey, type MarketplaceId } from '@mlh/core';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { FileTokenStore } from '../lib/file-token-store';
import { main as oauthMeli } from '../oauth-meli';
import { main as oauthShopee } from '../oauth-shopee';
import { main as oauthTikTok } from '../oauth-tiktok';

let directory: string;
let tokenFile: string;
const key = generateTokenEncryptionKey();
const env = { MLH_TOKEN_KEY: key };

beforeEach(() => {
  directory = mkdtempSync(join(tmpdir(), 'mlh-oauth-'));
  tokenFile = join(directory, 'tokens.json');
});
afterEach(() => rmSync(directory, { recursive: true, force: true }));

/** The seller's browser: opens the authorization page, which redirects to the app's callback. */
function browser(record: { callback?: URL; page?: string }, tamper: (callback: URL) => void = () => {}) {
  return async (authorizationUrl: string) => {
    const consent = await fetch(authorizationUrl, { redirect: 'manual' });
    expect(consent.status).toBe(302);
    const callback = new URL(consent.headers.get('location') ?? '');
    expect(callback.hostname).toBe('127.0.0.1');
    expect(callback.searchParams.get('code')).toBeTruthy();
    tamper(callback);
    record.callback = callback;
    const page = await fetch(callback);
    record.page = `${page.status} ${await page.text()}`;
  };
}

/** The file holds JWE only; the key reads back the tokens the example returned. */
async function expectEncryptedAtRest(marketplace: MarketplaceId, accountId: string, accessToken: string) {
  const file = readFileSync(tokenFile, 'utf8');
  expect(file).not.toContain(accessToken);
  const raw = await new FileTokenStore(tokenFile).get(marketplace, accountId);
  expect(raw?.accessToken.split('.')).toHaveLength(5);
  const decrypted = await new EncryptedTokenStore(new FileTokenStore(tokenFile), { key }).get(
    marketplace,
    accountId,
  );
  expect(decrypted?.accessToken).toBe(accessToken);
}

describe('OAuth bootstrap examples, against the sandboxes', () => {
  it('Mercado Livre: the callback checks state, exchanges the code and stores the tokens encrypted', async () => {
    const seen: { callback?: URL; page?: string } = {};
    const tokens = await oauthMeli({ env, tokenFile, print: () => {}, browser: browser(seen) });
    expect(seen.callback?.pathname).toBe('/meli/callback');
    expect(seen.page).toBe(
      `200 Mercado Livre seller ${tokens.accountId} connected. You can close this tab.\n`,
    );
    expect(tokens.refreshToken).toBeTruthy();
    await expectEncryptedAtRest('meli', tokens.accountId, tokens.accessToken);
  });

  it('Shopee: the shop id comes back with the code, and one token set per shop is stored encrypted', async () => {
    const seen: { callback?: URL; page?: string } = {};
    const grant = await oauthShopee({ env, tokenFile, print: () => {}, browser: browser(seen) });
    expect(seen.callback?.pathname).toBe('/shopee/callback');
    expect(seen.callback?.searchParams.get('shop_id')).toBe(grant.shopIds[0]);
    expect(seen.page).toMatch(/^200 Shopee shop\(s\) \d+ connected/);
    const [tokens] = grant.tokenSets;
    await expectEncryptedAtRest('shopee', tokens?.accountId ?? '', tokens?.accessToken ?? '');
  });

  it('TikTok Shop: the shops of the grant are stored encrypted, with their cipher', async () => {
    const seen: { callback?: URL; page?: string } = {};
    const authorization = await oauthTikTok({ env, tokenFile, print: () => {}, browser: browser(seen) });
    expect(seen.callback?.pathname).toBe('/tiktok/callback');
    expect(seen.page).toMatch(/^200 TikTok Shop .+ connected/);
    const [shop] = authorization.shops;
    const [tokens] = authorization.tokenSets;
    expect(tokens?.accountId).toBe(shop?.id);
    expect(tokens?.extra).toMatchObject({ shopCipher: shop?.cipher });
    await expectEncryptedAtRest('tiktok', tokens?.accountId ?? '', tokens?.accessToken ?? '');
  });

  it.each([
    ['Mercado Livre', oauthMeli],
    ['Shopee', oauthShopee],
    ['TikTok Shop', oauthTikTok],
  ] as const)('%s: a callback with a forged state is refused and nothing is stored', async (_name, main) => {
    const seen: { callback?: URL; page?: string } = {};
    const forge = (callback: URL) => {
      const url = callback.searchParams.has('state') ? callback : undefined;
      url?.searchParams.set('state', 'forged-by-an-attacker');
    };
    await expect(main({ env, tokenFile, print: () => {}, browser: browser(seen, forge) })).rejects.toThrow();
    // The seller's tab shows the refusal.
    await vi.waitFor(() => expect(seen.page).toMatch(/^400 Authorization failed: .*state does not match/));
    expect(() => readFileSync(tokenFile)).toThrow();
  });
});
