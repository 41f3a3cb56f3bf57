/** The part of pino-roll (which ships no types) the audit sink uses: it resolves to a SonicBoom stream. */
declare module 'pino-roll' {
  import type { SonicBoom } from 'sonic-boom';

  interface PinoRollOptions {
    readonly file: string;
    readonly size?: string | number;
    readonly mkdir?: boolean;
    readonly minLength?: number;
    readonly maxWrite?: number;
    readonly periodicFlush?: number;
    readonly limit?: { readonly count: number };
  }

  export default function roll(options: PinoRollOptions): Promise<SonicBoom>;
}
