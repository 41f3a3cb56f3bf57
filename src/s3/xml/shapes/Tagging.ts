import type { Tag } from '../../../core/tags/Tag.js';
import { S3Error } from '../../../errors/S3Error.js';
import { parseXml, renderXml, xml, type XmlObject } from '../../../xml/codec.js';
import { parseTaggingFast, renderTaggingFast } from '../../../xml/taggingFastPath.js';

/**
 * `<Tagging><TagSet><Tag><Key/><Value/></Tag>…</TagSet></Tagging>`: the body of PutObjectTagging and
 * PutBucketTagging, the answer of GetObjectTagging and GetBucketTagging, and the `tagging` field of a browser POST.
 * Parsing checks the document's shape only (MalformedXML); the tags it yields go to `validateTagSet`.
 */
const ROOT = 'Tagging';
const ARRAYS = ['Tagging.TagSet.Tag'];

function tagsOf(doc: XmlObject): Tag[] {
  // a missing TagSet is an empty set: AWS accepts <Tagging/> and clears the tags
  const tagSet = xml.child(doc, 'TagSet');
  if (tagSet === undefined) return [];
  return xml.children(tagSet, 'Tag').map((tag) => ({
    // each Tag needs exactly one Key and one Value element (either may be empty)
    key: xml.requiredText(tag, 'Key'),
    value: xml.requiredText(tag, 'Value'),
  }));
}

/** The generic path: parseXml and the shape's reader. */
export function parseTaggingGeneric(body: Buffer | string): Tag[] {
  return tagsOf(parseXml(body, ROOT, ARRAYS));
}

/**
 * Parse a Tagging document. Throws MalformedXML when it is not well-formed or a Tag lacks its Key or Value. Plain
 * documents take the codec's one-pass fast path (same result, golden-tested); anything else the generic one.
 */
export function parseTagging(body: Buffer | string): Tag[] {
  return parseTaggingFast(body) ?? parseTaggingGeneric(body);
}

/**
 * Parse the `tagging` field of a browser POST upload. As AWS does, a document that is not well-formed is
 * MalformedXML, while a well-formed document with another root element is ignored (no tags).
 */
export function parseTaggingFormField(text: string): Tag[] {
  const root = /^\s*(?:<\?xml[^>]*\?>\s*)?(?:<!--[\s\S]*?-->\s*)*<([A-Za-z_][\w.:-]*)/.exec(text)?.[1];
  if (root === undefined) throw new S3Error('MalformedXML');
  const local = root.includes(':') ? root.slice(root.indexOf(':') + 1) : root;
  if (local !== ROOT) {
    parseXml(text, local); // only to tell a well-formed document from a broken one
    return [];
  }
  return parseTagging(text);
}

/** Render a tag set (already sorted by key) as GetObjectTagging / GetBucketTagging answer it. */
export function renderTagging(tags: readonly Tag[]): string {
  return renderTaggingFast(tags);
}

/** The generic rendering, which the fast path reproduces byte for byte (golden-tested). */
export function renderTaggingGeneric(tags: readonly Tag[]): string {
  return renderXml(ROOT, { TagSet: { Tag: tags.map((t) => ({ Key: t.key, Value: t.value })) } });
}
