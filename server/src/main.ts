import { parseArgs } from 'node:util';
import { ConfigError, loadConfig, type Config } from './config.ts';
import { COMMANDS, type Command, type Launch } from './cli.ts';

async function main(argv: string[], launch: Launch): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    process.stdout.write(usage());
    return name ? 0 : 1;
  }
  const command = COMMANDS.find((c) => c.name === name);
  if (!command) {
    process.stderr.write(`canteen: unknown command "${name}"\n\n${usage()}`);
    return 2;
  }
  let args: ReturnType<typeof parseArgs>;
  try {
    args = parseArgs({
      args: rest,
      options: { ...command.options, help: { type: 'boolean', short: 'h' } },
      allowPositionals: true,
    });
  } catch (error) {
    process.stderr.write(`canteen ${name}: ${(error as Error).message}\n\n${commandHelp(command)}`);
    return 2;
  }
  if (args.values['help']) {
    process.stdout.write(commandHelp(command));
    return 0;
  }
  let config: Config;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`canteen: ${error.message}\n`);
      return 78; // EX_CONFIG
    }
    throw error;
  }
  return command.run({ config, args: args.values, positionals: args.positionals, launch });
}

function usage(): string {
  const width = Math.max(...COMMANDS.map((c) => c.name.length));
  return [
    'Usage: canteen <command> [options]',
    '',
    'Commands:',
    ...COMMANDS.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`),
    '',
    'Run "canteen <command> --help" for the options of one command.',
    'Settings come from environment variables; see README.md.',
    '',
  ].join('\n');
}

function commandHelp(command: Command): string {
  const options = Object.entries(command.options ?? {}).map(
    ([key, o]) => `  --${key}${o.type === 'string' ? ' <value>' : ''}  ${command.optionHelp?.[key] ?? ''}`,
  );
  return [
    `Usage: canteen ${command.name}${command.usage ? ` ${command.usage}` : ''}`,
    '',
    command.summary,
    '',
    ...(command.details ? [command.details, ''] : []),
    'Options:',
    ...options,
    '  --help  Show this help',
    '',
  ].join('\n');
}

/**
 * Runs one `canteen` command (bin/canteen.mjs runs the compiled file; `npm start` through scripts/start.mjs)
 * and sets the process's exit code; resolves when the command is done (`start`: when the server has stopped).
 */
export async function run(argv: string[], launch: Launch = {}): Promise<void> {
  try {
    process.exitCode = await main(argv, launch);
  } catch (error) {
    process.stderr.write(`canteen: ${(error as Error).stack ?? String(error)}\n`);
    process.exitCode = 1;
  }
}
