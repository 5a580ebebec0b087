// reelay/no-cycle: a module must not import, directly or through others, a module that imports
// it back. Only run-time imports count: `import type` is erased, and a dynamic `import()` loads
// lazily, after both modules have finished evaluating.
import path from 'node:path';
import { findPath, isRuntimeDeclaration, resolveImport } from './module-graph.js';

/** @type {import('eslint').Rule.RuleModule} */
export default {
  meta: {
    type: 'problem',
    docs: { description: 'Disallow import cycles between the project’s own modules' },
    schema: [],
    messages: { cycle: 'Import cycle: {{chain}}' },
  },
  create(context) {
    const file = context.filename;
    const check = (node) => {
      if (node.source?.type !== 'Literal' || typeof node.source.value !== 'string' || !isRuntimeDeclaration(node)) return;
      const target = resolveImport(file, node.source.value);
      if (!target) return;
      const back = findPath(target, file);
      if (!back) return;
      const chain = [file, ...back].map((f) => path.relative(context.cwd, f)).join(' → ');
      context.report({ node: node.source, messageId: 'cycle', data: { chain } });
    };
    return { ImportDeclaration: check, ExportNamedDeclaration: check, ExportAllDeclaration: check };
  },
};
