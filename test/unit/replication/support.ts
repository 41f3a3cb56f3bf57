import type { ReplicationConfiguration } from '../../../src/core/replication/ReplicationRule.js';
import { validateReplication, type ValidateReplicationOptions } from '../../../src/core/replication/validateReplication.js';
import { parseReplicationConfiguration } from '../../../src/s3/xml/shapes/ReplicationConfiguration.js';

export const ROLE = 'arn:aws:iam::123456789012:role/replication';
export const DEST = 'arn:aws:s3:::destination';

/** A ReplicationConfiguration document with the standard role and the given `<Rule>` contents. */
export function doc(...rules: string[]): string {
  return `<ReplicationConfiguration xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><Role>${ROLE}</Role>${rules.map((r) => `<Rule>${r}</Rule>`).join('')}</ReplicationConfiguration>`;
}

/** `<Destination>` naming a bucket by ARN (default: the standard destination). */
export function destination(arn = DEST, extra = ''): string {
  return `<Destination><Bucket>${arn}</Bucket>${extra}</Destination>`;
}

/**
 * A V2 rule body: `<ID>`, `<Priority>`, an empty `<Filter/>` unless `filter` is given, Enabled, the destination,
 * and DeleteMarkerReplication Disabled; `extra` is appended.
 */
export function v2(options: { id?: string; priority?: number; filter?: string; status?: string; dest?: string; deleteMarkers?: string; extra?: string } = {}): string {
  const { id = 'r', priority = 1, filter = '<Filter/>', status = 'Enabled', dest = DEST, deleteMarkers = 'Disabled', extra = '' } = options;
  return (
    `<ID>${id}</ID><Priority>${priority}</Priority>${filter}<Status>${status}</Status>${destination(dest)}` +
    `<DeleteMarkerReplication><Status>${deleteMarkers}</Status></DeleteMarkerReplication>${extra}`
  );
}

/** A V1 rule body: `<ID>`, the rule-level `<Prefix>`, Enabled, the destination. */
export function v1(id: string, prefix: string, dest = DEST): string {
  return `<ID>${id}</ID><Prefix>${prefix}</Prefix><Status>Enabled</Status>${destination(dest)}`;
}

export function tag(key: string, value = 'v'): string {
  return `<Tag><Key>${key}</Key><Value>${value}</Value></Tag>`;
}

/** Parse and validate a document, as PutBucketReplication will; generated IDs are `generated-1`, `-2`… */
export function configure(body: string, options: ValidateReplicationOptions = {}): ReplicationConfiguration {
  let n = 0;
  return validateReplication(parseReplicationConfiguration(body), { newRuleId: () => `generated-${++n}`, sourceBucket: 'source', ...options });
}

export { expectS3Error, MALFORMED, type ExpectedError } from '../../support/expectS3Error.js';
