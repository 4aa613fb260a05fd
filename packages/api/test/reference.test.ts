import { createHash } from 'node:crypto';
import { Window } from 'happy-dom';
import { Hono } from 'hono';
import { setupServer } from 'msw/node';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import type { MlhApi } from '../src/index';
import { createWorld, type World } from './world';

/**
 * `GET /reference`: the page is checked as text (self-contained, every operation, labelled
 * fields) and then driven in happy-dom with its own script, whose `fetch` goes to the app: no
 * network anywhere.
 */

const server = setupServer();
beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterAll(() => server.close());

let world: World;
beforeEach(async () => {
  world = await createWorld(server);
});

type OpenApi = {
  paths: Record<
    string,
    Record<
      string,
      {
        operationId: string;
        parameters?: Array<{ name: string; in: string }>;
        responses: Record<string, unknown>;
      }
    >
  >;
};

const inlineBlocks = (html: string, tag: 'script' | 'style') =>
  [...html.matchAll(new RegExp(`<${tag}>([\\s\\S]*?)</${tag}>`, 'g'))].map((match) => match[1]!);

const sha256 = (text: string) => `'sha256-${createHash('sha256').update(text, 'utf8').digest('base64')}'`;

describe('GET /reference', () => {
  it('serves a self-contained page whose inline style and script alone the CSP allows', async () => {
    const response = await world.api().request('/reference');
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/html; charset=utf-8');
    const html = await response.text();
    const csp = response.headers.get('content-security-policy')!;
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain("connect-src 'self'");
    const scripts = inlineBlocks(html, 'script');
    const styles = inlineBlocks(html, 'style');
    expect(scripts).toHaveLength(1);
    expect(styles).toHaveLength(1);
    expect(csp).toContain(`script-src ${sha256(scripts[0]!)}`);
    expect(csp).toContain(`style-src ${sha256(styles[0]!)}`);
    // Nothing from elsewhere: no script or stylesheet file, no image, font or import, no absolute link.
    expect(html).not.toMatch(/<script[^>]*\ssrc=|<link\b|<img\b|<iframe\b|\sstyle="/i);
    expect(styles[0]).not.toMatch(/@import|url\(/i);
    expect(html).not.toMatch(/(?:href|src|action)="(?:https?:)?\/\//i);
  });

  it('lists every documented operation with its parameters, each field labelled', async () => {
    const api = world.api({ webhooks: { handle: async () => new Response(null, { status: 204 }) } });
    const document = (await (await api.request('/openapi.json')).json()) as OpenApi;
    const window = new Window({ url: 'http://shop.test/reference' });
    window.document.write(await (await api.request('/reference')).text());
    const page = window.document;
    let count = 0;
    for (const [path, item] of Object.entries(document.paths)) {
      for (const [method, operation] of Object.entries(item)) {
        count += 1;
        const section = page.getElementById(`op-${operation.operationId}`);
        expect(section, `${method} ${path}`).not.toBeNull();
        expect(section!.querySelector('h2')!.textContent).toBe(`${method} ${path}`);
        expect(page.querySelector(`nav a[href="#op-${operation.operationId}"]`)).not.toBeNull();
        const form = section!.querySelector('form.try')!;
        expect(form.getAttribute('data-method')).toBe(method.toUpperCase());
        for (const parameter of operation.parameters ?? []) {
          const input = form.querySelector(`[data-in="${parameter.in}"][data-name="${parameter.name}"]`);
          expect(input, `${method} ${path} ${parameter.name}`).not.toBeNull();
          const label = form.querySelector(`label[for="${input!.id}"]`);
          expect(label!.textContent).toContain(parameter.name);
        }
        const statuses = [...section!.querySelectorAll('dl.responses > dt')].map((term) => term.textContent);
        expect(statuses).toEqual(Object.keys(operation.responses));
      }
    }
    expect(count).toBeGreaterThan(10);
    expect(page.querySelectorAll('section.operation')).toHaveLength(count);
    expect(page.getElementById('schema-Order')!.textContent).toContain('externalId');
    const keyInput = page.getElementById('api-key')!;
    expect(keyInput.getAttribute('type')).toBe('password');
    expect(page.querySelector('label[for="api-key"]')).not.toBeNull();
    expect(page.documentElement.getAttribute('lang')).toBe('en');
    await window.happyDOM.close();
  });

  describe('try it', () => {
    let api: MlhApi;
    let window: Window;
    let requests: Array<{ url: string; authorization: string | null }>;

    /** The page at http://shop.test/api/reference, its script run with a fetch that reaches the app only. */
    async function openPage() {
      api = world.api();
      const app = new Hono().route('/api', api);
      requests = [];
      window = new Window({ url: 'http://shop.test/api/reference' });
      const html = await (await app.request('http://shop.test/api/reference')).text();
      window.document.write(html);
      const fetchToApp = async (url: string, init: RequestInit) => {
        requests.push({ url, authorization: new Headers(init.headers).get('authorization') });
        return app.request(url, init);
      };
      const script = inlineBlocks(html, 'script')[0]!;
      new Function('document', 'location', 'fetch', 'crypto', script)(
        window.document,
        window.location,
        fetchToApp,
        globalThis.crypto,
      );
      return window.document;
    }

    const submit = (form: NonNullable<ReturnType<Window['document']['querySelector']>>) =>
      form.dispatchEvent(new window.Event('submit', { bubbles: true, cancelable: true }));

    it('sends a read with the key typed into the page and shows the answer', async () => {
      const page = await openPage();
      const form = page.querySelector('#op-getOrders form')!;
      const answer = form.querySelector('.answer')!;
      submit(form);
      expect(answer.textContent).toContain('Type an API key');
      expect(requests).toHaveLength(0);

      (page.getElementById('api-key') as unknown as HTMLInputElement).value = world.keys.read;
      (form.querySelector('[data-name="marketplace"]') as unknown as HTMLInputElement).value = 'shopee';
      submit(form);
      await vi.waitFor(() => expect(answer.textContent).toContain('200'));
      expect(answer.textContent).toContain('"marketplace": "shopee"');
      expect(answer.textContent).not.toContain('"marketplace": "meli"');
      expect(requests).toEqual([
        { url: 'http://shop.test/api/orders?marketplace=shopee', authorization: `Bearer ${world.keys.read}` },
      ]);
      // Only in the page: nothing written to storage or a cookie.
      expect(window.localStorage.length).toBe(0);
      expect(window.sessionStorage.length).toBe(0);
      expect(page.cookie).toBe('');
      await window.happyDOM.close();
    });

    it('shows a live stream as it arrives, and its button stops it', async () => {
      const page = await openPage();
      (page.getElementById('api-key') as unknown as HTMLInputElement).value = world.keys.read;
      const form = page.querySelector('#op-getEvents form')!;
      const button = form.querySelector('button')!;
      const answer = form.querySelector('.answer')!;
      submit(form);
      await vi.waitFor(() => expect(answer.textContent).toContain(': connected'));
      expect(answer.textContent).toContain('content-type: text/event-stream');
      expect(button.textContent).toBe('Stop');
      submit(form);
      await vi.waitFor(() => expect(button.textContent).toBe('Send GET /events'));
      await window.happyDOM.close();
    });

    it('fills path parameters, generates an idempotency key once, and a resend is replayed', async () => {
      const page = await openPage();
      (page.getElementById('api-key') as unknown as HTMLInputElement).value = world.keys.operator;
      const form = page.querySelector('#op-putInventorySku form')!;
      const answer = form.querySelector('.answer')!;
      submit(form);
      expect(answer.textContent).toContain('Fill in: sku');
      (form.querySelector('[data-name="sku"]') as unknown as HTMLInputElement).value = 'CAP';
      (form.querySelector('textarea') as unknown as HTMLTextAreaElement).value = '{"quantity": 12}';
      submit(form);
      await vi.waitFor(() => expect(answer.textContent).toContain('200'));
      const key = (form.querySelector('[data-name="Idempotency-Key"]') as unknown as HTMLInputElement).value;
      expect(key).toMatch(/^[\w-]{16,}$/);
      expect((await world.store.getStock(['CAP']))[0]!.quantity).toBe(12);
      submit(form);
      await vi.waitFor(() => expect(answer.textContent).toContain('idempotent-replayed: true'));
      expect(requests.map((request) => request.url)).toEqual([
        'http://shop.test/api/inventory/CAP',
        'http://shop.test/api/inventory/CAP',
      ]);
      await window.happyDOM.close();
    });
  });
});
