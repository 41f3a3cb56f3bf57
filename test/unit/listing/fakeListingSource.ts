import { compareUtf8 } from '../../../src/core/keys/keyOrder.js';
import type { ObjectVersion } from '../../../src/core/objects/ObjectVersion.js';
import type { ListingSource } from '../../../src/core/objects/listing/ListingSource.js';

/** A version to seed the fake with; written in the order given (later = newer). */
export interface FakeWrite {
  readonly key: string;
  readonly versionId?: string;
  readonly deleteMarker?: boolean;
}

/**
 * An in-memory stand-in for the two MetadataStore list methods (and getVersion), following the contract in
 * MetadataStore.ts: UTF-8 byte order, prefix, exclusive `after`, limit. Counts queries and rows handed out so
 * tests can check how much a listing reads.
 */
export class FakeListingSource implements ListingSource {
  queries = 0;
  rowsRead = 0;
  private readonly versions: ObjectVersion[] = [];
  private readonly latestIndex = new Map<string, number>();
  private seq = 0;

  constructor(writes: readonly FakeWrite[] = []) {
    for (const w of writes) this.write(w);
  }

  write(w: FakeWrite): ObjectVersion {
    this.seq += 1;
    if (w.versionId === 'null') this.removeNullVersion(w.key);
    const previous = this.latestIndex.get(w.key);
    const v = previous === undefined ? undefined : this.versions[previous];
    if (previous !== undefined && v !== undefined) this.versions[previous] = { ...v, isLatest: false };
    this.latestIndex.set(w.key, this.versions.length);
    const version: ObjectVersion = {
      bucket: 'b',
      key: w.key,
      versionId: w.versionId ?? `v${String(this.seq).padStart(31, '0')}`,
      seq: this.seq,
      isLatest: true,
      isDeleteMarker: w.deleteMarker ?? false,
      lastModified: new Date(Date.UTC(2024, 0, 1, 0, 0, this.seq)),
      ownerAccountId: '111122223333',
      size: w.deleteMarker ? 0 : w.key.length,
      etag: 'd41d8cd98f00b204e9800998ecf8427e',
      storageClass: 'STANDARD',
      contentHeaders: {},
      userMetadata: {},
      segments: [],
      tagCount: 0,
    };
    this.versions.push(version);
    this.sorted = undefined;
    return version;
  }

  private sorted: ObjectVersion[] | undefined;

  /** As putVersion with replaceNull: the key's null version, wherever it is in the stack, goes. */
  private removeNullVersion(key: string): void {
    const at = this.versions.findIndex((v) => v.key === key && v.versionId === 'null');
    if (at < 0) return;
    const [removed] = this.versions.splice(at, 1);
    this.latestIndex.clear();
    this.versions.forEach((v, i) => {
      if (v.isLatest) this.latestIndex.set(v.key, i);
    });
    if (removed?.isLatest) {
      // the next newest of the key becomes latest
      let newest = -1;
      this.versions.forEach((v, i) => {
        if (v.key === key && (newest < 0 || v.seq > (this.versions[newest]?.seq ?? 0))) newest = i;
      });
      const v = this.versions[newest];
      if (v !== undefined) {
        this.versions[newest] = { ...v, isLatest: true };
        this.latestIndex.set(key, newest);
      }
    }
  }

  /** Key ascending, then newest first. */
  private all(): ObjectVersion[] {
    // keys are compared as UTF-8 bytes; encode each once
    this.sorted ??= this.versions
      .map((v) => ({ v, bytes: Buffer.from(v.key, 'utf8') }))
      .sort((a, b) => Buffer.compare(a.bytes, b.bytes) || b.v.seq - a.v.seq)
      .map(({ v }) => v);
    return this.sorted;
  }

  private hand(rows: ObjectVersion[]): Promise<ObjectVersion[]> {
    this.queries += 1;
    this.rowsRead += rows.length;
    return Promise.resolve(rows);
  }

  listLatest(_bucket: string, q: { prefix: string; after?: string; limit: number }): Promise<ObjectVersion[]> {
    const out: ObjectVersion[] = [];
    for (const v of this.all()) {
      if (out.length >= q.limit) break;
      if (!v.isLatest || v.isDeleteMarker || !v.key.startsWith(q.prefix)) continue;
      if (q.after !== undefined && compareUtf8(v.key, q.after) <= 0) continue;
      out.push(v);
    }
    return this.hand(out);
  }

  listVersions(
    _bucket: string,
    q: { prefix: string; after?: { key: string; afterSeq?: number }; limit: number },
  ): Promise<ObjectVersion[]> {
    const out: ObjectVersion[] = [];
    for (const v of this.all()) {
      if (out.length >= q.limit) break;
      if (!v.key.startsWith(q.prefix)) continue;
      if (q.after !== undefined) {
        const c = compareUtf8(v.key, q.after.key);
        if (c < 0) continue;
        if (c === 0 && (q.after.afterSeq === undefined || v.seq >= q.after.afterSeq)) continue;
      }
      out.push(v);
    }
    return this.hand(out);
  }

  getVersion(_bucket: string, key: string, versionId?: string): Promise<ObjectVersion | undefined> {
    const stack = this.all().filter((v) => v.key === key);
    return Promise.resolve(versionId === undefined ? stack[0] : stack.find((v) => v.versionId === versionId));
  }
}
