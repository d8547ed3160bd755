import { startTestService, stopAndClean, type TestService } from './service.ts';
import { startSmtpSink } from './smtp-sink.ts';

/** The vendors' base URLs a test intercepts with nock. */
export const JIRA = 'http://jira.test';
export const SLACK = 'http://slack.test';
export const PD = 'http://pagerduty.test';
export const SN = 'http://servicenow.test';
export const TEAMS = 'http://teams.test';

export interface EveryVendor {
  readonly svc: TestService;
  stop(): Promise<void>;
}

/**
 * The service with every target configured: ServiceNow, Jira, Slack, PagerDuty and Teams at the
 * nock'd URLs above (Payroll's routing key and finance's Teams workflow), and email through a
 * real SMTP sink on loopback, so a round's every message can be sent and its one note written.
 */
export async function startWithEveryVendor(): Promise<EveryVendor> {
  const smtp = await startSmtpSink();
  const svc = await startTestService(
    {
      ...smtp.env,
      JIRA_URL: JIRA,
      JIRA_EMAIL: 'mim-bot@example.edu',
      JIRA_API_TOKEN: 'jira-token',
      SLACK_API_URL: `${SLACK}/api`,
      SLACK_BOT_TOKEN: 'xoxb-test',
      PAGERDUTY_EVENTS_URL: PD,
      SERVICENOW_URL: SN,
      SERVICENOW_USERNAME: 'mim.integration',
      SERVICENOW_PASSWORD: 'sn-password',
    },
    {
      secrets: {
        MIM_ROUTE_PAGERDUTY_PAYROLL: 'R0UT1NGKEYPAYR0LL0000000000000000',
        MIM_ROUTE_TEAMS_FINANCE: `${TEAMS}/workflows/finance`,
      },
    },
  );
  return {
    svc,
    stop: async () => {
      await stopAndClean(svc);
      await smtp.close();
    },
  };
}
