import { S3Error } from '../../errors/S3Error.js';
import { codePointLength } from '../tags/TagSet.js';
import type { Tag } from '../tags/Tag.js';
import type { AuditConfiguration } from './AuditConfiguration.js';

const MAX_PREFIX = 1024;

function invalid(message: string): S3Error {
  return new S3Error('InvalidArgument', { message, details: { ArgumentName: 'tessera-audit' } });
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function onlyKeys(value: Record<string, unknown>, allowed: readonly string[], where: string): void {
  for (const key of Object.keys(value)) if (!allowed.includes(key)) throw invalid(`Unknown field ${where}${key}`);
}

/**
 * Read a bucket audit configuration from its JSON document:
 * `{"Filter": {"Prefix": "logs/", "Tags": [{"Key": "k", "Value": "v"}]}, "IncludeObjectTags": true}` (every field
 * optional). A document that is not JSON is MalformedJSON-like InvalidArgument; an unknown field, a wrong type, a
 * prefix over 1,024 characters, or a tag S3 would refuse in a filter (empty or too long key, duplicate key) is
 * InvalidArgument naming the field.
 */
export function parseAuditConfiguration(body: Buffer): AuditConfiguration {
  let doc: unknown;
  try {
    doc = JSON.parse(body.toString('utf8'));
  } catch {
    throw invalid('The audit configuration is not valid JSON');
  }
  if (!isRecord(doc)) throw invalid('The audit configuration must be a JSON object');
  onlyKeys(doc, ['Filter', 'IncludeObjectTags'], '');
  const include = doc.IncludeObjectTags ?? false;
  if (typeof include !== 'boolean') throw invalid('IncludeObjectTags must be true or false');
  if (doc.Filter === undefined) return { includeObjectTags: include };
  const filter = doc.Filter;
  if (!isRecord(filter)) throw invalid('Filter must be an object');
  onlyKeys(filter, ['Prefix', 'Tags'], 'Filter.');
  const prefix = filter.Prefix;
  if (prefix !== undefined && (typeof prefix !== 'string' || prefix.length > MAX_PREFIX)) throw invalid(`Filter.Prefix must be a string of at most ${MAX_PREFIX} characters`);
  const rawTags = filter.Tags ?? [];
  if (!Array.isArray(rawTags)) throw invalid('Filter.Tags must be a list of {"Key", "Value"}');
  const tags = rawTags.map((t: unknown, i) => {
    if (!isRecord(t) || typeof t.Key !== 'string' || (t.Value !== undefined && typeof t.Value !== 'string')) {
      throw invalid(`Filter.Tags[${i}] must be {"Key": string, "Value": string}`);
    }
    onlyKeys(t, ['Key', 'Value'], `Filter.Tags[${i}].`);
    return { key: t.Key, value: typeof t.Value === 'string' ? t.Value : '' };
  });
  checkFilterTags(tags);
  return { filter: { ...(prefix === undefined ? {} : { prefix }), tags }, includeObjectTags: include };
}

/** A filter's tags as S3 checks them: keys of 1 to 128 characters, values of at most 256, no key twice. */
function checkFilterTags(tags: readonly Tag[]): void {
  const seen = new Set<string>();
  tags.forEach((t, i) => {
    const keyLength = codePointLength(t.key);
    if (keyLength < 1 || keyLength > 128) throw invalid(`Filter.Tags[${i}].Key must be 1 to 128 characters`);
    if (codePointLength(t.value) > 256) throw invalid(`Filter.Tags[${i}].Value must be at most 256 characters`);
    if (seen.has(t.key)) throw invalid(`Filter.Tags has the key ${JSON.stringify(t.key)} twice`);
    seen.add(t.key);
  });
}
