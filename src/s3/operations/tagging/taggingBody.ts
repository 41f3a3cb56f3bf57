import type { Tag } from '../../../core/tags/Tag.js';
import { header } from '../../../http/S3Request.js';
import { S3Error } from '../../../errors/S3Error.js';
import { parseTagging } from '../../xml/shapes/Tagging.js';
import type { OperationContext } from '../Operation.js';

/** Largest Tagging document accepted (50 bucket tags of 128 + 256 four-byte characters fit many times over). */
export const MAX_TAGGING_BODY_BYTES = 1024 * 1024;

/**
 * Read and parse the Tagging document of PutObjectTagging / PutBucketTagging. An empty body is 400
 * MissingRequestBodyError; a body that is not a Tagging document is 400 MalformedXML. With `checksumRequired`
 * (PutBucketTagging, as AWS), a request without Content-MD5 or an x-amz-checksum-* value is 400 InvalidRequest.
 */
export async function readTaggingBody(
  ctx: Pick<OperationContext, 'request' | 'body'>,
  options: { checksumRequired: boolean },
): Promise<Tag[]> {
  if (
    options.checksumRequired &&
    header(ctx.request, 'content-md5') === undefined &&
    ctx.body.checksumAlgorithm === undefined
  ) {
    throw new S3Error('InvalidRequest', { message: 'Missing required header for this request: Content-MD5 OR x-amz-checksum-*' });
  }
  const body = await ctx.body.readAll(MAX_TAGGING_BODY_BYTES);
  if (body.length === 0) throw new S3Error('MissingRequestBodyError');
  return parseTagging(body);
}
