import type { VersioningState } from '../../../core/buckets/Bucket.js';
import { S3Error } from '../../../errors/S3Error.js';
import { parseXml, renderXml, xml } from '../../../xml/codec.js';

/** `<VersioningConfiguration><Status>Enabled|Suspended</Status><MfaDelete>Enabled|Disabled</MfaDelete></…>` */
export interface VersioningConfiguration {
  /** undefined when the document has no Status (the state is left as it is). */
  readonly status: 'Enabled' | 'Suspended' | undefined;
  readonly mfaDelete: 'Enabled' | 'Disabled' | undefined;
}

const ROOT = 'VersioningConfiguration';

/** Parse PutBucketVersioning's body. Values other than the documented ones are MalformedXML, as AWS answers. */
export function parseVersioningConfiguration(body: Buffer | string): VersioningConfiguration {
  const doc = parseXml(body, ROOT);
  const status = xml.text(doc, 'Status');
  const mfaDelete = xml.text(doc, 'MfaDelete');
  if (status !== undefined && status !== 'Enabled' && status !== 'Suspended') throw new S3Error('MalformedXML');
  if (mfaDelete !== undefined && mfaDelete !== 'Enabled' && mfaDelete !== 'Disabled') throw new S3Error('MalformedXML');
  return { status, mfaDelete };
}

/** GetBucketVersioning's answer: an empty VersioningConfiguration for a bucket whose versioning was never set. */
export function renderVersioningConfiguration(state: VersioningState): string {
  return renderXml(ROOT, state === 'Unversioned' ? {} : { Status: state });
}
