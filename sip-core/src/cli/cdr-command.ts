// `trunkline cdr [--data DIR] [filter=value …] [--format csv|json] [--limit N]` — the CDRs the emulator wrote, with
// Zentrunk's Call API filters under their own names and operators (BEHAVIOUR.md §14.6: `from_number`,
// `to_number`, `call_direction`, `hangup_cause_code`, `hangup_source`, `bill_duration__gt`, `end_time__gte`, …)
// and Trunkline's (`trunk_domain`, `hangup_cause_name`, `number_search`, `end_date_from`, …). The store checks
// every filter and says what a wrong one should look like.

import type { Command } from 'commander';
import { loadEmulatorConfig } from '../emulator/index.js';
import {
  compileCdrQuery,
  CDR_FILTER_NAMES,
  defaultDatabasePath,
  TrunklineStore,
  type CdrFilter,
} from '../store/index.js';
import { CliUsageError } from './emulator-command.js';
import type { CommandContext } from './explain-command.js';

export function registerCdrCommand(program: Command, io: CommandContext): void {
  program
    .command('cdr')
    .description('list the emulator’s call detail records (newest first), filtered like Zentrunk’s Call API')
    .argument('[filters...]', `name=value filters: ${CDR_FILTER_NAMES.join(', ')}`)
    .option('--data <dir>', 'the data folder (default: the emulator’s)')
    .option('--format <format>', 'csv or json', 'json')
    .option('--limit <n>', 'at most this many records (json only; default all)')
    .action((filters: string[], options: { data?: string; format: string; limit?: string }) => {
      if (options.format !== 'csv' && options.format !== 'json') {
        throw new CliUsageError('--format must be csv or json');
      }
      const filter: Record<string, string> = {};
      for (const item of filters) {
        const equals = item.indexOf('=');
        if (equals <= 0)
          throw new CliUsageError(`a filter is name=value (got “${item}”); try hangup_cause_code=3010`);
        filter[item.slice(0, equals)] = item.slice(equals + 1);
      }
      // Checks names and values (throws StoreError with what a value should look like).
      compileCdrQuery(filter);
      const config = loadEmulatorConfig(
        options.data !== undefined ? { overrides: { dataDir: options.data } } : {},
      );
      if (!config.ok) throw new CliUsageError('cannot work out the data folder; pass --data');
      const store = TrunklineStore.open({ path: defaultDatabasePath(config.value.dataDir) });
      try {
        const typed = filter as CdrFilter;
        if (options.format === 'csv') {
          io.out(Array.from(store.exportCsv(typed)).join('').trimEnd());
          return;
        }
        if (options.limit !== undefined) {
          const limit = Number(options.limit);
          if (!Number.isInteger(limit) || limit < 1 || limit > 1000)
            throw new CliUsageError('--limit must be 1–1000');
          io.out(JSON.stringify(store.listCdrs({ ...typed, limit }).objects, null, 2));
          return;
        }
        io.out(Array.from(store.exportJson(typed)).join('').trimEnd());
      } finally {
        store.close();
      }
    });
}
