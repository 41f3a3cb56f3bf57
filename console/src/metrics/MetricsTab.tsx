import { MetricsConfigurations } from './MetricsConfigurations.js';
import { StorageFigures } from './StorageFigures.js';

/** A bucket's Metrics tab: its storage figures and its metrics configurations. */
export function MetricsTab(props: { readonly bucket: string }) {
  return (
    <>
      <StorageFigures bucket={props.bucket} />
      <MetricsConfigurations bucket={props.bucket} />
    </>
  );
}
