/** A batch manifest (S3BatchOperations_CSV_20180820, fields Bucket,Key): one row per key, keys URL-encoded. */
export function manifestCsv(bucket: string, keys: readonly string[]): string {
  return keys.map((key) => `${bucket},${encodeURIComponent(key)}\n`).join('');
}
