import { afterAll, beforeAll, expect, it } from 'vitest';
import { sampleDataUri } from '../helpers/png.js';
import { startReceiver, type Receiver } from '../helpers/receiver.js';
import { startTestServer, submit, waitFinished, type TestServer } from '../helpers/server.js';

/**
 * With `outputUrls: presigned` (S3 only, so always the scale-out backend here), the video's URL is
 * a presigned S3 URL in the API's answers and in webhook bodies alike: one builder serves both.
 */
const MODEL = 'veo-2-image2video';
let server: TestServer;
let receiver: Receiver;

beforeAll(async () => {
  receiver = await startReceiver({ '/hook': (_req, res) => res.writeHead(204).end() });
  server = await startTestServer({ outputUrls: 'presigned', webhooks: { allowList: ['127.0.0.1/32:*'], pollInterval: 100 } }, 'postgres');
});
afterAll(async () => {
  await server?.stop();
  await receiver?.close();
});

async function delivery(id: string): Promise<string> {
  for (let i = 0; i < 100; i++) {
    const got = receiver.requests.find((r) => r.path === '/hook' && r.body.includes(id));
    if (got) return got.body;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`no webhook delivery for ${id}`);
}

it('a COMPLETED webhook body carries a presigned S3 URL that downloads the video, like the result body', async () => {
  const res = await submit(server, `/v2/${MODEL}`, { image: await sampleDataUri(160, 90), duration: 5, webhook: `${receiver.origin}/hook` });
  expect(res.status).toBe(200);
  const { request_id: id } = (await res.json()) as { request_id: string };
  expect((await waitFinished(server, id)).status).toBe('COMPLETED');

  const hooked = JSON.parse(await delivery(id)) as { status: string; output: string };
  const result = (await (await server.call(`/v2/requests/${id}`)).json()) as { output: string };
  expect(hooked.status).toBe('COMPLETED');
  for (const url of [hooked.output, result.output]) {
    expect(url).not.toContain('/v2/files/');
    expect(new URL(url).searchParams.get('X-Amz-Signature')).toBeTruthy();
  }

  const fromHook = Buffer.from(await (await fetch(hooked.output)).arrayBuffer());
  const fromResult = Buffer.from(await (await fetch(result.output)).arrayBuffer());
  expect(fromHook.subarray(4, 8).toString('latin1')).toBe('ftyp');
  expect(fromHook.equals(fromResult)).toBe(true);
});
