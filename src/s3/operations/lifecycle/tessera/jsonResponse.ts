import type { S3Response } from '../../Operation.js';

/** The lifecycle tools' answers (not S3 operations: Tessera's own, read by `tessera lifecycle`) are JSON. */
export function jsonResponse(value: unknown): S3Response {
  return { status: 200, headers: { 'Content-Type': 'application/json' }, body: `${JSON.stringify(value, null, 2)}\n` };
}

/** The query parameter that selects a lifecycle tool: `?tessera-lifecycle=explain|preview|run|passes`. */
export const TOOL_PARAM = 'tessera-lifecycle';
