import { isAdfDoc } from './adf.ts';
import {
  DEFAULT_ISSUE_TYPES,
  DEFAULT_PRIORITY,
  DONE_RESOLUTION,
  INITIAL_STATUS,
  LINK_TYPES,
  MAJOR_INCIDENT_FIELD,
  PRIORITIES,
  STATUSES,
  TRANSITIONS,
  type ProjectConfig,
} from './catalogue.ts';
import { majorIncidentError, transitionFieldErrors } from './screens.ts';
import { fieldErrors, issueNotFound, messageError, NOT_ADF, type JiraFailure } from './errors.ts';
import {
  jiraTime,
  type Account,
  type ChangeItem,
  type Comment,
  type Issue,
  type IssueLink,
  type JiraChange,
} from './model.ts';
import {
  adfError,
  asAdf,
  FREE_FIELDS,
  isObject,
  labelsError,
  notOnScreen,
  priorityName,
  summaryError,
} from './validate.ts';

/** Issues in memory and every write REST v3 offers mim-bridge, each validated as Jira validates it. */

export type Outcome<T> = ({ readonly ok: true; readonly change?: JiraChange } & T) | JiraFailure;
export const JSM_INTERNAL = 'sd.public.comment';

export interface JiraStore {
  find(keyOrId: string): Issue | undefined;
  /** By key or id, with the id the simulator gives it. */
  project(keyOrId: string): { readonly config: ProjectConfig; readonly id: string } | undefined;
  /** Whether the site has Jira Service Management (a service project), and so its major-incident field. */
  hasJsm(): boolean;
  all(): readonly Issue[];
  links(): readonly IssueLink[];
  createIssue(body: unknown, user: Account): Outcome<{ issue: Issue }>;
  editIssue(keyOrId: string, body: unknown, user: Account): Outcome<object>;
  addComment(keyOrId: string, body: unknown, user: Account): Outcome<{ comment: Comment; issue: Issue }>;
  doTransition(keyOrId: string, body: unknown, user: Account): Outcome<object>;
  upsertRemoteLink(keyOrId: string, body: unknown): Outcome<{ id: number; created: boolean }>;
  linkIssues(body: unknown): Outcome<object>;
}

const item = (
  fieldId: string,
  from: string | null,
  fromString: string | null,
  to: string | null,
  toText: string | null,
  field = fieldId,
): ChangeItem => ({ field, fieldtype: 'jira', fieldId, from, fromString, to, toString: toText });
const keyOf = (v: unknown) =>
  isObject(v) ? (typeof v.key === 'string' ? v.key : typeof v.id === 'string' ? v.id : undefined) : undefined;

export function createJiraStore(
  projects: readonly ProjectConfig[],
  components: readonly string[],
  now: () => Date,
): JiraStore {
  const issues: Issue[] = [];
  const links: IssueLink[] = [];
  const counters = new Map<string, number>();
  let nextIssueId = 10000;
  let nextId = 10000;
  const find = (k: string) => issues.find((i) => i.key === k || i.id === k);
  const projectOf = (v: unknown) => {
    const ref = keyOf(v);
    const index = projects.findIndex((p) => p.key === ref || String(10000 + projects.indexOf(p)) === ref);
    return index < 0 ? undefined : { config: projects[index]!, id: String(10000 + index) };
  };
  const touch = (issue: Issue) => {
    issue.updated = jiraTime(now());
  };

  function linkErrors(update: unknown): string | undefined {
    if (update === undefined) return undefined;
    if (!isObject(update)) return 'update must be an object';
    const ops = update.issuelinks;
    if (ops === undefined) return undefined;
    if (!Array.isArray(ops)) return 'issuelinks must be an array';
    for (const op of ops) {
      const add = isObject(op) ? op.add : undefined;
      if (!isObject(add) || !isObject(add.type)) return 'Issue link operations need add.type';
      if (
        !LINK_TYPES.some(
          (t) =>
            t.name === (add.type as Record<string, unknown>).name || t.id === (add.type as Record<string, unknown>).id,
        )
      )
        return 'No issue link type with that name or id found.';
      const other = keyOf(add.outwardIssue) ?? keyOf(add.inwardIssue);
      if (!other || !find(other)) return `Issue '${other ?? ''}' does not exist.`;
    }
    return undefined;
  }

  function addLink(type: string, outward: string, inward: string): void {
    // One link per type and pair (secondary).
    if (links.some((l) => l.type === type && l.outward === outward && l.inward === inward)) return;
    links.push({ id: String(nextId++), type, outward, inward });
  }

  return {
    find,
    project: (k) => projectOf({ key: k }),
    hasJsm: () => projects.some((p) => p.projectTypeKey === 'service_desk'),
    all: () => issues,
    links: () => links,

    createIssue(body, user) {
      if (!isObject(body) || !isObject(body.fields)) return messageError(400, 'No fields given: fields is required.');
      const f = body.fields;
      const errors: Record<string, string> = {};
      const project = projectOf(f.project);
      if (!project) errors.project = 'Specify a valid project ID or key';
      const types = project?.config.issueTypes ?? DEFAULT_ISSUE_TYPES;
      const typeName = isObject(f.issuetype) && typeof f.issuetype.name === 'string' ? f.issuetype.name : undefined;
      // A name the project's scheme does not hold is refused like a missing one (secondary: the wording).
      if (!typeName || !types.includes(typeName)) errors.issuetype = 'Specify an issue type';
      const major = project ? majorIncidentError(project.config, f) : undefined;
      if (major) errors[MAJOR_INCIDENT_FIELD.id] = major;
      const summary = summaryError(f.summary);
      if (summary) errors.summary = summary;
      if (f.description !== undefined && f.description !== null && adfError(f.description))
        errors.description = NOT_ADF;
      if (f.labels !== undefined && labelsError(f.labels)) errors.labels = labelsError(f.labels)!;
      const priority = f.priority === undefined ? { name: DEFAULT_PRIORITY } : priorityName(f.priority);
      if ('error' in priority) errors.priority = priority.error;
      for (const id of Object.keys(f)) {
        if (
          !['project', 'issuetype', 'summary', 'description', 'labels', 'priority', 'components'].includes(id) &&
          !FREE_FIELDS.test(id)
        )
          errors[id] = notOnScreen(id);
      }
      const componentNames = Array.isArray(f.components)
        ? f.components.map((c) => (isObject(c) && typeof c.name === 'string' ? c.name : ''))
        : [];
      if (
        f.components !== undefined &&
        (!Array.isArray(f.components) || componentNames.some((c) => !components.includes(c)))
      ) {
        const unknownName = componentNames.find((c) => !components.includes(c)) ?? '';
        errors.components = `Component name '${unknownName}' is not valid`;
      }
      const linkError = linkErrors(body.update);
      if (linkError) errors.issuelinks = linkError;
      if (
        body.properties !== undefined &&
        !(Array.isArray(body.properties) && body.properties.every((p) => isObject(p) && typeof p.key === 'string'))
      ) {
        errors.properties = 'properties must be an array of {key, value}';
      }
      if (Object.keys(errors).length || !project || 'error' in priority) return fieldErrors(errors);

      const n = (counters.get(project.config.key) ?? 0) + 1;
      counters.set(project.config.key, n);
      const at = jiraTime(now());
      const extra = Object.fromEntries(Object.entries(f).filter(([id]) => FREE_FIELDS.test(id)));
      const issue: Issue = {
        id: String(nextIssueId++),
        key: `${project.config.key}-${n}`,
        project: {
          id: project.id,
          key: project.config.key,
          name: project.config.name ?? project.config.key,
          typeKey: project.config.projectTypeKey ?? 'software',
          doneRequiresResolution: project.config.doneRequiresResolution ?? false,
        },
        issueType: typeName!,
        summary: f.summary as string,
        description: isAdfDoc(f.description) ? f.description : null,
        priority: priority.name,
        labels: [...((f.labels as string[] | undefined) ?? [])],
        components: componentNames,
        status: INITIAL_STATUS,
        resolution: null,
        resolutiondate: null,
        created: at,
        updated: at,
        reporter: user,
        creator: user,
        extra,
        properties: Object.fromEntries(
          ((body.properties as { key: string; value: unknown }[] | undefined) ?? []).map((p) => [p.key, p.value]),
        ),
        comments: [],
        remoteLinks: [],
      };
      issues.push(issue);
      for (const op of ((body.update as Record<string, unknown> | undefined)?.issuelinks as
        | { add: Record<string, unknown> }[]
        | undefined) ?? []) {
        const type = LINK_TYPES.find(
          (t) =>
            t.name === (op.add.type as Record<string, unknown>).name ||
            t.id === (op.add.type as Record<string, unknown>).id,
        )!;
        const outward = keyOf(op.add.outwardIssue);
        if (outward) addLink(type.name, find(outward)!.key, issue.key);
        else addLink(type.name, issue.key, find(keyOf(op.add.inwardIssue)!)!.key);
      }
      const status = STATUSES[issue.status];
      const items = [
        ...(issue.description ? [item('description', null, null, null, '(ADF)')] : []),
        item('priority', null, null, PRIORITIES[issue.priority]!, issue.priority),
        item('reporter', null, null, user.accountId, user.displayName),
        item('status', null, null, status.id, status.name, 'Status'),
        item('summary', null, null, null, issue.summary),
      ];
      return { ok: true, issue, change: { kind: 'issue_created', issue, user, items } };
    },

    editIssue(keyOrId, body, user) {
      const issue = find(keyOrId);
      if (!issue) return issueNotFound();
      if (!isObject(body) || (body.fields !== undefined && !isObject(body.fields)))
        return messageError(400, 'Can not deserialize the request body.');
      const f = (body.fields ?? {}) as Record<string, unknown>;
      const errors: Record<string, string> = {};
      const isServiceProject = issue.project.typeKey === 'service_desk';
      for (const id of Object.keys(f))
        if (
          !['summary', 'priority', 'labels', 'description'].includes(id) &&
          !(isServiceProject && id === MAJOR_INCIDENT_FIELD.id)
        )
          errors[id] = notOnScreen(id);
      const major = isServiceProject
        ? majorIncidentError({ key: issue.project.key, projectTypeKey: 'service_desk' }, f)
        : undefined;
      if (major) errors[MAJOR_INCIDENT_FIELD.id] = major;
      if ('summary' in f && summaryError(f.summary)) errors.summary = summaryError(f.summary)!;
      if ('labels' in f && labelsError(f.labels)) errors.labels = labelsError(f.labels)!;
      if ('description' in f && f.description !== null && adfError(f.description)) errors.description = NOT_ADF;
      const priority = 'priority' in f ? priorityName(f.priority) : undefined;
      if (priority && 'error' in priority) errors.priority = priority.error;
      if (Object.keys(errors).length) return fieldErrors(errors);
      const items: ChangeItem[] = [];
      if (priority && 'name' in priority && priority.name !== issue.priority) {
        items.push(
          item('priority', PRIORITIES[issue.priority]!, issue.priority, PRIORITIES[priority.name]!, priority.name),
        );
        issue.priority = priority.name;
      }
      if (typeof f.summary === 'string' && f.summary !== issue.summary) {
        items.push(item('summary', null, issue.summary, null, f.summary));
        issue.summary = f.summary;
      }
      if (Array.isArray(f.labels) && f.labels.join(' ') !== issue.labels.join(' ')) {
        items.push(item('labels', null, issue.labels.join(' '), null, (f.labels as string[]).join(' ')));
        issue.labels = [...(f.labels as string[])];
      }
      if ('description' in f) {
        items.push(item('description', null, null, null, '(ADF)'));
        issue.description = f.description === null ? null : asAdf(f.description);
      }
      const majorId = MAJOR_INCIDENT_FIELD.id;
      if (majorId in f && (f[majorId] ?? null) !== (issue.extra[majorId] ?? null)) {
        const was = (issue.extra[majorId] ?? null) as string | null;
        const next = (f[majorId] ?? null) as string | null;
        items.push(item(majorId, was, was, next, next, MAJOR_INCIDENT_FIELD.name));
        issue.extra[majorId] = next;
      }
      if (!items.length) return { ok: true };
      touch(issue);
      return { ok: true, change: { kind: 'issue_updated', issue, user, items, eventType: 'issue_updated' } };
    },

    addComment(keyOrId, body, user) {
      const issue = find(keyOrId);
      if (!issue) return issueNotFound();
      if (!isObject(body) || body.body === undefined) return fieldErrors({ comment: 'Comment body can not be empty!' });
      if (!isAdfDoc(body.body)) return fieldErrors({ comment: NOT_ADF });
      const props = Array.isArray(body.properties) ? body.properties.filter(isObject) : [];
      const properties = Object.fromEntries(
        props.filter((p) => typeof p.key === 'string').map((p) => [p.key as string, p.value]),
      );
      const sd = properties[JSM_INTERNAL];
      const internal = isObject(sd) && sd.internal === true;
      const comment: Comment = {
        id: String(nextId++),
        author: user,
        body: body.body,
        created: jiraTime(now()),
        internal,
        properties,
      };
      issue.comments.push(comment);
      touch(issue);
      return { ok: true, comment, issue, change: { kind: 'comment_created', issue, user, comment } };
    },

    doTransition(keyOrId, body, user) {
      const issue = find(keyOrId);
      if (!issue) return issueNotFound();
      const id = isObject(body) && isObject(body.transition) ? body.transition.id : undefined;
      if (typeof id !== 'string') return messageError(400, "'transition' identifier must be specified.");
      const t = TRANSITIONS.find((x) => x.id === id && x.from === issue.status);
      if (!t) return messageError(400, `Transition id '${id}' is not valid for this issue.`);
      const screen = transitionFieldErrors(issue, t, (body as Record<string, unknown>).fields);
      if (!screen.ok) return screen;
      const from = STATUSES[issue.status];
      const to = STATUSES[t.to as keyof typeof STATUSES];
      const items: ChangeItem[] = [];
      if (to.statusCategory.key === 'done' && !issue.resolution) {
        const resolution = screen.resolution ?? DONE_RESOLUTION;
        items.push(item('resolution', null, null, resolution.id, resolution.name));
        issue.resolution = resolution;
        issue.resolutiondate = jiraTime(now());
      } else if (to.statusCategory.key !== 'done' && issue.resolution) {
        items.push(item('resolution', issue.resolution.id, issue.resolution.name, null, null));
        issue.resolution = null;
        issue.resolutiondate = null;
      }
      items.push(item('status', from.id, from.name, to.id, to.name));
      issue.status = to.id;
      touch(issue);
      return { ok: true, change: { kind: 'issue_updated', issue, user, items, eventType: 'issue_generic' } };
    },

    upsertRemoteLink(keyOrId, body) {
      const issue = find(keyOrId);
      if (!issue) return issueNotFound();
      if (!isObject(body) || !isObject(body.object)) return fieldErrors({ object: "'object' is required." });
      const object = body.object;
      const errors: Record<string, string> = {};
      if (typeof object.url !== 'string' || !object.url) errors.url = "'url' is required.";
      if (typeof object.title !== 'string' || !object.title) errors.title = "'title' is required.";
      if (body.globalId !== undefined && (typeof body.globalId !== 'string' || body.globalId.length > 255))
        errors.globalId = 'The globalId must be a string of at most 255 characters.';
      if (Object.keys(errors).length) return fieldErrors(errors);
      const globalId = body.globalId as string | undefined;
      const index = globalId ? issue.remoteLinks.findIndex((l) => l.globalId === globalId) : -1;
      // The same globalId replaces the link: fields left out become null, as Jira does (docs/connectors.md).
      const link = {
        id: index >= 0 ? issue.remoteLinks[index]!.id : nextId++,
        globalId,
        application: body.application,
        relationship: body.relationship as string | undefined,
        object,
      };
      if (index >= 0) issue.remoteLinks[index] = link;
      else issue.remoteLinks.push(link);
      return { ok: true, id: link.id, created: index < 0 };
    },

    linkIssues(body) {
      if (!isObject(body) || !isObject(body.type)) return messageError(400, 'Issue link type is required.');
      const typeRef = body.type;
      const type = LINK_TYPES.find((t) => t.name === typeRef.name || t.id === typeRef.id);
      if (!type)
        return messageError(404, `No issue link type with name '${String(typeRef.name ?? typeRef.id)}' found.`);
      const outward = find(keyOf(body.outwardIssue) ?? '');
      const inward = find(keyOf(body.inwardIssue) ?? '');
      if (!outward || !inward) return messageError(404, 'Issue Does Not Exist');
      addLink(type.name, outward.key, inward.key);
      return { ok: true };
    },
  };
}
