import type { Logger } from 'pino';
import type { Bucket } from '../../core/buckets/Bucket.js';
import type { AuditConfiguration } from '../../core/audit/AuditConfiguration.js';
import type { AuditConfigurationService } from '../../core/audit/AuditConfigurationService.js';
import type { Tag } from '../../core/tags/Tag.js';
import type { FinishedRequest, RequestObserver } from '../../http/RequestObserver.js';
import type { ObjectTagLookup } from '../objectTags.js';
import { needsTags, requestScope, scopeMatches, type RequestScope } from '../requestScope.js';
import { resolvedValue } from '../settled.js';
import { auditEvent, isDataEvent } from './auditEvent.js';
import type { AuditSink } from './AuditSink.js';

export interface AuditLogDeps {
  readonly sink: AuditSink;
  readonly audit: Pick<AuditConfigurationService, 'forBucket'>;
  readonly tags: ObjectTagLookup;
  readonly region: string;
  readonly log: Logger;
}

/**
 * The audit log (docs/audit-log.md): one CloudTrail-shaped record per request — management events always, a
 * bucket's data events as its audit configuration filters them (by key prefix and by the object's tags at the time),
 * with the object's tags when it asks. Denied and failed requests are recorded like any other.
 */
export class AuditLog implements RequestObserver {
  private pending = 0;
  private idle: (() => void)[] = [];

  constructor(private readonly deps: AuditLogDeps) {}

  observe(done: FinishedRequest): void {
    try {
      const later = this.record(done);
      if (later !== undefined) this.track(later, done);
    } catch (err) {
      this.deps.log.error({ err, requestId: done.requestId }, 'audit record failed');
    }
  }

  async wantsObjectTags(bucket: Bucket): Promise<boolean> {
    const c = await this.deps.audit.forBucket(bucket);
    return c.includeObjectTags || (c.filter?.tags.length ?? 0) > 0;
  }

  /** Wait for the records of requests already answered, then close the log. */
  async close(): Promise<void> {
    if (this.pending > 0) await new Promise<void>((resolve) => this.idle.push(resolve));
    await this.deps.sink.close();
  }

  /** Write the request's record now when everything it needs is known; otherwise the promise of writing it. */
  private record(done: FinishedRequest): Promise<void> | undefined {
    const req = done.request;
    const scope = done.trace.api === 's3' && req?.bucket !== undefined ? requestScope(done.trace.operation, req.key, req.query) : undefined;
    const bucket = done.trace.bucket;
    // management events, and requests refused before their bucket was read (a bad signature, no such bucket), are
    // always written: no bucket's configuration applies to them
    if (bucket === undefined || scope === undefined || !isDataEvent(done.trace.api, scope)) {
      this.deps.sink.write(auditEvent(done, this.deps.region, scope, undefined));
      return undefined;
    }
    const configuration = this.deps.audit.forBucket(bucket);
    const known = resolvedValue(configuration);
    if (known === undefined) return configuration.then((c) => this.recordData(done, scope, c));
    return this.recordData(done, scope, known.value);
  }

  private recordData(done: FinishedRequest, scope: RequestScope, config: AuditConfiguration): Promise<void> | undefined {
    const write = (tags: readonly Tag[]): void => {
      if (scopeMatches(config.filter, scope, tags)) {
        this.deps.sink.write(auditEvent(done, this.deps.region, scope, config.includeObjectTags && scope.kind === 'object' ? tags : undefined));
      }
    };
    if (scope.kind !== 'object' || !(config.includeObjectTags || needsTags(config.filter, scope))) {
      write([]);
      return undefined;
    }
    const tags = this.deps.tags.known(done);
    if (tags !== undefined) {
      write(tags);
      return undefined;
    }
    return this.deps.tags.tagsOf(done).then(write);
  }

  private track(later: Promise<void>, done: FinishedRequest): void {
    this.pending += 1;
    later
      .catch((err: unknown) => this.deps.log.error({ err, requestId: done.requestId }, 'audit record failed'))
      .finally(() => {
        this.pending -= 1;
        if (this.pending === 0) for (const resolve of this.idle.splice(0)) resolve();
      });
  }
}
