import { createHmac, timingSafeEqual } from 'node:crypto';
import { ANONYMOUS, type Principal } from '../../core/identity/Principal.js';
import { S3Error } from '../../errors/S3Error.js';
import { servicesOf } from './AuthContext.js';
import type { AuthSettings, CredentialResolver } from './Authenticator.js';
import { SIGV4_ALGORITHM } from './authorizationHeader.js';
import { evaluatePolicy, type ContentLengthRange } from './postPolicy/evaluatePolicy.js';
import { parsePolicyDocument } from './postPolicy/policyDocument.js';
import { resolveCredential } from './resolveCredential.js';
import { parseAmzDate } from './sigv4/amzDate.js';
import { parseCredential } from './sigv4/credentialScope.js';
import { hmacSha256, signaturesEqual } from './sigv4/crypto.js';
import { SigningKeyCache } from './sigv4/signingKey.js';

export { checkContentLength, type ContentLengthRange } from './postPolicy/evaluatePolicy.js';

/** A browser POST upload's form, as far as authentication is concerned. */
export interface PostPolicyInput {
  /** The form fields other than the file, names in any letter case (the first of a repeated name wins). */
  readonly fields: ReadonlyMap<string, string> | Readonly<Record<string, string>>;
  /** The bucket the form was posted to. */
  readonly bucket: string;
  /** The uploaded file's name, substituted for `${filename}` in the key field. */
  readonly fileName?: string;
}

export interface PostPolicyResult {
  readonly principal: Principal;
  readonly method: 'anonymous' | 'post-policy';
  /** The SigV4 service signed for; undefined for anonymous and SigV2 forms. */
  readonly service?: string;
  /** The fields with lower-case names, `${filename}` substituted in `key`. */
  readonly fields: ReadonlyMap<string, string>;
  /** The policy's content-length-range; the upload must hold the file to it (checkContentLength). */
  readonly contentLengthRange?: ContentLengthRange;
}

function isMap(fields: PostPolicyInput['fields']): fields is ReadonlyMap<string, string> {
  return fields instanceof Map;
}

function lowerCaseFields(input: PostPolicyInput): Map<string, string> {
  const fields = input.fields;
  const entries: [string, string][] = isMap(fields) ? [...fields.entries()] : Object.entries(fields);
  const out = new Map<string, string>();
  for (const [name, value] of entries) {
    const lower = name.toLowerCase();
    if (!out.has(lower)) out.set(lower, value);
  }
  const key = out.get('key');
  if (key !== undefined && input.fileName !== undefined) out.set('key', key.split('${filename}').join(input.fileName));
  return out;
}

function required(fields: ReadonlyMap<string, string>, name: string, display: string): string {
  const value = fields.get(name);
  if (value === undefined) {
    throw new S3Error('InvalidArgument', { message: `Bucket POST must contain a field named '${display}'.  If it is specified, please check the order of the fields.`, details: {
      ArgumentName: display,
      ArgumentValue: '',
    } });
  }
  return value;
}

function mismatch(accessKeyId: string, policy: string, provided: string): S3Error {
  return new S3Error('SignatureDoesNotMatch', { details: { AWSAccessKeyId: accessKeyId, StringToSign: policy, SignatureProvided: provided } });
}

export interface PostPolicyOptions {
  readonly signingKeys?: SigningKeyCache;
}

/**
 * Authenticates a browser POST upload and evaluates its policy. SigV4 forms (x-amz-algorithm, x-amz-credential,
 * x-amz-date, x-amz-signature = hex HMAC-SHA256 of the base64 policy with the derived key) and SigV2 forms
 * (AWSAccessKeyId, signature = base64 HMAC-SHA1 of the base64 policy with the secret) are accepted; a form with
 * neither credentials nor policy is anonymous. After the signature: the policy's expiration and its conditions,
 * and that every field is covered by a condition.
 */
export async function verifyPostPolicy(
  input: PostPolicyInput,
  credentials: CredentialResolver,
  settings: AuthSettings,
  now: Date,
  options: PostPolicyOptions = {},
): Promise<PostPolicyResult> {
  const fields = lowerCaseFields(input);
  const v4 = ['x-amz-algorithm', 'x-amz-credential', 'x-amz-signature', 'x-amz-date'].some((n) => fields.has(n));
  const v2 = !v4 && (fields.has('awsaccesskeyid') || fields.has('signature'));

  if (!v4 && !v2) {
    if (fields.has('policy')) required(fields, 'x-amz-credential', 'x-amz-credential');
    return { principal: ANONYMOUS, method: 'anonymous', fields };
  }

  let principal: Principal;
  let service: string | undefined;
  const policy = required(fields, 'policy', 'policy');
  if (v4) {
    const algorithm = required(fields, 'x-amz-algorithm', 'x-amz-algorithm');
    if (algorithm !== SIGV4_ALGORITHM) {
      throw new S3Error('InvalidArgument', { message: 'X-Amz-Algorithm only supports "AWS4-HMAC-SHA256"', details: {
        ArgumentName: 'x-amz-algorithm',
        ArgumentValue: algorithm,
      } });
    }
    const credentialText = required(fields, 'x-amz-credential', 'x-amz-credential');
    const amzDate = required(fields, 'x-amz-date', 'x-amz-date');
    if (parseAmzDate(amzDate) === undefined) {
      throw new S3Error('InvalidArgument', { message: 'X-Amz-Date must be in the ISO8601 Long Format "yyyyMMdd\'T\'HHmmss\'Z\'"', details: {
        ArgumentName: 'x-amz-date',
        ArgumentValue: amzDate,
      } });
    }
    const signature = required(fields, 'x-amz-signature', 'x-amz-signature');
    const scope = parseCredential(credentialText, 'form', { region: settings.region, services: servicesOf(settings), amzDate });
    const credential = await resolveCredential(credentials, scope.accessKeyId, fields.get('x-amz-security-token'));
    const key = (options.signingKeys ?? new SigningKeyCache(1)).get(credential.secretAccessKey, scope.date, scope.region, scope.service);
    if (!signaturesEqual(hmacSha256(key, policy).toString('hex'), signature)) throw mismatch(scope.accessKeyId, policy, signature);
    principal = credential.principal;
    service = scope.service;
  } else {
    const accessKeyId = required(fields, 'awsaccesskeyid', 'AWSAccessKeyId');
    const signature = required(fields, 'signature', 'Signature');
    const credential = await resolveCredential(credentials, accessKeyId, fields.get('x-amz-security-token'));
    const expected = Buffer.from(createHmac('sha1', credential.secretAccessKey).update(policy).digest('base64'));
    const provided = Buffer.from(signature.trim());
    if (expected.length !== provided.length || !timingSafeEqual(expected, provided)) throw mismatch(accessKeyId, policy, signature);
    principal = credential.principal;
  }

  const range = evaluatePolicy(parsePolicyDocument(policy), fields, input.bucket, now);
  return {
    principal,
    method: 'post-policy',
    ...(service === undefined ? {} : { service }),
    fields,
    ...(range === undefined ? {} : { contentLengthRange: range }),
  };
}

