import { describe, expect, it } from 'vitest';
import { createMeliSandbox } from '../src/index';
import { startSandboxServer } from '../src/server';

describe('Mercado Livre sandbox over real HTTP', () => {
  it('serves the sandbox on a local port, routed by host segment, header or default host', async () => {
    const meli = createMeliSandbox();
    const seller = meli.addSeller();
    const { access_token: token } = meli.issueTokens(seller.id);
    const item = meli.addItem({ title: 'Caneca via HTTP' });
    const server = await startSandboxServer(meli.handlers, { port: 0, defaultHost: 'api.mercadolibre.com' });
    try {
      const auth = { authorization: `Bearer ${token}` };
      const byHostSegment = await fetch(`${server.url}/api.mercadolibre.com/users/me`, { headers: auth });
      expect((await byHostSegment.json()).id).toBe(seller.id);
      const byHeader = await fetch(`${server.url}/items/${item.id}`, {
        headers: { ...auth, 'x-mlh-sandbox-host': 'api.mercadolibre.com' },
      });
      expect((await byHeader.json()).title).toBe('Caneca via HTTP');
      const form = new URLSearchParams({
        grant_type: 'refresh_token',
        client_id: String(meli.app.id),
        client_secret: meli.app.secret,
        refresh_token: 'TG-nope',
      });
      const refresh = await fetch(`${server.url}/oauth/token`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: form.toString(),
      });
      expect(refresh.status).toBe(400);
      expect((await refresh.json()).error).toBe('invalid_grant');
      meli.faults.inject({ path: '/users/me', fault: { drop: true } });
      await expect(fetch(`${server.url}/users/me`, { headers: auth })).rejects.toThrow();
    } finally {
      await server.close();
    }
  });
});
