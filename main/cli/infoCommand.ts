import type { Command } from 'commander';
import { cliAction, type CliEnv } from './commands';
import { formatAdapter, type SystemInfo } from '../../shared/api';

export function formatSystemInfo(info: SystemInfo): string[] {
  const lines = [
    `${info.appName} ${info.appVersion}`,
    `platform   ${info.platform} (${info.arch}), Node ${info.nodeVersion}`,
    `data dir   ${info.dataDir}`,
    // the reason names who forced it (the setting, UMEDPT_BACKEND)
    `engine     ${info.selectedBackend} (${info.selectionReason})`,
    'backends:',
  ];
  for (const b of info.backends) {
    lines.push(`  ${b.name === info.selectedBackend ? '*' : ' '} ${b.name.padEnd(15)} ${b.reason}`);
    if (b.adapter) lines.push(`    ${''.padEnd(15)} adapter: ${formatAdapter(b.adapter)}`);
  }
  return lines;
}

export function defineInfoCommand(program: Command, env: CliEnv): Command {
  const command = program
    .command('info')
    .summary('version, data folder and engine backends (which one is selected and why)')
    .description('Prints the version, the data folder and every engine backend with the reason it is or is not selected.')
    .usage('[--json]')
    .option('--json', 'print the system information as JSON');
  return cliAction(command, env, async (options: { json?: boolean }) => {
    const session = env.open();
    try {
      const info = await session.call('system/info', {});
      if (options.json) env.io.out(JSON.stringify(info, null, 2));
      else formatSystemInfo(info).forEach((l) => env.io.out(l));
      return 0;
    } finally {
      await session.close();
    }
  });
}
