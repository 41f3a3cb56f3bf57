#!/usr/bin/env node
import { parseArgs } from 'node:util';
import { CONFIG_FLAGS, ConfigError, loadConfig, type ConfigFlag } from '../config/config.js';
import { runAccountsCommand } from './accounts.js';
import { runJobsCommand } from './jobs.js';
import { runLifecycleCommand } from './lifecycle.js';
import { runRemotesCommand } from './remotes.js';
import { runReplicationCommand } from './replication.js';
import { runTargetsCommand } from './targets.js';
import { runNotificationsCommand } from './notifications.js';
import { runAuditCommand } from './audit.js';
import { runServerCommand } from './server.js';
import { runStatsCommand } from './stats.js';
import { CliError } from './cliErrors.js';

const USAGE = `Usage: tessera <command> [options]

Commands:
  server                 run the S3 server
  accounts create        create an account (prints its root access key)
  accounts list          list accounts
  jobs …                 S3 Batch Operations jobs: create, list, describe, cancel, confirm, watch
  lifecycle …            lifecycle rules: explain, preview, run, passes
  remotes …              S3 endpoints replication writes to: add, list, remove
  replication …          bucket replication: status, resync
  targets …              where event notifications go: add, list, remove
  notifications …        event notifications: dead-letters
  audit …                which data events the audit log writes: get, set, clear
  stats s3://BUCKET      storage figures of a bucket [--by-tag KEY] [--json]

Server options (each also read from the environment variable shown):
${Object.entries(CONFIG_FLAGS)
  .map(([flag, spec]) => `  --${flag.padEnd(24)} ${spec.help} [${spec.env}]${spec.default !== undefined ? ` (default ${spec.default})` : ''}`)
  .join('\n')}

Run 'tessera accounts --help' for account options.
`;

/** Exit codes: 0 ok, 1 runtime failure, 2 bad usage or configuration. */
export async function main(argv: readonly string[]): Promise<number> {
  const [command, ...rest] = argv;
  if (command === undefined || command === '--help' || command === '-h' || command === 'help') {
    process.stdout.write(USAGE);
    return command === undefined ? 2 : 0;
  }
  try {
    if (command === 'server') {
      const options = Object.fromEntries(
        Object.keys(CONFIG_FLAGS).map((flag) => [flag, { type: 'string' as const }]),
      ) as Record<ConfigFlag, { type: 'string' }>;
      const { values } = parseArgs({ args: [...rest], options: { ...options, help: { type: 'boolean', short: 'h' } }, strict: true });
      if (values.help === true) {
        process.stdout.write(USAGE);
        return 0;
      }
      const { help: _help, ...flags } = values;
      const config = loadConfig(flags, process.env, process.cwd());
      return await runServerCommand(config);
    }
    if (command === 'accounts') return await runAccountsCommand(rest, process.env, process.cwd());
    if (command === 'jobs') return await runJobsCommand(rest, process.env);
    if (command === 'lifecycle') return await runLifecycleCommand(rest, process.env);
    if (command === 'targets') return await runTargetsCommand(rest, process.env, process.cwd());
    if (command === 'notifications') return await runNotificationsCommand(rest, process.env);
    if (command === 'audit') return await runAuditCommand(rest, process.env);
    if (command === 'replication') return await runReplicationCommand(rest, process.env);
    if (command === 'stats') return await runStatsCommand(rest, process.env);
    if (command === 'remotes') return await runRemotesCommand(rest, process.env, process.cwd());
    process.stderr.write(`tessera: unknown command '${command}' (try --help)\n`);
    return 2;
  } catch (err) {
    if (err instanceof CliError) {
      process.stderr.write(`tessera: ${err.message}\n`);
      return err.exitCode;
    }
    if (err instanceof ConfigError || (err instanceof TypeError && 'code' in err && String(err.code).startsWith('ERR_PARSE_ARGS'))) {
      process.stderr.write(`tessera: ${err.message}\n`);
      return 2;
    }
    throw err;
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    if (code !== 0 || process.argv[2] !== 'server') process.exitCode = code;
  },
  (err: unknown) => {
    process.stderr.write(`tessera: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exitCode = 1;
  },
);
