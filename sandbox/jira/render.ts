import { adfToText } from './adf.ts';
import {
  DEFAULT_ISSUE_TYPES,
  LINK_TYPES,
  PRIORITIES,
  STATUSES,
  TRANSITIONS,
  type ProjectConfig,
  type StatusId,
} from './catalogue.ts';
import type { Account, Comment, Issue, IssueLink } from './model.ts';
import { hasScreen, transitionScreen } from './screens.ts';
import type { JiraStore } from './store.ts';

/**
 * Issues, comments, users and transitions as Jira returns them: REST v3 (rich text as ADF) for
 * the API, the v2 representation (rich text as plain strings) for webhooks.
 * https://developer.atlassian.com/cloud/jira/platform/rest/v3/api-group-issues/#api-rest-api-3-issue-issueidorkey-get
 */

export type Flavour = 'v3' | 'webhook';

export const renderUser = (base: string, a: Account) => ({
  self: `${base}/rest/api/3/user?accountId=${a.accountId}`,
  accountId: a.accountId,
  displayName: a.displayName,
  active: true,
  accountType: 'atlassian',
  timeZone: 'Etc/UTC',
});

export const renderStatus = (base: string, id: StatusId) => {
  const s = STATUSES[id];
  return {
    self: `${base}/rest/api/3/status/${s.id}`,
    description: '',
    iconUrl: `${base}/`,
    name: s.name,
    id: s.id,
    statusCategory: { self: `${base}/rest/api/3/statuscategory/${s.statusCategory.id}`, ...s.statusCategory },
  };
};

export function renderComment(base: string, issue: Issue, c: Comment, flavour: Flavour) {
  return {
    self: `${base}/rest/api/3/issue/${issue.id}/comment/${c.id}`,
    id: c.id,
    author: renderUser(base, c.author),
    updateAuthor: renderUser(base, c.author),
    body: flavour === 'v3' ? c.body : adfToText(c.body),
    created: c.created,
    updated: c.created,
    // Jira Service Management: false for an internal note.
    jsdPublic: !c.internal,
  };
}

function renderLink(base: string, issue: Issue, l: IssueLink, store: JiraStore) {
  const type = LINK_TYPES.find((t) => t.name === l.type)!;
  const otherKey = l.outward === issue.key ? l.inward : l.outward;
  const other = store.find(otherKey)!;
  const ref = {
    id: other.id,
    key: other.key,
    self: `${base}/rest/api/3/issue/${other.id}`,
    fields: { summary: other.summary, status: renderStatus(base, other.status) },
  };
  return {
    id: l.id,
    self: `${base}/rest/api/3/issueLink/${l.id}`,
    type: { ...type, self: `${base}/rest/api/3/issueLinkType/${type.id}` },
    ...(l.outward === issue.key ? { inwardIssue: ref } : { outwardIssue: ref }),
  };
}

export function renderFields(base: string, issue: Issue, store: JiraStore, flavour: Flavour): Record<string, unknown> {
  return {
    summary: issue.summary,
    description: issue.description && (flavour === 'v3' ? issue.description : adfToText(issue.description)),
    issuetype: {
      self: `${base}/rest/api/3/issuetype/${issue.issueType}`,
      id: issue.issueType,
      name: issue.issueType,
      subtask: false,
    },
    project: {
      self: `${base}/rest/api/3/project/${issue.project.id}`,
      id: issue.project.id,
      key: issue.project.key,
      name: issue.project.name,
      projectTypeKey: issue.project.typeKey,
    },
    priority: {
      self: `${base}/rest/api/3/priority/${PRIORITIES[issue.priority]}`,
      id: PRIORITIES[issue.priority],
      name: issue.priority,
    },
    labels: issue.labels,
    status: renderStatus(base, issue.status),
    resolution: issue.resolution,
    resolutiondate: issue.resolutiondate,
    created: issue.created,
    updated: issue.updated,
    reporter: renderUser(base, issue.reporter),
    creator: renderUser(base, issue.creator),
    assignee: null,
    components: issue.components.map((name, i) => ({
      self: `${base}/rest/api/3/component/${10000 + i}`,
      id: String(10000 + i),
      name,
    })),
    issuelinks: store
      .links()
      .filter((l) => l.inward === issue.key || l.outward === issue.key)
      .map((l) => renderLink(base, issue, l, store)),
    comment: {
      comments: issue.comments.map((c) => renderComment(base, issue, c, flavour)),
      maxResults: issue.comments.length,
      total: issue.comments.length,
      startAt: 0,
    },
    ...issue.extra,
  };
}

/**
 * `fields` as jira.js sends it: repeated, or comma-separated; `*all`/`*navigable` or absent mean every field, `-name`
 * drops one.
 */
export function pickFields(
  all: Record<string, unknown>,
  requested: readonly string[] | undefined,
): Record<string, unknown> {
  const names = (requested ?? [])
    .flatMap((f) => f.split(','))
    .map((f) => f.trim())
    .filter(Boolean);
  const everything = names.length === 0 || names.some((n) => n === '*all' || n === '*navigable');
  const picked = everything
    ? { ...all }
    : Object.fromEntries(names.filter((n) => Object.hasOwn(all, n)).map((n) => [n, all[n]]));
  for (const n of names) if (n.startsWith('-')) delete picked[n.slice(1)];
  return picked;
}

export function renderIssue(
  base: string,
  issue: Issue,
  store: JiraStore,
  flavour: Flavour,
  fields?: readonly string[],
) {
  return {
    expand: 'renderedFields,names,schema,operations,editmeta,changelog,versionedRepresentations',
    id: issue.id,
    self: `${base}/rest/api/3/issue/${issue.id}`,
    key: issue.key,
    fields: pickFields(renderFields(base, issue, store, flavour), fields),
  };
}

/** `expand=transitions.fields` adds each transition's screen; `transitionId` keeps only that one. */
export function renderTransitions(
  base: string,
  issue: Issue,
  opts: { readonly fields?: boolean; readonly transitionId?: string } = {},
) {
  return {
    expand: 'transitions',
    transitions: TRANSITIONS.filter(
      (t) => t.from === issue.status && (opts.transitionId === undefined || t.id === opts.transitionId),
    ).map((t) => ({
      id: t.id,
      name: t.name,
      to: renderStatus(base, t.to as StatusId),
      hasScreen: hasScreen(issue, t),
      isGlobal: false,
      isInitial: false,
      isAvailable: true,
      isConditional: false,
      isLooped: false,
      ...(opts.fields ? { fields: transitionScreen(base, issue, t) } : {}),
    })),
  };
}

/** `GET /rest/api/3/project/{key}`: what mim-bridge reads of it (its type, its issue types). */
export function renderProject(base: string, id: string, p: ProjectConfig) {
  return {
    self: `${base}/rest/api/3/project/${id}`,
    id,
    key: p.key,
    name: p.name ?? p.key,
    projectTypeKey: p.projectTypeKey ?? 'software',
    simplified: false,
    style: 'classic',
    issueTypes: (p.issueTypes ?? DEFAULT_ISSUE_TYPES).map((name, i) => ({
      self: `${base}/rest/api/3/issuetype/${10000 + i}`,
      id: String(10000 + i),
      name,
      subtask: false,
    })),
  };
}
