// IP addresses as numbers, for Sigma's `|cidr` (IPv4, IPv6 with `::` and an embedded IPv4 tail). Written here
// rather than taken from node:net, which trailhound does not import at all (test/no-network.test.ts).

const V4 = /^(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}$/;

function v4(text: string): bigint | null {
  if (!V4.test(text)) return null;
  return text.split('.').reduce((acc, part) => (acc << 8n) | BigInt(Number(part)), 0n);
}

function v6(input: string): bigint | null {
  let text = input.replace(/%[0-9A-Za-z_.-]+$/, ''); // a zone (fe80::1%eth0) does not change the address
  if (text.includes('.')) {
    // An IPv4 tail is two 16-bit groups.
    const colon = text.lastIndexOf(':');
    const ip4 = v4(text.slice(colon + 1));
    if (ip4 === null) return null;
    text = `${text.slice(0, colon + 1)}${(ip4 >> 16n).toString(16)}:${(ip4 & 0xffffn).toString(16)}`;
  }
  if (!/^[0-9A-Fa-f:]+$/.test(text) || text.split('::').length > 2) return null;
  const [head, rest] = text.includes('::') ? text.split('::') : [text, null];
  const parse = (x: string) => (x === '' ? [] : x.split(':'));
  const h = parse(head);
  const r = rest === null ? [] : parse(rest);
  if (![...h, ...r].every((g) => /^[0-9A-Fa-f]{1,4}$/.test(g))) return null;
  const missing = 8 - h.length - r.length;
  if (rest === null ? missing !== 0 : missing < 1) return null;
  const groups = [...h, ...new Array<string>(missing).fill('0'), ...r];
  return groups.reduce((acc, g) => (acc << 16n) | BigInt(parseInt(g, 16)), 0n);
}

/** The address as a number with its family, or null when the text is not an IP address. */
export function parseIp(text: string): { value: bigint; family: 4 | 6 } | null {
  const a = v4(text);
  if (a !== null) return { value: a, family: 4 };
  const b = text.includes(':') ? v6(text) : null;
  return b === null ? null : { value: b, family: 6 };
}

/** Is `ip` inside `address/prefix` (same family)? */
export function inSubnet(ip: { value: bigint; family: 4 | 6 }, net: { value: bigint; family: 4 | 6 }, prefix: number): boolean {
  if (ip.family !== net.family) return false;
  const bits = ip.family === 4 ? 32 : 128;
  const shift = BigInt(bits - prefix);
  return ip.value >> shift === net.value >> shift;
}
