import { ConnectionsAnswer } from '../admin/connections-routes.ts';
import { ReadinessAnswer } from '../admin/readiness-routes.ts';
import { AudiencesBody, RolesBody } from '../admin/mi-process-routes.ts';
import { DeclareBody, ListQuery, Reason, ReportQuery } from '../admin/schemas.ts';
import { DrillBody } from '../admin/drill-routes.ts';
import { SessionBody } from '../admin/session-routes.ts';
import { UpdateBody } from '../admin/update-routes.ts';
import { ADMIN_ERRORS, BAD_REQUEST, error, ok } from './common.ts';
import { operation, type Operation } from './registry.ts';

import { conflict, notFound, operator, viewer } from './admin-access.ts';
import { deadLetterOperations as deadLetters } from './admin-dead-letter-operations.ts';
import { rulesOperations } from './admin-rules-operations.ts';

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
    summary:
      'One major incident: its facts at a glance, links, roles, children, timeline, checklist, measures, planned ' +
      'timers and what was sent to whom',
    responses: { 200: ok('the major incident and what the process derives from it'), ...notFound, ...ADMIN_ERRORS },
  }),
  operation({
    ...viewer,
    method: 'get',
    path: '/admin/board',
    tag: 'major incidents',
    summary: "The console's board: the facts of every open major incident, highest priority then oldest first",
    responses: {
      200: ok('`majorIncidents`: one set of facts per open major incident, drills among them with `exercise: true`'),
      ...ADMIN_ERRORS,
    },
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
    summary:
      'Per service: how many, in which state, median and p90 of each measure (drills excluded); `drills`: the ' +
      'exercises of the range with their scorecards',
    query: ReportQuery,
    responses: { 200: ok('the report'), ...BAD_REQUEST, ...ADMIN_ERRORS },
  }),
  operation({
    ...operator,
    method: 'post',
    path: '/admin/drills',
    tag: 'major incidents',
    summary:
      'Start a drill: an exercise major incident for a service, declared at once, running the real playbooks ' +
      'with every title marked (rules.yaml `drills.prefix`); kept out of the measures, the report and real ' +
      'incidents; its scorecard is written when it is closed',
    body: { name: 'DrillBody', schema: DrillBody },
    responses: {
      201: ok('the exercise major incident'),
      ...BAD_REQUEST,
      ...conflict('the service already has an open drill (`openId`)'),
      ...ADMIN_ERRORS,
    },
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
  operation({
    ...viewer,
    method: 'get',
    path: '/admin/readiness',
    tag: 'readiness',
    summary:
      'Is each service prepared for a major incident: roles reachable, audiences with working channels, an ' +
      "escalation path, a runbook, a recent drill, and its tier's targets; each failed check with its fix " +
      '(`mim-bridge readiness`). Uses the connection checks, run at most once a minute, and says which checks ' +
      'were made offline',
    responses: {
      200: ok('one row per service of services.yaml', ReadinessAnswer),
      503: error('readiness is not wired in this process (`unavailable`)'),
      ...ADMIN_ERRORS,
    },
  }),
];

export const adminOperations: readonly Operation[] = [
  ...rulesOperations,
  ...majorIncidents,
  ...deadLetters,
  ...connections,
  ...browser,
];
