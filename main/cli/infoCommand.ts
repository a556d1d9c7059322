import type { CliCommand } from './commands';
import { formatAdapter, type SystemInfo } from '../../shared/api';

export function formatSystemInfo(info: SystemInfo): string[] {
  const lines = [
    `${info.appName} ${info.appVersion}`,
    `platform   ${info.platform} (${info.arch}), Node ${info.nodeVersion}`,
    `data dir   ${info.dataDir}`,
    `engine     ${info.selectedBackend} (${info.selectionReason}${info.forcedBy ? `, forced by ${info.forcedBy}` : ''})`,
    'backends:',
  ];
  for (const b of info.backends) {
    lines.push(`  ${b.name === info.selectedBackend ? '*' : ' '} ${b.name.padEnd(15)} ${b.reason}`);
    if (b.adapter) lines.push(`    ${''.padEnd(15)} adapter: ${formatAdapter(b.adapter)}`);
  }
  return lines;
}

export const infoCommand: CliCommand = {
  name: 'info',
  usage: 'umedpt info [--json]',
  summary: 'version, data folder and engine backends (which one is selected and why)',
  async run(args, io, open) {
    const session = open();
    try {
      const info = await session.services['system/info']({});
      if (args.includes('--json')) io.out(JSON.stringify(info, null, 2));
      else formatSystemInfo(info).forEach((l) => io.out(l));
      return 0;
    } finally {
      await session.close();
    }
  },
};
