import { SignatureV4 } from '@smithy/signature-v4';
import { NodeSha256 } from '../support/nodeSha256.js';

/** Raw SigV4-signed AWS query-protocol calls (IAM, STS) for the conformance tests; no IAM SDK client needed. */

export interface Credentials {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly sessionToken?: string;
}


export interface QueryResponse {
  readonly status: number;
  readonly body: string;
  /** Text of the first `<name>` element, if any. */
  text(name: string): string | undefined;
  /** Texts of every `<name>` element. */
  all(name: string): string[];
}

function decodeEntities(text: string): string {
  return text.replace(/&(lt|gt|quot|apos|amp);/g, (_m, e: string) => ({ lt: '<', gt: '>', quot: '"', apos: "'", amp: '&' })[e] ?? '');
}

/** POST `Action=…&…` to the endpoint, signed for `service` with `credentials`. */
export async function queryCall(
  endpoint: string,
  service: 'iam' | 'sts',
  credentials: Credentials,
  params: Readonly<Record<string, string>>,
  options: { signingDate?: Date; omitToken?: boolean } = {},
): Promise<QueryResponse> {
  const version = service === 'iam' ? '2010-05-08' : '2011-06-15';
  const body = new URLSearchParams({ Version: version, ...params }).toString();
  const url = new URL(endpoint);
  const signer = new SignatureV4({
    service,
    region: 'us-east-1',
    credentials: {
      accessKeyId: credentials.accessKeyId,
      secretAccessKey: credentials.secretAccessKey,
      ...(credentials.sessionToken === undefined || options.omitToken === true ? {} : { sessionToken: credentials.sessionToken }),
    },
    sha256: NodeSha256,
  });
  const signed = await signer.sign(
    {
      method: 'POST',
      protocol: url.protocol,
      hostname: url.hostname,
      port: Number(url.port),
      path: '/',
      query: {},
      headers: { host: url.host, 'content-type': 'application/x-www-form-urlencoded; charset=utf-8' },
      body,
    },
    options.signingDate === undefined ? {} : { signingDate: options.signingDate },
  );
  const res = await fetch(`${endpoint}/`, { method: 'POST', headers: signed.headers as Record<string, string>, body });
  const text = await res.text();
  return {
    status: res.status,
    body: text,
    text: (name) => {
      const m = new RegExp(`<${name}>([^<]*)</${name}>`).exec(text);
      return m?.[1] === undefined ? undefined : decodeEntities(m[1]);
    },
    all: (name) => [...text.matchAll(new RegExp(`<${name}>([^<]*)</${name}>`, 'g'))].map((m) => decodeEntities(m[1] ?? '')),
  };
}

/** The three policies of issue 4, verbatim as documented. */
export const DOCUMENTED_POLICIES = {
  existingTagPublic: (bucket: string) =>
    JSON.stringify({
      Version: '2012-10-17',
      Statement: [
        {
          Effect: 'Allow',
          Action: 's3:GetObject',
          Resource: `arn:aws:s3:::${bucket}/*`,
          Condition: { StringEquals: { 's3:ExistingObjectTag/security': 'public' } },
        },
      ],
    }),
  allowedTagKeys: (bucket: string) =>
    JSON.stringify({
      Version: '2012-10-17',
      Statement: [
        {
          Effect: 'Allow',
          Action: ['s3:PutObjectTagging'],
          Resource: [`arn:aws:s3:::${bucket}/*`],
          Condition: {
            'ForAllValues:StringLike': { 's3:RequestObjectTagKeys': ['Owner', 'CreationDate'] },
            'ForAnyValue:StringLike': { 's3:RequestObjectTagKeys': ['Owner', 'CreationDate'] },
          },
        },
      ],
    }),
  requestTagProject: (bucket: string, project: string) =>
    JSON.stringify({
      Version: '2012-10-17',
      Statement: [
        {
          Effect: 'Allow',
          Action: ['s3:PutObjectTagging'],
          Resource: [`arn:aws:s3:::${bucket}/*`],
          Condition: { StringEquals: { 's3:RequestObjectTag/Project': project } },
        },
      ],
    }),
};
