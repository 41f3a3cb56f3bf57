import { S3Error } from '../../../errors/S3Error.js';
import { parseXml, xml } from '../../../xml/codec.js';

/** What RestoreObject's body asks for. */
export interface RestoreRequest {
  readonly days: number;
  /** GlacierJobParameters' Tier (Standard, Bulk, Expedited): accepted; a restore from the tier directory is immediate. */
  readonly tier?: string;
}

const TIERS = ['Standard', 'Bulk', 'Expedited'];

/**
 * `<RestoreRequest><Days>n</Days><GlacierJobParameters><Tier>…</Tier></GlacierJobParameters></RestoreRequest>`.
 * Days is required (1 or more) for an archived object; a SELECT restore (`<Type>SELECT</Type>`, retired by AWS) is
 * not supported.
 */
export function parseRestoreRequest(body: Buffer | string): RestoreRequest {
  const doc = parseXml(body, 'RestoreRequest');
  if (xml.text(doc, 'Type') !== undefined || xml.child(doc, 'SelectParameters') !== undefined) {
    throw new S3Error('NotImplemented', { message: 'SELECT restore requests are not supported.' });
  }
  const daysText = xml.text(doc, 'Days');
  if (daysText === undefined) throw new S3Error('MalformedXML');
  if (!/^\s*-?\d+\s*$/.test(daysText)) throw new S3Error('MalformedXML');
  const days = Number(daysText);
  if (days < 1) throw new S3Error('InvalidArgument', { message: 'Days must be greater than 0', details: { ArgumentName: 'Days', ArgumentValue: daysText.trim() } });
  const parameters = xml.child(doc, 'GlacierJobParameters');
  const tier = parameters === undefined ? undefined : xml.text(parameters, 'Tier');
  if (tier !== undefined && !TIERS.includes(tier)) throw new S3Error('MalformedXML');
  return { days, ...(tier === undefined ? {} : { tier }) };
}
