import type { Tag } from '../../../core/tags/Tag.js';
import { S3Error } from '../../../errors/S3Error.js';
import { parseXml, xml } from '../../../xml/codec.js';

/**
 * CreateBucket's optional body: `<CreateBucketConfiguration><LocationConstraint/><Tags><Tag>…</Tag></Tags>
 * </CreateBucketConfiguration>`. The directory-bucket elements (Location, Bucket) are not supported here.
 */
export interface CreateBucketConfiguration {
  /** undefined when the element is absent; may be '' for an empty element. */
  readonly locationConstraint: string | undefined;
  readonly tags: Tag[] | undefined;
}

const ROOT = 'CreateBucketConfiguration';

/** Parse the body; an empty (or whitespace-only) body is no configuration. Throws MalformedXML for a bad document. */
export function parseCreateBucketConfiguration(body: Buffer): CreateBucketConfiguration {
  if (body.toString('utf8').trim() === '') return { locationConstraint: undefined, tags: undefined };
  const doc = parseXml(body, ROOT, [`${ROOT}.Tags.Tag`]);
  if (doc['Location'] !== undefined || doc['Bucket'] !== undefined) {
    throw new S3Error('NotImplemented', { message: 'Directory buckets are not supported.' });
  }
  const tagsNode = xml.child(doc, 'Tags');
  const tags = tagsNode === undefined
    ? undefined
    : xml.children(tagsNode, 'Tag').map((tag) => ({ key: xml.requiredText(tag, 'Key'), value: xml.requiredText(tag, 'Value') }));
  return { locationConstraint: xml.text(doc, 'LocationConstraint'), tags };
}
