import { randomUUID } from 'node:crypto';
import type { MiddlewareHandler } from 'hono';
import type { AppEnv } from '../env.js';

/** Every response carries X-Request-Id; routes about a generation request replace it with that request's id. */
export const callId: MiddlewareHandler<AppEnv> = async (c, next) => {
  const id = randomUUID();
  c.set('callId', id);
  c.header('X-Request-Id', id);
  await next();
  if (!c.res.headers.has('X-Request-Id')) c.res.headers.set('X-Request-Id', id);
};
