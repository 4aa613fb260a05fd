/**
 * The page shell: landmarks, navigation, the stylesheet and the small client script (live
 * regions refreshed by polling, and at once on a server-sent event when the API streams them).
 */
import { html, type Markup, raw } from './html';
import { MARKETPLACE_COLOURS } from './plots';

/** A navigation entry; shown only when the API serves what the page needs. */
export interface NavItem {
  path: string;
  label: string;
}

/**
 * Colours were checked for a contrast of at least 4.5:1 on their backgrounds (text #1b1b1b and
 * #4a4a4a on white, links #0b57d0, errors #a4161a, notices on #eef4ff and #fdecea).
 */
const STYLES = `
*,*::before,*::after{box-sizing:border-box}
html{font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;line-height:1.45;color:#1b1b1b;background:#fff}
body{margin:0}
a{color:#0b57d0}
:focus-visible{outline:3px solid #0b57d0;outline-offset:2px}
.skip{position:absolute;left:-999px;top:0;background:#fff;padding:.5rem;z-index:2}
.skip:focus{left:.5rem}
header.top{display:flex;flex-wrap:wrap;gap:.5rem 1.5rem;align-items:center;justify-content:space-between;padding:.75rem 1rem;border-bottom:1px solid #c8c8c8;background:#f6f7f9}
header.top .brand{font-weight:700;font-size:1.1rem;color:#1b1b1b;text-decoration:none}
nav ul{display:flex;flex-wrap:wrap;gap:.25rem .75rem;list-style:none;margin:0;padding:0}
nav a{display:inline-block;padding:.35rem .5rem;border-radius:4px;text-decoration:none}
nav a[aria-current=page]{background:#0b57d0;color:#fff}
.who{display:flex;gap:.5rem;align-items:center;color:#4a4a4a;font-size:.9rem}
main{padding:1rem;max-width:1200px;margin:0 auto}
h1{font-size:1.5rem;margin:.25rem 0 1rem}
h2{font-size:1.15rem;margin:1.5rem 0 .5rem}
.grid{display:grid;grid-template-columns:repeat(auto-fit,minmax(260px,1fr));gap:1rem}
.card{border:1px solid #c8c8c8;border-radius:8px;padding:.75rem 1rem;background:#fff}
.card h2{margin-top:0}
.big{font-size:2rem;font-weight:700}
.scroll{overflow-x:auto}
table{border-collapse:collapse;width:100%;font-size:.95rem}
th,td{text-align:left;padding:.4rem .5rem;border-bottom:1px solid #dedede;vertical-align:top}
thead th{background:#f6f7f9}
.num{text-align:right;font-variant-numeric:tabular-nums}
.muted{color:#4a4a4a}
.chip{display:inline-block;padding:.05rem .45rem;border-radius:999px;border:1px solid currentColor;font-size:.85rem;white-space:nowrap}
.ok{color:#1d6b2c}
.warn{color:#7a4a00}
.bad{color:#a4161a}
tr.drift td{background:#fff4d6}
.notice{padding:.6rem .8rem;border-radius:6px;margin:0 0 1rem;border:1px solid #0b57d0;background:#eef4ff}
.notice.error{border-color:#a4161a;background:#fdecea}
form.inline{display:inline-flex;flex-wrap:wrap;gap:.35rem;align-items:center;margin:0}
form.stack{display:grid;gap:.5rem;max-width:28rem}
fieldset{border:1px solid #c8c8c8;border-radius:6px;padding:.5rem .75rem}
label{font-weight:600}
input,select,button{font:inherit;padding:.35rem .5rem;border:1px solid #767676;border-radius:4px;background:#fff;color:#1b1b1b}
input[type=checkbox]{width:1.1rem;height:1.1rem}
input[type=number]{width:6rem}
fieldset label{display:block;font-weight:400}
button{background:#0b57d0;border-color:#0b57d0;color:#fff;cursor:pointer}
button.secondary{background:#fff;color:#0b57d0}
button.danger{background:#a4161a;border-color:#a4161a}
button:disabled{background:#e4e4e4;border-color:#9a9a9a;color:#4a4a4a;cursor:not-allowed}
.filters{display:flex;flex-wrap:wrap;gap:.5rem 1rem;align-items:end;margin-bottom:1rem}
.filters div{display:grid;gap:.2rem}
.plot{margin:0}
.plot-svg{width:100%;height:auto;max-height:260px}
.plot-svg text{font-size:11px;fill:#4a4a4a}
.legend{display:inline-flex;flex-wrap:wrap;gap:.75rem;list-style:none;margin:0 0 0 .75rem;padding:0}
.swatch{display:inline-block;width:.8rem;height:.8rem;margin-right:.3rem;border-radius:2px;vertical-align:-1px}
${Object.entries(MARKETPLACE_COLOURS)
  .map(([name, colour]) => `.swatch[data-colour=${name}]{background:${colour}}`)
  .join('\n')}
.swatch[data-colour=failures]{background:#a4161a}
ol.timeline{list-style:none;margin:0;padding:0 0 0 1rem;border-left:3px solid #c8c8c8}
ol.timeline li{margin:.5rem 0;position:relative}
ol.timeline li::before{content:"";position:absolute;left:-1.45rem;top:.45rem;width:.7rem;height:.7rem;border-radius:50%;background:#0b57d0}
.visually-hidden{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap}
footer{padding:1rem;color:#4a4a4a;font-size:.85rem;text-align:center}
@media (max-width:640px){main{padding:.5rem}th,td{padding:.3rem}.big{font-size:1.6rem}h1{font-size:1.3rem}}
`;

/** The event types of `GET /events` that change what a page shows. */
const LIVE_EVENTS = [
  'order.upserted',
  'order.fulfilled',
  'stock.set',
  'stock.pushed',
  'stock.drift',
  'sync.started',
  'sync.finished',
  'item.failed',
  'alert.opened',
  'account.disconnected',
  'api.write',
  'events.dropped',
];

/**
 * Refreshes the `[data-live]` regions: every `data-poll` seconds, and shortly after any event of
 * the stream at `data-events`. A region is swapped only when its content changed (the forms'
 * one-time idempotency keys aside) and never while it holds the keyboard focus.
 */
const SCRIPT = `(() => {
const body = document.body;
const poll = Number(body.dataset.poll || 0) * 1000;
const strip = (node) => { const copy = node.cloneNode(true); copy.querySelectorAll('input[name=idempotencyKey]').forEach((input) => input.remove()); return copy.innerHTML; };
let busy = false;
async function refresh() {
  if (busy || document.hidden) return;
  busy = true;
  try {
    const response = await fetch(location.href, { headers: { 'x-mlh-fragment': '1' }, credentials: 'same-origin' });
    if (response.redirected || !response.ok) return;
    const fresh = new DOMParser().parseFromString(await response.text(), 'text/html');
    for (const region of fresh.querySelectorAll('[data-live]')) {
      const current = document.querySelector('[data-live="' + region.dataset.live + '"]');
      if (!current || current.contains(document.activeElement)) continue;
      if (strip(current) !== strip(region)) current.innerHTML = region.innerHTML;
    }
    body.dataset.refreshedAt = String(Date.now());
  } catch {
    // Offline for a moment: the next tick tries again.
  } finally {
    busy = false;
  }
}
if (poll > 0) setInterval(refresh, poll);
const events = body.dataset.events;
if (events && 'EventSource' in window) {
  const source = new EventSource(events);
  let soon;
  for (const type of ${JSON.stringify(LIVE_EVENTS)}) source.addEventListener(type, () => { clearTimeout(soon); soon = setTimeout(refresh, 150); });
}
document.addEventListener('submit', (event) => {
  const question = event.target.dataset.confirm;
  if (question && !window.confirm(question)) event.preventDefault();
});
})();`;

/** What every page is rendered with. */
export interface ShellOptions {
  title: string;
  basePath: string;
  /** The current page's path (for `aria-current`). */
  active: string;
  nav: readonly NavItem[];
  nonce: string;
  /** Shown in the header; absent on the login page. */
  scope?: 'read' | 'operator' | undefined;
  pollSeconds: number;
  /** Where the client listens for server-sent events; absent when the API streams none. */
  eventsUrl?: string | undefined;
  notice?: { text: string; error: boolean } | undefined;
}

/** A whole page: the shell around `content`. */
export function shell(options: ShellOptions, content: Markup): Markup {
  const base = options.basePath;
  // The overview is the base path itself (`/admin`), which matches whether or not the app that
  // mounts the dashboard tells `/admin/` from `/admin`.
  const home = base === '' ? '/' : base;
  const links = options.nav.map(
    (item) =>
      html`<li><a href="${item.path === '/' ? home : `${base}${item.path}`}"${options.active === item.path ? raw(' aria-current="page"') : ''}>${item.label}</a></li>`,
  );
  const who =
    options.scope === undefined
      ? ''
      : html`<div class="who"><span>${options.scope === 'operator' ? 'Operator key' : 'Read-only key: actions are disabled'}</span>
<form method="post" action="${base}/logout" class="inline"><button type="submit" class="secondary">Log out</button></form></div>`;
  const notice = options.notice
    ? html`<p class="notice${options.notice.error ? ' error' : ''}" role="${options.notice.error ? 'alert' : 'status'}">${options.notice.text}</p>`
    : '';
  return html`<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="same-origin">
<title>${options.title} · mlh admin</title>
<style nonce="${options.nonce}">${raw(STYLES)}</style>
</head>
<body data-poll="${options.scope === undefined ? 0 : options.pollSeconds}"${options.eventsUrl && options.scope !== undefined ? html` data-events="${options.eventsUrl}"` : ''}>
<a class="skip" href="#main">Skip to content</a>
<header class="top">
<a class="brand" href="${home}">mlh admin</a>
${options.scope === undefined ? '' : html`<nav aria-label="Main"><ul>${links}</ul></nav>`}
${who}
</header>
<main id="main" tabindex="-1">
<h1>${options.title}</h1>
${notice}
${content}
</main>
<footer>Served by @mlh/api · every action goes through the API with your key</footer>
<script nonce="${options.nonce}">${raw(SCRIPT)}</script>
</body>
</html>`;
}
