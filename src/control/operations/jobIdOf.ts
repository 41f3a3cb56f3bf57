import type { ControlContext } from '../ControlContext.js';

/** The {JobId} of the path. */
export function jobIdOf(ctx: ControlContext): string {
  return ctx.params.JobId ?? '';
}
