import { createHmac } from 'node:crypto';
import { PERSON, SN_REFERENCES, type Sandbox } from '../index.ts';
import type { RunningChild } from '../run-service.ts';

/**
 * Ready-made commands for `demo --keep-running`: the simulators' own APIs as a person (the
 * simulator then sends its signed webhook to mim-bridge, as the vendor would), a webhook signed
 * by hand for the exact body printed, and the admin API.
 */

const q = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;
const idOf = (display: string) => Object.entries(SN_REFERENCES).find(([, name]) => name === display)?.[0] ?? '';
const ref = (display: string) => ({ value: idOf(display), display_value: display });

/** A record as the shipped business rule sends it, for a tier-2 P1 on Single Sign-On (rules: propose). */
function servicenowWebhookBody(sysId: string, number: string, at: string): string {
  return JSON.stringify({
    event: 'insert',
    changed: ['short_description', 'impact', 'urgency', 'priority', 'business_service'],
    record: {
      sys_id: sysId,
      number,
      short_description: 'Single sign-on rejects every login',
      description: 'Sent by hand from the curl example of the demo.',
      state: '1',
      impact: '1',
      urgency: '1',
      priority: '1',
      major_incident_state: '',
      correlation_id: '',
      close_code: '',
      close_notes: '',
      sys_updated_on: at,
      sys_updated_by: PERSON.servicenowUser,
      sys_mod_count: '0',
      business_service: ref('Single Sign-On'),
      cmdb_ci: ref('idp-prod'),
      assignment_group: ref('Identity and Access'),
      assigned_to: { value: '', display_value: '' },
      caller_id: ref('Abel Tuter'),
      parent_incident: { value: '', display_value: '' },
    },
  });
}

export function curlExamples(sandbox: Sandbox, service: RunningChild): string {
  const sn = sandbox.urls.servicenow;
  const jira = sandbox.urls.jira;
  const created = sandbox.servicenow.act({ as: PERSON.servicenowUser });
  // A real record for the hand-signed webhook, so mim-bridge's write-backs find it; made
  // without its own webhook so the one below is the first mim-bridge hears of it.
  sandbox.servicenow.setWebhook(undefined);
  const record = created.create({
    short_description: 'Single sign-on rejects every login',
    business_service: 'Single Sign-On',
    impact: '1',
    urgency: '1',
  });
  sandbox.servicenow.setWebhook({ url: `${service.url}/webhooks/servicenow`, secret: sandbox.secrets.servicenow });
  const body = servicenowWebhookBody(record.sys_id ?? '', record.number ?? '', record.sys_updated_on ?? '');
  const signature = `sha256=${createHmac('sha256', sandbox.secrets.servicenow).update(body).digest('base64')}`;
  const snCreate = JSON.stringify({
    short_description: 'Payroll: payslips show last month',
    business_service: 'Payroll',
    cmdb_ci: 'payroll-app01',
    impact: '1',
    urgency: '1',
    caller_id: 'Fred Luddy',
  });
  const jiraCreate = JSON.stringify({
    fields: {
      project: { key: 'PAY' },
      issuetype: { name: 'Task' },
      summary: 'Payroll API returns 500 for every request',
      priority: { name: 'Highest' },
    },
  });
  return [
    '# 1. Log a P1 payroll incident in ServiceNow as a person (the simulator sends the signed business-rule webhook):',
    `curl -s -u ${PERSON.servicenowUser}:${PERSON.servicenowPassword} -H 'Content-Type: application/json' -X ` +
      `POST ${sn}/api/now/table/incident \\\n  -d ${q(snCreate)}`,
    '',
    `# 2. The business rule's webhook for ${record.number} (a tier-2 P1: proposed to the Major Incident ` +
      'Manager), signed by hand.',
    `#    X-MIM-Signature = sha256=base64(HMAC-SHA256(SERVICENOW_WEBHOOK_SECRET=${sandbox.secrets.servicenow}, body)):`,
    `curl -s -X POST ${service.url}/webhooks/servicenow -H 'Content-Type: application/json' \\\n  -H ` +
      `${q(`X-MIM-Signature: ${signature}`)} \\\n  -d ${q(body)}`,
    '',
    '# 3. Open a Highest-priority issue in Jira project PAY as a person (the simulator sends the signed ' +
      'jira:issue_created webhook):',
    `curl -s -u ${PERSON.jiraEmail}:${PERSON.jiraToken} -H 'Content-Type: application/json' -X POST ` +
      `${jira}/rest/api/3/issue \\\n  -d ${q(jiraCreate)}`,
    '',
    '# 4. What mim-bridge made of it:',
    `curl -s -H 'Authorization: Bearer ${service.adminToken}' ${service.url}/admin/major-incidents`,
    `curl -s -H 'Authorization: Bearer ${service.adminToken}' ${service.url}/admin/major-incidents/<id>`,
  ].join('\n');
}
