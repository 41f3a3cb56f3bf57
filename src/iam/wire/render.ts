import { renderXml, type XmlElement } from '../../xml/codec.js';
import type { IamError } from '../../errors/IamError.js';

export const IAM_XMLNS = 'https://iam.amazonaws.com/doc/2010-05-08/';
export const STS_XMLNS = 'https://sts.amazonaws.com/doc/2011-06-15/';

/**
 * `<{Action}Response xmlns=…><{Action}Result>…</{Action}Result><ResponseMetadata><RequestId>…</RequestId>
 * </ResponseMetadata></{Action}Response>`; actions without output (DeleteUser, …) have no Result element.
 */
export function renderResult(action: string, result: XmlElement | undefined, requestId: string, xmlns: string): string {
  return renderXml(
    `${action}Response`,
    {
      ...(result === undefined ? {} : { [`${action}Result`]: result }),
      ResponseMetadata: { RequestId: requestId },
    },
    { xmlns },
  );
}

/** `<ErrorResponse xmlns=…><Error><Type/><Code/><Message/></Error><RequestId/></ErrorResponse>` */
export function renderError(error: IamError, requestId: string, xmlns: string): string {
  return renderXml(
    'ErrorResponse',
    { Error: { Type: error.type, Code: error.code, Message: error.message }, RequestId: requestId },
    { xmlns },
  );
}

/** IAM's timestamps: ISO 8601 in UTC, whole seconds (`2024-05-01T12:00:00Z`). */
export function isoSeconds(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}
