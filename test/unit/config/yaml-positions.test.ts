import { describe, expect, it } from 'vitest';
import { parseYaml, positionInScalar, positionOf, positionOfKey } from '../../../src/config/files/yaml-positions.ts';

const doc = [
  'rules:', // 1
  '  - id: a', // 2
  '    when: x == 1 && y', // 3
  '  - id: b', // 4
  '    when: "x == 1 && y"', // 5
  '  - id: c', // 6
  '    when: >-', // 7
  '      x == 1 &&', // 8
  '        y', // 9  (more indented: folding keeps the newline)
  '  - id: d', // 10
  '    when: >-', // 11
  '      x == 1 &&', // 12
  '      y == 2', // 13
  '  - id: e', // 14
  '    when: |', // 15
  '      x == 1 &&', // 16
  '      y == 2', // 17
  '',
].join('\n');
const parsed = parseYaml(doc);

describe('YAML positions', () => {
  it('finds the node of a path, or the deepest existing parent', () => {
    expect(positionOf(parsed, ['rules', 1, 'when'])).toEqual({ line: 5, column: 11 });
    expect(positionOf(parsed, ['rules', 1, 'then'])).toEqual({ line: 4, column: 5 });
    expect(positionOf(parsed, ['nothing', 3])).toEqual({ line: 1, column: 1 });
    expect(positionOfKey(parsed, ['rules', 0], 'when')).toEqual({ line: 3, column: 5 });
  });

  it('maps an offset inside a plain, a quoted, a folded and a literal scalar', () => {
    const yOffset = 'x == 1 && '.length;
    expect(positionInScalar(parsed, ['rules', 0, 'when'], yOffset)).toEqual({ line: 3, column: 21 });
    expect(positionInScalar(parsed, ['rules', 1, 'when'], yOffset)).toEqual({ line: 5, column: 22 });
    expect(positionInScalar(parsed, ['rules', 3, 'when'], yOffset)).toEqual({ line: 13, column: 7 });
    expect(positionInScalar(parsed, ['rules', 4, 'when'], yOffset)).toEqual({ line: 17, column: 7 });
  });

  it('keeps the line break next to a more-indented line of a folded scalar', () => {
    expect(positionInScalar(parsed, ['rules', 2, 'when'], 'x == 1 &&\n  '.length)).toEqual({ line: 9, column: 9 });
  });

  it("falls back to the value's start where it cannot map the offset", () => {
    const blank = parseYaml('when: >-\n  a &&\n\n  b\n');
    expect(positionInScalar(blank, ['when'], 6)).toEqual({ line: 1, column: 7 });
  });
});
