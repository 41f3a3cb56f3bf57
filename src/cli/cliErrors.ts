import { parseXml, xml } from '../xml/codec.js';

/**
 * The client commands' errors, each naming what to do next. Pure message builders (table-tested); the commands throw
 * `CliError`, and `tessera` prints its message.
 */
export class CliError extends Error {
  constructor(
    message: string,
    /** 2 for bad usage or configuration, 1 for a failure at run time. */
    readonly exitCode: 1 | 2 = 1,
  ) {
    super(message);
  }
}

export function noCredentialsMessage(command: string): string {
  return (
    `${command}: no credentials: set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY or pass --access-key-id and ` +
    '--secret-access-key (`tessera accounts create` prints an account\'s root key)'
  );
}

/** A request that never got an answer: the endpoint is wrong or the server is not running. */
export function unreachableMessage(endpoint: string, cause: unknown): string {
  const code = (cause as { code?: unknown } | undefined)?.code;
  const why = typeof code === 'string' ? code : cause instanceof Error ? cause.message : String(cause);
  return `cannot reach ${endpoint} (${why}): is \`tessera server\` running? set --endpoint or TESSERA_ENDPOINT`;
}

/** The next step for an error the server answered (code and message as sent), or undefined when there is none. */
export function nextStepFor(code: string, message: string): string | undefined {
  if (code === 'InvalidAccessKeyId' || code === 'InvalidClientTokenId') {
    return 'the access key is unknown to this server: check AWS_ACCESS_KEY_ID (or --access-key-id) and --endpoint';
  }
  if (code === 'SignatureDoesNotMatch') return 'the secret key does not match the access key: check AWS_SECRET_ACCESS_KEY';
  if (/^The role \S+ does not exist/.test(message)) {
    return 'create it with `tessera jobs create --create-role …` (or pass the ARN of an existing role)';
  }
  if (/^The role \S+ does not trust batchoperations\.s3\.amazonaws\.com/.test(message)) {
    return (
      'let S3 Batch Operations assume it: aws iam update-assume-role-policy --role-name NAME --policy-document ' +
      '\'{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"batchoperations.s3.amazonaws.com"},"Action":"sts:AssumeRole"}]}\'' +
      ', or use --create-role'
    );
  }
  if (/^The (report|manifest output) bucket \S+ does not exist/.test(message)) return 'create the bucket first, or change --report';
  if (code === 'AccessDenied' || code === 'AccessDeniedException') {
    return 'the caller lacks the permission named above: ask for it, or run the command as the account root';
  }
  return undefined;
}

/** An answered error as printed: `Code: message` and, when known, the next step. */
export function serverErrorMessage(code: string, message: string): string {
  const next = nextStepFor(code, message);
  return next === undefined ? `${code}: ${message}` : `${code}: ${message}: ${next}`;
}

/**
 * The error an S3 answer carries (`<Error><Code/><Message/></Error>`, read through the codec), as a CliError printed
 * `Code: message` with the next step when one is known; a body that is not S3's error document is shown as it is.
 */
export function answeredError(status: number, body: string): CliError {
  let code = String(status);
  let message = body;
  try {
    const doc = parseXml(body, 'Error');
    code = xml.text(doc, 'Code') ?? code;
    message = xml.text(doc, 'Message') ?? '';
  } catch {
    // not an S3 error document: keep the status and the body
  }
  return new CliError(serverErrorMessage(code, message));
}
