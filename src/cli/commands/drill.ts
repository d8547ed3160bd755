import type { Command } from 'commander';

/**
 * `mim-bridge drill <service>`: starts a drill through the running service's admin API
 * (`POST /admin/drills`), so the service runs it as it runs every major incident. The token comes
 * from MIM_ADMIN_TOKEN or `--token` (an operator's), the service from `--url` (default
 * `http://127.0.0.1:$PORT`, PORT 8080). Exit 0 started, 1 refused or unreachable, 2 usage.
 */

const REQUEST_TIMEOUT_MS = 10_000;

interface DrillOptions {
  readonly title?: string;
  readonly url?: string;
  readonly token?: string;
  readonly json?: boolean;
}

interface Answer {
  readonly majorIncident?: { readonly id: string; readonly title: string; readonly serviceId: string };
  readonly error?: string;
  readonly reason?: string;
  readonly field?: string;
  readonly issues?: readonly { readonly path: string; readonly message: string }[];
  readonly openId?: string;
  readonly required?: string;
}

/** What the service answered, printed on a terminal: control characters (escape sequences) become spaces. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point.
const printable = (text: string) => text.replace(/[\u0000-\u001f\u007f-\u009f]/g, ' ');

const fail = (message: string, code = 1) => {
  process.stderr.write(`mim-bridge drill: ${printable(message)}\n`);
  process.exitCode = code;
};

/** Why the API refused, in one line: the field and message of a 400, the reason of a 409, the role of a 403. */
function refusal(status: number, body: Answer): string {
  if (status === 401) return 'the admin API refused the token (401): set MIM_ADMIN_TOKEN or pass --token';
  if (status === 403) return `the token may not start drills (403: needs the ${body.required ?? 'operator'} role)`;
  if (status === 400)
    return `${body.issues?.[0]?.path ?? body.field ?? 'request'}: ${body.issues?.[0]?.message ?? 'invalid'}`;
  if (status === 409) return `${body.reason ?? 'refused'}${body.openId ? ` (open drill ${body.openId})` : ''}`;
  return `the admin API answered ${status}${body.error ? ` ${body.error}` : ''}`;
}

async function startDrill(service: string, opts: DrillOptions): Promise<void> {
  const token = opts.token ?? process.env.MIM_ADMIN_TOKEN;
  if (!token) return fail('no admin token: set MIM_ADMIN_TOKEN (or pass --token) to an operator token', 2);
  const base = opts.url ?? `http://127.0.0.1:${process.env.PORT || '8080'}`;
  let url: URL;
  try {
    url = new URL('/admin/drills', base);
  } catch {
    return fail(`--url ${base} is not a URL (e.g. http://127.0.0.1:8080)`, 2);
  }
  let res: Response;
  try {
    res = await fetch(url, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ service, ...(opts.title ? { title: opts.title } : {}) }),
      signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
    });
  } catch (err) {
    const cause = (err as { cause?: { code?: string } }).cause?.code ?? (err as Error).message;
    return fail(`cannot reach mim-bridge at ${url.origin} (${cause}); is it running? (--url)`);
  }
  const body = (await res.json().catch(() => ({}))) as Answer;
  if (opts.json) process.stdout.write(`${JSON.stringify(body, null, 2)}\n`);
  if (res.status !== 201 || !body.majorIncident) return fail(refusal(res.status, body));
  const mi = body.majorIncident;
  if (!opts.json)
    process.stdout.write(
      `drill ${printable(mi.id)} started for ${printable(mi.serviceId)}: ${printable(mi.title)}\n` +
        `close it when done (POST /admin/major-incidents/${mi.id}/close, or the console); ` +
        'its scorecard then goes on its timeline and in GET /admin/report\n',
    );
}

export function register(program: Command): void {
  program
    .command('drill')
    .description("start a drill: an exercise major incident for a service, through the running service's admin API")
    .argument('<service>', 'the catalogue id of the service (services.yaml)')
    .option('--title <text>', 'the exercise title (default: "Simulated outage of <service name>")')
    .option('--url <url>', 'the running mim-bridge (default: http://127.0.0.1:$PORT, PORT 8080)')
    .option('--token <token>', 'an operator admin token (default: MIM_ADMIN_TOKEN; the environment keeps it out of ps)')
    .option('--json', 'print the admin API answer as JSON')
    .exitOverride()
    .action((service: string, opts: DrillOptions) => startDrill(service, opts));
}
