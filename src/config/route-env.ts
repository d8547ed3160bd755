/**
 * The environment variables config may name (`routingKeyEnv`, `escalationRoutingKeyEnv`,
 * `teamsWebhookEnv`). Config can be changed through the admin API, so a name it gives must never
 * reach mim-bridge's own credentials: a routing key named `SERVICENOW_PASSWORD` would send the
 * password to PagerDuty. Only this prefix is read, at validation and again where the value is read.
 */
export const ROUTE_ENV_PREFIX = 'MIM_ROUTE_';

export const ROUTE_ENV_NAME = /^MIM_ROUTE_[A-Z0-9_]+$/;

export function isRouteEnvName(name: string): boolean {
  return ROUTE_ENV_NAME.test(name);
}

/**
 * The value of a variable config names, or undefined when the name is outside the prefix: a
 * config that reached the runtime without validation still cannot read another variable.
 */
export function routeSecret(
  source: Readonly<Record<string, string | undefined>>,
  name: string | undefined,
): string | undefined {
  if (!name || !isRouteEnvName(name) || !Object.hasOwn(source, name)) return undefined;
  return source[name] || undefined;
}
