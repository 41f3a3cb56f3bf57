/** An object's or bucket's tag as the editor holds it. */
export interface TagRow {
  readonly key: string;
  readonly value: string;
}

export const MAX_OBJECT_TAGS = 10;
export const MAX_BUCKET_TAGS = 50;
export const MAX_KEY_LENGTH = 128;
export const MAX_VALUE_LENGTH = 256;

/** Length in Unicode characters, as S3 counts tag keys and values (an emoji is one). */
function characters(text: string): number {
  return [...text].length;
}

/** Letters, digits, white space and + - = . _ : / @, the characters S3 accepts in tags. */
const TAG_CHARACTERS = /^[\p{L}\p{Z}\p{N}_.:/=+\-@]*$/u;

/**
 * The problems of a tag set, checked before anything is sent, with S3's limits: at most `maxTags` tags, keys of 1 to
 * 128 characters, values of at most 256, no `aws:` keys, no key twice. Each message starts with what S3 itself would
 * answer, so the user reads the same words whichever side refuses. Empty list: the set can be sent.
 */
export function tagProblems(tags: readonly TagRow[], maxTags = MAX_OBJECT_TAGS): string[] {
  const problems: string[] = [];
  if (tags.length > maxTags) problems.push(`Object tags cannot be greater than ${maxTags} (this set has ${tags.length})`);
  const seen = new Set<string>();
  tags.forEach((tag, i) => {
    const n = i + 1;
    if (seen.has(tag.key)) problems.push(`Tag ${n}: Cannot provide multiple Tags with the same key "${tag.key}"`);
    seen.add(tag.key);
    if (tag.key.toLowerCase().startsWith('aws:')) problems.push(`Tag ${n}: Your TagKey cannot be prefixed with aws: (reserved for system tags)`);
    if (tag.key === '') problems.push(`Tag ${n}: The TagKey you have provided is invalid: a key is required`);
    else if (characters(tag.key) > MAX_KEY_LENGTH) {
      problems.push(`Tag ${n}: The TagKey you have provided is invalid: at most ${MAX_KEY_LENGTH} characters (this one has ${characters(tag.key)})`);
    } else if (!TAG_CHARACTERS.test(tag.key)) {
      problems.push(`Tag ${n}: The TagKey you have provided is invalid: only letters, digits, spaces and + - = . _ : / @`);
    }
    if (characters(tag.value) > MAX_VALUE_LENGTH) {
      problems.push(`Tag ${n}: The TagValue you have provided is invalid: at most ${MAX_VALUE_LENGTH} characters (this one has ${characters(tag.value)})`);
    } else if (!TAG_CHARACTERS.test(tag.value)) {
      problems.push(`Tag ${n}: The TagValue you have provided is invalid: only letters, digits, spaces and + - = . _ : / @`);
    }
  });
  return problems;
}

/** S3 Tag shapes to rows, and back. */
export function rowsOf(tags: readonly { Key?: string | undefined; Value?: string | undefined }[] | undefined): TagRow[] {
  return (tags ?? []).map((t) => ({ key: t.Key ?? '', value: t.Value ?? '' }));
}

export function tagSetOf(rows: readonly TagRow[]): { Key: string; Value: string }[] {
  return rows.map((r) => ({ Key: r.key, Value: r.value }));
}
