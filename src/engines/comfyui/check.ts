import type { ObjectInfo } from './client.js';
import { isLink, type Bindings, type Graph } from './graph.js';

/**
 * Checks a workflow against a server's `/object_info`: every node class exists, every file a
 * loader names is among that input's allowed values, every bound input exists. Returns the
 * problems as sentences naming node and file (empty when the server can run the graph).
 */
export function checkWorkflow(graph: Graph, bindings: Bindings, info: ObjectInfo): string[] {
  const problems: string[] = [];
  for (const [id, node] of Object.entries(graph)) {
    const schema = info[node.class_type];
    if (!schema) {
      problems.push(`node ${id}: node type ${node.class_type} is not installed`);
      continue;
    }
    const inputs = { ...schema.input?.required, ...schema.input?.optional };
    for (const [name, value] of Object.entries(node.inputs)) {
      if (typeof value !== 'string' || isLink(value)) continue;
      const allowed = comboOptions(inputs[name]);
      // Only files are checked: other combos (sampler names, "auto") change between versions and fail loudly at /prompt anyway.
      if (allowed && /\.(safetensors|ckpt|pt|pth|bin|gguf|sft)$/i.test(value) && !allowed.includes(value)) {
        problems.push(`node ${id} (${node.class_type}): model file "${value}" is not on the server (input ${name})`);
      }
    }
  }
  for (const [key, refs] of Object.entries(bindings) as Array<[string, Bindings[keyof Bindings]]>) {
    for (const ref of refs) {
      const node = graph[ref.node];
      if (!node) {
        problems.push(`binding ${key}: node ${ref.node} is not in the workflow`);
        continue;
      }
      const schema = info[node.class_type];
      if (!schema) continue;
      const inputs = { ...schema.input?.required, ...schema.input?.optional };
      if (!(ref.input in inputs) && !(ref.input in node.inputs)) {
        problems.push(`binding ${key}: node ${ref.node} (${node.class_type}) has no input "${ref.input}"`);
      }
    }
  }
  return problems;
}

/**
 * The allowed values of a combo input, in either of `/object_info`'s forms: the classic
 * `[["a", "b"], {...}]` or the newer `["COMBO", {"options": ["a", "b"]}]`.
 */
export function comboOptions(spec: unknown): string[] | undefined {
  if (!Array.isArray(spec)) return undefined;
  const [first, extra] = spec as [unknown, unknown];
  if (Array.isArray(first)) return first.map(String);
  if (first === 'COMBO' && extra && typeof extra === 'object' && Array.isArray((extra as { options?: unknown }).options)) {
    return ((extra as { options: unknown[] }).options ?? []).map(String);
  }
  return undefined;
}
