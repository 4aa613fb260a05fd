import { describe, expect, it } from 'vitest';
import { API, call, useMeliServer, withSeller } from './meli-setup';

const sandbox = useMeliServer();

const body = {
  title: 'Caneca',
  category_id: 'MLB1234',
  price: 10,
  currency_id: 'BRL',
  available_quantity: 1,
  buying_mode: 'buy_it_now',
  listing_type_id: 'gold_special',
  condition: 'new',
  pictures: [{ source: 'https://example.com/a.jpg' }],
};

function post(token: string) {
  return fetch(`${API}/items`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
}

describe('Mercado Livre sandbox: faults, rate limit and stats', () => {
  it('answers an injected status in the Mercado Livre error shape, without processing', async () => {
    const meli = sandbox();
    const { token } = withSeller(meli);
    meli.faults.inject({ method: 'POST', path: '/items', fault: { status: 503 } });
    const response = await call(token, '/items', { method: 'POST', body });
    expect(response).toMatchObject({
      status: 503,
      body: { error: 'service_unavailable', status: 503, cause: [] },
    });
    expect(meli.listItems()).toEqual([]);
  });

  it('fails only the nth call', async () => {
    const meli = sandbox();
    const { token } = withSeller(meli);
    meli.faults.inject({ path: '/users/me', nth: 2, fault: { status: 500 } });
    const statuses = [];
    for (let call_ = 0; call_ < 3; call_ += 1) statuses.push((await call(token, '/users/me')).status);
    expect(statuses).toEqual([200, 500, 200]);
  });

  it('delays a response and then answers normally', async () => {
    const meli = sandbox();
    const { token } = withSeller(meli);
    meli.faults.inject({ fault: { latencyMs: 5 } });
    expect((await call(token, '/users/me')).status).toBe(200);
    expect(meli.faults.applied.map((fault) => fault.kind)).toEqual(['latency']);
  });

  it('drops the connection without processing', async () => {
    const meli = sandbox();
    const { token } = withSeller(meli);
    meli.faults.inject({ method: 'POST', path: '/items', fault: { drop: true } });
    await expect(post(token)).rejects.toThrow();
    expect(meli.listItems()).toEqual([]);
  });

  it('answers malformed JSON without processing', async () => {
    const meli = sandbox();
    const { token } = withSeller(meli);
    meli.faults.inject({ method: 'POST', path: '/items', fault: { malformedJson: true } });
    const response = await post(token);
    expect(response.status).toBe(200);
    await expect(response.json()).rejects.toThrow();
    expect(meli.listItems()).toEqual([]);
  });

  it('processes a write but truncates its JSON', async () => {
    const meli = sandbox();
    const { token } = withSeller(meli);
    meli.faults.inject({ method: 'POST', path: '/items', fault: { truncatedJson: true } });
    const response = await post(token);
    await expect(response.json()).rejects.toThrow();
    expect(meli.listItems()).toHaveLength(1);
  });

  it('processes a write and then loses the response: the item exists although the call failed', async () => {
    const meli = sandbox();
    const { seller, token } = withSeller(meli);
    meli.faults.inject({ method: 'POST', path: '/items', fault: { lostResponse: true } });
    await expect(post(token)).rejects.toThrow();
    const [created] = meli.listItems();
    expect(created?.title).toBe('Caneca');
    const search = await call(token, `/users/${seller.id}/items/search`);
    expect(search.body.results).toEqual([created?.id]);
  });

  it('answers 429 too_many_requests over the rate limit until the clock refills it', async () => {
    const meli = sandbox({ rateLimit: { requestsPerSecond: 2 }, behaviour: { retryAfterHeader: true } });
    const { token } = withSeller(meli);
    expect((await call(token, '/users/me')).status).toBe(200);
    expect((await call(token, '/users/me')).status).toBe(200);
    const limited = await call(token, '/users/me');
    expect(limited).toMatchObject({
      status: 429,
      body: { message: 'Too Many Requests', error: 'too_many_requests', status: 429, cause: [] },
    });
    expect(limited.headers.get('retry-after')).toBe('1');
    meli.clock.advance(500);
    expect((await call(token, '/users/me')).status).toBe(200);
    meli.setRateLimit(undefined);
    for (let index = 0; index < 5; index += 1) expect((await call(token, '/users/me')).status).toBe(200);
  });

  it('with an app rate limit, the sellers of one app share a bucket besides their own', async () => {
    const meli = sandbox({ appRateLimit: { requestsPerSecond: 2 } });
    const first = withSeller(meli).token;
    const second = withSeller(meli).token;
    expect((await call(first, '/users/me')).status).toBe(200);
    expect((await call(second, '/users/me')).status).toBe(200);
    expect(await call(first, '/users/me')).toMatchObject({
      status: 429,
      body: { error: 'too_many_requests', status: 429 },
    });
    expect((await call(second, '/users/me')).status).toBe(429);
    meli.clock.advance(500);
    expect((await call(second, '/users/me')).status).toBe(200);
  });

  it('counts API calls by route and forgets everything on reset', async () => {
    const meli = sandbox();
    const { token } = withSeller(meli);
    const item = meli.addItem();
    await call(token, `/items/${item.id}`);
    await call(token, `/items/${item.id}`);
    await call(token, '/users/me');
    await call(token, '/nowhere');
    expect(meli.stats()).toEqual({
      requests: 4,
      byPath: { 'GET /items/:id': 2, 'GET /users/me': 1, unmatched: 1 },
    });
    meli.reset();
    expect(meli.stats().requests).toBe(0);
    expect(meli.listItems()).toEqual([]);
    expect((await call(token, '/users/me')).status).toBe(401);
  });
});
