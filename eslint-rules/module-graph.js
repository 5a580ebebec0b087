// The project's own module graph for the lint rules: which files a TypeScript file loads at run
// time through relative imports. Pure JavaScript on the TypeScript parser (already a dev
// dependency), so linting needs no native resolver.
import { existsSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import ts from 'typescript';

/** Maps a relative specifier to the file it loads (`./x.js` → `./x.ts`), or null for packages and files not found. */
export function resolveImport(fromFile, specifier) {
  if (!specifier.startsWith('./') && !specifier.startsWith('../')) return null;
  const base = path.resolve(path.dirname(fromFile), specifier);
  const candidates = /\.[cm]?js$/.test(base)
    ? [base.replace(/\.([cm]?)js$/, '.$1ts'), base.replace(/\.js$/, '.tsx'), base]
    : [base, `${base}.ts`, `${base}.tsx`, path.join(base, 'index.ts')];
  return candidates.find((file) => existsSync(file) && statSync(file).isFile()) ?? null;
}

/**
 * True when the declaration loads its module at run time: `import type` and `export type ... from`
 * are erased; with `verbatimModuleSyntax`, `import { type A }` still loads the module.
 */
export function isRuntimeDeclaration(node) {
  return node.importKind !== 'type' && node.exportKind !== 'type';
}

const cache = new Map(); // file → { mtimeMs, imports }

/** The files `file` imports at run time (static, relative imports and re-exports), cached by mtime. */
export function runtimeImportsOf(file) {
  const mtimeMs = statSync(file).mtimeMs;
  const hit = cache.get(file);
  if (hit && hit.mtimeMs === mtimeMs) return hit.imports;
  const source = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, false, ts.ScriptKind.TS);
  const imports = [];
  for (const statement of source.statements) {
    let specifier;
    if (ts.isImportDeclaration(statement) && !statement.importClause?.isTypeOnly) specifier = statement.moduleSpecifier;
    else if (ts.isExportDeclaration(statement) && !statement.isTypeOnly) specifier = statement.moduleSpecifier;
    if (!specifier || !ts.isStringLiteral(specifier)) continue;
    const target = resolveImport(file, specifier.text);
    if (target) imports.push(target);
  }
  cache.set(file, { mtimeMs, imports });
  return imports;
}

/** The shortest chain of run-time imports from `start` back to `goal`, or null: [start, ..., goal]. */
export function findPath(start, goal) {
  const parent = new Map([[start, null]]);
  const queue = [start];
  while (queue.length > 0) {
    const file = queue.shift();
    if (file === goal) {
      const chain = [];
      for (let at = file; at !== null; at = parent.get(at)) chain.unshift(at);
      return chain;
    }
    for (const next of runtimeImportsOf(file)) {
      if (parent.has(next) || next.includes(`${path.sep}node_modules${path.sep}`)) continue;
      parent.set(next, file);
      queue.push(next);
    }
  }
  return null;
}
