import type { ObjectVersion } from '../objects/ObjectVersion.js';
import type { VersionStore } from '../ports/VersionStore.js';
import type { Tag } from '../tags/Tag.js';
import type { Services } from '../Services.js';
import { csvField, encodeReportKey } from './csvLine.js';
import type { Job, JobManifest, ManifestGeneratorSpec } from './Job.js';
import { writeTextObject } from './writeObject.js';
import type { ManifestTask } from './ManifestTask.js';

/** Whether an object passes S3JobManifestGenerator's filter (every given criterion must hold). */
export function matchesFilter(version: ObjectVersion, filter: ManifestGeneratorSpec['filter']): boolean {
  const f = filter;
  if (f.createdAfter !== undefined && !(version.lastModified > new Date(f.createdAfter))) return false;
  if (f.createdBefore !== undefined && !(version.lastModified < new Date(f.createdBefore))) return false;
  if (f.prefixes !== undefined && f.prefixes.length > 0 && !f.prefixes.some((p) => version.key.startsWith(p))) return false;
  if (f.suffixes !== undefined && f.suffixes.length > 0 && !f.suffixes.some((s) => version.key.endsWith(s))) return false;
  if (f.substrings !== undefined && f.substrings.length > 0 && !f.substrings.some((s) => version.key.includes(s))) return false;
  if (f.sizeGreaterThan !== undefined && !(version.size > f.sizeGreaterThan)) return false;
  if (f.sizeLessThan !== undefined && !(version.size < f.sizeLessThan)) return false;
  if (f.storageClasses !== undefined && f.storageClasses.length > 0 && !f.storageClasses.includes(version.storageClass)) return false;
  return true;
}

/** Whether a tag set holds every one of the wanted tags (MatchAllObjectTags). */
export function hasAllTags(tags: readonly Tag[], wanted: readonly Tag[]): boolean {
  return wanted.every((w) => tags.some((t) => t.key === w.key && t.value === w.value));
}

/**
 * The tasks of a generated manifest: the current objects of the source bucket, in key order, that pass the filter.
 * Numbered like manifest rows; the listing is re-read on resume (key order makes it deterministic while the bucket
 * is not being changed). A single prefix narrows the listing itself; a tag filter reads each candidate's tags.
 */
export async function* generateManifest(metadata: Pick<VersionStore, 'listLatest' | 'getTags'>, spec: ManifestGeneratorSpec): AsyncGenerator<ManifestTask[]> {
  const bucket = spec.sourceBucket.replace(/^arn:[^:]+:s3:::/, '');
  const prefix = spec.filter.prefixes?.length === 1 ? spec.filter.prefixes[0]! : '';
  const wantedTags = spec.filter.tags ?? [];
  let after: string | undefined;
  let row = 0;
  for (;;) {
    const page = await metadata.listLatest(bucket, { prefix, limit: 1000, ...(after !== undefined ? { after } : {}) });
    const tasks: ManifestTask[] = [];
    for (const version of page) {
      if (version.isDeleteMarker || !matchesFilter(version, spec.filter)) continue;
      if (wantedTags.length > 0) {
        const tagged = await metadata.getTags(bucket, version.key);
        if (tagged === undefined || !hasAllTags(tagged.tags, wantedTags)) continue;
      }
      tasks.push({ row: row++, bucket, key: version.key });
    }
    if (tasks.length > 0) yield tasks;
    if (page.length < 1000) return;
    after = page[page.length - 1]!.key;
  }
}

/**
 * EnableManifestOutput: write the generated manifest to ManifestOutputLocation as
 * `<ManifestPrefix>/job-<id>/manifest.csv` (Bucket,Key, URL-encoded keys) plus `manifest.json` describing it, and
 * return it as the job's manifest: a resumed job reads the same rows whatever happens to the bucket meanwhile.
 */
export async function writeGeneratedManifest(
  job: Job,
  spec: ManifestGeneratorSpec,
  services: Services,
  versions: Pick<VersionStore, 'listLatest' | 'getTags'>,
): Promise<{ manifest: JobManifest; total: number }> {
  const output = spec.output!;
  const bucket = output.bucket.replace(/^arn:[^:]+:s3:::/, '');
  const prefix = output.prefix === undefined || output.prefix === '' ? '' : output.prefix.replace(/\/+$/, '') + '/';
  const key = `${prefix}job-${job.id}/manifest.csv`;
  let total = 0;
  async function* rows(): AsyncGenerator<readonly string[]> {
    for await (const batch of generateManifest(versions, spec)) {
      total += batch.length;
      yield batch.map((t) => `${csvField(t.bucket)},${csvField(encodeReportKey(t.key))}\n`);
    }
  }
  const etag = await writeTextObject(services, bucket, key, job.accountId, rows(), 'text/csv');
  const description = {
    sourceBucket: spec.sourceBucket.replace(/^arn:[^:]+:s3:::/, ''),
    destinationBucket: `arn:aws:s3:::${bucket}`,
    fileFormat: 'CSV',
    fileSchema: 'Bucket, Key',
    files: [{ key, MD5checksum: etag }],
    totalTasks: total,
  };
  await writeTextObject(services, bucket, `${prefix}job-${job.id}/manifest.json`, job.accountId, [JSON.stringify(description)], 'application/json');
  return {
    manifest: {
      spec: { format: 'S3BatchOperations_CSV_20180820', fields: ['Bucket', 'Key'] },
      location: { objectArn: `arn:aws:s3:::${bucket}/${key}`, etag },
    },
    total,
  };
}
