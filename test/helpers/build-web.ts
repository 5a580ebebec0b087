import { buildWeb } from '../../web/build.js';

/** Vitest global setup: the pages' assets are built once per run, so browser tests never see stale ones. */
export default async function setup(): Promise<void> {
  await buildWeb();
}
