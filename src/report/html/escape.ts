// The one escaper of the HTML report. Every piece of text that reaches the page goes through `html`, a tagged
// template that escapes each interpolated value unless it is already markup (an Html value made by `html` itself):
// evidence cannot become a tag, an attribute or an entity. The template knows where a value goes from its own
// literal text: inside a double-quoted attribute value quotes are escaped too (and markup or an unquoted attribute
// is refused); in text only `& < >` are. Control, bidi and invisible characters are shown as escapes first
// (escapeControl), as in the terminal, so a right-to-left override in a user name cannot reorder what the analyst
// reads. Element ids built from evidence (event anchors) go through anchorId, which keeps only [A-Za-z0-9-] and
// encodes everything else reversibly.

import { escapeControl } from '../../model/escape.js';

/** Markup that is safe to insert as is: only `html` and `raw` make it. */
export class Html {
  constructor(readonly text: string) {}
  toString(): string {
    return this.text;
  }
}

/** A value `html` accepts: markup, text (escaped), a number, nothing, or a list of those. */
export type HtmlValue = Html | string | number | null | undefined | false | readonly HtmlValue[];

const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/**
 * Text as HTML: control characters made visible, then `& < >` as entities, and in an attribute value also `" '`.
 * (Quotes are inert in text; leaving them lets the JSON of thousands of events stay a third smaller.)
 */
export function escapeHtml(text: string, context: 'text' | 'attribute' = 'attribute'): string {
  const special = context === 'text' ? /[&<>]/g : /[&<>"']/g;
  return escapeControl(text).replace(special, (ch) => ENTITIES[ch]);
}

function piece(value: HtmlValue, context: 'text' | 'attribute'): string {
  if (value instanceof Html) {
    if (context === 'attribute') throw new Error('html: markup inside an attribute value');
    return value.text;
  }
  if (value === null || value === undefined || value === false) return '';
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : escapeHtml(String(value), context);
  if (Array.isArray(value)) return value.map((v) => piece(v, context)).join('');
  return escapeHtml(value as string, context);
}

/**
 * Markup from a template: the literal parts are ours, every `${value}` is escaped unless it is Html. A value inside
 * a double-quoted attribute (the literal text so far has an open `="`) is an attribute value: quotes are escaped
 * too and markup is refused. An unquoted attribute (`=${value}`) is refused, since no escaping makes it safe.
 */
export function html(strings: TemplateStringsArray, ...values: HtmlValue[]): Html {
  let out = strings[0];
  let literal = strings[0];
  for (let i = 0; i < values.length; i++) {
    if (/=\s*$/.test(strings[i])) throw new Error(`html: unquoted attribute value after "${strings[i].slice(-20)}"`);
    out += piece(values[i], /="[^"]*$/.test(literal) ? 'attribute' : 'text') + strings[i + 1];
    literal += strings[i + 1];
  }
  return new Html(out);
}

/**
 * Trusted markup from this package's own constants (the stylesheet, the script, a fixed SVG pattern). Never call it
 * with anything derived from evidence.
 */
export function raw(markup: string): Html {
  return new Html(markup);
}

/** Multi-line text (the original JSON): each line escaped, the line breaks kept as line breaks. */
export function textLines(text: string): Html {
  return new Html(text.split('\n').map((line) => escapeHtml(line, 'text')).join('\n'));
}

/** Join markup with a separator (`, ` between links). */
export function joinHtml(parts: readonly Html[], separator: string): Html {
  return new Html(parts.map((p) => p.text).join(escapeHtml(separator)));
}

/**
 * An element id from any text: [A-Za-z0-9-] kept, every other character (`_` included) written as `_<hex code>_`,
 * so different texts never share an id and the id needs no escaping in a URL fragment or a CSS selector.
 */
export function anchorId(prefix: string, text: string): string {
  let out = prefix;
  for (const ch of text) out += /[A-Za-z0-9-]/.test(ch) ? ch : `_${ch.codePointAt(0)!.toString(16)}_`;
  return out;
}

/** The anchor of a cited event's detail: `event-<eventId sanitised>`. */
export function eventAnchor(eventId: string): string {
  return anchorId('event-', eventId);
}
