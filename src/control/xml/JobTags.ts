import { ControlError } from '../../errors/ControlError.js';
import type { Tag } from '../../core/tags/Tag.js';
import { validateTagSet } from '../../core/tags/TagSet.js';
import { isS3Error } from '../../errors/S3Error.js';
import { xml, type XmlElement, type XmlObject } from '../../xml/codec.js';
import { members } from './controlXml.js';

/** S3Tag lists (`<member><Key/><Value/></member>`) as S3 Control carries them. */
export function parseTagMembers(list: XmlObject | undefined): Tag[] {
  if (list === undefined) return [];
  return xml.children(list, 'member').map((m) => ({ key: xml.requiredText(m, 'Key'), value: xml.text(m, 'Value') ?? '' }));
}

export function renderTagMembers(tags: readonly Tag[]): XmlElement {
  return members(tags, (t) => ({ Key: t.key, Value: t.value }));
}

/** Job tags: at most 50, each as S3's tag rules; answered with S3 Control's exceptions. */
export function validateJobTags(tags: readonly Tag[]): Tag[] {
  if (tags.length > 50) throw new ControlError('TooManyTagsException', { message: 'A job can have at most 50 tags' });
  try {
    return validateTagSet(tags, 'bucket');
  } catch (err) {
    if (isS3Error(err)) throw new ControlError('BadRequestException', { message: err.message });
    throw err;
  }
}
