import { createHash } from 'node:crypto';
import { Transform, type Readable, type TransformCallback } from 'node:stream';
import { DEFAULT_STORAGE_CLASS, MAX_USER_METADATA_BYTES, contentHeadersFromRequest, isStorageClass, userMetadataFromHeaders, userMetadataSize } from '../../../core/objects/metadata.js';
import type { ObjectAttributes, VerifiedPayload } from '../../../core/objects/ObjectService.js';
import { writtenVersionIdHeader } from '../../../core/objects/versioning.js';
import type { Tag } from '../../../core/tags/Tag.js';
import { emptyObjectTagSet, validateTagSet } from '../../../core/tags/TagSet.js';
import { header, type S3Request } from '../../../http/S3Request.js';
import { checkContentLength, verifyPostPolicy, type ContentLengthRange } from '../../auth/postPolicy.js';
import { createHasher } from '../../../core/checksums/createHasher.js';
import { S3Error } from '../../../errors/S3Error.js';
import { cannedAcl } from '../acl/requestedAcl.js';
import { renderPostResponse } from '../../xml/shapes/PostResponse.js';
import { parseTaggingFormField } from '../../xml/shapes/Tagging.js';
import { s3Arn, type ActionRequest, type AuthenticatesInBody, type S3Response } from '../Operation.js';
import { readPostForm, type PostForm } from './postForm.js';
import { MAX_KEY_BYTES } from './requestParams.js';
import { checksumHeaders, quoteEtag } from './responseHeaders.js';

/**
 * POST /{Bucket} with a multipart/form-data body: the browser upload. The form carries everything PutObject takes
 * in headers — `key` (with `${filename}`), `Content-Type` and the other content fields, `x-amz-meta-*`,
 * `x-amz-storage-class`, `tagging` (a <Tagging> document), `acl` (accepted) — plus its own authentication: a policy
 * signed with SigV4 (`x-amz-algorithm`, `x-amz-credential`, `x-amz-date`, `x-amz-signature`) or SigV2
 * (`AWSAccessKeyId`, `signature`), or none (anonymous). The `file` part must come last; anything after it is ignored.
 *
 * Every field precedes the file, so the whole request is checked — signature, policy, authorization, tags — before
 * a byte of the file is stored; only the policy's content-length-range waits for the file's end. Answers 204
 * (or `success_action_status` 200 / 201 with a PostResponse document, or 303 to `success_action_redirect`).
 */
export const PostObject: AuthenticatesInBody<'bucket'> = {
  name: 'PostObject',
  // any POST to a bucket without a sub-resource; a body that is not multipart/form-data is answered by the handler
  route: { method: 'POST', target: 'bucket' },
  loadsBucket: true,
  authenticatesInBody: true,
  actions(request): readonly ActionRequest[] {
    // the key is only known from the form; the handler authorizes with it (see handle)
    return [{ action: 's3:PutObject', resource: s3Arn(request.bucket ?? '', '*') }];
  },
  async handle(ctx) {
    const bucket = ctx.bucket;
    const auth = ctx.inBodyAuth;
    const contentType = (header(ctx.request, 'content-type') ?? '').toLowerCase();
    if (!contentType.startsWith('multipart/form-data')) {
      throw new S3Error('PreconditionFailed', { details: { Condition: 'Bucket POST must be of the enclosure-type multipart/form-data' } });
    }

    const form = await readPostForm(ctx.request.headers, ctx.body.stream);
    try {
      if (![...form.fields.keys()].some((name) => name.toLowerCase() === 'key')) throw missingField('key');
      if (form.file === undefined) {
        throw new S3Error('InvalidArgument', { message: 'POST requires exactly one file upload per request.', details: { ArgumentName: 'file', ArgumentValue: '0' } });
      }
      const file = form.file;
      const verified = await verifyPostPolicy(
        { fields: form.fields, bucket: bucket.name, fileName: file.fileName },
        auth.credentials,
        auth.settings,
        ctx.now,
      );
      const fields = verified.fields;
      const key = fields.get('key') ?? '';
      const principal = verified.method === 'anonymous' ? ctx.principal : verified.principal;
      const resource = s3Arn(bucket.name, key);
      const actions: ActionRequest[] = [{ action: 's3:PutObject', resource }];
      if (fields.has('tagging')) actions.push({ action: 's3:PutObjectTagging', resource });
      const formAcl = fields.get('acl');
      // as PutObject with x-amz-acl: setting an ACL also needs s3:PutObjectAcl
      if (formAcl !== undefined) actions.push({ action: 's3:PutObjectAcl', resource });
      await auth.authorize(principal, actions, { authType: 'POST', ...postTagFacts(fields), ...(formAcl === undefined ? {} : { acl: formAcl }) });
      const ownerAccountId = principal.kind === 'user' ? principal.accountId : bucket.ownerAccountId;
      // the `acl` field sets a canned ACL on the new object (checked before anything is written)
      const acl = formAcl === undefined ? undefined : cannedAcl(formAcl, ownerAccountId, bucket.ownerAccountId);

      checkKey(key);
      const attributes = formAttributes(fields);
      const payload = formPayload(form, file.stream, verified.contentLengthRange);
      const version = await ctx.services.objects.putObject({
        event: 's3:ObjectCreated:Post',
        bucket,
        key,
        ownerAccountId,
        attributes: { ...attributes, acl },
        payload,
      });
      return respond(ctx.request, bucket.name, key, fields, {
        ETag: quoteEtag(version.etag),
        'x-amz-version-id': writtenVersionIdHeader(version.versionId),
        ...checksumHeaders(version.checksum),
      });
    } catch (error) {
      form.abandon();
      throw form.failure() ?? error;
    }
  },
};

/** The form's tags as policies see them (s3:RequestObjectTag/…); a field that does not parse gives none (rejected later). */
function postTagFacts(fields: ReadonlyMap<string, string>): { requestObjectTags?: readonly Tag[] } {
  const tagging = fields.get('tagging');
  if (tagging === undefined) return {};
  try {
    return { requestObjectTags: parseTaggingFormField(tagging) };
  } catch {
    return {};
  }
}

function missingField(name: string): S3Error {
  return new S3Error('InvalidArgument', { message: `Bucket POST must contain a field named '${name}'.  If it is specified, please check the order of the fields.`, details: {
    ArgumentName: name,
    ArgumentValue: '',
  } });
}

function checkKey(key: string): void {
  if (key === '') {
    throw new S3Error('InvalidArgument', { message: 'User key must have a length greater than 0.', details: { ArgumentName: 'key', ArgumentValue: '' } });
  }
  const size = Buffer.byteLength(key, 'utf8');
  if (size > MAX_KEY_BYTES) throw new S3Error('KeyTooLongError', { details: { MaxSizeAllowed: String(MAX_KEY_BYTES), Size: String(size) } });
}

/** What the object stores besides its bytes, from the form fields (lower-case names), with PutObject's errors. */
function formAttributes(fields: ReadonlyMap<string, string>): ObjectAttributes {
  const storageClass = fields.get('x-amz-storage-class');
  if (storageClass !== undefined && !isStorageClass(storageClass)) {
    throw new S3Error('InvalidStorageClass', { details: { StorageClassRequested: storageClass } });
  }
  const userMetadata = userMetadataFromHeaders(Object.fromEntries(fields));
  const metadataSize = userMetadataSize(userMetadata);
  if (metadataSize > MAX_USER_METADATA_BYTES) {
    throw new S3Error('MetadataTooLarge', { details: { Size: String(metadataSize), MaxSizeAllowed: String(MAX_USER_METADATA_BYTES) } });
  }
  const tagging = fields.get('tagging');
  return {
    storageClass: storageClass ?? DEFAULT_STORAGE_CLASS,
    contentHeaders: contentHeadersFromRequest((name) => fields.get(name)),
    userMetadata,
    // validated exactly as PutObjectTagging's body; an invalid set rejects the upload and stores nothing
    tags: tagging === undefined ? emptyObjectTagSet() : validateTagSet(parseTaggingFormField(tagging), 'object'),
  };
}

/**
 * The file as a verified payload for ObjectService.putObject: MD5 (the ETag) and CRC64NVME (stored, as PutObject
 * does without a client checksum) computed on the way, the content-length-range enforced, and the end of the bytes
 * held back until the whole form has been read cleanly — so a broken body never commits.
 */
function formPayload(form: PostForm, file: Readable, range: ContentLengthRange | undefined): VerifiedPayload {
  const md5 = createHash('md5');
  const crc = createHasher('CRC64NVME');
  let size = 0;
  let md5Hex = '';
  let checksum = '';
  const stream = new Transform({
    transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback) {
      size += chunk.length;
      if (range !== undefined && size > range.max) {
        try {
          checkContentLength(range, size);
        } catch (error) {
          callback(error as Error);
          return;
        }
      }
      md5.update(chunk);
      crc.update(chunk);
      callback(null, chunk);
    },
    flush(callback: TransformCallback) {
      form.finished
        .then(() => crc.digestBase64())
        .then(
          (value) => {
            md5Hex = md5.digest('hex');
            checksum = value;
            callback();
          },
          (error: unknown) => callback(error instanceof Error ? error : new S3Error('MalformedPOSTRequest')),
        );
    },
  });
  file.once('error', (error) => stream.destroy(form.failure() ?? error));
  file.pipe(stream);
  return {
    stream,
    digests() {
      checkContentLength(range, size);
      return { size, md5Hex, checksum: { algorithm: 'CRC64NVME', value: checksum } };
    },
  };
}

/** The URL of the new object, as AWS reports it in Location. */
function objectLocation(request: S3Request, bucket: string, key: string): string {
  const base = `${request.secure ? 'https' : 'http'}://${header(request, 'host') ?? ''}`;
  const path = key.split('/').map(encodeURIComponent).join('/');
  return request.addressing === 'virtual-host' ? `${base}/${path}` : `${base}/${encodeURIComponent(bucket)}/${path}`;
}

/** success_action_redirect with bucket, key and etag added; undefined when it is not an http(s) URL (then ignored). */
function redirectUrl(target: string, bucket: string, key: string, etag: string): string | undefined {
  let url: URL;
  try {
    url = new URL(target);
  } catch {
    return undefined;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return undefined;
  url.searchParams.set('bucket', bucket);
  url.searchParams.set('key', key);
  url.searchParams.set('etag', etag);
  return url.toString();
}

function respond(
  request: S3Request,
  bucket: string,
  key: string,
  fields: ReadonlyMap<string, string>,
  headers: Record<string, string | undefined>,
): S3Response {
  const etag = headers['ETag'] ?? '';
  const location = objectLocation(request, bucket, key);
  const redirect = fields.get('success_action_redirect') ?? fields.get('redirect');
  const to = redirect === undefined ? undefined : redirectUrl(redirect, bucket, key, etag);
  if (to !== undefined) return { status: 303, headers: { ...headers, Location: to } };
  const status = fields.get('success_action_status');
  if (status === '200') return { status: 200, headers: { ...headers, Location: location } };
  if (status === '201') {
    return { status: 201, headers: { ...headers, Location: location }, body: renderPostResponse({ location, bucket, key, etag }) };
  }
  return { status: 204, headers: { ...headers, Location: location } };
}
