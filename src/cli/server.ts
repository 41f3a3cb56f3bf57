import type { TesseraConfig } from '../config/config.js';
import { startTessera } from '../main.js';

/** `tessera server`: start, print the endpoint (and generated credentials once), stop cleanly on SIGINT/SIGTERM. */
export async function runServerCommand(config: TesseraConfig): Promise<number> {
  const running = await startTessera(config);
  const lines = [`Tessera listening on ${running.endpoint} (region ${config.region}, data in ${config.dataDir})`];
  if (running.generatedCredentials) {
    lines.push('Root credentials were generated and stored in the data dir (shown this once):');
  } else {
    lines.push('Root credentials:');
  }
  lines.push(`  AWS_ACCESS_KEY_ID=${running.rootCredentials.accessKeyId}`);
  if (running.generatedCredentials) {
    lines.push(`  AWS_SECRET_ACCESS_KEY=${running.rootCredentials.secretAccessKey}`);
  } else if (config.rootSecretAccessKey === undefined) {
    lines.push(`  AWS_SECRET_ACCESS_KEY=(stored in ${config.dataDir}/root-credentials.json)`);
  } else {
    lines.push('  AWS_SECRET_ACCESS_KEY=(as configured in TESSERA_ROOT_SECRET_ACCESS_KEY)');
  }
  lines.push(`  aws --endpoint-url ${running.endpoint} s3 ls`);
  process.stdout.write(lines.join('\n') + '\n');
  await new Promise<void>((resolve) => {
    const stop = (): void => resolve();
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  await running.close();
  return 0;
}
