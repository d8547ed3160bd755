import { createCloudClient } from 'jira.js';
import { ConnectorError, invalidInput } from '../connector-error.ts';
import { instrumentFor, type CallMeta, type ConnectorDeps } from '../instrument.ts';
import { parseBody } from '../shared/axios-call.ts';
import { assertMarker, boundedKey, truncate } from '../shared/markers.ts';
import { singleLine } from '../shared/single-line.ts';
import { adfFromText, type AdfDoc } from './adf.ts';
import {
  GLOBAL_ID_MAX_LENGTH,
  ISSUE_ID_OR_KEY,
  JIRA_PROPERTY_KEY,
  JSM_INTERNAL_COMMENT_PROPERTY,
  LABEL_MAX_LENGTH,
  SUMMARY_MAX_LENGTH,
} from './outbound-mapping.ts';
import {
  JiraCreated,
  JiraFoundIssues,
  JiraIssueStatus,
  JiraOutboundConfig,
  JiraTransitions,
} from './outbound-schema.ts';
import { createJsmLookups, MAJOR_INCIDENT_VALUE } from './outbound-jsm.ts';
import { DEFAULT_JIRA_SETTINGS, incidentIssueTypeFor, projectOfKey, type JiraSettings } from './outbound-settings.ts';
import { performTransition } from './outbound-transition.ts';
import { MAX_TRANSITION_HOPS, nextTransition } from './outbound-transitions.ts';
import { createJiraTransport } from './outbound-transport.ts';
import { JiraReconcileIssue } from './outbound-schema.ts';
import { JIRA_RECONCILE_FIELDS } from './reconcile-event.ts';
import type { JiraClient, JiraIssueRef, JiraNewIssue } from './outbound-types.ts';

export type { JiraClient, JiraIssueRef, JiraNewIssue, JiraPir, JiraRemoteLink } from './outbound-types.ts';

/**
 * Jira Cloud REST v3 through jira.js 6's endpoint functions over our own transport. Issues we
 * create carry the label `mim-<major incident id>` (searchable by JQL) and the issue property
 * `mim-bridge`; text goes out as ADF. https://developer.atlassian.com/cloud/jira/platform/rest/v3/
 */

const issuePath = (key: string) => {
  if (!ISSUE_ID_OR_KEY.test(key)) throw invalidInput('jira', 'issue must be a key like PROJ-42 or a numeric id');
  return key;
};
const jqlString = (s: string) => `"${s.replace(/["\\]/g, '\\$&')}"`;
const adf = (d: string | AdfDoc) => (typeof d === 'string' ? adfFromText(d) : d);
const noTransition = (from: string, to: string) =>
  new ConnectorError({
    code: 'NO_TRANSITION',
    vendor: 'jira',
    retryable: false,
    detail: `no transition from ${from} towards ${to}`,
  });

export interface JiraClientDeps extends ConnectorDeps {
  /**
   * mappings.yaml `jira:`, read at every call (undefined when the file leaves it out: the defaults).
   * With it, the major incident's issue in a JSM service project gets the incident issue type and the
   * major-incident field; without it, issues are created as the service says and transitions use
   * DEFAULT_JIRA_SETTINGS.
   */
  readonly settings?: () => JiraSettings | undefined;
}

export function createJiraClient(rawConfig: JiraOutboundConfig, deps: JiraClientDeps): JiraClient {
  const config = JiraOutboundConfig.parse(rawConfig);
  const now = deps.now ?? Date.now;
  const jira = createCloudClient(createJiraTransport({ ...config, now }));
  const jsm = createJsmLookups(jira, now);
  const settings = () => deps.settings?.() ?? DEFAULT_JIRA_SETTINGS;
  const call = instrumentFor(deps, 'jira');
  const markerLabel = (incidentId: string, suffix = '') =>
    boundedKey(`mim-${assertMarker('jira', incidentId)}${suffix}`, LABEL_MAX_LENGTH);
  const provenance = (meta: CallMeta) => ({ key: JIRA_PROPERTY_KEY, value: { majorIncidentId: meta.incidentId } });

  async function find(label: string): Promise<JiraIssueRef | undefined> {
    const found = await jira.issueSearch.searchAndReconsileIssuesUsingJqlPost({
      jql: `labels = ${jqlString(label)} ORDER BY created ASC`,
      maxResults: 1,
      fields: ['status'],
    });
    const issue = parseBody('jira', JiraFoundIssues, found).issues[0];
    return issue && { id: issue.id, key: issue.key };
  }

  /** In a JSM service project (and only when mappings.yaml is wired in), the major-incident field's id. */
  async function majorIncidentField(project: string): Promise<string | undefined> {
    if (!deps.settings) return undefined;
    const name = settings().majorIncidentField;
    if (!name || !(await jsm.isServiceProject(project))) return undefined;
    return jsm.fieldIdByName(name);
  }

  /** The type and extra fields of the major incident's own issue: JSM's incident type, marked major. */
  async function incidentShape(project: string, issueType: string) {
    if (!deps.settings || !(await jsm.isServiceProject(project))) return { issueType, fields: {} };
    const field = await majorIncidentField(project);
    return {
      issueType: incidentIssueTypeFor(settings(), project),
      fields: field ? { [field]: MAJOR_INCIDENT_VALUE } : {},
    };
  }

  async function create(issue: JiraNewIssue, meta: CallMeta) {
    const existing = await find(issue.marker);
    if (existing) return { ...existing, created: false };
    const shape = issue.incident
      ? await incidentShape(issue.project, issue.issueType)
      : { issueType: issue.issueType, fields: {} };
    const links = (issue.links ?? []).map((l) => ({
      add: { type: { name: l.type }, outwardIssue: { key: issuePath(l.outwardIssue) } },
    }));
    const created = await jira.issues.createIssue({
      fields: {
        ...issue.fields,
        ...shape.fields,
        project: { key: issue.project },
        issuetype: { name: shape.issueType },
        summary: truncate(singleLine(issue.summary), SUMMARY_MAX_LENGTH),
        description: adf(issue.description),
        labels: [issue.marker, ...(issue.labels ?? []).filter((l) => l !== issue.marker)],
        ...(issue.priority ? { priority: { name: issue.priority } } : {}),
      },
      ...(links.length ? { update: { issuelinks: links } } : {}),
      properties: [provenance(meta)],
    });
    const ref = parseBody('jira', JiraCreated, created);
    return { id: ref.id, key: ref.key, created: true };
  }

  return {
    markerLabel,
    findByMarker: (label, meta) => call('findByMarker', meta, () => find(assertMarker('jira', label))),
    createIssue: (issue, meta) =>
      call('createIssue', meta, () => create({ ...issue, marker: assertMarker('jira', issue.marker) }, meta)),
    addComment: (key, text, visibility, meta) =>
      call('addComment', meta, async () => {
        const internal =
          visibility === 'internal' ? [{ key: JSM_INTERNAL_COMMENT_PROPERTY, value: { internal: true } }] : [];
        await jira.issueComments.addComment({
          issueIdOrKey: issuePath(key),
          body: adfFromText(text),
          properties: [...internal, provenance(meta)],
        });
      }),
    transitionToCategory: (key, category, meta) =>
      call('transitionToCategory', meta, async (log) => {
        const issue = parseBody(
          'jira',
          JiraIssueStatus,
          await jira.issues.getIssue({ issueIdOrKey: issuePath(key), fields: ['status'] }),
        );
        let current = issue.fields.status.statusCategory.key;
        for (let hop = 0; current !== category; hop += 1) {
          const step =
            hop < MAX_TRANSITION_HOPS
              ? nextTransition(
                  current,
                  category,
                  parseBody('jira', JiraTransitions, await jira.issues.getTransitions({ issueIdOrKey: key }))
                    .transitions,
                )
              : { kind: 'stuck' as const };
          if (step.kind !== 'step') throw noTransition(current, category);
          await performTransition(jira, key, step.transition, settings(), log);
          log.info({ transitionId: step.transition.id, to: step.transition.to.statusCategory.key }, 'transitioned');
          current = step.transition.to.statusCategory.key;
          if (current === category) return hop + 1;
        }
        return 0;
      }),
    addRemoteLink: (key, link, meta) =>
      call('addRemoteLink', meta, async () => {
        if (link.globalId.length > GLOBAL_ID_MAX_LENGTH)
          throw invalidInput('jira', `globalId longer than ${GLOBAL_ID_MAX_LENGTH}`);
        // The same globalId updates the link in place, and fields left out become null: always send them all.
        await jira.issueRemoteLinks.createOrUpdateRemoteIssueLink({
          issueIdOrKey: issuePath(key),
          globalId: link.globalId,
          application: { type: 'mim-bridge', name: 'mim-bridge' },
          object: { url: link.url, title: link.title, ...(link.summary ? { summary: link.summary } : {}) },
        });
      }),
    linkIssues: (outward, inward, type, meta) =>
      call('linkIssues', meta, () =>
        jira.issueLinks.linkIssues({
          type: { name: type },
          outwardIssue: { key: issuePath(outward) },
          inwardIssue: { key: issuePath(inward) },
        }),
      ),
    setPriority: (key, fieldId, name, meta) =>
      call('setPriority', meta, async () => {
        // notifyUsers=false would need admin rights; the default is fine for a priority change.
        await jira.issues.editIssue({ issueIdOrKey: issuePath(key), fields: { [fieldId]: { name } } });
      }),
    setMajorIncident: (key, on, meta) =>
      call('setMajorIncident', meta, async () => {
        const project = projectOfKey(issuePath(key));
        const field = project === undefined ? undefined : await majorIncidentField(project);
        if (!field) return false;
        await jira.issues.editIssue({ issueIdOrKey: key, fields: { [field]: on ? MAJOR_INCIDENT_VALUE : null } });
        return true;
      }),
    createPir: (pir, meta) =>
      call('createPir', meta, () =>
        create(
          {
            project: pir.project,
            issueType: pir.issueType,
            summary: pir.summary,
            description: pir.description,
            marker: markerLabel(meta.incidentId, '-pir'),
            ...(pir.labels ? { labels: pir.labels } : {}),
            links: [{ type: pir.linkType ?? 'Relates', outwardIssue: pir.technicalIssueKey }],
          },
          meta,
        ),
      ),
    getIssueForReconcile: (key, meta) =>
      call('getIssueForReconcile', meta, async () =>
        parseBody(
          'jira',
          JiraReconcileIssue,
          await jira.issues.getIssue({ issueIdOrKey: issuePath(key), fields: [JIRA_RECONCILE_FIELDS.join(',')] }),
        ),
      ),
  };
}
