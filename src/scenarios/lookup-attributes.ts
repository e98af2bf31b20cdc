// aws-cli's --lookup-attributes: the eight AttributeKeys of `aws cloudtrail lookup-events` and the two ways aws-cli
// reads the value (shorthand `AttributeKey=K,AttributeValue=V`, or JSON). What they select: lookup-query.ts.

import { quoteInput } from '../model/escape.js';
import { LookupArgumentError } from '../model/errors.js';

export const LOOKUP_ATTRIBUTE_KEYS = ['EventId', 'EventName', 'ReadOnly', 'Username', 'ResourceType', 'ResourceName', 'EventSource', 'AccessKeyId'] as const;
export type LookupAttributeKey = (typeof LOOKUP_ATTRIBUTE_KEYS)[number];

export interface LookupAttribute {
  key: LookupAttributeKey;
  value: string;
}

const KEY_BY_LOWER = new Map(LOOKUP_ATTRIBUTE_KEYS.map((k) => [k.toLowerCase(), k]));

function attributeKey(raw: string): LookupAttributeKey {
  const k = KEY_BY_LOWER.get(raw.trim().toLowerCase());
  if (!k) throw new LookupArgumentError(`unknown AttributeKey ${quoteInput(raw)}; allowed keys: ${LOOKUP_ATTRIBUTE_KEYS.join(', ')}`);
  return k;
}

/** Why JSON.parse refused a value (a stack overflow on very deep nesting is said as such). */
function jsonProblem(err: unknown): string {
  if (err instanceof RangeError) return 'it is nested too deeply';
  return err instanceof Error ? err.message : String(err);
}

/** A short description of a JSON item for a message (never re-serialises a deep or huge value). */
function describeJsonItem(item: unknown): string {
  if (item === null) return 'null';
  if (Array.isArray(item)) return `a list of ${item.length} item${item.length === 1 ? '' : 's'}`;
  if (typeof item === 'object') {
    const keys = Object.keys(item as object);
    return keys.length ? `an object with ${keys.slice(0, 5).map((k) => quoteInput(k, 40)).join(', ')}${keys.length > 5 ? ', …' : ''}` : 'an empty object';
  }
  return typeof item === 'string' ? `the string ${quoteInput(item)}` : `${typeof item} ${quoteInput(String(item))}`;
}

function unquote(v: string): string {
  const t = v.trim();
  if (t.length >= 2 && ((t.startsWith('"') && t.endsWith('"')) || (t.startsWith("'") && t.endsWith("'")))) return t.slice(1, -1);
  return t;
}

/**
 * Parse one --lookup-attributes value as aws-cli does: shorthand `AttributeKey=K,AttributeValue=V` (either order,
 * values may be quoted to hold commas) or JSON (`{"AttributeKey":..,"AttributeValue":..}` or a list of them).
 */
export function parseLookupAttributes(raw: string): LookupAttribute[] {
  const text = raw.trim();
  if (text.startsWith('{') || text.startsWith('[')) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch (err) {
      throw new LookupArgumentError(`--lookup-attributes: invalid JSON ${quoteInput(text)}: ${jsonProblem(err)}`);
    }
    const list = Array.isArray(parsed) ? parsed : [parsed];
    return list.map((item: unknown) => {
      if (!item || typeof item !== 'object' || typeof (item as Record<string, unknown>).AttributeKey !== 'string' || typeof (item as Record<string, unknown>).AttributeValue !== 'string') {
        throw new LookupArgumentError(
          `--lookup-attributes: each JSON item needs string members AttributeKey and AttributeValue, got ${describeJsonItem(item)}; ` +
            'write {"AttributeKey":"<key>","AttributeValue":"<value>"} or a list of them',
        );
      }
      const o = item as { AttributeKey: string; AttributeValue: string };
      return { key: attributeKey(o.AttributeKey), value: o.AttributeValue };
    });
  }
  const m =
    /^AttributeKey\s*=\s*("[^"]*"|'[^']*'|[^,]*)\s*,\s*AttributeValue\s*=\s*(.*)$/i.exec(text) ??
    null;
  const r = m ? null : /^AttributeValue\s*=\s*("[^"]*"|'[^']*'|[^,]*)\s*,\s*AttributeKey\s*=\s*(.*)$/i.exec(text);
  if (!m && !r) {
    throw new LookupArgumentError(
      `--lookup-attributes: cannot read ${quoteInput(raw)}; write AttributeKey=<key>,AttributeValue=<value> with <key> one of ${LOOKUP_ATTRIBUTE_KEYS.join(', ')}`,
    );
  }
  const key = m ? m[1] : r![2];
  const value = m ? m[2] : r![1];
  return [{ key: attributeKey(unquote(key)), value: unquote(value) }];
}
