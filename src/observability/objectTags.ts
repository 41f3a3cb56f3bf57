import type { Tag } from '../core/tags/Tag.js';
import type { TagService } from '../core/tags/TagService.js';
import { parseTaggingHeader } from '../core/tags/TagSet.js';
import { header, type S3Request } from '../http/S3Request.js';
import type { FinishedRequest } from '../http/RequestObserver.js';
import type { RequestTrace } from '../http/RequestTrace.js';

/**
 * The tags of the object an S3 request addressed, at the time of the request, read at most once per request however
 * many observers ask: for a DELETE, those captured before it went (RequestTrace.tagsBefore); otherwise the version the
 * request named (`versionId`) or the one its response names (x-amz-version-id: the version read, or the one written —
 * a write that sets tags counts under its new tags), else the current one. A missing object has none. Most requests
 * need no read at all (`known`).
 */
const NONE: readonly Tag[] = Object.freeze([]);

export class ObjectTagLookup {
  private readonly pending = new WeakMap<RequestTrace, Promise<readonly Tag[]>>();

  constructor(private readonly tags: Pick<TagService, 'getVersionTags'>) {}

  /**
   * The tags when they are known without a read: captured before a DELETE; a PutObject's own x-amz-tagging; none for
   * a GetObject or HeadObject answered without x-amz-tagging-count (the object has no tags); none for a request on no
   * object. Undefined when only a read can tell (`tagsOf`).
   */
  known(done: FinishedRequest): readonly Tag[] | undefined {
    const trace = done.trace;
    if (trace.tagsBefore !== undefined) return trace.tagsBefore;
    const req = done.request;
    if (req?.bucket === undefined || req.key === undefined) return NONE;
    const ok = done.status === 200 || done.status === 206;
    if (ok && (trace.operation === 'GetObject' || trace.operation === 'HeadObject') && done.taggingCount === undefined) return NONE;
    // a PutObject that succeeded wrote exactly the tags of its x-amz-tagging header (validated before it was accepted)
    if (ok && trace.operation === 'PutObject') {
      try {
        return parseTaggingHeader(header(req, 'x-amz-tagging'));
      } catch {
        return undefined;
      }
    }
    return undefined;
  }

  tagsOf(done: FinishedRequest): Promise<readonly Tag[]> {
    const known = this.known(done);
    if (known !== undefined) return Promise.resolve(known);
    const req = done.request as S3Request & { readonly bucket: string; readonly key: string };
    let found = this.pending.get(done.trace);
    if (found === undefined) {
      found = this.read(req.bucket, req.key, req.query.get('versionId') ?? done.versionId);
      this.pending.set(done.trace, found);
    }
    return found;
  }

  private async read(bucket: string, key: string, versionId: string | undefined): Promise<readonly Tag[]> {
    try {
      const found = await this.tags.getVersionTags(bucket, key, versionId);
      return found.status === 'ok' ? found.tags : [];
    } catch {
      return [];
    }
  }
}
