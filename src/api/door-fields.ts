import { invalidRequest, ReelayError } from '../errors.js';

/**
 * A core error as a front door's client should read it: each `details` field renamed from
 * Reelay's parameter names (`duration`, `image`, …) to the door's own (`seconds`,
 * `input_reference`, …), and the message rebuilt from them.
 */
export function renameFields(err: ReelayError, names: Readonly<Record<string, string>>): ReelayError {
  if (!err.details || err.code !== 'invalid_request') return err;
  if (!err.details.some((d) => Object.hasOwn(names, d.field))) return err;
  return invalidRequest(err.details.map((d) => ({ field: Object.hasOwn(names, d.field) ? names[d.field]! : d.field, message: d.message })));
}

/** Maps a door's model name to the Reelay model it runs, or a model_not_found naming both. */
export function mappedModel(config: { models: Record<string, unknown> }, doorModel: string, target: string | undefined): string {
  if (target === undefined) throw new ReelayError('model_not_found', `Model not found: ${doorModel}`);
  if (!Object.hasOwn(config.models, target)) {
    throw new ReelayError('model_not_found', `Model ${doorModel} maps to ${target}, which this server does not serve`);
  }
  return target;
}
