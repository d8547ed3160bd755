import type { createCloudClient } from 'jira.js';
import type { Logger } from '../../observability/logger.ts';
import { ConnectorError } from '../connector-error.ts';
import { parseBody } from '../shared/axios-call.ts';
import { JiraTransitions, type JiraTransition } from './outbound-schema.ts';
import { projectOfKey, transitionFieldKeys, transitionFieldsFor, type JiraSettings } from './outbound-settings.ts';
import { planTransitionFields, type FieldProblem } from './outbound-transition-fields.ts';

type Jira = ReturnType<typeof createCloudClient>;

/**
 * Many workflows put a screen with a required Resolution on their Done transition, and Jira answers
 * such a transition without it with 400 (`errors.resolution`). A transition that needs nothing is
 * sent as it is; after a 400, mim-bridge reads that transition's screen
 * (`expand=transitions.fields`) and sends it again once, with the values mappings.yaml gives for
 * the fields on it. The transition POST takes them in `fields`:
 * https://developer.atlassian.com/cloud/jira/platform/rest/v3/api-group-issues/ (Transition issue)
 * and a Done transition with a required Resolution fails this way for other integrations too:
 * https://confluence.atlassian.com/pages/viewpage.action?pageId=1388159669 (Atlassian KB)
 */
export async function performTransition(
  jira: Jira,
  key: string,
  transition: JiraTransition,
  settings: JiraSettings,
  log: Logger,
): Promise<void> {
  try {
    await jira.issues.doTransition({ issueIdOrKey: key, transition: { id: transition.id } });
    return;
  } catch (err) {
    if (!(err instanceof ConnectorError) || err.status !== 400) throw err;
    const listed = await jira.issues.getTransitions({
      issueIdOrKey: key,
      transitionId: transition.id,
      expand: 'transitions.fields',
    });
    const screen = parseBody('jira', JiraTransitions, listed).transitions.find((t) => t.id === transition.id)?.fields;
    const project = projectOfKey(key);
    const plan = planTransitionFields(screen ?? {}, transitionFieldsFor(settings, project));
    if (plan.kind === 'problems') throw unfillable(key, transition, plan.problems, project);
    // Nothing on the screen we could fill: the 400 is about something else, and stays as Jira said it.
    if (Object.keys(plan.fields).length === 0) throw err;
    log.info({ transitionId: transition.id, fields: Object.keys(plan.fields) }, 'transition sent with its fields');
    await jira.issues.doTransition({ issueIdOrKey: key, transition: { id: transition.id }, fields: plan.fields });
  }
}

function unfillable(key: string, t: JiraTransition, problems: readonly FieldProblem[], project: string | undefined) {
  const named = problems.map(
    (p) => `${p.name} (${p.id}): ${p.reason}; set mappings.yaml ${transitionFieldKeys(p.id, project)}`,
  );
  return new ConnectorError({
    code: 'INVALID_INPUT',
    vendor: 'jira',
    retryable: false,
    status: 400,
    detail: `transition "${t.name ?? t.id}" of ${key} requires ${named.join('; ')}`,
  });
}
