import { randomBytes } from 'node:crypto';
import { renderXml } from '../src/xml/codec.js';

/** The sizes and documents every benchmark run uses, shared by the load generator and the bare ceiling server. */
export const SMALL_SIZE = 4 * 1024;
export const LARGE_SIZE = 64 * 1024 * 1024;

/** The four tags PutObjectTagging sends and GetObjectTagging reads back. */
export const BENCH_TAGS: ReadonlyArray<{ readonly Key: string; readonly Value: string }> = [
  { Key: 'project', Value: 'tessera' },
  { Key: 'stage', Value: 'benchmark' },
  { Key: 'owner', Value: 'bench-runner' },
  { Key: 'class', Value: 'small-object' },
];

/** The Tagging document: the PutObjectTagging request body and the GetObjectTagging answer of the ceiling server. */
export function taggingDocument(): string {
  return renderXml('Tagging', { TagSet: { Tag: BENCH_TAGS.map((t) => ({ Key: t.Key, Value: t.Value })) } });
}

/** Incompressible object data (random bytes), made once per process. */
export function objectData(size: number): Buffer {
  return randomBytes(size);
}
