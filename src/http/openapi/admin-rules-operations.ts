import { z } from 'zod';
import { RecentEventsQuery } from '../admin/events-routes.ts';
import { ApplyBody, RollbackBody } from '../admin/rules-version-routes.ts';
import { SimulateEventBody, SimulatePayloadBody, ValidateBody } from '../admin/schemas.ts';
import { admin, viewer } from './admin-access.ts';
import { ADMIN_ERRORS, BAD_REQUEST, error, ok } from './common.ts';
import { operation, type Operation } from './registry.ts';

/** rules/simulate and rules/validate run in the rules sandbox (docs/rules.md#the-rules-sandbox). */
const SANDBOX_ERRORS = {
  503: error('the rules sandbox: `sandbox_busy` (with Retry-After) or `sandbox_failed`'),
} as const;

/** The rules: simulate, validate, apply, roll back, the versions and the event log they read. */
export const rulesOperations: Operation[] = [
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
