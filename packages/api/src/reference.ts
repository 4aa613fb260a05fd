/**
 * `GET /reference`: an interactive HTML reference of the OpenAPI document in one self-contained
 * page. Nothing is loaded from elsewhere (no CDN, font or image), so it works offline and under a
 * strict Content-Security-Policy: its one inline style and one inline script are allowed by hash.
 */
import type { OpenApiDocument } from './openapi';

/** The page and the Content-Security-Policy that lets exactly its own style and script run. */
export interface ReferencePage {
  html: string;
  /** Send as `Content-Security-Policy` with the page (the app does). */
  contentSecurityPolicy: string;
}

type Json = Record<string, unknown>;

interface Parameter {
  name: string;
  in: string;
  required?: boolean;
  description?: string;
  schema?: unknown;
}

const METHODS = ['get', 'put', 'post', 'patch', 'delete'] as const;

const escapeHtml = (text: string) =>
  text.replace(
    /[&<>"']/g,
    (char) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[char]!,
  );

/** A safe fragment of an id: `getOrdersMarketplace` stays, anything else becomes `-`. */
const idPart = (text: string) => text.replace(/[^A-Za-z0-9_-]/g, '-');

const pretty = (value: unknown) => escapeHtml(JSON.stringify(value, null, 2));

/** The component schemas a schema points to, linked to their place on the page. */
function schemaLinks(schema: unknown): string {
  const names = new Set<string>();
  JSON.stringify(schema, (key, value) => {
    if (key === '$ref' && typeof value === 'string') names.add(value.replace('#/components/schemas/', ''));
    return value;
  });
  if (names.size === 0) return '';
  const links = [...names].map(
    (name) => `<a href="#schema-${idPart(name)}"><code>${escapeHtml(name)}</code></a>`,
  );
  return `<p>Uses ${links.join(', ')}.</p>`;
}

function schemaBlock(label: string, schema: unknown): string {
  return `<details><summary>${escapeHtml(label)}</summary><pre><code>${pretty(schema)}</code></pre></details>${schemaLinks(schema)}`;
}

function typeOf(schema: unknown): string {
  const value = (schema ?? {}) as Json;
  if (Array.isArray(value.enum)) return value.enum.map(String).join(' | ');
  if (typeof value.type === 'string') return value.type;
  if (typeof value.$ref === 'string') return value.$ref.replace('#/components/schemas/', '');
  return 'any';
}

function parametersTable(parameters: readonly Parameter[]): string {
  if (parameters.length === 0) return '<p>No parameters.</p>';
  const rows = parameters.map(
    (parameter) =>
      `<tr><th scope="row"><code>${escapeHtml(parameter.name)}</code></th><td>${escapeHtml(parameter.in)}</td>` +
      `<td>${parameter.required ? 'yes' : 'no'}</td><td><code>${escapeHtml(typeOf(parameter.schema))}</code></td>` +
      `<td>${escapeHtml(parameter.description ?? '')}</td></tr>`,
  );
  return `<table><thead><tr><th scope="col">name</th><th scope="col">in</th><th scope="col">required</th><th scope="col">type</th><th scope="col">description</th></tr></thead><tbody>${rows.join('')}</tbody></table>`;
}

function responsesList(responses: Json): string {
  const items = Object.entries(responses).map(([status, answer]) => {
    const { description = '', content = {} } = answer as { description?: string; content?: Json };
    const media = Object.entries(content).map(([type, body]) =>
      schemaBlock(`${status} ${type}`, (body as { schema?: unknown }).schema ?? {}),
    );
    return `<dt><code>${escapeHtml(status)}</code></dt><dd>${escapeHtml(description)}${media.join('')}</dd>`;
  });
  return `<dl class="responses">${items.join('')}</dl>`;
}

function tryForm(
  id: string,
  method: string,
  path: string,
  operation: Json,
  parameters: readonly Parameter[],
) {
  const secured = !(Array.isArray(operation.security) && operation.security.length === 0);
  const fields = parameters.map((parameter) => {
    const fieldId = `${id}-${idPart(parameter.in)}-${idPart(parameter.name)}`;
    const idempotency = parameter.in === 'header' && parameter.name.toLowerCase() === 'idempotency-key';
    const hint = idempotency
      ? ' (a new one is generated when empty)'
      : parameter.required
        ? ' (required)'
        : '';
    const required = parameter.required && !idempotency ? ' required aria-required="true"' : '';
    return (
      `<div class="field"><label for="${fieldId}">${escapeHtml(parameter.name)} <span class="in">${escapeHtml(parameter.in)}${escapeHtml(hint)}</span></label>` +
      `<input id="${fieldId}" data-in="${escapeHtml(parameter.in)}" data-name="${escapeHtml(parameter.name)}" autocomplete="off" spellcheck="false"${required}></div>`
    );
  });
  const body = operation.requestBody as { content?: Json } | undefined;
  const bodyType = body?.content ? Object.keys(body.content)[0] : undefined;
  if (bodyType) {
    fields.push(
      `<div class="field"><label for="${id}-body">Body <span class="in">${escapeHtml(bodyType)}</span></label>` +
        `<textarea id="${id}-body" data-in="body" rows="6" spellcheck="false">{}</textarea></div>`,
    );
  }
  return (
    `<form class="try" data-method="${escapeHtml(method.toUpperCase())}" data-path="${escapeHtml(path)}" data-secured="${secured}"${bodyType ? ` data-body-type="${escapeHtml(bodyType)}"` : ''} aria-labelledby="${id}-try">` +
    `<fieldset><legend id="${id}-try">Try it</legend>${fields.join('')}` +
    `<button type="submit">Send ${escapeHtml(method.toUpperCase())} ${escapeHtml(path)}</button></fieldset>` +
    `<div class="result" role="status" aria-live="polite"><pre class="answer" tabindex="0" aria-label="Answer of ${escapeHtml(method.toUpperCase())} ${escapeHtml(path)}" hidden></pre></div></form>`
  );
}

/** The page's stylesheet: readable, visible focus, no external font. */
const STYLE = `
:root { color-scheme: light dark; --accent: #0b57d0; --muted: #555; --line: #ccc; --code: #f3f3f3; }
@media (prefers-color-scheme: dark) { :root { --accent: #8ab4f8; --muted: #bbb; --line: #444; --code: #222; } }
* { box-sizing: border-box; }
body { margin: 0; font: 16px/1.5 system-ui, sans-serif; }
a { color: var(--accent); }
:focus-visible { outline: 3px solid var(--accent); outline-offset: 2px; }
.skip { position: absolute; left: -9999px; }
.skip:focus { left: 1rem; top: 1rem; background: Canvas; padding: .5rem; z-index: 1; }
header { padding: 1rem 1.5rem; border-bottom: 1px solid var(--line); }
header h1 { margin: 0; font-size: 1.5rem; }
.layout { display: grid; grid-template-columns: minmax(14rem, 20rem) 1fr; }
nav { border-right: 1px solid var(--line); padding: 1rem; position: sticky; top: 0; align-self: start; max-height: 100vh; overflow: auto; }
nav ul { list-style: none; margin: 0; padding: 0; }
nav li { margin: .25rem 0; }
main { padding: 1rem 1.5rem; min-width: 0; }
section.operation { border-top: 1px solid var(--line); padding: 1rem 0; }
h2 { font-size: 1.2rem; }
h3 { font-size: 1rem; margin-bottom: .25rem; }
.method { display: inline-block; min-width: 4.5em; font: bold .8rem/1.6 ui-monospace, monospace; text-transform: uppercase; }
code, pre, textarea, input { font-family: ui-monospace, monospace; }
pre { background: var(--code); padding: .75rem; overflow: auto; max-height: 28rem; }
table { border-collapse: collapse; }
th, td { border: 1px solid var(--line); padding: .25rem .5rem; text-align: left; vertical-align: top; }
.meta, .in { color: var(--muted); font-size: .9rem; }
fieldset { border: 1px solid var(--line); padding: .75rem; }
.field { margin: .5rem 0; display: flex; flex-direction: column; }
input, textarea { padding: .4rem; font-size: .95rem; border: 1px solid var(--muted); border-radius: 3px; background: Field; color: FieldText; max-width: 40rem; }
button { padding: .45rem .9rem; font-size: .95rem; cursor: pointer; }
@media (max-width: 48rem) { .layout { grid-template-columns: 1fr; } nav { position: static; max-height: none; border-right: 0; } }
`;

/**
 * The page's script: sends a form's request with the key typed at the top. The key stays in the
 * input (this page's memory): never stored, never put in a URL, sent only to this API.
 */
const SCRIPT = `
(function () {
  var keyInput = document.getElementById('api-key');
  var server = document.body.getAttribute('data-server');
  var base = new URL(server || '.', location.href);
  if (base.pathname.slice(-1) !== '/') base = new URL(base.pathname + '/', base);
  function show(out, text) { out.hidden = false; out.textContent = text; }
  function newKey() {
    if (crypto.randomUUID) return crypto.randomUUID();
    return Array.prototype.map.call(crypto.getRandomValues(new Uint8Array(16)), function (b) { return ('0' + b.toString(16)).slice(-2); }).join('');
  }
  var forms = document.querySelectorAll('form.try');
  Array.prototype.forEach.call(forms, function (form) {
    var running = null;
    var button = form.querySelector('button[type=submit]');
    var label = button.textContent;
    form.addEventListener('submit', function (event) {
      event.preventDefault();
      var out = form.querySelector('.answer');
      if (running) { running.abort(); return; }
      var path = form.getAttribute('data-path');
      var query = [];
      var headers = {};
      var body;
      var missing = [];
      Array.prototype.forEach.call(form.querySelectorAll('[data-in]'), function (field) {
        var where = field.getAttribute('data-in');
        var name = field.getAttribute('data-name');
        var value = field.value;
        if (where === 'header' && name.toLowerCase() === 'idempotency-key' && value === '') { value = newKey(); field.value = value; }
        if (where === 'body') { body = value; return; }
        if (value === '') { if (field.required) missing.push(name); return; }
        if (where === 'path') path = path.split('{' + name + '}').join(encodeURIComponent(value));
        else if (where === 'query') query.push(encodeURIComponent(name) + '=' + encodeURIComponent(value));
        else if (where === 'header') headers[name] = value;
      });
      if (missing.length > 0) { show(out, 'Fill in: ' + missing.join(', ')); return; }
      if (form.getAttribute('data-secured') === 'true') {
        if (keyInput.value === '') { show(out, 'Type an API key at the top of the page first.'); keyInput.focus(); return; }
        headers.authorization = 'Bearer ' + keyInput.value;
      }
      var method = form.getAttribute('data-method');
      if (body !== undefined) headers['content-type'] = form.getAttribute('data-body-type');
      var url = new URL(path.replace(/^\\//, '') + (query.length ? '?' + query.join('&') : ''), base);
      running = new AbortController();
      button.textContent = 'Stop';
      show(out, method + ' ' + url.pathname + url.search + ' …');
      fetch(url.toString(), { method: method, headers: headers, body: body, signal: running.signal, credentials: 'omit' })
        .then(function (response) {
          var head = response.status + ' ' + response.statusText + '\\n';
          ['content-type', 'idempotent-replayed', 'retry-after', 'location'].forEach(function (name) {
            var value = response.headers.get(name);
            if (value !== null) head += name + ': ' + value + '\\n';
          });
          var type = response.headers.get('content-type') || '';
          if (type.indexOf('text/event-stream') === 0 && response.body) {
            var reader = response.body.getReader();
            var decoder = new TextDecoder();
            var text = head + '\\n';
            show(out, text);
            var pump = function () {
              return reader.read().then(function (chunk) {
                if (chunk.done) return;
                text = (text + decoder.decode(chunk.value, { stream: true })).slice(-65536);
                show(out, text);
                return pump();
              });
            };
            return pump();
          }
          return response.text().then(function (text) {
            try { text = JSON.stringify(JSON.parse(text), null, 2); } catch (error) { /* not JSON: as sent */ }
            show(out, head + '\\n' + text);
          });
        })
        .catch(function (error) {
          if (error && error.name === 'AbortError') show(out, out.textContent + '\\n(stopped)');
          else show(out, 'The request failed: ' + (error && error.message ? error.message : String(error)));
        })
        .then(function () { running = null; button.textContent = label; });
    });
  });
})();
`;

async function sha256Source(text: string): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', new TextEncoder().encode(text)));
  return `'sha256-${btoa(String.fromCharCode(...digest))}'`;
}

/** Every operation of the document, in its order: path, method and the operation object. */
function operationsOf(document: OpenApiDocument) {
  const paths = (document.paths ?? {}) as Record<string, Json>;
  return Object.entries(paths).flatMap(([path, item]) =>
    METHODS.filter((method) => item[method] !== undefined).map((method) => ({
      path,
      method,
      operation: item[method] as Json,
    })),
  );
}

/**
 * The interactive reference page of an OpenAPI document: every operation with its parameters,
 * request and response schemas, and a form that sends it with an API key typed into the page.
 * The app serves it at `GET /reference`; build it yourself to serve it elsewhere.
 *
 * @example
 * const { html, contentSecurityPolicy } = await referencePage(openApiDocument());
 */
export async function referencePage(document: OpenApiDocument): Promise<ReferencePage> {
  const info = (document.info ?? {}) as { title?: string; version?: string };
  const title = info.title ?? 'API';
  const servers = (document.servers ?? []) as Array<{ url?: string }>;
  const server = servers[0]?.url;
  const operations = operationsOf(document).map(({ path, method, operation }) => {
    const id = `op-${idPart(String(operation.operationId ?? `${method}${path}`))}`;
    return { id, path, method, operation, parameters: (operation.parameters ?? []) as Parameter[] };
  });
  const nav = operations
    .map(
      ({ id, method, path }) =>
        `<li><a href="#${id}"><span class="method">${method}</span> <code>${escapeHtml(path)}</code></a></li>`,
    )
    .join('');
  const sections = operations.map(({ id, path, method, operation, parameters }) => {
    const secured = !(Array.isArray(operation.security) && operation.security.length === 0);
    const scope = operation['x-mlh-scope'];
    const meta = [
      secured ? `API key with the <code>${escapeHtml(String(scope ?? 'read'))}</code> scope` : 'No API key',
      parameters.some((parameter) => parameter.name === 'Idempotency-Key') ? 'Idempotency-Key required' : '',
    ].filter(Boolean);
    const body = operation.requestBody as { content?: Record<string, { schema?: unknown }> } | undefined;
    const bodyBlocks = Object.entries(body?.content ?? {}).map(([type, media]) =>
      schemaBlock(type, media.schema ?? {}),
    );
    return (
      `<section class="operation" id="${id}" aria-labelledby="${id}-title">` +
      `<h2 id="${id}-title"><span class="method">${method}</span> <code>${escapeHtml(path)}</code></h2>` +
      `<p>${escapeHtml(String(operation.summary ?? ''))}</p>` +
      (operation.description ? `<p>${escapeHtml(String(operation.description))}</p>` : '') +
      `<p class="meta">${meta.join(' · ')}</p>` +
      `<h3>Parameters</h3>${parametersTable(parameters)}` +
      (bodyBlocks.length > 0 ? `<h3>Request body</h3>${bodyBlocks.join('')}` : '') +
      `<h3>Responses</h3>${responsesList((operation.responses ?? {}) as Json)}` +
      tryForm(id, method, path, operation, parameters) +
      `</section>`
    );
  });
  const schemas = Object.entries(((document.components as Json | undefined)?.schemas ?? {}) as Json).map(
    ([name, schema]) =>
      `<details id="schema-${idPart(name)}"><summary><code>${escapeHtml(name)}</code></summary><pre><code>${pretty(schema)}</code></pre></details>`,
  );
  const html = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>${escapeHtml(title)}: API reference</title>
<style>${STYLE}</style>
</head>
<body${server ? ` data-server="${escapeHtml(server)}"` : ''}>
<a class="skip" href="#main">Skip to the operations</a>
<header><h1>${escapeHtml(title)}</h1><p>Version ${escapeHtml(info.version ?? '')} · OpenAPI ${escapeHtml(String(document.openapi ?? ''))} · <a href="openapi.json">openapi.json</a></p></header>
<div class="layout">
<nav aria-label="Operations"><ul>${nav}<li><a href="#schemas">Schemas</a></li></ul></nav>
<main id="main" tabindex="-1">
<section aria-labelledby="key-title"><h2 id="key-title">API key</h2>
<p>The forms below send their request with this key. It stays in this page: it is not stored, not put in any URL, and sent only to this API. Reloading the page forgets it.</p>
<div class="field"><label for="api-key">API key</label><input id="api-key" type="password" autocomplete="off" spellcheck="false" placeholder="mlh_…"></div>
</section>
${sections.join('\n')}
<section id="schemas" aria-labelledby="schemas-title"><h2 id="schemas-title">Schemas</h2>${schemas.join('')}</section>
</main>
</div>
<script>${SCRIPT}</script>
</body>
</html>
`;
  const connect = ["'self'"];
  if (server) {
    try {
      connect.push(new URL(server).origin);
    } catch {
      // A relative server URL is this origin.
    }
  }
  const contentSecurityPolicy = [
    "default-src 'none'",
    `script-src ${await sha256Source(SCRIPT)}`,
    `style-src ${await sha256Source(STYLE)}`,
    `connect-src ${connect.join(' ')}`,
    "img-src 'none'",
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
  ].join('; ');
  return { html, contentSecurityPolicy };
}

/** Serves the page of `document`, built once on first request, with its security headers. */
export function referenceHandler(document: OpenApiDocument): () => Promise<Response> {
  let page: Promise<ReferencePage> | undefined;
  return async () => {
    page ??= referencePage(document);
    const { html, contentSecurityPolicy } = await page;
    return new Response(html, {
      headers: {
        'content-type': 'text/html; charset=utf-8',
        'content-security-policy': contentSecurityPolicy,
        'x-content-type-options': 'nosniff',
        'referrer-policy': 'no-referrer',
        'cache-control': 'no-cache',
      },
    });
  };
}
