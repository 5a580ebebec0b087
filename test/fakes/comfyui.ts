import type { IncomingMessage, ServerResponse } from 'node:http';
import { WebSocketServer, type WebSocket } from 'ws';
import { listenLoopback, type Loopback } from '../helpers/loopback.js';
import { encodeStill, samplerSteps, topological } from './comfyui-exec.js';
import { MODEL_FILES, objectInfo, validateGraph } from './comfyui-nodes.js';
import { parseJson, sendJson, type Recorded } from './http.js';

/** What the fake does with the next prompts; tests set it per case. */
export interface ComfyScenario {
  /** Delay between sampler steps (the "slow" control). */
  stepMs: number;
  /** Steps each sampler reports (KSamplerAdvanced halves report their own range). */
  failWith: 'none' | 'execution_error' | 'oom';
  /** Close the whole server (HTTP and sockets) at this sampler step of the first pass. */
  dieAtStep: number | null;
  /** Accept the WebSocket but never send on it (ComfyUI's silent socket). */
  silentSocket: boolean;
  /** Refuse the WebSocket upgrade: the client must complete from /history alone. */
  historyOnly: boolean;
  /** Delay before GET /history/{id} answers (a long history, a busy server). */
  historyDelayMs: number;
  /** How late a closed socket's teardown runs (a busy event loop, a delayed FIN); it forgets the id even if a reconnect took it. */
  teardownLagMs: number;
  /** Model files this server has (a missing file makes the start-up check fail). */
  files: typeof MODEL_FILES;
}

export function defaultComfyScenario(): ComfyScenario {
  return {
    stepMs: 5,
    failWith: 'none',
    dieAtStep: null,
    silentSocket: false,
    historyOnly: false,
    teardownLagMs: 0,
    historyDelayMs: 0,
    files: structuredClone(MODEL_FILES),
  };
}

type Graph = Record<string, { class_type: string; inputs: Record<string, unknown> }>;
interface Queued {
  number: number;
  id: string;
  graph: Graph;
  extra: { client_id?: string; create_time: number };
  outputs: string[];
}

export interface ComfyFake {
  url: string;
  scenario: ComfyScenario;
  requests: Recorded[];
  /** Files POST /upload/image stored, by name. */
  uploads: Map<string, Buffer>;
  /** Drops every WebSocket (a network blip); clients may connect again. */
  dropSockets(): void;
  /** The clientId of every WebSocket accepted, in order. */
  socketClients: string[];
  /** In order: `view <file>` when /view is asked, `history <id> <entry|empty>` when /history/{id} answers. */
  events: string[];
  /** prompt ids /interrupt named (or "*" for a global interrupt). */
  interrupts: string[];
  /** Graphs accepted by POST /prompt, in order. */
  prompts: Graph[];
  /** Resolves when a prompt starts executing (for "cancel while running"). */
  started(): Promise<string>;
  /** Each finished prompt's own execution time, ms (the bench subtracts it from Reelay's latency). */
  executed: Map<string, number>;
  /** Each prompt's queued / started / ended times (performance.now(), ms), for the bench's stage split. */
  timeline: Map<string, { queuedAt: number; startedAt?: number; endedAt?: number }>;
  close(): Promise<void>;
}

/**
 * A fake ComfyUI faithful to server.py / execution.py: validates graphs against a small
 * `/object_info`, runs one prompt at a time from a real queue, sends the real WebSocket message
 * order to the submitting client id, writes history on completion, and makes a real MP4 (the
 * uploaded image, for `length` frames at the graph's fps and size) with ffmpeg.
 */
export async function startComfyFake(initial: Partial<ComfyScenario> = {}): Promise<ComfyFake> {
  const uploads = new Map<string, Buffer>();
  // Output files by `subfolder/name`, kept in memory: serving /view is then the fake's cost only in HTTP, as ComfyUI's sendfile.
  const outputs = new Map<string, Buffer>();
  const history: Record<string, unknown> = {};
  const pending: Queued[] = [];
  let running: Queued | undefined;
  let interruptFlag = false;
  let number = 0;
  let counter = 0;
  const sockets = new Map<string, WebSocket>();
  let startWaiters: Array<(id: string) => void> = [];
  let dead = false;
  let closing: Promise<void> | undefined;
  let wake: (() => void) | undefined;

  const fake: ComfyFake = {
    url: '',
    scenario: { ...defaultComfyScenario(), ...initial },
    requests: [],
    interrupts: [],
    uploads,
    socketClients: [],
    events: [],
    dropSockets: () => {
      for (const ws of sockets.values()) ws.terminate();
    },
    prompts: [],
    executed: new Map(),
    timeline: new Map(),
    started: () => new Promise((resolve) => startWaiters.push(resolve)),
    close: () =>
      (closing ??= (async () => {
        dead = true;
        wake?.();
        for (const ws of sockets.values()) ws.terminate();
        wss.close();
        await server.close();
      })()),
  };

  const send = (clientId: string | undefined, type: string, data: Record<string, unknown>): void => {
    const ws = clientId ? sockets.get(clientId) : undefined;
    if (ws && !fake.scenario.silentSocket && ws.readyState === ws.OPEN) ws.send(JSON.stringify({ type, data }));
  };

  const queueRemaining = (): number => pending.length + (running ? 1 : 0);

  async function execute(p: Queued): Promise<void> {
    const t0 = Date.now();
    const line = fake.timeline.get(p.id);
    if (line) line.startedAt = performance.now();
    const cid = p.extra.client_id;
    const messages: Array<[string, Record<string, unknown>]> = [];
    const say = (type: string, data: Record<string, unknown>, keep = true): void => {
      const full = { ...data, prompt_id: p.id, ...(keep ? { timestamp: Date.now() } : {}) };
      if (keep) messages.push([type, full]);
      send(cid, type, full);
    };
    say('execution_start', {});
    say('execution_cached', { nodes: [] });
    const outputsOut: Record<string, unknown> = {};
    let failure: 'error' | 'interrupted' | undefined;
    let failedAt: string | undefined;
    for (const id of topological(p.graph)) {
      const node = p.graph[id]!;
      send(cid, 'executing', { node: id, display_node: id, prompt_id: p.id });
      if (/Sampler(Advanced|Custom)?$/.test(node.class_type) && node.class_type !== 'KSamplerSelect') {
        const max = samplerSteps(node);
        for (let v = 1; v <= max; v++) {
          await new Promise((r) => setTimeout(r, fake.scenario.stepMs));
          if (dead) return;
          if (fake.scenario.dieAtStep !== null && v >= fake.scenario.dieAtStep) {
            void fake.close();
            return;
          }
          if (interruptFlag) {
            failure = 'interrupted';
            failedAt = id;
            break;
          }
          send(cid, 'progress', { value: v, max, prompt_id: p.id, node: id });
        }
        if (!failure && fake.scenario.failWith !== 'none') {
          failure = 'error';
          failedAt = id;
        }
      }
      if (failure) break;
      if (node.class_type === 'SaveVideo') {
        const file = await renderVideo(p);
        const output = { images: [{ filename: file, subfolder: 'video', type: 'output' }], animated: [true] };
        outputsOut[id] = output;
        send(cid, 'executed', { node: id, display_node: id, output, prompt_id: p.id });
      }
    }
    interruptFlag = false;
    if (failure === 'interrupted') {
      say('execution_interrupted', { node_id: failedAt, node_type: p.graph[failedAt!]!.class_type, executed: [] });
    } else if (failure === 'error') {
      const oom = fake.scenario.failWith === 'oom';
      say('execution_error', {
        node_id: failedAt,
        node_type: p.graph[failedAt!]!.class_type,
        executed: [],
        exception_message: oom
          ? 'Allocation on device 0 would exceed allowed memory. (out of memory)\nCurrently allocated     : 22.10 GiB\nRequested               : 1.25 GiB'
          : 'mat1 and mat2 shapes cannot be multiplied (77x768 and 4096x5120)',
        exception_type: oom ? 'torch.OutOfMemoryError' : 'RuntimeError',
        traceback: ['Traceback (most recent call last):\n'],
        current_inputs: {},
        current_outputs: {},
      });
    } else {
      say('execution_success', {});
    }
    fake.executed.set(p.id, Date.now() - t0);
    if (line) line.endedAt = performance.now();
    history[p.id] = {
      prompt: [p.number, p.id, p.graph, p.extra, p.outputs],
      outputs: outputsOut,
      status: { status_str: failure ? 'error' : 'success', completed: !failure, messages },
      meta: {},
    };
    running = undefined;
    send(cid, 'executing', { node: null, prompt_id: p.id });
    for (const ws of sockets.values())
      if (!fake.scenario.silentSocket && ws.readyState === ws.OPEN)
        ws.send(JSON.stringify({ type: 'status', data: { status: { exec_info: { queue_remaining: queueRemaining() } } } }));
  }

  async function renderVideo(p: Queued): Promise<string> {
    const find = (cls: RegExp) => Object.values(p.graph).find((n) => cls.test(n.class_type))?.inputs ?? {};
    const size = find(/ImageToVideo|ImgToVideo|ImageToVideoLatent/);
    const fps = Number(find(/^CreateVideo$/).fps ?? 16);
    const image = uploads.get(String(find(/^LoadImage$/).image)) ?? Buffer.alloc(0);
    const [w, h, frames] = [Number(size.width ?? 832), Number(size.height ?? 480), Number(size.length ?? 81)];
    const file = `reelay_${String(++counter).padStart(5, '0')}_.mp4`;
    outputs.set(`video/${file}`, await encodeStill(image, w, h, frames, fps));
    return file;
  }

  async function loop(): Promise<void> {
    while (!dead) {
      const next = pending.shift();
      if (!next) {
        await new Promise<void>((r) => (wake = r));
        continue;
      }
      running = next;
      const waiters = startWaiters;
      startWaiters = [];
      for (const w of waiters) w(next.id);
      await execute(next).catch(() => undefined);
    }
  }

  const server: Loopback = await listenLoopback((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      void handle(req, res, Buffer.concat(chunks)).catch((err: unknown) => sendJson(res, 500, { error: String(err) }));
    });
  });
  fake.url = server.url;

  async function handle(req: IncomingMessage, res: ServerResponse, body: Buffer): Promise<void> {
    const url = new URL(req.url ?? '/', server.url);
    const path = url.pathname.replace(/^\/api(?=\/)/, '');
    // aiohttp's request.json() ignores the content type; so does the fake.
    const json = req.headers['content-type']?.includes('multipart') ? undefined : parseJson(body);
    fake.requests.push({ method: req.method ?? 'GET', path: `${path}${url.search}`, headers: req.headers, body: json });
    const empty = (): void => void res.writeHead(200).end();
    if (req.method === 'POST' && path === '/upload/image') {
      const form = await new Request(url, { method: 'POST', headers: req.headers as Record<string, string>, body: new Uint8Array(body) }).formData();
      const image = form.get('image');
      if (!(image instanceof Blob)) return void res.writeHead(400).end();
      const name = (image as File).name;
      uploads.set(name, Buffer.from(await image.arrayBuffer()));
      return sendJson(res, 200, { name, subfolder: '', type: 'input' });
    }
    if (path === '/prompt' && req.method === 'GET') return sendJson(res, 200, { exec_info: { queue_remaining: queueRemaining() } });
    if (path === '/prompt' && req.method === 'POST') {
      const b = (json ?? {}) as { prompt?: Graph; client_id?: string; prompt_id?: string };
      if (!b.prompt)
        return sendJson(res, 400, {
          error: { type: 'no_prompt', message: 'No prompt provided', details: 'No prompt provided', extra_info: {} },
          node_errors: {},
        });
      const invalid = validateGraph(
        b.prompt,
        objectInfo(fake.scenario.files, () => [...uploads.keys()]),
      );
      if (invalid) return sendJson(res, 400, invalid);
      const id = b.prompt_id ?? crypto.randomUUID();
      const outs = Object.keys(b.prompt).filter((k) => b.prompt![k]!.class_type === 'SaveVideo');
      pending.push({ number: number++, id, graph: b.prompt, extra: { client_id: b.client_id, create_time: Date.now() }, outputs: outs });
      fake.prompts.push(b.prompt);
      fake.timeline.set(id, { queuedAt: performance.now() });
      wake?.();
      return sendJson(res, 200, { prompt_id: id, number: number - 1, node_errors: {} });
    }
    if (path === '/queue' && req.method === 'GET') {
      const item = (q: Queued) => [q.number, q.id, q.graph, q.extra, q.outputs];
      return sendJson(res, 200, { queue_running: running ? [item(running)] : [], queue_pending: pending.map(item) });
    }
    if (path === '/queue' && req.method === 'POST') {
      const del = ((json ?? {}) as { delete?: string[] }).delete ?? [];
      for (const id of del) pending.splice(pending.findIndex((q) => q.id === id) >>> 0, pending.some((q) => q.id === id) ? 1 : 0);
      return empty();
    }
    if (path === '/interrupt' && req.method === 'POST') {
      const target = ((json ?? {}) as { prompt_id?: string }).prompt_id;
      fake.interrupts.push(target ?? '*');
      if (running && (target === undefined || target === running.id)) interruptFlag = true;
      return empty();
    }
    if (path === '/history' && req.method === 'POST') {
      for (const id of ((json ?? {}) as { delete?: string[] }).delete ?? []) delete history[id];
      return empty();
    }
    const h = /^\/history\/(.+)$/.exec(path);
    if (h && req.method === 'GET') {
      if (fake.scenario.historyDelayMs > 0) await new Promise((r) => setTimeout(r, fake.scenario.historyDelayMs));
      const entry = history[h[1]!];
      fake.events.push(`history ${h[1]!} ${entry ? 'entry' : 'empty'}`);
      return sendJson(res, 200, entry ? { [h[1]!]: entry } : {});
    }
    if (path === '/view') {
      const name = url.searchParams.get('filename') ?? '';
      fake.events.push(`view ${name}`);
      if (name.startsWith('/') || name.includes('..')) return void res.writeHead(400).end();
      const bytes = outputs.get(`${url.searchParams.get('subfolder') ?? ''}/${name}`);
      if (!bytes) return void res.writeHead(404).end();
      res.writeHead(200, { 'content-type': 'video/mp4', 'content-disposition': `filename="${name}"`, 'content-length': bytes.length });
      return void res.end(bytes);
    }
    if (path === '/object_info') return sendJson(res, 200, objectInfo(fake.scenario.files));
    res.writeHead(404).end();
  }

  const wss = new WebSocketServer({ noServer: true });
  server.server.on('upgrade', (req, socket, head) => {
    const url = new URL(req.url ?? '/', server.url);
    if (url.pathname !== '/ws' || fake.scenario.historyOnly) {
      socket.end('HTTP/1.1 404 Not Found\r\n\r\n');
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => {
      const sid = url.searchParams.get('clientId') ?? crypto.randomUUID().replace(/-/g, '');
      sockets.set(sid, ws);
      fake.socketClients.push(sid);
      // As server.py: the id is forgotten when any of its sockets closes, even if a newer one took it.
      ws.on('close', () => {
        const lag = fake.scenario.teardownLagMs;
        if (lag > 0) setTimeout(() => sockets.delete(sid), lag).unref();
        else sockets.delete(sid);
      });
      if (!fake.scenario.silentSocket) ws.send(JSON.stringify({ type: 'status', data: { status: { exec_info: { queue_remaining: queueRemaining() } }, sid } }));
    });
  });

  void loop();
  return fake;
}
