import { readFile } from 'node:fs/promises';
import { z } from 'zod';
import type { Bindings, Graph, InputRef } from './graph.js';
import { TEMPLATES, type TemplateName } from './templates.js';

/** How a model slug runs on ComfyUI, after defaults: the graph, where values go, size and timing. */
export interface ComfyModel {
  slug: string;
  graph: Graph;
  bindings: Bindings;
  /** Generation size for 16:9; 9:16 swaps them. */
  width: number;
  height: number;
  fps: number;
  /** Frame counts are `frameStep·k + 1` (Wan 4, LTX 8). */
  frameStep: number;
  /** The graph frames the start image itself (built-in templates); an operator's graph may not, so Reelay frames it. */
  graphFramesImage: boolean;
  negativePrompt: string;
  /** `conform`: docs/api.md §2's 24 fps 720p; `native`: the model's own frames and size. */
  output: 'conform' | 'native';
}

export interface ComfyModelSettings {
  template?: TemplateName | undefined;
  workflow?: string | undefined;
  bindings?: string | undefined;
  files: Record<string, string>;
  width?: number | undefined;
  height?: number | undefined;
  steps?: number | undefined;
  cfg?: number | undefined;
  fps?: number | undefined;
  frameStep?: number | undefined;
  negativePrompt: string;
  output: 'conform' | 'native';
}

/** Wan's own recommended negative prompt, shortened, in English. */
export const DEFAULT_NEGATIVE =
  'vivid colours, overexposed, static, blurry details, subtitles, style, artwork, painting, still image, grey overall, worst quality, low quality, JPEG artefacts, ugly, deformed, extra fingers, poorly drawn hands, poorly drawn face, malformed limbs, fused fingers, still frame, cluttered background, three legs, crowded background, walking backwards';

const target = z.string().regex(/^[^.]+\.[^.]+$/, 'must be "<node id>.<input name>", e.g. "52.image"');
const targets = z.union([target, z.array(target).min(1)]);

/** The bindings file an operator writes next to a graph saved with ComfyUI's "Save (API)". */
export const bindingsFileSchema = z.strictObject({
  image: targets,
  prompt: targets,
  negative_prompt: targets.optional(),
  seed: targets,
  width: targets.optional(),
  height: targets.optional(),
  frames: targets.optional(),
  fps: targets.optional(),
});

function refs(value: string | string[] | undefined): InputRef[] {
  return (value === undefined ? [] : Array.isArray(value) ? value : [value]).map((t) => {
    const [node, input] = t.split('.') as [string, string];
    return { node, input };
  });
}

/** Reads the model's graph (a template or the operator's files) and fills the defaults. */
export async function loadModel(slug: string, s: ComfyModelSettings): Promise<ComfyModel> {
  const common = { slug, negativePrompt: s.negativePrompt, output: s.output };
  if (s.template) {
    const t = TEMPLATES[s.template];
    const graph = t.build({ files: { ...t.files, ...s.files }, steps: s.steps ?? t.steps, cfg: s.cfg ?? t.cfg });
    return {
      ...common,
      graph,
      bindings: t.bindings,
      width: s.width ?? t.width,
      height: s.height ?? t.height,
      fps: s.fps ?? t.fps,
      frameStep: s.frameStep ?? t.frameStep,
      graphFramesImage: t.graphFramesImage,
    };
  }
  const graph = JSON.parse(await readFile(s.workflow!, 'utf8')) as Graph;
  const parsed = bindingsFileSchema.safeParse(JSON.parse(await readFile(s.bindings!, 'utf8')));
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new Error(`bindings file ${s.bindings}: "${issue?.path.join('.')}" ${issue?.message ?? 'is invalid'}`);
  }
  const b = parsed.data;
  const bindings: Bindings = {
    image: refs(b.image),
    prompt: refs(b.prompt),
    negativePrompt: refs(b.negative_prompt),
    seed: refs(b.seed),
    width: refs(b.width),
    height: refs(b.height),
    frames: refs(b.frames),
    fps: refs(b.fps),
  };
  return { ...common, graph, bindings, width: s.width ?? 832, height: s.height ?? 480, fps: s.fps ?? 16, frameStep: s.frameStep ?? 4, graphFramesImage: false };
}

/** Frames for `seconds` at the model's rate, rounded up to its `step·k + 1` grid (Wan: 5 s at 16 fps → 81). */
export function frameCount(seconds: number, fps: number, step: number): number {
  return Math.ceil((seconds * fps) / step) * step + 1;
}
