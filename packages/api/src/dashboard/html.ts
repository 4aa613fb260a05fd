/**
 * The dashboard's markup: a tagged template that escapes every interpolated value unless it is
 * markup this module made ({@link Markup}). No template engine: the pages are plain functions.
 */

/** Markup that is already safe to write as is (made by {@link html} or {@link raw}). */
export class Markup {
  constructor(readonly value: string) {}
  toString(): string {
    return this.value;
  }
}

/** Escapes text for an HTML text node or a quoted attribute value. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);
}

/** Trusted markup written as is (the dashboard's own CSS and script, never user data). */
export function raw(value: string): Markup {
  return new Markup(value);
}

function render(value: unknown): string {
  if (value instanceof Markup) return value.value;
  if (Array.isArray(value)) return value.map(render).join('');
  if (value === undefined || value === null || value === false) return '';
  return escapeHtml(String(value));
}

/**
 * HTML with escaped interpolations: strings and numbers are escaped, `Markup` and arrays of it are
 * written as they are, `undefined`, `null` and `false` write nothing.
 */
export function html(strings: TemplateStringsArray, ...values: unknown[]): Markup {
  let out = strings[0] ?? '';
  for (let index = 0; index < values.length; index++)
    out += render(values[index]) + (strings[index + 1] ?? '');
  return new Markup(out);
}
