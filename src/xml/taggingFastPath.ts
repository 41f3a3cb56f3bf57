/**
 * The codec's fast path for the one small fixed shape on the hot path, `Tagging`
 * (`<Tagging><TagSet><Tag><Key/><Value/></Tag>…</TagSet></Tagging>`): PutObjectTagging's body and GetObjectTagging's
 * answer. It yields exactly what the generic path (`parseXml` + the shape's reader, `renderXml`) yields — golden-tested
 * against it in test/unit/xmlTaggingFastPath.test.ts, escaping and Unicode included.
 *
 * The parser accepts only the plain form clients send: an optional `<?xml version="1.0"…?>` declaration, an optional
 * `xmlns` on the root, whitespace between elements, each Tag holding one Key and one Value, and text without markup,
 * references or control characters. Anything else — comments, CDATA, entities, prefixes, other attributes, a
 * self-closing element, a missing or repeated element, any error — answers `undefined`, and the caller takes the
 * generic path, so malformed input gets exactly the generic path's error.
 */

/** A tag as the codec sees it (the domain's Tag has this shape). */
export interface KeyValue {
  readonly key: string;
  readonly value: string;
}

const DECLARATION = /^<\?xml version=(?:"1\.0"|'1\.0')(?: encoding=(?:"UTF-8"|'UTF-8'|"utf-8"|'utf-8'))?\s*\?>/;
const ROOT_OPEN = /^<Tagging(?:\s+xmlns="[^"<&]*")?\s*>/;

function skipSpace(text: string, at: number): number {
  let i = at;
  for (;;) {
    const c = text.charCodeAt(i);
    if (c === 0x20 || c === 0x0a || c === 0x09 || c === 0x0d) i++;
    else return i;
  }
}

/** Text up to the next '<', or -1 when it holds anything the fast path leaves to the generic parser. */
function plainTextEnd(text: string, at: number): number {
  for (let i = at; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x3c) return i; // '<'
    if (c < 0x20 || c === 0x26 || c === 0x3e || c === 0x7f) return -1; // control characters, '&', '>'
  }
  return -1;
}

/** `<name>text</name>` at `at`: [text, index after it], or undefined. */
function element(text: string, at: number, open: string, close: string): [string, number] | undefined {
  if (!text.startsWith(open, at)) return undefined;
  const start = at + open.length;
  const end = plainTextEnd(text, start);
  if (end < 0 || !text.startsWith(close, end)) return undefined;
  return [text.slice(start, end), end + close.length];
}

/** The tags of a plain Tagging document, or undefined when the generic path must decide. */
export function parseTaggingFast(body: Buffer | string): KeyValue[] | undefined {
  const text = typeof body === 'string' ? body : body.toString('utf8');
  let i = skipSpace(text, 0);
  const decl = DECLARATION.exec(text.slice(i, i + 64));
  if (decl !== null) i = skipSpace(text, i + decl[0].length);
  const root = ROOT_OPEN.exec(text.slice(i, i + 128));
  if (root === null) return undefined;
  i = skipSpace(text, i + root[0].length);
  const tags: KeyValue[] = [];
  if (text.startsWith('<TagSet>', i)) {
    i = skipSpace(text, i + '<TagSet>'.length);
    while (text.startsWith('<Tag>', i)) {
      i = skipSpace(text, i + '<Tag>'.length);
      let key: string | undefined;
      let value: string | undefined;
      for (let n = 0; n < 2; n++) {
        const k = key === undefined ? element(text, i, '<Key>', '</Key>') : undefined;
        const v = k === undefined && value === undefined ? element(text, i, '<Value>', '</Value>') : undefined;
        if (k !== undefined) [key, i] = k;
        else if (v !== undefined) [value, i] = v;
        else return undefined;
        i = skipSpace(text, i);
      }
      if (key === undefined || value === undefined || !text.startsWith('</Tag>', i)) return undefined;
      tags.push({ key, value });
      i = skipSpace(text, i + '</Tag>'.length);
    }
    if (!text.startsWith('</TagSet>', i)) return undefined;
    i = skipSpace(text, i + '</TagSet>'.length);
  }
  if (!text.startsWith('</Tagging>', i)) return undefined;
  i = skipSpace(text, i + '</Tagging>'.length);
  return i === text.length ? tags : undefined;
}

const ESCAPES: Readonly<Record<string, string>> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' };
const NEEDS_ESCAPE = /[&<>"']/g;

function escapeText(text: string): string {
  return text.replace(NEEDS_ESCAPE, (c) => ESCAPES[c]!);
}

const HEAD = '<?xml version="1.0" encoding="UTF-8"?>\n<Tagging xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><TagSet>';
const TAIL = '</TagSet></Tagging>';

/** GetObjectTagging's answer for these tags, byte for byte what `renderXml('Tagging', …)` renders. */
export function renderTaggingFast(tags: readonly KeyValue[]): string {
  let out = HEAD;
  for (const t of tags) out += `<Tag><Key>${escapeText(t.key)}</Key><Value>${escapeText(t.value)}</Value></Tag>`;
  return out + TAIL;
}
