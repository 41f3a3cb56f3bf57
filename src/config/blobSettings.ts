/** Where the primary blob store keeps object bytes when it is not the local file system (docs/scale-out.md). */
export interface S3BlobSettings {
  readonly bucket: string;
  /** Key prefix every blob key starts with: '' or ending in '/'. */
  readonly prefix: string;
  /** An S3 endpoint such as http://127.0.0.1:9100 (path-style requests); undefined → AWS (virtual-host style). */
  readonly endpoint: string | undefined;
  readonly region: string;
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly sessionToken: string | undefined;
}

export interface BlobSettingInput {
  readonly url: string | undefined;
  readonly endpoint: string | undefined;
  readonly region: string | undefined;
  readonly accessKeyId: string | undefined;
  readonly secretAccessKey: string | undefined;
  /** AWS's own variables, used when the TESSERA_BLOB_* key is not set. */
  readonly awsEnv: Readonly<Record<string, string | undefined>>;
}

const BUCKET = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;

/**
 * The S3 blob settings from TESSERA_BLOB_URL and its companions; undefined when TESSERA_BLOB_URL is unset (blobs stay
 * on the file system). Throws an Error with a one-line message for bad values (the caller makes it a ConfigError).
 */
export function parseBlobSettings(input: BlobSettingInput): S3BlobSettings | undefined {
  if (input.url === undefined) {
    const stray = input.endpoint ?? input.accessKeyId ?? input.secretAccessKey;
    if (stray !== undefined) throw new Error('TESSERA_BLOB_ENDPOINT and TESSERA_BLOB_* keys need TESSERA_BLOB_URL');
    return undefined;
  }
  const m = /^s3:\/\/([^/]+)(?:\/(.*))?$/.exec(input.url);
  if (!m) throw new Error(`invalid TESSERA_BLOB_URL '${input.url}': expected s3://<bucket>[/<prefix>]`);
  const bucket = m[1] as string;
  if (!BUCKET.test(bucket) || bucket.includes('..')) throw new Error(`invalid TESSERA_BLOB_URL '${input.url}': '${bucket}' is not a bucket name`);
  const rawPrefix = (m[2] ?? '').replace(/^\/+|\/+$/g, '');
  if (rawPrefix !== '' && (rawPrefix.length > 512 || rawPrefix.split('/').some((s) => s === '' || s === '.' || s === '..'))) {
    throw new Error(`invalid TESSERA_BLOB_URL '${input.url}': bad prefix`);
  }
  const endpoint = input.endpoint?.replace(/\/+$/, '');
  if (endpoint !== undefined && !/^https?:\/\/[^/?#]+$/.test(endpoint)) {
    throw new Error(`invalid TESSERA_BLOB_ENDPOINT '${input.endpoint}': expected http(s)://host[:port]`);
  }
  const region = input.region ?? 'us-east-1';
  if (!/^[a-z0-9-]{1,64}$/.test(region)) throw new Error(`invalid TESSERA_BLOB_REGION '${region}'`);
  const fromTessera = input.accessKeyId !== undefined || input.secretAccessKey !== undefined;
  const accessKeyId = fromTessera ? input.accessKeyId : input.awsEnv.AWS_ACCESS_KEY_ID;
  const secretAccessKey = fromTessera ? input.secretAccessKey : input.awsEnv.AWS_SECRET_ACCESS_KEY;
  if (accessKeyId === undefined || secretAccessKey === undefined || accessKeyId === '' || secretAccessKey === '') {
    throw new Error('TESSERA_BLOB_URL needs TESSERA_BLOB_ACCESS_KEY_ID and TESSERA_BLOB_SECRET_ACCESS_KEY (or AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY)');
  }
  const token = fromTessera ? undefined : input.awsEnv.AWS_SESSION_TOKEN;
  return {
    bucket,
    prefix: rawPrefix === '' ? '' : `${rawPrefix}/`,
    endpoint,
    region,
    accessKeyId,
    secretAccessKey,
    sessionToken: token === '' ? undefined : token,
  };
}
