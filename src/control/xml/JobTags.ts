import type { Tag } from '../../core/tags/Tag.js';
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
