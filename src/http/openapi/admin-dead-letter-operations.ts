import { z } from 'zod';
import { Target } from '../../domain/action.ts';
import { GroupBody, GroupDiscardBody } from '../admin/dead-letter-group-routes.ts';
import { ReplayAllQuery } from '../admin/dead-letter-routes.ts';
import { Reason } from '../admin/schemas.ts';
import { ADMIN_ERRORS, BAD_REQUEST, ok } from './common.ts';
import { operation, type Operation } from './registry.ts';
import { conflict, notFound, operator, viewer } from './admin-access.ts';

/** The dead letters: listed, grouped by target and error code, replayed and discarded (one or a group). */
export const deadLetterOperations: Operation[] = [
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
    ...viewer,
    method: 'get',
    path: '/admin/dead-letters/groups',
    tag: 'dead letters',
    summary:
      'The dead letters grouped by target and error code, most recently seen first: count, first and last seen, ' +
      'the likely fix, the channels, actions and major incidents involved, and the job ids',
    responses: { 200: ok('`groups`, `scanned` (at most 5000, newest first) and `total`'), ...ADMIN_ERRORS },
  }),
  operation({
    ...operator,
    method: 'post',
    path: '/admin/dead-letters/groups/replay',
    tag: 'dead letters',
    summary: 'Replay every dead letter of one group (target and error code), oldest first',
    body: { name: 'DeadLetterGroupBody', schema: GroupBody },
    responses: {
      200: ok('`replayed` and `notFound` job ids'),
      ...BAD_REQUEST,
      ...notFound,
      ...conflict('no queue for that target in this process'),
      ...ADMIN_ERRORS,
    },
  }),
  operation({
    ...operator,
    method: 'post',
    path: '/admin/dead-letters/groups/discard',
    tag: 'dead letters',
    summary: 'Drop every dead letter of one group for good, with a reason (recorded on each timeline)',
    body: { name: 'DeadLetterGroupDiscardBody', schema: GroupDiscardBody },
    responses: { 200: ok('`discarded` and `notFound` job ids'), ...BAD_REQUEST, ...notFound, ...ADMIN_ERRORS },
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
