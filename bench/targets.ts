/** A goal for one benchmark figure: a share of the ceiling server's figure, or an absolute throughput. */
export type Target =
  | { readonly kind: 'ratio'; readonly min: number }
  | { readonly kind: 'throughput'; readonly minMBps: number };

export function describeTarget(target: Target): string {
  return target.kind === 'ratio' ? `>= ${Math.round(target.min * 100)}% of ceiling` : `>= ${target.minMBps} MB/s`;
}

/** Whether Tessera's figure meets the target (the ratio is Tessera / ceiling). */
export function meets(target: Target, tesseraFigure: number, ratio: number): boolean {
  if (!Number.isFinite(tesseraFigure)) return false;
  return target.kind === 'ratio' ? Number.isFinite(ratio) && ratio >= target.min : tesseraFigure >= target.minMBps;
}
