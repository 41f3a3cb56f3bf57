import type { S3Error } from '../errors/S3Error.js';

/**
 * Renders the body of an error the HTTP layer answers itself (an undecodable URI, an API not served), in the envelope
 * of the API above it that owns the endpoint (S3's <Error>): given by the composition root, as http/ knows no API.
 */
export type RenderErrorBody = (error: S3Error, resource: string, requestId: string, hostId: string) => string;
