// reelay/layers: which folders of the project may import which. Each zone names the files it
// governs (`target`) and either the project paths they must not import (`forbidden`) or the only
// ones they may (`allowed`, plus their own folder with `ownFolder`). A path ending in `/` is a
// folder, any other is one file (`.ts`, matched from the `.js` specifier). Packages and Node
// builtins are never restricted; type-only imports count too, since they tie the layers as well.
import path from 'node:path';
import { resolveImport } from './module-graph.js';

const zoneSchema = {
  type: 'object',
  properties: {
    target: { type: 'string' },
    forbidden: { type: 'array', items: { type: 'string' } },
    allowed: { type: 'array', items: { type: 'string' } },
    ownFolder: { type: 'boolean' },
    message: { type: 'string' },
  },
  required: ['target'],
  additionalProperties: false,
};

const matches = (rel, entry) => (entry.endsWith('/') ? rel.startsWith(entry) : rel === entry);
const posix = (p) => p.split(path.sep).join('/');

/**
 * The folder a file "owns" under a zone's target: `src/engines/motion/x/y.ts` → `src/engines/motion/`;
 * a file directly in the target (`src/engines/registry.ts`) owns the whole target.
 */
function ownFolderOf(rel, target) {
  const rest = rel.slice(target.length);
  const slash = rest.indexOf('/');
  return slash === -1 ? target : `${target}${rest.slice(0, slash + 1)}`;
}

/** @type {import('eslint').Rule.RuleModule} */
export default {
  meta: {
    type: 'problem',
    docs: { description: 'Keep the layers: restrict which project folders a folder may import' },
    schema: [
      {
        type: 'object',
        properties: { root: { type: 'string' }, zones: { type: 'array', items: zoneSchema } },
        required: ['zones'],
        additionalProperties: false,
      },
    ],
    messages: {
      forbidden: '{{target}} must not import {{to}}{{why}}',
      notAllowed: '{{target}} may not import {{to}}{{why}}',
    },
  },
  create(context) {
    const { root = context.cwd, zones } = context.options[0];
    const from = posix(path.relative(root, context.filename));
    const active = zones.filter((z) => from.startsWith(z.target));
    if (active.length === 0) return {};
    const check = (node) => {
      const source = node.source;
      if (source?.type !== 'Literal' || typeof source.value !== 'string') return;
      const resolved = resolveImport(context.filename, source.value);
      if (!resolved) return;
      const to = posix(path.relative(root, resolved));
      for (const zone of active) {
        const why = zone.message ? ` (${zone.message})` : '';
        if (zone.forbidden?.some((entry) => matches(to, entry))) {
          context.report({ node: source, messageId: 'forbidden', data: { target: zone.target, to, why } });
        }
        if (zone.allowed) {
          const allowed = zone.ownFolder ? [ownFolderOf(from, zone.target), ...zone.allowed] : zone.allowed;
          if (!allowed.some((entry) => matches(to, entry))) {
            context.report({ node: source, messageId: 'notAllowed', data: { target: zone.target, to, why } });
          }
        }
      }
    };
    return { ImportDeclaration: check, ExportNamedDeclaration: check, ExportAllDeclaration: check, ImportExpression: check };
  },
};
