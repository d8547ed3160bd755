import { describe, expect, it } from 'vitest';
import {
  compileTemplates,
  loadTemplates,
  renderTemplate,
  REQUIRED_TEMPLATES,
  type TemplateSource,
} from '../../../src/templates/index.ts';

const DIR = new URL('../../../config/templates/', import.meta.url).pathname;
const VARS = {
  mi: {
    id: 'MI-42',
    title: 'Email down',
    priority: 1,
    declared_at: '2025-03-01T09:05:00Z',
    next_update_at: '2025-03-01T09:35:00Z',
    impact: 'Nobody can send email',
  },
  services: [{ name: 'Email', tier: 1 }, { name: 'Calendar' }],
  tickets: { servicenow: 'INC0010001', jira: 'OPS-42' },
};

function required(overrides: Record<string, string> = {}): TemplateSource[] {
  return REQUIRED_TEMPLATES.map(([register, name]) => ({
    register,
    name,
    file: `${register}/${name}.liquid`,
    source: overrides[`${register}/${name}`] ?? `{{ mi.title }} ${name}`,
  }));
}

describe('default templates', () => {
  it('all load, and render every required template', async () => {
    const set = await loadTemplates(DIR);
    for (const [register, name] of REQUIRED_TEMPLATES)
      expect(renderTemplate(set, name, register, VARS, 'text')).toContain('Email down');
  });

  it('business declared reads as plain language in UTC', async () => {
    const set = await loadTemplates(DIR);
    expect(renderTemplate(set, 'declared', 'business', VARS, 'text')).toBe(
      [
        'We are handling a major incident: Email down.',
        '',
        'What is affected: Nobody can send email',
        'Services: Email, Calendar',
        'Started: 2025-03-01 09:05 UTC',
        '',
        'The technical teams are working on it. Next update by 09:35 UTC.',
      ].join('\n'),
    );
  });

  it('a missing variable renders empty rather than failing', async () => {
    const set = await loadTemplates(DIR);
    expect(renderTemplate(set, 'update', 'technical', {}, 'text')).toContain('[]');
  });
});

describe('compileTemplates', () => {
  it('an unknown filter fails at load with file and line', () => {
    const sources = required({ 'business/update': 'line one\n{{ mi.title | shout }}' });
    expect(() => compileTemplates(sources)).toThrow(
      expect.objectContaining({ code: 'TEMPLATE_PARSE', file: 'business/update.liquid', line: 2 }),
    );
  });

  it('a missing required template is named', () => {
    const sources = required().filter((s) => !(s.register === 'technical' && s.name === 'pir'));
    expect(() => compileTemplates(sources)).toThrow(
      expect.objectContaining({ code: 'TEMPLATE_MISSING', file: 'technical/pir.liquid' }),
    );
  });

  it('reports every fault at once', () => {
    const sources = required({ 'business/update': '{% if %}', 'technical/update': '{{ x | nope }}' });
    expect(() => compileTemplates(sources)).toThrow(AggregateError);
  });

  it('rendering an unknown template is TEMPLATE_MISSING', () => {
    const set = compileTemplates(required());
    expect(() => renderTemplate(set, 'escalation', 'business', {}, 'text')).toThrow(
      expect.objectContaining({ code: 'TEMPLATE_MISSING' }),
    );
  });

  it('templates cannot reach prototype members', () => {
    const set = compileTemplates(required({ 'business/declared': '{{ mi.constructor.name }}|{{ mi.title }}' }));
    expect(renderTemplate(set, 'declared', 'business', { mi: { title: 't' } }, 'text')).toBe('|t');
  });
});
