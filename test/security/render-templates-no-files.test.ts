import { createHash } from 'node:crypto';
import { IncludeTag, RenderTag } from 'liquidjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compileTemplates, REQUIRED_TEMPLATES, type TemplateSource } from '../../src/templates/index.ts';
import { createLiquid } from '../../src/templates/create-liquid.ts';
import { startTestService, stopAndClean, type TestService } from '../helpers/service.ts';
import { issuesOf, tempConfig } from '../unit/config/temp-config.ts';

/**
 * Templates can be applied through the admin API, and Liquid's include, render and layout read
 * files from the process's working directory: `{% include 'package.json' %}` sent a file of the
 * host to Slack. Every such template must be refused when the config is validated.
 */

const required = (overrides: Record<string, string>): TemplateSource[] =>
  REQUIRED_TEMPLATES.map(([register, name]) => ({
    register,
    name,
    file: `${register}/${name}.liquid`,
    source: overrides[`${register}/${name}`] ?? `{{ mi.title }}`,
  }));

const READERS = [
  "{% include 'package.json' %}",
  "{% render 'package.json' %}",
  "{% layout 'package.json' %}",
  "{% include '/etc/passwd' %}",
  "{% render '../../../../etc/passwd' %}",
  '{% include mi.title %}',
  "{%- include 'package.json' -%}",
  "{% liquid\n  include 'package.json'\n%}",
];

describe('templates cannot read files', () => {
  it.each(READERS)('%s is refused at compile time, with file and line', (tag) => {
    const source = `Update: {{ mi.title }}\n${tag}`;
    const line = source.split('\n').findIndex((l) => /include|render|layout/.test(l)) + 1;
    expect(() => compileTemplates(required({ 'business/update': source }))).toThrow(
      expect.objectContaining({
        code: 'TEMPLATE_PARSE',
        file: 'business/update.liquid',
        line,
        message: expect.stringMatching(/cannot read files/),
      }),
    );
  });

  it(
    'even with the stock tags put back, the engine sees an empty in-memory file system, ' + 'not the working directory',
    () => {
      for (const [name, tag] of [
        ['include', IncludeTag],
        ['render', RenderTag],
      ] as const) {
        const liquid = createLiquid();
        liquid.registerTag(name, tag);
        expect(() => liquid.parseAndRenderSync(`{% ${name} 'package.json' %}`)).toThrow(/ENOENT/);
        expect(() => liquid.parseAndRenderSync(`{% ${name} '/etc/passwd' %}`)).toThrow(/ENOENT/);
      }
    },
  );

  it('a config directory with such a template does not load; the issue names the file and line', async () => {
    const t = tempConfig();
    t.replace(
      'templates/business/update.liquid',
      'Update on the major incident: {{ mi.title }}',
      "Update on the major incident: {{ mi.title }}\n{% include 'package.json' %}",
    );
    const issues = await issuesOf(t.dir);
    expect(issues).toEqual([
      expect.objectContaining({
        file: 'templates/business/update.liquid',
        line: t.where('templates/business/update.liquid', '{% include').line,
      }),
    ]);
    expect(issues[0]?.message).toMatch(/\{% include %\} is not available: templates cannot read files/);
  });
});

describe('templates applied through the admin API', () => {
  const ADMIN = 'admin-token-render-templates-no-files';
  let svc: TestService;
  beforeAll(async () => {
    const sha = createHash('sha256').update(ADMIN).digest('hex');
    svc = await startTestService({ MIM_ADMIN_TOKENS: `alice:admin:sha256:${sha}`, MIM_ADMIN_RATE_LIMIT: '1000' });
  });
  afterAll(async () => {
    await stopAndClean(svc);
  });

  it.each(["{% include 'package.json' %}", "{% render '/etc/passwd' %}", "{% layout 'package.json' %}"])(
    '%s: 422 naming the file and line, the active version kept',
    async (tag) => {
      const before = svc.config.current().version;
      const res = await fetch(`${svc.url}/admin/rules/apply`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${ADMIN}` },
        body: JSON.stringify({ files: { 'templates/business/update.liquid': `Update: {{ mi.title }}\n\n${tag}\n` } }),
      });
      expect(res.status).toBe(422);
      const body = (await res.json()) as {
        valid: boolean;
        issues: Array<{ file: string; line: number; message: string }>;
      };
      expect(body.valid).toBe(false);
      expect(body.issues).toEqual([
        expect.objectContaining({
          file: 'templates/business/update.liquid',
          line: 3,
          message: expect.stringMatching(/cannot read files/),
        }),
      ]);
      expect(JSON.stringify(body)).not.toContain('mim-bridge'); // nothing of package.json came back
      expect(svc.config.current().version).toBe(before);
    },
  );
});
