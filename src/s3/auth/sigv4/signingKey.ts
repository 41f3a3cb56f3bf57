import { createHash } from 'node:crypto';
import { hmacSha256 } from './crypto.js';

/**
 * kSigning = HMAC(HMAC(HMAC(HMAC("AWS4" + secret, date), region), service), "aws4_request"), cached per
 * (secret, date, region, service). The cache is keyed by a hash of the secret, never the secret itself (only the
 * secret seen last is kept beside its hash, to skip re-hashing it), and is
 * bounded (oldest entries are dropped first).
 */
export class SigningKeyCache {
  private readonly entries = new Map<string, Buffer>();
  /** The hash of the secret seen last: consecutive requests by one caller skip hashing it again. */
  private lastSecret: string | undefined;
  private lastSecretId = '';
  /** The key handed out last and what it was derived from: a caller's next request finds it without a map lookup. */
  private last: { secret: string; date: string; region: string; service: string; key: Buffer } | undefined;

  constructor(private readonly maxEntries = 512) {}

  get(secretAccessKey: string, date: string, region: string, service: string): Buffer {
    const last = this.last;
    if (last !== undefined && last.secret === secretAccessKey && last.date === date && last.region === region && last.service === service) {
      return last.key;
    }
    const key = this.lookup(secretAccessKey, date, region, service);
    this.last = { secret: secretAccessKey, date, region, service, key };
    return key;
  }

  private lookup(secretAccessKey: string, date: string, region: string, service: string): Buffer {
    let secretId = this.lastSecretId;
    if (secretAccessKey !== this.lastSecret) {
      secretId = createHash('sha256').update(secretAccessKey).digest('base64');
      this.lastSecret = secretAccessKey;
      this.lastSecretId = secretId;
    }
    const id = `${secretId}\n${date}\n${region}\n${service}`;
    const cached = this.entries.get(id);
    if (cached !== undefined) {
      // refresh recency
      this.entries.delete(id);
      this.entries.set(id, cached);
      return cached;
    }
    const key = deriveSigningKey(secretAccessKey, date, region, service);
    this.entries.set(id, key);
    if (this.entries.size > this.maxEntries) {
      const oldest = this.entries.keys().next();
      if (oldest.done !== true) this.entries.delete(oldest.value);
    }
    return key;
  }

  get size(): number {
    return this.entries.size;
  }
}

export function deriveSigningKey(secretAccessKey: string, date: string, region: string, service: string): Buffer {
  const kDate = hmacSha256(`AWS4${secretAccessKey}`, date);
  const kRegion = hmacSha256(kDate, region);
  const kService = hmacSha256(kRegion, service);
  return hmacSha256(kService, 'aws4_request');
}
