import { S3Error } from '../../../errors/S3Error.js';

/**
 * Opaque continuation tokens: base64 of a tag naming the listing kind and the position to resume after.
 * Tokens carry no secrets and need none: a client that edits one can only move where its own listing starts,
 * as start-after already lets it.
 */
export type TokenKind = 'objects' | 'buckets' | 'metrics';

const TAGS: Readonly<Record<TokenKind, string>> = { objects: 'o1:', buckets: 'b1:', metrics: 'm1:' };
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;
const utf8 = new TextDecoder('utf-8', { fatal: true });

export function encodeContinuationToken(kind: TokenKind, position: string): string {
  return Buffer.from(TAGS[kind] + position, 'utf8').toString('base64');
}

/** The position in a token, or undefined when the string is not a token of this kind. */
export function decodeContinuationToken(kind: TokenKind, token: string): string | undefined {
  if (token === '' || !BASE64.test(token)) return undefined;
  let text: string;
  try {
    text = utf8.decode(Buffer.from(token, 'base64'));
  } catch {
    return undefined;
  }
  const tag = TAGS[kind];
  return text.startsWith(tag) ? text.slice(tag.length) : undefined;
}

/** As decodeContinuationToken, answering a bad token with AWS's 400 InvalidArgument. */
export function positionFromToken(kind: TokenKind, token: string): string {
  const position = decodeContinuationToken(kind, token);
  if (position === undefined) {
    throw new S3Error('InvalidArgument', { message: 'The continuation token provided is incorrect', details: {
      ArgumentName: 'continuation-token',
      ArgumentValue: token,
    } });
  }
  return position;
}
