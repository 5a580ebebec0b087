import type { AnyEngineDefinition } from './engine.js';
import { comfyuiDefinition } from './comfyui/definition.js';
import { motionDefinition } from './motion/definition.js';
import { replayDefinition } from './replay/definition.js';
import { segmindDefinition } from './segmind/definition.js';
import { veoDefinition } from './veo/definition.js';

/**
 * Every engine Reelay knows, one line each. Config, the worker's registry and `/v1/models` read
 * this list and name no engine themselves: adding an engine is its folder plus one line here.
 * The order is the order of `models.<slug>.engine`'s allowed values in error messages.
 */
export const ENGINE_DEFINITIONS = [motionDefinition, replayDefinition, veoDefinition, segmindDefinition, comfyuiDefinition] as const;

/** The same list as generic code sees it (each definition's section typed as unknown). */
export const ENGINES: readonly AnyEngineDefinition[] = ENGINE_DEFINITIONS;

/** The definition of engine `name`, if there is one. */
export function engineDefinition(name: string): AnyEngineDefinition | undefined {
  return ENGINES.find((d) => d.name === name);
}

/** The engine that serves the default models (the one marked `isDefault`). */
export const DEFAULT_ENGINE: AnyEngineDefinition = ENGINES.find((d) => d.isDefault) ?? ENGINES[0]!;

/** An engine's config section from the parsed config, or undefined when it has none or it is not configured. */
export function engineSection(def: AnyEngineDefinition, config: object): unknown {
  return def.config ? (config as Record<string, unknown>)[def.config.key] : undefined;
}
