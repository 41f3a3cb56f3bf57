import type { Tag } from '../core/tags/Tag.js';
import type { TagService } from '../core/tags/TagService.js';
import type { FinishedRequest } from '../http/RequestObserver.js';
import type { RequestTrace } from '../http/RequestTrace.js';

/**
 * The tags of the object an S3 request addressed, at the time of the request, read at most once per request however
 * many observers ask: for a DELETE, those captured before it went (RequestTrace.tagsBefore); otherwise the version the
 * request named (`versionId`) or the one its response names (x-amz-version-id: the version read, or the one written —
 * a write that sets tags counts under its new tags), else the current one. A missing object has none.
 */
export class ObjectTagLookup {
  private readonly pending = new WeakMap<RequestTrace, Promise<readonly Tag[]>>();

  constructor(private readonly tags: Pick<TagService, 'getVersionTags'>) {}

  tagsOf(done: FinishedRequest): Promise<readonly Tag[]> {
    const trace = done.trace;
    if (trace.tagsBefore !== undefined) return Promise.resolve(trace.tagsBefore);
    const req = done.request;
    if (req?.bucket === undefined || req.key === undefined) return Promise.resolve([]);
    let found = this.pending.get(trace);
    if (found === undefined) {
      found = this.read(req.bucket, req.key, req.query.get('versionId') ?? done.versionId);
      this.pending.set(trace, found);
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
