import { snRecord } from '../../helpers/servicenow-record.ts';

/**
 * The i-th webhook of a load run (servicenowLoad, threadLoad): a new low-priority record each, so
 * every delivery id is unique and nothing is declared: the worker's cost is the event path itself.
 */
const sysIdOf = (tag: string, i: number) => `${tag}${i.toString(16)}`.padStart(32, '0');

export const loadDeliveryId = (tag: string, i: number) => `${sysIdOf(tag, i)}@1`;

export const loadBody = (tag: string, i: number) =>
  JSON.stringify(
    snRecord({
      sys_id: sysIdOf(tag, i),
      number: `INC${i + 1}`,
      priority: '4',
      impact: '3',
      urgency: '3',
      sys_mod_count: '1',
    }),
  );

/**
 * The same record, on a business service and CI no service maps: nothing is counted in a window or
 * declared, so a run that also declares a major incident of its own has exactly one.
 */
export const unmappedLoadBody = (tag: string, i: number) =>
  JSON.stringify(
    snRecord({
      sys_id: sysIdOf(tag, i),
      number: `INC${i + 1}`,
      priority: '4',
      impact: '3',
      urgency: '3',
      sys_mod_count: '1',
      business_service: { value: 'f'.repeat(32), display_value: 'Unmapped Service' },
      cmdb_ci: { value: 'e'.repeat(32), display_value: 'unmapped-host01' },
    }),
  );
