/**
 * ComfyUI's "API format" graph: node id → `{class_type, inputs}`, where an input is a literal or a
 * link `[source node id, output index]`. Templates, bindings and the start-up check all read this.
 */
export type GraphInput = string | number | boolean | null | [string, number] | GraphInput[] | { [key: string]: GraphInput };

export interface GraphNode {
  class_type: string;
  inputs: Record<string, GraphInput>;
  _meta?: { title?: string };
}

export type Graph = Record<string, GraphNode>;

/** Where a value goes: node id and input name. */
export interface InputRef {
  node: string;
  input: string;
}

/** Which inputs receive the request's values; seed may feed several samplers (Wan 2.2's two passes). */
export interface Bindings {
  image: InputRef[];
  prompt: InputRef[];
  negativePrompt: InputRef[];
  seed: InputRef[];
  width: InputRef[];
  height: InputRef[];
  frames: InputRef[];
  fps: InputRef[];
}

export function isLink(value: GraphInput | undefined): value is [string, number] {
  return Array.isArray(value) && value.length === 2 && typeof value[0] === 'string' && typeof value[1] === 'number';
}

/** A deep copy, so a template or an operator's file is never changed by a run. */
export function cloneGraph(graph: Graph): Graph {
  return structuredClone(graph);
}

/** Writes each bound value into the graph; a binding to a missing node throws (the start-up check reports it earlier). */
export function applyBindings(graph: Graph, bindings: Bindings, values: { [K in keyof Bindings]?: string | number }): Graph {
  const out = cloneGraph(graph);
  for (const key of Object.keys(bindings) as Array<keyof Bindings>) {
    const value = values[key];
    if (value === undefined) continue;
    for (const ref of bindings[key]) {
      const node = out[ref.node];
      if (!node) throw new Error(`binding "${key}" names node ${ref.node}, which is not in the workflow`);
      node.inputs[ref.input] = value;
    }
  }
  return out;
}

/**
 * The sampler nodes in the order they run (a sampler fed by another sampler comes later), so
 * per-node step progress can be weighted into one bar that only moves forward.
 */
export function samplerOrder(graph: Graph): string[] {
  const depth = new Map<string, number>();
  const visiting = new Set<string>();
  const depthOf = (id: string): number => {
    const known = depth.get(id);
    if (known !== undefined) return known;
    if (visiting.has(id)) return 0;
    visiting.add(id);
    const node = graph[id];
    let d = 0;
    for (const value of Object.values(node?.inputs ?? {})) if (isLink(value) && graph[value[0]]) d = Math.max(d, depthOf(value[0]) + 1);
    depth.set(id, d);
    return d;
  };
  return Object.keys(graph)
    .filter((id) => /Sampler/.test(graph[id]!.class_type) && !/Select/.test(graph[id]!.class_type))
    .sort((a, b) => depthOf(a) - depthOf(b));
}

/** Output nodes whose history entries carry the video (SaveVideo, SaveWEBM, VHS_VideoCombine, …). */
export function outputNodes(graph: Graph): string[] {
  return Object.keys(graph).filter((id) => /^(SaveVideo|SaveWEBM|SaveAnimatedWEBP|VHS_VideoCombine)$/.test(graph[id]!.class_type));
}
