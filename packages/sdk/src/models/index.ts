import type { Veo2Image2VideoParams } from './veo-2-image2video.js';

/** Models the SDK knows the parameters of; other slugs take any JSON object (their rules are the server's business). */
export interface ModelParamsMap {
  'veo-2-image2video': Veo2Image2VideoParams;
}

export type ModelName = keyof ModelParamsMap | (string & {});

/** The parameter type of a model: exact for known slugs, so a wrong `duration` does not compile. */
export type ParamsFor<M extends string> = M extends keyof ModelParamsMap ? ModelParamsMap[M] : object;
