import { z } from 'zod';
import { Target } from '../../domain/action.ts';
import { ConnectionsAnswer } from '../admin/connections-routes.ts';
import { ReplayAllQuery } from '../admin/dead-letter-routes.ts';
import { RecentEventsQuery } from '../admin/events-routes.ts';
import { AudiencesBody, RolesBody } from '../admin/mi-process-routes.ts';
import { ApplyBody, RollbackBody } from '../admin/rules-version-routes.ts';
import {
  DeclareBody,
  ListQuery,
  Reason,
  ReportQuery,
  SimulateEventBody,
  SimulatePayloadBody,
  ValidateBody,
} from '../admin/schemas.ts';
import { SessionBody } from '../admin/session-routes.ts';
import { UpdateBody } from '../admin/update-routes.ts';
import { ADMIN_ERRORS, BAD_REQUEST, error, ok } from './common.ts';
import { operation, type Operation } from './registry.ts';

const viewer = { access: 'admin', role: 'viewer' } as const;
const operator = { access: 'admin', role: 'operator' } as const;
const admin = { access: 'admin', role: 'admin' } as const;
const notFound = { 404: error('no such major incident or dead letter') } as const;
const conflict = (why: string) => ({ 409: error(why) }) as const;

/** rules/simulate and rules/validate run in the rules sandbox (docs/rules.md#the-rules-sandbox). */
const SANDBOX_ERRORS = {
  503: error('the rules sandbox: `sandbox_busy` (with Retry-After) or `sandbox_failed`'),
} as const;

const rules: Operation[] = [
  operation({
    ...viewer,
    method: 'get',
    path: '/admin/rules',
    tag: 'rules',
    summary: 'The active config version, evaluation mode, rules and windows',
    responses: { 200: ok('the active rules'), ...ADMIN_ERRORS },
  }),
  operation({
    ...viewer,
    method: 'post',
    path: '/admin/rules/validate',
    tag: 'rules',
    summary: 'Validate a config directory: the active one (MIM_CONFIG_DIR) or a folder inside it',
    body: { name: 'ValidateBody', schema: ValidateBody, required: false },
    responses: {
      200: ok('valid: its version'),
      400: error('a bad body, or `dir` outside the config directory (`field: dir`, whether it exists or not)'),
      422: error(
        'invalid: `issues` with file, line, column, path and message; or `sandbox_timeout`: reading it did not ' +
          'finish within the sandbox deadline',
      ),
      ...SANDBOX_ERRORS,
      ...ADMIN_ERRORS,
    },
  }),
  operation({
    ...admin,
    method: 'post',
    path: '/admin/rules/reload',
    tag: 'rules',
    summary: 'Reload the config directory now',
    responses: {
      200: ok('the new active version'),
      422: error('invalid: the previous version stays active'),
      ...ADMIN_ERRORS,
    },
  }),
  operation({
    ...viewer,
    method: 'post',
    path: '/admin/rules/simulate',
    tag: 'rules',
    summary: 'Dry-run an event (normalized, or a raw vendor payload): which rules match, why, and what would happen',
    body: { name: 'SimulateBody', schema: z.union([SimulateEventBody, SimulatePayloadBody]) },
    responses: {
      200: ok('the explanation and `wouldDo`'),
      ...BAD_REQUEST,
      409: error("the active version's files are not available to simulate with"),
      422: error(
        'the payload is of an ignored event type, the draft config is invalid (`issues`), or `sandbox_timeout`: ' +
          'the draft, event or files are too costly to finish within the sandbox deadline',
      ),
      ...SANDBOX_ERRORS,
      ...ADMIN_ERRORS,
    },
  }),
  operation({
    ...viewer,
    method: 'get',
    path: '/admin/events',
    tag: 'rules',
    summary: 'The recent-event log (7 days), newest first: events to replay in the simulator',
    query: RecentEventsQuery,
    responses: { 200: ok('`events`: `{at, event}` newest first'), ...BAD_REQUEST, ...ADMIN_ERRORS },
  }),
  operation({
    ...admin,
    method: 'post',
    path: '/admin/rules/apply',
    tag: 'rules',
    summary: 'Apply a new config version: the active files with some replaced',
    body: { name: 'ApplyBody', schema: ApplyBody },
    responses: {
      200: ok('the applied version'),
      ...BAD_REQUEST,
      422: error('the files are invalid; nothing changed'),
      503: error('no version history in this process'),
      ...ADMIN_ERRORS,
    },
  }),
  operation({
    ...admin,
    method: 'post',
    path: '/admin/rules/rollback',
    tag: 'rules',
    summary: 'Make a previous config version active again',
    body: { name: 'RollbackBody', schema: RollbackBody },
    responses: {
      200: ok('the version now active'),
      ...BAD_REQUEST,
      404: error('no such version'),
      422: error('that version no longer loads'),
      503: error('no version history in this process'),
      ...ADMIN_ERRORS,
    },
  }),
  operation({
    ...viewer,
    method: 'get',
    path: '/admin/rules/versions',
    tag: 'rules',
    summary: 'Config version history: who applied each, when, and why',
    responses: {
      200: ok('the versions, newest first'),
      503: error('no version history in this process'),
      ...ADMIN_ERRORS,
    },
  }),
  operation({
    ...viewer,
    method: 'get',
    path: '/admin/rules/versions/{id}',
    tag: 'rules',
    summary: 'One config version with its files',
    responses: {
      200: ok('the version'),
      404: error('no such version'),
      503: error('no version history in this process'),
      ...ADMIN_ERRORS,
    },
  }),
  operation({
    ...viewer,
    method: 'get',
    path: '/admin/rules/versions/{id}/diff',
    tag: 'rules',
    summary: 'The diff of a version against the active one (or `?against=<id>`)',
    responses: {
      200: ok('the diff per file'),
      ...BAD_REQUEST,
      404: error('no such version'),
      503: error('no version history in this process'),
      ...ADMIN_ERRORS,
    },
  }),
];

const moves: Operation[] = (['resolve', 'cancel', 'close'] as const).map((verb) =>
  operation({
    ...operator,
    method: 'post',
    path: `/admin/major-incidents/{id}/${verb}`,
    tag: 'major incidents',
    summary: `${verb[0]!.toUpperCase()}${verb.slice(1)} a major incident, with a reason`,
    body: { name: 'ReasonBody', schema: Reason },
    responses: {
      200: ok('the major incident after the move'),
      ...BAD_REQUEST,
      ...notFound,
      ...conflict('illegal from its state, or it changed meanwhile (`retry: true`)'),
      ...ADMIN_ERRORS,
    },
  }),
);

const majorIncidents: Operation[] = [
  operation({
    ...viewer,
    method: 'get',
    path: '/admin/major-incidents',
    tag: 'major incidents',
    summary: 'List major incidents, filtered by state, service and time',
    query: ListQuery,
    responses: { 200: ok('`majorIncidents`, newest first'), ...BAD_REQUEST, ...ADMIN_ERRORS },
  }),
  operation({
    ...viewer,
    method: 'get',
    path: '/admin/major-incidents/{id}',
    tag: 'major incidents',
    summary: 'One major incident: links, roles, children, timeline, checklist, measures and planned timers',
    responses: { 200: ok('the major incident and what the process derives from it'), ...notFound, ...ADMIN_ERRORS },
  }),
  operation({
    ...operator,
    method: 'post',
    path: '/admin/major-incidents',
    tag: 'major incidents',
    summary: 'Declare a major incident by hand',
    body: { name: 'DeclareBody', schema: DeclareBody },
    responses: {
      201: ok('the declared major incident'),
      ...BAD_REQUEST,
      ...conflict('the service already has one open (`openId`), or the record is linked'),
      ...ADMIN_ERRORS,
    },
  }),
  ...moves,
  operation({
    ...operator,
    method: 'patch',
    path: '/admin/major-incidents/{id}/roles',
    tag: 'major incidents',
    summary: 'Change who holds its roles',
    body: { name: 'RolesBody', schema: RolesBody },
    responses: {
      200: ok('the major incident and what changed'),
      ...BAD_REQUEST,
      ...notFound,
      ...conflict('it changed meanwhile (`retry: true`)'),
      ...ADMIN_ERRORS,
    },
  }),
  operation({
    ...operator,
    method: 'post',
    path: '/admin/major-incidents/{id}/audiences',
    tag: 'major incidents',
    summary: "Add or remove audiences beyond the service's",
    body: { name: 'AudiencesBody', schema: AudiencesBody },
    responses: {
      200: ok('the major incident and its audiences'),
      ...BAD_REQUEST,
      ...notFound,
      ...conflict('it changed meanwhile (`retry: true`)'),
      ...ADMIN_ERRORS,
    },
  }),
  operation({
    ...operator,
    method: 'post',
    path: '/admin/major-incidents/{id}/updates',
    tag: 'major incidents',
    summary: "Post the comms lead's update to every audience",
    body: { name: 'UpdateBody', schema: UpdateBody },
    responses: {
      202: ok('the update actions planned'),
      ...BAD_REQUEST,
      ...notFound,
      ...conflict('not declared: updates go out while it is declared'),
      ...ADMIN_ERRORS,
    },
  }),
  operation({
    ...viewer,
    method: 'get',
    path: '/admin/report',
    tag: 'major incidents',
    summary: 'Per service: how many, in which state, median and p90 of each measure',
    query: ReportQuery,
    responses: { 200: ok('the report'), ...BAD_REQUEST, ...ADMIN_ERRORS },
  }),
];

const deadLetters: Operation[] = [
  // The route reads `target` from the query without a schema: any value filters (an unknown target lists nothing).
  operation({
    ...viewer,
    method: 'get',
    path: '/admin/dead-letters',
    tag: 'dead letters',
    summary: 'The dead letters (actions that failed for good), newest first',
    query: z.object({ target: Target.optional() }),
    responses: { 200: ok('`deadLetters`'), ...ADMIN_ERRORS },
  }),
  operation({
    ...operator,
    method: 'post',
    path: '/admin/dead-letters/replay',
    tag: 'dead letters',
    summary: 'Replay every dead letter of a target, oldest first',
    query: ReplayAllQuery,
    responses: {
      200: ok('how many were replayed'),
      ...BAD_REQUEST,
      ...conflict('no queue for that target in this process'),
      ...ADMIN_ERRORS,
    },
  }),
  operation({
    ...operator,
    method: 'post',
    path: '/admin/dead-letters/{id}/replay',
    tag: 'dead letters',
    summary: 'Send one dead letter again under its own id',
    responses: { 200: ok('replayed'), ...notFound, ...conflict('no queue for its target'), ...ADMIN_ERRORS },
  }),
  operation({
    ...operator,
    method: 'post',
    path: '/admin/dead-letters/{id}/discard',
    tag: 'dead letters',
    summary: 'Drop one dead letter for good, with a reason (recorded on the timeline)',
    body: { name: 'ReasonBody', schema: Reason },
    responses: { 200: ok('discarded'), ...BAD_REQUEST, ...notFound, ...ADMIN_ERRORS },
  }),
];

const browser: Operation[] = [
  operation({
    access: 'public',
    method: 'post',
    path: '/admin/session',
    tag: 'session',
    summary: 'Log in a browser: a token in the body → the HttpOnly session cookie',
    body: { name: 'SessionBody', schema: SessionBody },
    responses: {
      201: ok("the token's name and role; `Set-Cookie: __Host-mim_admin_session=…`"),
      ...BAD_REQUEST,
      401: error('not a configured token'),
      403: error('a browser says the request came from another origin (`reason: cross_origin`)'),
      415: error('the body is not JSON, or is compressed'),
      429: ADMIN_ERRORS[429],
      503: error('the session store (Redis) is unavailable'),
    },
  }),
  operation({
    access: 'session',
    method: 'delete',
    path: '/admin/session',
    tag: 'session',
    summary: 'Log out: ends the session everywhere and clears the cookie',
    responses: {
      204: { description: 'logged out' },
      403: error(
        'the cookie came with a request from another origin, or one that does not say (`reason: cross_origin`)',
      ),
      429: ADMIN_ERRORS[429],
      503: error('the session store (Redis) is unavailable'),
    },
  }),
  operation({
    ...viewer,
    method: 'get',
    path: '/admin/queues',
    tag: 'queues',
    summary:
      'Bull Board: the events, actions-*, timers and reconcile queues. Its own API under /admin/queues/api is ' +
      "Bull Board's: reads need viewer; retry of the failed, promote, clean of the completed or failed, pause " +
      'and resume need operator; nothing else is offered',
    responses: { 200: { description: 'the board (HTML)', contentType: 'text/html' }, ...ADMIN_ERRORS },
  }),
];

const connections: Operation[] = [
  operation({
    ...viewer,
    method: 'get',
    path: '/admin/connections',
    tag: 'connections',
    summary:
      'The result of a harmless call to each configured connection (`mim-bridge doctor`) with the fix for each ' +
      'failure; run at most once a minute, whoever asks',
    responses: { 200: ok('`connections`, one per vendor', ConnectionsAnswer), ...ADMIN_ERRORS },
  }),
];

export const adminOperations: readonly Operation[] = [
  ...rules,
  ...majorIncidents,
  ...deadLetters,
  ...connections,
  ...browser,
];
