/** `arn:aws:s3:::bucket[/key]` → its parts; undefined for service-level resources (`arn:aws:s3:::*`). */
export function parseS3Arn(arn: string): { bucket: string; key: string | undefined } | undefined {
  const prefix = 'arn:aws:s3:::';
  if (!arn.startsWith(prefix)) return undefined;
  const rest = arn.slice(prefix.length);
  if (rest === '' || rest === '*') return undefined;
  const slash = rest.indexOf('/');
  return slash < 0 ? { bucket: rest, key: undefined } : { bucket: rest.slice(0, slash), key: rest.slice(slash + 1) };
}

const S3_ARN = 'arn:aws:s3:::';

/**
 * What an S3 ARN names relative to a bucket: the bucket itself, the object `key` in it, another object in it, or
 * something else (another bucket, a service-level resource). The same answer as comparing parseS3Arn's parts, without
 * building them (the authorizer asks for every action of every request). `lastIndexOf(text, at) === at` tests "text
 * is at `at`" in place: an ARN is usually a freshly concatenated string, which `startsWith` walks piece by piece on
 * every call.
 */
export function arnWithin(arn: string, bucket: string, key: string | undefined): 'bucket' | 'object' | 'other-object' | 'elsewhere' {
  const at = S3_ARN.length;
  const base = at + bucket.length;
  if (bucket === '' || arn.lastIndexOf(S3_ARN, 0) !== 0 || arn.lastIndexOf(bucket, at) !== at) return 'elsewhere';
  if (arn.length === base) return 'bucket';
  if (arn.charCodeAt(base) !== 0x2f) return 'elsewhere';
  return key !== undefined && arn.length === base + 1 + key.length && arn.lastIndexOf(key, base + 1) === base + 1 ? 'object' : 'other-object';
}

/** Whether an action reads the addressed object (GET or HEAD): AWS's 404-or-403 rule for missing objects applies. */
export function isObjectRead(action: string, method: string): boolean {
  if (method !== 'GET' && method !== 'HEAD') return false;
  if (action === 's3:GetObject' || action === 's3:GetObjectVersion') return true;
  const lower = action.toLowerCase();
  return lower === 's3:getobject' || lower === 's3:getobjectversion';
}
