import { randomUUID } from 'node:crypto';
import { ConfigError, loadConfig, type Config } from '../../config.js';
import { silentLogger } from '../../logger.js';
import { openServices } from '../../open-services.js';
import { fail, messageOf, ok, type Check } from './check.js';
import { checkBinaries, checkDataDir } from './local.js';
import { checkEngines } from './upstream.js';

export type { Check } from './check.js';

/** The store answers and the blob store takes, returns and deletes a probe file. */
async function checkStores(config: Config): Promise<Check[]> {
  const where = config.databaseUrl ? 'PostgreSQL' : 'SQLite';
  let services;
  try {
    services = await openServices(config, silentLogger(), { listen: false });
    await services.store.ping();
  } catch (err) {
    await services?.close();
    return [
      fail(
        'store',
        `${where}: ${messageOf(err)}`,
        config.databaseUrl ? 'check DATABASE_URL, that PostgreSQL runs and accepts this user' : 'check the data dir (above)',
      ),
    ];
  }
  const checks = [ok('store', `${where} reachable, schema up to date`)];
  const key = `doctor/${randomUUID()}`;
  const blobs = config.s3 ? `S3 bucket ${config.s3.bucket}` : 'disk';
  try {
    await services.blobs.put(key, { bytes: Buffer.from('reelay doctor') });
    const back = await services.blobs.readBytes(key);
    if (back.toString() !== 'reelay doctor') throw new Error('read back different bytes');
    await services.blobs.delete(key);
    checks.push(ok('blobs', `${blobs}: write, read, delete work`));
  } catch (err) {
    checks.push(
      fail(
        'blobs',
        `${blobs}: ${messageOf(err)}`,
        config.s3 ? 'check REELAY_S3_* (bucket, region, endpoint, keys with put/get/delete rights)' : 'check the data dir (above)',
      ),
    );
  } finally {
    await services.close();
  }
  return checks;
}

/** Every check of `reelay doctor`, in the order a fix is usually needed. */
export async function runDoctor(env: NodeJS.ProcessEnv): Promise<Check[]> {
  let config: Config;
  try {
    config = loadConfig(env);
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    return [
      fail('config', err.message, 'fix the setting named (environment or reelay.config.json); "reelay --help" lists them'),
      ...(await checkBinaries(env.REELAY_FFMPEG)),
    ];
  }
  const engines = [...new Set(Object.values(config.models).map((m) => m.engine))].join(', ');
  const checks = [
    ok('config', `${config.databaseUrl ? 'PostgreSQL' : `SQLite in ${config.dataDir}`}, ${config.s3 ? 'S3' : 'disk'} blobs, engines: ${engines}`),
  ];
  checks.push(...(await checkBinaries(config.ffmpegPath)));
  const dataDir = config.databaseUrl && config.s3 ? [] : await checkDataDir(config.dataDir);
  checks.push(...dataDir);
  if (!dataDir.some((c) => c.status === 'fail')) checks.push(...(await checkStores(config)));
  checks.push(...(await checkEngines(config)));
  return checks;
}
