import type { Tag } from '../../../core/tags/Tag.js';
import { S3Error } from '../../../errors/S3Error.js';
import { xml, type XmlElement, type XmlObject } from '../../../xml/codec.js';

/**
 * Reading and writing the pieces the bucket configuration documents share (lifecycle, replication, notifications):
 * schema checks that answer MalformedXML as S3 does, and the drafts' optional fields.
 */

/** `{ [key]: value }`, or `{}` when the value is undefined (the domain types use exact optional properties). */
export function optional<K extends string, V>(key: K, value: V | undefined): { [P in K]?: V } {
  return (value === undefined ? {} : { [key]: value }) as { [P in K]?: V };
}

/**
 * Any element the schema does not define here is MalformedXML; one it defines that Tessera does not serve
 * (`unsupported`) is NotImplemented, naming `what`.
 */
export function onlyElements(node: XmlObject, allowed: readonly string[], unsupported: readonly string[] = [], what = 'configuration'): void {
  for (const name of Object.keys(node)) {
    if (allowed.includes(name)) continue;
    if (unsupported.includes(name)) throw new S3Error('NotImplemented', { message: `The ${what} element ${name} is not supported.` });
    throw new S3Error('MalformedXML');
  }
}

const INT_MAX = 2 ** 31 - 1;

/** An xsd:int (or long) element's value; anything else is MalformedXML. */
export function integer(text: string | undefined, type: 'int' | 'long' = 'int'): number | undefined {
  if (text === undefined) return undefined;
  if (!/^[+-]?\d+$/.test(text.trim())) throw new S3Error('MalformedXML');
  const value = Number(text.trim());
  if (type === 'int' && (value > INT_MAX || value < -INT_MAX - 1)) throw new S3Error('MalformedXML');
  if (!Number.isSafeInteger(value)) throw new S3Error('MalformedXML');
  return value;
}

/** A filter's `<Tag>`: Key required; a missing Value is the empty value (the user guide's "no Value element"). */
export function tagOf(tag: XmlObject): Tag {
  onlyElements(tag, ['Key', 'Value']);
  return { key: xml.requiredText(tag, 'Key'), value: xml.text(tag, 'Value') ?? '' };
}

/** A tag as `<Tag><Key/><Value/></Tag>` content. */
export function tagElement(tag: Tag): XmlElement {
  return { Key: tag.key, Value: tag.value };
}
