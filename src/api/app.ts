import { Hono } from 'hono';
import type { Services } from '../core/context.js';
import { ReelayError } from '../errors.js';
import type { AppEnv } from './env.js';
import { BodyBudget } from './body-budget.js';
import { errorResponse } from './error-handler.js';
import { collectWhenQuiet } from './idle-gc.js';
import { corsPolicy, securityHeaders } from './middleware/browser.js';
import { accessLog } from './middleware/access-log.js';
import { callId } from './middleware/call-id.js';
import { openApiDocument } from './openapi.js';
import { adminRoutes } from './routes/admin.js';
import { fileRoutes } from './routes/files.js';
import { healthRoutes, type Readiness } from './routes/health.js';
import { modelRoutes } from './routes/models.js';
import { geminiRoutes } from './gemini/routes.js';
import { openAiRoutes } from './openai/routes.js';
import { requestRoutes } from './routes/requests.js';
import { submitRoutes } from './routes/submit.js';
import { webhookTestRoutes } from './routes/webhook-test.js';
import { historyRoutes } from './routes/history.js';
import { webRoutes } from '../web/pages.js';

/** What every process's HTTP face shares: services in context, X-Request-Id, health, errors in one place. */
function baseApp(services: Services, readiness: Readiness): Hono<AppEnv> {
  const app = new Hono<AppEnv>();
  const bodyBudget = new BodyBudget(services.config.bodyBudget);
  app.use('*', async (c, next) => {
    c.set('services', services);
    c.set('bodyBudget', bodyBudget);
    try {
      await next();
    } finally {
      collectWhenQuiet();
    }
  });
  app.use('*', callId);
  app.use('*', accessLog);
  app.use('*', securityHeaders);
  app.use('*', corsPolicy(services.config.corsOrigins));
  app.route('/', healthRoutes(readiness));
  app.notFound((c) => errorResponse(new ReelayError('not_found', `Not found: ${c.req.method} ${c.req.path}`), c));
  app.onError((err, c) => errorResponse(err, c));
  return app;
}

/** A worker process's HTTP face: health only. */
export function createHealthApp(services: Services, readiness: Readiness): Hono<AppEnv> {
  return baseApp(services, readiness);
}

/** The HTTP API: thin routes over the core. */
export function createApp(services: Services, readiness: Readiness): Hono<AppEnv> {
  const app = baseApp(services, readiness);
  app.get('/openapi.json', (c) => c.json(openApiDocument));
  app.route('/openai/v1', openAiRoutes);
  app.route('/gemini/v1beta', geminiRoutes);
  app.route('/', modelRoutes);
  app.route('/', adminRoutes);
  app.route('/', fileRoutes);
  app.route('/', historyRoutes);
  app.route('/', requestRoutes);
  app.route('/', webhookTestRoutes);
  app.route('/', submitRoutes);
  app.route('/', webRoutes());
  return app;
}
