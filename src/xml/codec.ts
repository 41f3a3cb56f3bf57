import { XMLBuilder, XMLParser, XMLValidator } from 'fast-xml-parser';
import { S3Error } from '../errors/S3Error.js';

/**
 * The one XML codec. Every request body is parsed and every response body rendered through here,
 * by a parse/render pair per shape in ./shapes. No XML is built by string concatenation anywhere else.
 *
 * Parsing: well-formedness is validated first; DOCTYPE / ENTITY declarations are refused (no entity expansion);
 * element text is kept as strings, untrimmed (tag values may carry spaces); whitespace-only text between
 * elements is dropped; namespaces on the root (xmlns) are ignored.
 */

/** A parsed element: text, or a map of child name → element or element[] (for the declared array paths). */
export type XmlNode = string | XmlObject;
export interface XmlObject {
  [name: string]: XmlNode | XmlNode[] | undefined;
}

const TEXT = '#text';

function makeParser(arrayPaths: ReadonlySet<string>): XMLParser {
  return new XMLParser({
    ignoreAttributes: true,
    removeNSPrefix: true,
    parseTagValue: false,
    trimValues: false,
    // entities are decoded by decodeXmlText in one pass (the five XML ones and numeric references)
    processEntities: false,
    htmlEntities: false,
    tagValueProcessor: (_name: string, value: string) => decodeXmlText(value),
    ignoreDeclaration: true,
    ignorePiTags: true,
    textNodeName: TEXT,
    isArray: (_name: string, jPath: unknown) => typeof jPath === 'string' && arrayPaths.has(jPath),
  });
}

const NAMED_ENTITIES: Readonly<Record<string, string>> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

/** Decode XML character references (`&amp;`, `&#20013;`, `&#x4E2D;` …) in one pass; others are left as written. */
export function decodeXmlText(text: string): string {
  if (!text.includes('&')) return text;
  return text.replace(/&(#x[0-9a-fA-F]{1,6}|#[0-9]{1,7}|[a-z]{2,4});/g, (whole, ref: string) => {
    if (ref.startsWith('#')) {
      const code = ref[1] === 'x' ? parseInt(ref.slice(2), 16) : parseInt(ref.slice(1), 10);
      if (code > 0x10ffff || (code >= 0xd800 && code <= 0xdfff)) throw new S3Error('MalformedXML');
      return String.fromCodePoint(code);
    }
    return NAMED_ENTITIES[ref] ?? whole;
  });
}

const parserCache = new Map<string, XMLParser>();

function parserFor(arrayPaths: readonly string[]): XMLParser {
  const cacheKey = arrayPaths.join('|');
  let parser = parserCache.get(cacheKey);
  if (!parser) {
    parser = makeParser(new Set(arrayPaths));
    parserCache.set(cacheKey, parser);
  }
  return parser;
}

function dropWhitespaceText(node: unknown): XmlNode | XmlNode[] {
  if (Array.isArray(node)) return node.map((n) => dropWhitespaceText(n) as XmlNode);
  if (node === null || node === undefined) return '';
  if (typeof node === 'string') return node;
  if (typeof node === 'number' || typeof node === 'boolean') return String(node);
  if (typeof node !== 'object') return '';
  const obj = node as Record<string, unknown>;
  const keys = Object.keys(obj);
  const out: XmlObject = {};
  for (const k of keys) {
    const v = obj[k];
    if (k === TEXT) {
      // text mixed with child elements: keep it only when it is not just indentation
      if (keys.length > 1 && typeof v === 'string' && v.trim() === '') continue;
      out[k] = String(v);
      continue;
    }
    out[k] = dropWhitespaceText(v);
  }
  // an element holding only text is represented as the text itself
  if (Object.keys(out).length === 1 && typeof out[TEXT] === 'string') return out[TEXT];
  return out;
}

/**
 * Parse an XML request body whose root element must be `root`. Returns the root element's content.
 * `arrayPaths` lists dotted element paths from the root (e.g. 'Tagging.TagSet.Tag') that are always arrays.
 * Throws MalformedXML for anything that is not well-formed or whose root differs.
 */
export function parseXml(body: Buffer | string, root: string, arrayPaths: readonly string[] = []): XmlObject {
  const text = typeof body === 'string' ? body : body.toString('utf8');
  if (text.trim() === '') throw new S3Error('MalformedXML');
  if (/<!(DOCTYPE|ENTITY)/i.test(text)) throw new S3Error('MalformedXML');
  if (XMLValidator.validate(text) !== true) throw new S3Error('MalformedXML');
  let parsed: unknown;
  try {
    parsed = parserFor(arrayPaths).parse(text);
  } catch {
    throw new S3Error('MalformedXML');
  }
  if (typeof parsed !== 'object' || parsed === null) throw new S3Error('MalformedXML');
  const top = parsed as Record<string, unknown>;
  const names = Object.keys(top);
  if (names.length !== 1 || names[0] !== root) throw new S3Error('MalformedXML');
  const content = dropWhitespaceText(top[root]);
  if (typeof content === 'string') return {};
  if (Array.isArray(content)) throw new S3Error('MalformedXML');
  return content;
}

/** Reading helpers for parsed shapes: each throws MalformedXML when the document does not fit. */
export const xml = {
  /** Optional single text child. */
  text(node: XmlObject, name: string): string | undefined {
    const v = node[name];
    if (v === undefined) return undefined;
    if (typeof v === 'string') return v;
    if (Array.isArray(v)) throw new S3Error('MalformedXML');
    // an element with children where text was expected
    if (Object.keys(v).length === 0) return '';
    throw new S3Error('MalformedXML');
  },
  requiredText(node: XmlObject, name: string): string {
    const v = xml.text(node, name);
    if (v === undefined) throw new S3Error('MalformedXML');
    return v;
  },
  /** Optional single element child (an empty element counts as an empty object). */
  child(node: XmlObject, name: string): XmlObject | undefined {
    const v = node[name];
    if (v === undefined) return undefined;
    if (typeof v === 'string') {
      if (v.trim() === '') return {};
      throw new S3Error('MalformedXML');
    }
    if (Array.isArray(v)) throw new S3Error('MalformedXML');
    return v;
  },
  /** Children declared as an array path; missing → []. Each entry is an element object. */
  children(node: XmlObject, name: string): XmlObject[] {
    const v = node[name];
    if (v === undefined) return [];
    const list = Array.isArray(v) ? v : [v];
    return list.map((entry) => {
      if (typeof entry === 'string') {
        if (entry.trim() === '') return {};
        throw new S3Error('MalformedXML');
      }
      return entry;
    });
  },
};

/** A value to render: text, a nested element, a list (repeated elements), or undefined (omitted). */
export type XmlValue = string | number | boolean | Date | XmlElement | XmlSequence | readonly XmlValue[] | undefined;
export interface XmlElement {
  readonly [name: string]: XmlValue;
}

/**
 * Key for an element's own text when the element is given as an object, e.g. a root element that holds only text:
 * `renderXml('LocationConstraint', { [XML_TEXT]: 'eu-west-1' })`.
 */
export const XML_TEXT = TEXT;

/**
 * Child elements of different names whose relative order matters (e.g. the Version and DeleteMarker entries of
 * ListVersionsResult, interleaved in listing order). Used as the value of any key of an element: that key is not
 * rendered; the sequence's entries are, in order, at its place.
 */
export class XmlSequence {
  constructor(readonly entries: ReadonlyArray<readonly [name: string, value: XmlValue]>) {}
}

const S3_XMLNS = 'http://s3.amazonaws.com/doc/2006-03-01/';

const builder = new XMLBuilder({
  ignoreAttributes: false,
  attributeNamePrefix: '@_',
  format: false,
  suppressEmptyNode: false,
  suppressBooleanAttributes: false,
  processEntities: true,
});

function toBuilderValue(value: XmlValue): unknown {
  if (value === undefined) return undefined;
  if (value instanceof Date) return value.toISOString();
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (Array.isArray(value)) return value.map((v) => toBuilderValue(v as XmlValue));
  if (value instanceof XmlSequence) throw new Error('XmlSequence is rendered through the order-preserving path');
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value as XmlElement)) {
    if (v === undefined) continue;
    out[k] = toBuilderValue(v);
  }
  return out;
}

export interface RenderOptions {
  /** Namespace for the root element; S3's own by default, null for none. */
  readonly xmlns?: string | null;
}

/** Render a response document `<root xmlns=…>…</root>` with the XML declaration AWS sends. */
export function renderXml(root: string, content: XmlElement, options: RenderOptions = {}): string {
  const xmlns = options.xmlns === undefined ? S3_XMLNS : options.xmlns;
  if (containsSequence(content)) {
    const rootNode = { [root]: orderedChildren(content), ...(xmlns === null ? {} : { ':@': { '@_xmlns': xmlns } }) };
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + String(orderedBuilder.build([rootNode]));
  }
  const body = toBuilderValue(content) as Record<string, unknown>;
  const rootValue = xmlns === null ? body : { '@_xmlns': xmlns, ...body };
  return '<?xml version="1.0" encoding="UTF-8"?>\n' + String(builder.build({ [root]: rootValue }));
}

// ---- documents with an XmlSequence: rendered through the builder's order-preserving form ----

const orderedBuilder = new XMLBuilder({
  preserveOrder: true,
  ignoreAttributes: false,
  attributeNamePrefix: '@_',
  format: false,
  suppressEmptyNode: false,
  processEntities: true,
});

function containsSequence(value: XmlValue): boolean {
  if (value instanceof XmlSequence) return true;
  if (value === undefined || value instanceof Date || typeof value !== 'object') return false;
  if (Array.isArray(value)) return value.some((v) => containsSequence(v as XmlValue));
  return Object.values(value as XmlElement).some(containsSequence);
}

function textOf(value: string | number | boolean | Date): string {
  return value instanceof Date ? value.toISOString() : String(value);
}

/** The children of an element, as the order-preserving builder wants them: [{ name: children }, { '#text': … }]. */
function orderedChildren(value: XmlValue): unknown[] {
  if (value === undefined) return [];
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean' || value instanceof Date) {
    return [{ [TEXT]: textOf(value) }];
  }
  if (value instanceof XmlSequence || Array.isArray(value)) throw new Error('a list has no element of its own to hold it');
  const out: unknown[] = [];
  for (const [name, child] of Object.entries(value as XmlElement)) {
    if (name === TEXT && child !== undefined) out.push(...orderedChildren(child));
    else out.push(...orderedNodes(name, child));
  }
  return out;
}

function orderedNodes(name: string, value: XmlValue): unknown[] {
  if (value === undefined) return [];
  if (value instanceof XmlSequence) return value.entries.flatMap(([entryName, entry]) => orderedNodes(entryName, entry));
  if (Array.isArray(value)) return value.flatMap((v) => orderedNodes(name, v as XmlValue));
  return [{ [name]: orderedChildren(value) }];
}
