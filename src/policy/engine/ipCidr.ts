/**
 * IPv4 and IPv6 addresses and CIDR blocks for `IpAddress` / `NotIpAddress` (RFC 4632 CIDR notation; a bare address
 * is a /32 or /128). IPv4-mapped IPv6 addresses (`::ffff:192.0.2.1`, as Node reports IPv4 clients on a dual-stack
 * socket) are treated as the IPv4 address they carry.
 */
export interface IpAddress {
  readonly v6: boolean;
  readonly bits: bigint;
}

export interface Cidr {
  readonly v6: boolean;
  readonly network: bigint;
  readonly mask: bigint;
  readonly prefix: number;
}

const V4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/;
const HEX_GROUP = /^[0-9a-fA-F]{1,4}$/;

function parseV4(text: string): bigint | undefined {
  const m = V4.exec(text);
  if (!m) return undefined;
  let bits = 0;
  for (let i = 1; i <= 4; i++) {
    const octet = Number(m[i]);
    if (octet > 255) return undefined;
    bits = bits * 256 + octet;
  }
  return BigInt(bits);
}

function parseGroups(text: string): bigint[] | undefined {
  if (text === '') return [];
  const groups: bigint[] = [];
  const pieces = text.split(':');
  for (let i = 0; i < pieces.length; i++) {
    const piece = pieces[i] ?? '';
    if (i === pieces.length - 1 && piece.includes('.')) {
      const v4 = parseV4(piece);
      if (v4 === undefined) return undefined;
      groups.push(v4 >> 16n, v4 & 0xffffn);
    } else {
      if (!HEX_GROUP.test(piece)) return undefined;
      groups.push(BigInt(parseInt(piece, 16)));
    }
  }
  return groups;
}

function parseV6(text: string): bigint | undefined {
  const halves = text.split('::');
  if (halves.length > 2) return undefined;
  const head = parseGroups(halves[0] ?? '');
  const tail = halves.length === 2 ? parseGroups(halves[1] ?? '') : [];
  if (!head || !tail) return undefined;
  const count = head.length + tail.length;
  if (halves.length === 2 ? count > 7 : count !== 8) return undefined;
  const groups = [...head, ...new Array<bigint>(8 - count).fill(0n), ...tail];
  return groups.reduce((acc, g) => (acc << 16n) | g, 0n);
}

// The request's address is tested against every IpAddress condition of every statement: remember the last one.
let lastText: string | undefined;
let lastIp: IpAddress | undefined;

/** Parse an address; IPv4-mapped IPv6 comes back as IPv4. */
export function parseIp(text: string): IpAddress | undefined {
  if (text !== lastText) {
    lastIp = parseIpUncached(text);
    lastText = text;
  }
  return lastIp;
}

function parseIpUncached(text: string): IpAddress | undefined {
  const v4 = parseV4(text);
  if (v4 !== undefined) return { v6: false, bits: v4 };
  if (!text.includes(':')) return undefined;
  const v6 = parseV6(text);
  if (v6 === undefined) return undefined;
  if (v6 >> 32n === 0xffffn) return { v6: false, bits: v6 & 0xffffffffn };
  return { v6: true, bits: v6 };
}

/** Parse `addr/prefix` or a bare address. */
export function parseCidr(text: string): Cidr | undefined {
  const slash = text.indexOf('/');
  const addrText = slash < 0 ? text : text.slice(0, slash);
  const prefixText = slash < 0 ? undefined : text.slice(slash + 1);
  const v4 = parseV4(addrText);
  let v6: boolean;
  let bits: bigint;
  let width: number;
  if (v4 !== undefined) {
    v6 = false;
    bits = v4;
    width = 32;
  } else {
    const parsed = addrText.includes(':') ? parseV6(addrText) : undefined;
    if (parsed === undefined) return undefined;
    v6 = true;
    bits = parsed;
    width = 128;
  }
  if (prefixText !== undefined && !/^\d{1,3}$/.test(prefixText)) return undefined;
  let prefix = prefixText === undefined ? width : Number(prefixText);
  if (prefix > width) return undefined;
  // An IPv4-mapped block (::ffff:a.b.c.d/96+) is the IPv4 block it maps.
  if (v6 && prefix >= 96 && bits >> 32n === 0xffffn) {
    v6 = false;
    bits &= 0xffffffffn;
    prefix -= 96;
    width = 32;
  }
  const all = (1n << BigInt(width)) - 1n;
  const mask = prefix === 0 ? 0n : (all >> BigInt(width - prefix)) << BigInt(width - prefix);
  return { v6, network: bits & mask, mask, prefix };
}

export function cidrContains(cidr: Cidr, ip: IpAddress): boolean {
  return cidr.v6 === ip.v6 && (ip.bits & cidr.mask) === cidr.network;
}

/** Normalise an address for the request context: IPv4-mapped IPv6 becomes dotted IPv4. */
export function normaliseIp(text: string): string {
  // an IPv4 client of a dual-stack listener comes as ::ffff:a.b.c.d, request after request: remember the last answer
  if (text !== lastNormalisedText) {
    lastNormalised = normaliseUncached(text);
    lastNormalisedText = text;
  }
  return lastNormalised;
}

let lastNormalisedText: string | undefined;
let lastNormalised = '';

function normaliseUncached(text: string): string {
  const parsed = parseIp(text);
  if (!parsed || parsed.v6 || !text.includes(':')) return text;
  const b = parsed.bits;
  return [24n, 16n, 8n, 0n].map((s) => String((b >> s) & 0xffn)).join('.');
}
