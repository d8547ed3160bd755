import { createHmac } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { runInNewContext } from 'node:vm';
import { afterEach, describe, expect, it } from 'vitest';
import { verifyServicenow } from '../../../src/connectors/servicenow/inbound.ts';
import { JOURNAL_LABELS, type JournalField } from '../../../sandbox/servicenow/choices.ts';
import { createServicenowSim, type ServicenowSim } from '../../../sandbox/servicenow/index.ts';
import type { SnRecord } from '../../../sandbox/servicenow/table.ts';
import { startReceiver, type Receiver } from '../sandbox/servicenow-receiver.ts';

/**
 * The shipped business rule (integrations/servicenow) runs here in a VM against stand-ins for the
 * Glide objects it uses, on the same writes the ServiceNow simulator makes: the rule's filter and
 * the simulator's must send the same requests, byte for byte, and skip the same updates.
 */
const SCRIPT = readFileSync('integrations/servicenow/mim-bridge-business-rule.js', 'utf8');
const SECRET = 'sn-webhook-secret-0123456789';
const PAYROLL = '27d32778c0a8000b00db970eeaa60f16';
const HR = '27d32778c0a8000b00db970eeaa60f17';
const GROUP = 'a715cd759f2002002920bde8132e7018';
const IDP = 'b715cd759f2002002920bde8132e7019';
const REFERENCES = { [PAYROLL]: 'Payroll', [HR]: 'HR Portal', [GROUP]: 'Payroll Support', [IDP]: 'idp-prod' };
const JOURNALS = ['work_notes', 'comments'] as const;

interface Sent {
  readonly url: string;
  readonly headers: Record<string, string>;
  readonly body: string;
}

/** Runs the rule for one write: `before` undefined for an insert; `notesBefore` the journal sizes before it. */
function runRule(
  sim: ServicenowSim,
  before: Readonly<SnRecord> | undefined,
  after: Readonly<SnRecord>,
  properties: Record<string, string>,
  notesBefore: Partial<Record<JournalField, number>> = {},
): Sent[] {
  const sent: Sent[] = [];
  const journalHead = (field: JournalField) => {
    const entry = sim
      .journal(after.sys_id!)
      .filter((e) => e.field === field)
      .at(-1);
    return entry ? `${entry.at} - ${entry.author} (${JOURNAL_LABELS[field]})\n${entry.text}\n\n` : '';
  };
  const newJournal = (field: JournalField) =>
    sim.journal(after.sys_id!).filter((e) => e.field === field).length > (notesBefore[field] ?? 0);
  const element = (name: string) => ({
    changes: () =>
      name === 'work_notes' || name === 'comments'
        ? newJournal(name)
        : before === undefined
          ? (after[name] ?? '') !== ''
          : (after[name] ?? '') !== (before[name] ?? ''),
    getJournalEntry: () => journalHead(name as JournalField),
  });
  const current = new Proxy(
    {
      operation: () => (before ? 'update' : 'insert'),
      getValue: (name: string) => (name === 'work_notes' || name === 'comments' ? '' : (after[name] ?? '')),
      getDisplayValue: (name: string) => sim.displayOf(name, after[name] ?? ''),
    } as Record<string, unknown>,
    { get: (target, name: string) => target[name] ?? element(name) },
  );
  const context = {
    current,
    previous: null,
    gs: {
      getProperty: (name: string, fallback: string) => properties[name] ?? fallback,
      warn: () => {},
      error: (m: string) => {
        throw new Error(m);
      },
    },
    GlideStringUtil: { base64Encode: (s: string) => Buffer.from(s).toString('base64') },
    GlideCertificateEncryption: class {
      generateMac(key: string, _algorithm: string, body: string) {
        return createHmac('sha256', Buffer.from(key, 'base64')).update(body).digest('base64');
      }
    },
    sn_ws: {
      RESTMessageV2: class {
        url = '';
        headers: Record<string, string> = {};
        body = '';
        setEndpoint(u: string) {
          this.url = u;
        }
        setHttpMethod() {}
        setHttpTimeout() {}
        setRequestHeader(k: string, v: string) {
          this.headers[k] = v;
        }
        setRequestBody(b: string) {
          this.body = b;
        }
        executeAsync() {
          sent.push({ url: this.url, headers: this.headers, body: this.body });
        }
      },
    },
  };
  runInNewContext(SCRIPT, context);
  return sent;
}

let sim: ServicenowSim;
let receiver: Receiver;
afterEach(async () => {
  await sim?.close();
  await receiver?.close();
});

async function world(services?: string[]) {
  receiver = await startReceiver();
  sim = createServicenowSim({
    users: { 'mim.integration': 'pw' },
    references: REFERENCES,
    webhook: { url: receiver.url, secret: SECRET },
    integrationUser: 'mim.integration',
    ...(services ? { services } : {}),
  });
  await sim.listen();
  const properties: Record<string, string> = {
    'x_mim.webhook_url': receiver.url,
    'x_mim.webhook_secret': SECRET,
    'x_mim.integration_user': 'mim.integration',
    ...(services ? { 'x_mim.services': services.join(', ') } : {}),
  };
  const byRule: Sent[][] = [];
  const person = sim.act({ as: 'fred.luddy' });
  /** One write by a person: the simulator delivers (or not) and the rule runs on the same change. */
  const write = (sysId: string | undefined, fields: Record<string, string>) => {
    const before = sysId ? { ...sim.record(sysId)! } : undefined;
    const notes = Object.fromEntries(
      JOURNALS.map((f) => [f, sysId ? sim.journal(sysId).filter((e) => e.field === f).length : 0]),
    );
    const after = sysId ? person.update(sysId, fields) : person.create(fields);
    byRule.push(runRule(sim, before, after, properties, notes));
    return after.sys_id!;
  };
  const simSent = async () => {
    await sim.webhooksIdle();
    return receiver.received.map((r) => r.rawBody.toString());
  };
  return { write, byRule, simSent };
}

describe('the business rule sends only what matters, and the simulator does the same', () => {
  it(
    'sends an insert and updates to priority, assignment group, major state and journals; skips the ' + 'rest',
    async () => {
      const { write, byRule, simSent } = await world();
      const id = write(undefined, { short_description: 'Payroll portal down', business_service: PAYROLL, impact: '2' });
      write(id, { description: 'More detail from the caller' });
      write(id, { impact: '1', urgency: '1' });
      write(id, { short_description: 'Payroll portal down for everyone' });
      write(id, { assignment_group: GROUP });
      write(id, { work_notes: 'DB failover started' });
      write(id, { major_incident_state: 'proposed' });
      expect(byRule.map((sent) => sent.length)).toEqual([1, 0, 1, 0, 1, 1, 1]);
      const events = byRule.flat().map((s) => JSON.parse(s.body) as { event: string; changed: string[] });
      expect(events.map((e) => e.event)).toEqual(['insert', 'update', 'update', 'work_note', 'update']);
      expect(events[1]!.changed).toEqual(expect.arrayContaining(['impact', 'urgency', 'priority']));
      // The simulator's deliveries are the rule's requests, byte for byte, and they verify as mim-bridge does.
      expect(await simSent()).toEqual(byRule.flat().map((s) => s.body));
      for (const s of byRule.flat())
        expect(
          verifyServicenow(
            {
              rawBody: Buffer.from(s.body),
              headers: { 'x-mim-signature': s.headers['X-MIM-Signature']! },
              receivedAt: new Date(),
            },
            [SECRET],
          ),
        ).toBe(true);
    },
  );

  it('with x_mim.services set, sends only incidents on a listed service or CI (any case, spaces trimmed)', async () => {
    const { write, byRule, simSent } = await world(['payroll ', 'idp-prod']);
    write(undefined, { short_description: 'HR portal slow', business_service: HR });
    const payroll = write(undefined, { short_description: 'Payroll down', business_service: PAYROLL });
    write(payroll, { state: '2' });
    const byCi = write(undefined, { short_description: 'Login fails', cmdb_ci: IDP });
    expect(byRule.map((sent) => sent.length)).toEqual([0, 1, 1, 1]);
    expect(JSON.parse(byRule[3]![0]!.body).record.sys_id).toBe(byCi);
    expect(await simSent()).toEqual(byRule.flat().map((s) => s.body));
  });

  it("never sends the integration user's own writes", async () => {
    const { byRule, simSent } = await world();
    const own = sim.act({ as: 'mim.integration' }).create({ short_description: 'x', business_service: PAYROLL });
    byRule.push(
      runRule(sim, undefined, own, {
        'x_mim.webhook_url': receiver.url,
        'x_mim.webhook_secret': SECRET,
        'x_mim.integration_user': 'mim.integration',
      }),
    );
    expect(byRule.flat()).toEqual([]);
    expect(await simSent()).toEqual([]);
  });
});
