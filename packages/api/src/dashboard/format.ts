/** Small formatting helpers shared by the pages: times, money, plain words for API states. */
import { html, type Markup } from './html';
import { MARKETPLACE_NAMES } from './plots';

/** An ISO time as `YYYY-MM-DD HH:MM UTC` in a `<time>` element. */
export function time(iso: string | undefined): Markup {
  if (iso === undefined) return html`<span class="muted">—</span>`;
  const parsed = new Date(iso);
  if (Number.isNaN(parsed.getTime())) return html`${iso}`;
  return html`<time datetime="${iso}">${parsed.toISOString().slice(0, 16).replace('T', ' ')} UTC</time>`;
}

/** `12.50 BRL`. */
export function money(value: { amount: string; currency: string } | undefined): string {
  return value === undefined ? '—' : `${value.amount} ${value.currency}`;
}

/** The marketplace's name (`Mercado Livre`), or its id when unknown. */
export function marketplaceName(id: string | undefined): string {
  return id === undefined ? 'every marketplace' : (MARKETPLACE_NAMES[id] ?? id);
}

/** An account as operators know it: its label, or its marketplace and id. */
export function accountName(marketplace: string, accountId: string, label?: string): string {
  return label === undefined
    ? `${marketplaceName(marketplace)} ${accountId}`
    : `${label} (${marketplaceName(marketplace)})`;
}

const HEALTH: Record<string, { words: string; tone: string }> = {
  healthy: { words: 'Healthy', tone: 'ok' },
  refresh_due: { words: 'Token refresh due (automatic)', tone: 'warn' },
  reauthorization_required: { words: 'Needs re-authorization', tone: 'bad' },
  disconnected: { words: 'Disconnected', tone: 'bad' },
};

/** A token health as a coloured chip with words (never colour alone). */
export function healthChip(health: string): Markup {
  const known = HEALTH[health] ?? { words: health, tone: 'warn' };
  return html`<span class="chip ${known.tone}">${known.words}</span>`;
}

/** The health's words alone. */
export function healthWords(health: string): string {
  return HEALTH[health]?.words ?? health;
}

const TONES: Record<string, string> = {
  succeeded: 'ok',
  synced: 'ok',
  active: 'ok',
  published: 'ok',
  paid: 'ok',
  shipped: 'ok',
  delivered: 'ok',
  running: 'warn',
  partial: 'warn',
  pending: 'warn',
  checking: 'warn',
  creating: 'warn',
  warning: 'warn',
  failed: 'bad',
  abandoned: 'bad',
  cancelled: 'bad',
  critical: 'bad',
};

/** A state word as a chip. */
export function stateChip(state: string, words: string = state): Markup {
  return html`<span class="chip ${TONES[state] ?? ''}">${words}</span>`;
}

const STAGES: Record<string, string> = {
  validate: "The marketplace's rules refuse it",
  reconcile: 'Reading the stock back failed',
  create: 'Creating the listing failed',
  update: 'Updating the listing failed',
  prepare: 'Preparing the listing failed',
  stock: 'Sending the stock failed',
  'stock.push': 'Sending the stock failed',
  price: 'Sending the price failed',
  status: 'Changing the listing status failed',
  images: 'Uploading the images failed',
  fetch: 'Reading from the marketplace failed',
  poll: 'Reading orders failed',
};

/** A failed step in plain words: `Creating the listing failed: the title is too long`. */
export function failureWords(stage: string, reason: string): string {
  const lead = STAGES[stage] ?? `The step "${stage}" failed`;
  return `${lead}: ${reason}`;
}

/** The start of the UTC day of `nowMs`, as ISO. */
export function startOfDay(nowMs: number): string {
  return `${new Date(nowMs).toISOString().slice(0, 10)}T00:00:00.000Z`;
}
