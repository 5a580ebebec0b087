import { mkdtemp, rm } from 'node:fs/promises';
import type { Server } from 'node:http';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** The part of s3rver 3.7 we use; the package ships no type declarations, so it is loaded through require. */
interface S3rverInstance {
  run(): Promise<AddressInfo>;
  close(): Promise<void>;
  httpServer?: Server;
}
type S3rverConstructor = new (options: {
  port: number;
  address: string;
  silent: boolean;
  directory: string;
  configureBuckets: Array<{ name: string }>;
}) => S3rverInstance;

const require = createRequire(import.meta.url);
const S3rver = require('s3rver') as S3rverConstructor;

export interface RunningS3rver {
  endpoint: string;
  bucket: string;
  region: 'us-east-1';
  accessKeyId: 'S3RVER';
  secretAccessKey: 'S3RVER';
  /** s3rver only resolves buckets from the path on 127.0.0.1 (no vhost DNS). */
  forcePathStyle: true;
  /** Takes the service down (connections refused), keeping its data, as an outage would. */
  pause(): Promise<void>;
  /** Brings it back on the same port with the same data. */
  resume(): Promise<void>;
  stop(): Promise<void>;
}

/** A fake S3 on loopback with one empty bucket, backed by a fresh temp directory. */
export async function startS3rver(bucket = 'reelay-test'): Promise<RunningS3rver> {
  const directory = await mkdtemp(join(tmpdir(), 'reelay-s3rver-'));
  let server = new S3rver({ port: 0, address: '127.0.0.1', silent: true, directory, configureBuckets: [{ name: bucket }] });
  let address: AddressInfo;
  try {
    address = await server.run();
  } catch (err) {
    await rm(directory, { recursive: true, force: true });
    throw err;
  }
  let stopped = false;
  let paused = false;
  const shutDown = async (): Promise<void> => {
    const closing = server.close();
    // close() waits for open sockets; a test that left a download unread must not hang teardown.
    server.httpServer?.closeAllConnections();
    await closing;
  };
  return {
    endpoint: `http://127.0.0.1:${address.port}`,
    bucket,
    region: 'us-east-1',
    accessKeyId: 'S3RVER',
    secretAccessKey: 'S3RVER',
    forcePathStyle: true,
    async pause() {
      if (paused || stopped) return;
      paused = true;
      await shutDown();
    },
    async resume() {
      if (!paused || stopped) return;
      server = new S3rver({ port: address.port, address: '127.0.0.1', silent: true, directory, configureBuckets: [{ name: bucket }] });
      await server.run();
      paused = false;
    },
    async stop() {
      if (stopped) return;
      stopped = true;
      if (!paused) await shutDown();
      await rm(directory, { recursive: true, force: true });
    },
  };
}
