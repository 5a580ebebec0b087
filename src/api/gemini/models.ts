import type { Config } from '../../config.js';

/**
 * The Gemini door's models (`GET /v1beta/models`): each configured Gemini model name, with the
 * Reelay model and engine that serve it in its description.
 */
export function modelView(config: Pick<Config, 'doors' | 'models'>, name: string): Record<string, unknown> | undefined {
  const target = Object.hasOwn(config.doors.gemini.models, name) ? config.doors.gemini.models[name] : undefined;
  const model = target !== undefined && Object.hasOwn(config.models, target) ? config.models[target] : undefined;
  if (target === undefined || model === undefined) return undefined;
  return {
    name: `models/${name}`,
    version: 'reelay',
    displayName: name,
    description: `Served by Reelay as ${target} (engine: ${model.engine}). Image to video: one 1280x720 or 720x1280 MP4 of 5 to 8 seconds per request.`,
    supportedGenerationMethods: ['predictLongRunning'],
  };
}

export function modelList(config: Pick<Config, 'doors' | 'models'>): { models: Array<Record<string, unknown>> } {
  return {
    models: Object.keys(config.doors.gemini.models).flatMap((name) => {
      const view = modelView(config, name);
      return view ? [view] : [];
    }),
  };
}
