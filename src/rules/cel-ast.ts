import type { ASTNode } from '@marcbachmann/cel-js';

/**
 * The sub-expressions of a parsed node, whatever its operator (the library's index.d.ts shapes). A new array: never
 * mutate the AST's own.
 */
export function children(node: ASTNode): ASTNode[] {
  switch (node.op) {
    case 'value':
    case 'id':
      return [];
    case '.':
    case '.?':
      return [node.args[0]];
    case '!_':
    case '-_':
      return [node.args];
    case 'call':
      return [...node.args[1]];
    case 'rcall':
      return [node.args[1], ...node.args[2]];
    case 'map':
      return node.args.flat();
    default:
      return [...node.args];
  }
}

/** Every node, parents before children. Iterative: a long `a || b || …` chain nests as deep as it is long. */
export function* nodes(root: ASTNode): Generator<ASTNode> {
  const stack = [root];
  for (let node = stack.pop(); node; node = stack.pop()) {
    yield node;
    stack.push(...children(node).reverse());
  }
}

/** The variable a macro binds (`list.exists(x, …)`), when the call is one. */
export const MACROS = new Set(['all', 'exists', 'exists_one', 'map', 'filter']);
export function macroVariable(node: ASTNode): string | undefined {
  if (node.op !== 'rcall' || !MACROS.has(node.args[0])) return undefined;
  const [first] = node.args[2];
  return first?.op === 'id' && node.args[2].length >= 2 ? first.args : undefined;
}
