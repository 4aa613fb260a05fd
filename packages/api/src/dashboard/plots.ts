/**
 * Plots drawn on the server as inline SVG: no chart library and no script. Each has a title and a
 * description for screen readers, and the numbers are also in a table under a disclosure.
 */
import { html, type Markup } from './html';

/** Bar colours per marketplace: each at least 3:1 against the white page. */
export const MARKETPLACE_COLOURS: Record<string, string> = {
  meli: '#8a6500',
  shopee: '#c2410c',
  tiktok: '#0f766e',
};

/** The names operators know the marketplaces by. */
export const MARKETPLACE_NAMES: Record<string, string> = {
  meli: 'Mercado Livre',
  shopee: 'Shopee',
  tiktok: 'TikTok Shop',
};

/** The last `count` UTC days ending with the day of `nowMs`, as `YYYY-MM-DD`. */
export function lastDays(nowMs: number, count: number): string[] {
  const days: string[] = [];
  for (let back = count - 1; back >= 0; back--) {
    days.push(new Date(nowMs - back * 86_400_000).toISOString().slice(0, 10));
  }
  return days;
}

const WIDTH = 640;
const HEIGHT = 220;
const LEFT = 36;
const BOTTOM = 28;
const TOP = 12;

function niceMax(value: number): number {
  if (value <= 5) return 5;
  const magnitude = 10 ** Math.floor(Math.log10(value));
  return Math.ceil(value / magnitude) * magnitude;
}

/**
 * Stacked bars: one bar per day, one segment per series. `series` maps a series name to its count
 * per day (in the order of `days`).
 */
export function stackedBars(options: {
  id: string;
  title: string;
  description: string;
  days: string[];
  series: Array<{ name: string; label: string; colour: string; counts: number[] }>;
}): Markup {
  const { days, series } = options;
  const totals = days.map((_, index) => series.reduce((sum, one) => sum + (one.counts[index] ?? 0), 0));
  const max = niceMax(Math.max(0, ...totals));
  const plotWidth = WIDTH - LEFT - 8;
  const plotHeight = HEIGHT - TOP - BOTTOM;
  const slot = plotWidth / Math.max(1, days.length);
  const barWidth = Math.max(4, slot * 0.7);
  const y = (value: number) => TOP + plotHeight - (value / max) * plotHeight;
  const bars = days.map((day, index) => {
    let base = 0;
    const x = LEFT + index * slot + (slot - barWidth) / 2;
    return series.map((one) => {
      const count = one.counts[index] ?? 0;
      if (count === 0) return html``;
      const top = y(base + count);
      const height = y(base) - top;
      base += count;
      return html`<rect x="${x.toFixed(1)}" y="${top.toFixed(1)}" width="${barWidth.toFixed(1)}" height="${height.toFixed(1)}" fill="${one.colour}"><title>${day}: ${count} ${one.label}</title></rect>`;
    });
  });
  const ticks = [0, Math.round(max / 2), max].map(
    (value) =>
      html`<line x1="${LEFT}" x2="${WIDTH - 8}" y1="${y(value).toFixed(1)}" y2="${y(value).toFixed(1)}" stroke="#d0d0d0"/><text x="${LEFT - 6}" y="${(y(value) + 4).toFixed(1)}" text-anchor="end">${value}</text>`,
  );
  const labelEvery = Math.ceil(days.length / 7);
  const labels = days.map((day, index) =>
    index % labelEvery === 0 || index === days.length - 1
      ? html`<text x="${(LEFT + index * slot + slot / 2).toFixed(1)}" y="${HEIGHT - 8}" text-anchor="middle">${day.slice(5)}</text>`
      : html``,
  );
  const legend = series.map(
    (one) => html`<li><span class="swatch" data-colour="${one.name}"></span>${one.label}</li>`,
  );
  const rows = days.map(
    (day, index) =>
      html`<tr><th scope="row">${day}</th>${series.map((one) => html`<td>${one.counts[index] ?? 0}</td>`)}</tr>`,
  );
  return html`<figure class="plot">
<svg viewBox="0 0 ${WIDTH} ${HEIGHT}" role="img" aria-labelledby="${options.id}-title ${options.id}-desc" class="plot-svg">
<title id="${options.id}-title">${options.title}</title>
<desc id="${options.id}-desc">${options.description}</desc>
<g class="axis">${ticks}${labels}</g>
<g>${bars}</g>
</svg>
<figcaption>${options.title}${series.length > 1 ? html`<ul class="legend">${legend}</ul>` : ''}</figcaption>
<details><summary>The numbers</summary><div class="scroll"><table><thead><tr><th scope="col">Day</th>${series.map((one) => html`<th scope="col">${one.label}</th>`)}</tr></thead><tbody>${rows}</tbody></table></div></details>
</figure>`;
}
