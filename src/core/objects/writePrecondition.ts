import { S3Error } from '../../errors/S3Error.js';
import { etagListMatches } from './conditions.js';
import type { ObjectVersion } from './ObjectVersion.js';

/** Conditional write headers (If-Match / If-None-Match: * on PutObject, CopyObject and CompleteMultipartUpload). */
export interface WritePrecondition {
  readonly ifMatch?: string | undefined;
  readonly ifNoneMatch?: string | undefined;
}

/** Whether a write carries If-Match or If-None-Match. */
function isConditional(precondition: WritePrecondition | undefined): boolean {
  return precondition !== undefined && (precondition.ifMatch !== undefined || precondition.ifNoneMatch !== undefined);
}

/**
 * The check of a conditional write against the key's latest version (a delete marker counts as no current object):
 * 412 PreconditionFailed when it does not hold, 404 NoSuchKey for If-Match on a key without a current object (AWS's
 * answers). Undefined for an unconditional write. Pure; the store runs it while the write holds the key
 * (VersionWriteOptions.expect), so it is atomic with the write on every node.
 */
export function preconditionCheck(key: string, precondition: WritePrecondition | undefined): ((latest: ObjectVersion | undefined) => void) | undefined {
  if (precondition === undefined || !isConditional(precondition)) return undefined;
  return (latest) => {
    const current = latest === undefined || latest.isDeleteMarker ? undefined : latest;
    if (precondition.ifMatch !== undefined) {
      if (current === undefined) throw new S3Error('NoSuchKey', { details: { Key: key } });
      if (!etagListMatches(precondition.ifMatch, current.etag)) {
        throw new S3Error('PreconditionFailed', { details: { Condition: 'If-Match' } });
      }
    }
    if (precondition.ifNoneMatch !== undefined && current !== undefined) {
      throw new S3Error('PreconditionFailed', { details: { Condition: 'If-None-Match' } });
    }
  };
}
