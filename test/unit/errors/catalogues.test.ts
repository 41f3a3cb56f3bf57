import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ApiError } from '../../../src/errors/ApiError.js';
import { ControlError } from '../../../src/errors/ControlError.js';
import { CONTROL_ERRORS, type ControlErrorCode } from '../../../src/errors/controlErrors.js';
import { IamError } from '../../../src/errors/IamError.js';
import { IAM_ERRORS, type IamErrorCode } from '../../../src/errors/iamErrors.js';
import { S3Error } from '../../../src/errors/S3Error.js';
import { S3_ERRORS, type S3ErrorCode } from '../../../src/errors/s3Errors.js';
import { renderErrorResponse } from '../../../src/control/xml/ErrorResponse.js';
import { renderError as renderIamError } from '../../../src/iam/wire/render.js';
import { renderError as renderS3Error } from '../../../src/s3/xml/shapes/Error.js';
import { parseXml } from '../../../src/xml/codec.js';

/** Statuses the AWS API references document for codes each API answers with (a catalogue edit must keep them). */
const DOCUMENTED_S3: Partial<Record<S3ErrorCode, number>> = {
  AccessDenied: 403,
  BucketAlreadyExists: 409,
  BucketAlreadyOwnedByYou: 409,
  BucketNotEmpty: 409,
  EntityTooLarge: 400,
  EntityTooSmall: 400,
  InternalError: 500,
  InvalidAccessKeyId: 403,
  InvalidArgument: 400,
  InvalidBucketName: 400,
  InvalidObjectState: 403,
  InvalidPart: 400,
  InvalidPartOrder: 400,
  InvalidRange: 416,
  InvalidTag: 400,
  MalformedXML: 400,
  MethodNotAllowed: 405,
  NoSuchBucket: 404,
  NoSuchKey: 404,
  NoSuchConfiguration: 404,
  NoSuchLifecycleConfiguration: 404,
  NoSuchUpload: 404,
  NoSuchVersion: 404,
  NotImplemented: 501,
  PreconditionFailed: 412,
  ReplicationConfigurationNotFoundError: 404,
  RequestTimeTooSkewed: 403,
  SignatureDoesNotMatch: 403,
  TooManyConfigurations: 400,
};
const DOCUMENTED_CONTROL: Partial<Record<ControlErrorCode, number>> = {
  BadRequestException: 400,
  IdempotencyException: 409,
  InternalServiceException: 500,
  JobStatusException: 409,
  NotFoundException: 404,
  TooManyRequestsException: 429,
  TooManyTagsException: 400,
};
const DOCUMENTED_IAM: Partial<Record<IamErrorCode, number>> = {
  DeleteConflict: 409,
  EntityAlreadyExists: 409,
  InvalidInput: 400,
  LimitExceeded: 409,
  MalformedPolicyDocument: 400,
  NoSuchEntity: 404,
  ServiceFailure: 500,
};

type Parsed = Record<string, Record<string, unknown>>;

function checkCatalogue<C extends string>(
  name: string,
  catalogue: Readonly<Record<C, { readonly status: number; readonly message: string }>>,
  documented: Partial<Record<C, number>>,
  make: (code: C) => ApiError,
  render: (error: ApiError) => { code: unknown; message: unknown },
): void {
  describe(`${name} error catalogue`, () => {
    it('gives every code a 3xx-5xx status and a message, and each error its catalogue entry', () => {
      for (const code of Object.keys(catalogue) as C[]) {
        const entry = catalogue[code];
        assert.ok(entry.status >= 300 && entry.status < 600, code);
        assert.ok(entry.message.length > 0, code);
        const error = make(code);
        assert.ok(error instanceof ApiError, code);
        assert.equal(error.code, code);
        assert.equal(error.status, entry.status, code);
        assert.equal(error.message, entry.message, code);
      }
    });
    it('renders every code in its own envelope with its code and message', () => {
      for (const code of Object.keys(catalogue) as C[]) {
        const rendered = render(make(code));
        assert.equal(rendered.code, code);
        assert.equal(rendered.message, catalogue[code].message);
      }
    });
    it('answers the codes AWS documents with the documented status', () => {
      for (const [code, status] of Object.entries(documented) as [C, number][]) {
        assert.ok(code in catalogue, `${code} is in the catalogue`);
        assert.equal(make(code).status, status, code);
      }
    });
  });
}

checkCatalogue('S3', S3_ERRORS, DOCUMENTED_S3, (code) => new S3Error(code), (error) => {
  const doc = parseXml(renderS3Error(error as S3Error, '/bucket/key', 'REQ', 'HOST'), 'Error') as Record<string, unknown>;
  return { code: doc.Code, message: doc.Message };
});

checkCatalogue('S3 Control', CONTROL_ERRORS, DOCUMENTED_CONTROL, (code) => new ControlError(code), (error) => {
  const doc = parseXml(renderErrorResponse(error, 'REQ', 'HOST'), 'ErrorResponse') as Parsed;
  const inner = doc.Error;
  return { code: inner?.Code, message: inner?.Message };
});

checkCatalogue('IAM', IAM_ERRORS, DOCUMENTED_IAM, (code) => new IamError(code), (error) => {
  const doc = parseXml(renderIamError(error as IamError, 'REQ', 'https://iam.amazonaws.com/doc/2010-05-08/'), 'ErrorResponse') as Parsed;
  const inner = doc.Error;
  return { code: inner?.Code, message: inner?.Message };
});

describe('errors share one base', () => {
  it('S3Error takes an options object', () => {
    const e = new S3Error('NoSuchKey', { message: 'gone', details: { Key: 'k' }, headers: { 'x-amz-delete-marker': 'true' } });
    assert.equal(e.message, 'gone');
    assert.deepEqual(e.details, { Key: 'k' });
    assert.deepEqual(e.headers, { 'x-amz-delete-marker': 'true' });
    assert.equal(e.api, 's3');
    assert.equal(new ControlError('NotFoundException').api, 's3-control');
    assert.equal(new IamError('NoSuchEntity').api, 'iam');
  });
});
