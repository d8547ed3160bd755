import { Counter, Gauge } from 'prom-client';
import { registry } from '../../../observability/metrics.ts';

// Reused when already registered: a test process may load this module more than once.
const existing = <T>(name: string) => registry.getSingleMetric(name) as T | undefined;

export const sandboxTasks: Counter<'task' | 'outcome'> =
  existing<Counter<'task' | 'outcome'>>('mim_rules_sandbox_tasks_total') ??
  new Counter({
    name: 'mim_rules_sandbox_tasks_total',
    help: 'Rule simulations and validations handed to the sandbox, by task (simulate, validate) and outcome (ok; timeout: stopped at the deadline; busy: refused or not started in time; failed: the worker crashed).',
    labelNames: ['task', 'outcome'] as const,
    registers: [registry],
  });

export const sandboxInFlight: Gauge =
  existing<Gauge>('mim_rules_sandbox_tasks_in_flight') ??
  new Gauge({
    name: 'mim_rules_sandbox_tasks_in_flight',
    help: 'Rule simulations and validations handed to the sandbox and not yet answered (running or waiting for its thread).',
    registers: [registry],
  });
