import { S3Error } from '../../../errors/S3Error.js';

/**
 * The credential of a SigV4 signature, `<access key id>/<yyyyMMdd>/<region>/<service>/aws4_request`, checked against
 * the server's region and services and the request's date. Malformed credentials are reported the way S3 reports
 * them for where the credential came from: the Authorization header (AuthorizationHeaderMalformed), the query string
 * (AuthorizationQueryParametersError) or a POST form (InvalidArgument).
 */
export interface CredentialScope {
  readonly accessKeyId: string;
  /** yyyyMMdd */
  readonly date: string;
  readonly region: string;
  readonly service: string;
  /** `<date>/<region>/<service>/aws4_request`, the scope line of the string to sign. */
  readonly scope: string;
}

export type CredentialSource = 'header' | 'query' | 'form';

/** An S3Error for a malformed credential/authorization, worded for its source. */
export function malformed(source: CredentialSource, detail: string, details: Readonly<Record<string, string>> = {}): S3Error {
  switch (source) {
    case 'header':
      return new S3Error('AuthorizationHeaderMalformed', { message: `The authorization header is malformed; ${detail}`, details: details });
    case 'query':
      return new S3Error('AuthorizationQueryParametersError', { message: `Error parsing the X-Amz-Credential parameter; ${detail}`, details: details });
    case 'form':
      return new S3Error('InvalidArgument', { message: `Error parsing the X-Amz-Credential parameter; ${detail}`, details: {
        ArgumentName: 'x-amz-credential',
        ...details,
      } });
  }
}

const DATE = /^\d{8}$/;

export interface ScopeExpectations {
  /** The server's region. */
  readonly region: string;
  /** Services this endpoint accepts signatures for; the first is the one named in errors. */
  readonly services: readonly string[];
  /** The request's x-amz-date (yyyyMMdd'T'HHmmss'Z'); the scope date must be its date. */
  readonly amzDate: string;
  /** Accept any region, even an empty one (global services: IAM, STS). */
  readonly anyRegion?: boolean;
}

/** Parses and checks a credential. Throws the S3Error S3 gives for the first problem found. */
export function parseCredential(value: string, source: CredentialSource, expect: ScopeExpectations): CredentialScope {
  const parts = value.split('/');
  if (parts.length !== 5 || parts.some((p, i) => p === '' && !(i === 2 && expect.anyRegion === true))) {
    throw malformed(source, 'the Credential is mal-formed; expecting "<YOUR-AKID>/YYYYMMDD/REGION/SERVICE/aws4_request".');
  }
  const [accessKeyId, date, region, service, terminal] = parts as [string, string, string, string, string];
  if (!DATE.test(date)) {
    throw malformed(source, `incorrect date format "${date}". This date in the credential must be in the format "yyyyMMdd".`);
  }
  if (terminal !== 'aws4_request') {
    throw malformed(source, `incorrect terminal "${terminal}". This endpoint uses "aws4_request".`);
  }
  const home = expect.services[0] ?? 's3';
  if (!expect.services.includes(service)) {
    throw malformed(source, `incorrect service "${service}". This endpoint belongs to "${home}".`);
  }
  if (region !== expect.region && expect.anyRegion !== true) {
    throw malformed(source, `the region '${region}' is wrong; expecting '${expect.region}'`, { Region: expect.region });
  }
  const requestDate = expect.amzDate.slice(0, 8);
  if (date !== requestDate) {
    throw malformed(source, `Invalid credential date "${date}". This date is not the same as X-Amz-Date: "${requestDate}".`);
  }
  return { accessKeyId, date, region, service, scope: `${date}/${region}/${service}/aws4_request` };
}
