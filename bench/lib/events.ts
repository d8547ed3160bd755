/**
 * Realistic ServiceNow webhook bodies, signed as the shipped business rule signs them: new
 * incidents across services, updates (state and priority moves), comments, and now and then a
 * P1 on a fresh tier-1 service (rule p1-on-tier-1 declares: a page, a ticket, messages).
 * Times advance one second per change of a record, so the newest change of a record is known.
 */
import { randomBytes } from 'node:crypto';
import { SN_REFERENCES } from '../../sandbox/index.ts';
import { signServicenow } from '../../sandbox/servicenow/webhook.ts';
import type { ServicenowSim } from '../../sandbox/servicenow/index.ts';
import { benchServiceName } from './world.ts';

/** Deterministic (seeded) choices, so two runs send the same mix. */
export function rng(seed: number) {
  let x = seed >>> 0 || 1;
  return () => {
    x ^= x << 13;
    x >>>= 0;
    x ^= x >>> 17;
    x ^= x << 5;
    x >>>= 0;
    return x / 0x1_0000_0000;
  };
}

const NOISE_TITLES = [
  'Laptop will not dock',
  'Printer on floor 3 jams',
  'VPN slow from home',
  'Password reset request',
  'Outlook calendar sync delayed',
  'Payslip PDF shows wrong logo',
  'Teams camera flickers',
  'Request access to shared drive',
  'Monitor replacement',
  'Report export takes long',
];
const SERVICES = [
  ['Payroll', 'payroll-app01'],
  ['Single Sign-On', 'idp-prod'],
  ['Library Catalogue', 'libcat-web01'],
  ['Facilities Booking', 'fac-web01'],
  ['Parking Permits', 'park-app01'],
] as const;
const CALLERS = ['Fred Luddy', 'Beth Anglin', 'Abel Tuter'];
const ref = (display: string) => ({
  value: Object.entries(SN_REFERENCES).find(([, d]) => d === display)?.[0] ?? randomBytes(16).toString('hex'),
  display_value: display,
});
const snTime = (ms: number) => new Date(ms).toISOString().slice(0, 19).replace('T', ' ');

export interface Planned {
  readonly body: string;
  readonly sig: string;
  readonly kind: 'declare' | 'new' | 'update' | 'comment';
  readonly deliveryId: string;
  readonly sysId: string;
  /** declare: the unique text of its title, found again in the page, ticket and messages. */
  readonly token?: string;
  /** The record's source time and priority after this change (the newest one must win). */
  readonly updatedAtMs: number;
  readonly priority: number;
}

interface Rec {
  sysId: string;
  number: string;
  title: string;
  service: readonly [string, string];
  state: string;
  priority: string;
  impact: string;
  urgency: string;
  caller: string;
  mod: number;
}

export interface PlanOptions {
  readonly count: number;
  readonly rate: number;
  readonly secret: string;
  /** One declaring P1 every this many seconds, each on the next generated service. */
  readonly declareEverySeconds: number;
  readonly servicenow: ServicenowSim;
  readonly seed?: number;
  /** Prefix of the tokens (unique per run). */
  readonly runId: string;
}

let BASE = Date.now();
function body(r: Rec, event: 'insert' | 'update' | 'comment', changed: string[], extra: Record<string, string> = {}) {
  return JSON.stringify({
    event,
    changed,
    record: {
      sys_id: r.sysId,
      number: r.number,
      short_description: r.title,
      description: `${r.title} (bench)`,
      state: r.state,
      impact: r.impact,
      urgency: r.urgency,
      priority: r.priority,
      major_incident_state: '',
      correlation_id: '',
      close_code: '',
      close_notes: '',
      sys_updated_on: snTime(BASE + r.mod * 1000),
      sys_updated_by: 'fred.luddy',
      sys_mod_count: String(r.mod),
      business_service: ref(r.service[0]),
      cmdb_ci: ref(r.service[1]),
      assignment_group: ref('Service Desk'),
      assigned_to: { value: '', display_value: '' },
      caller_id: ref(r.caller),
      parent_incident: { value: '', display_value: '' },
      ...extra,
    },
  });
}

/**
 * The plan: 55 % new incidents, 30 % updates, 15 % comments on the incidents created so far,
 * and one declaring P1 every `declareEverySeconds` (its record is created in the ServiceNow
 * simulator first, so mim-bridge's write-backs land).
 */
export function plan(opts: PlanOptions): Planned[] {
  const rand = rng(opts.seed ?? 42);
  // Source times start now (windows are trimmed by wall clock) and advance a second per change of a record.
  BASE = Date.now();
  const recs: Rec[] = [];
  const out: Planned[] = [];
  const everyN = Math.max(1, Math.round(opts.declareEverySeconds * opts.rate));
  let declared = 0;
  const push = (r: Rec, kind: Planned['kind'], b: string, token?: string) =>
    out.push({
      body: b,
      sig: signServicenow(opts.secret, b),
      kind,
      deliveryId: `${r.sysId}@${r.mod}`,
      sysId: r.sysId,
      updatedAtMs: Math.floor((BASE + r.mod * 1000) / 1000) * 1000,
      priority: Number(r.priority),
      ...(token ? { token } : {}),
    });
  const fresh = (
    title: string,
    service: readonly [string, string],
    p: { impact: string; urgency: string; priority: string },
  ): Rec => {
    const created = opts.servicenow
      .act({ as: 'mim-bridge' })
      .create({ short_description: title, impact: p.impact, urgency: p.urgency });
    return {
      sysId: created.sys_id!,
      number: created.number!,
      title,
      service,
      state: '1',
      ...p,
      caller: CALLERS[Math.floor(rand() * CALLERS.length)]!,
      mod: 0,
    };
  };
  for (let i = 0; i < opts.count; i++) {
    if (i % everyN === Math.floor(everyN / 2)) {
      const token = `${opts.runId}-MI${declared}`;
      const r = fresh(`Bench outage ${token}: service unavailable`, [benchServiceName(declared), 'payroll-app01'], {
        impact: '1',
        urgency: '1',
        priority: '1',
      });
      declared++;
      push(r, 'declare', body(r, 'insert', []), token);
      continue;
    }
    const x = rand();
    if (x < 0.55 || recs.length < 20) {
      const s = SERVICES[Math.floor(rand() * SERVICES.length)]!;
      const low = rand() < 0.5;
      const r: Rec = {
        sysId: randomBytes(16).toString('hex'),
        number: `INC9${String(i).padStart(6, '0')}`,
        title: NOISE_TITLES[Math.floor(rand() * NOISE_TITLES.length)]!,
        service: s,
        state: '1',
        impact: low ? '3' : '2',
        urgency: '3',
        priority: low ? '5' : '4',
        caller: CALLERS[Math.floor(rand() * CALLERS.length)]!,
        mod: 0,
      };
      recs.push(r);
      push(r, 'new', body(r, 'insert', []));
    } else if (x < 0.85) {
      const r = recs[Math.floor(rand() * recs.length)]!;
      r.mod++;
      const changed: string[] = [];
      if (r.state === '1' || rand() < 0.5) {
        r.state = String(Math.min(6, Number(r.state) + 1));
        changed.push('state');
      } else {
        r.priority = r.priority === '5' ? '4' : '5';
        changed.push('priority');
      }
      push(r, 'update', body(r, 'update', [...changed, 'sys_updated_on', 'sys_mod_count']));
    } else {
      const r = recs[Math.floor(rand() * recs.length)]!;
      r.mod++;
      push(r, 'comment', body(r, 'comment', ['comments'], { comments: `Still happening for me (${i})` }));
    }
  }
  return out;
}
