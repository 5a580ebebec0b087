import { ApiError, ConnectionError, InferenceFailed, InferenceTimeout, Reelay, type CompletedResult, type Job } from '@reelay/sdk';
import { UsageError } from '../usage-error.js';
import { parseClientArgs, type ClientArgs } from './args.js';
import { COMMAND_HELP } from './help.js';
import { imageParam } from './image.js';
import { afterInterrupt, untilInterrupted } from './interrupt.js';
import { describeStatus, ProgressLine } from './progress.js';
import { userPath } from '../user-path.js';

export { CLIENT_HELP } from './help.js';

/** The commands runClientCommand handles, for the dispatcher in src/cli/commands.ts. */
export const CLIENT_COMMANDS = ['generate', 'status', 'wait', 'cancel'] as const;

/**
 * `reelay generate|status|wait|cancel`. Usage mistakes throw UsageError (exit 2 with help);
 * failures of the request or the server are printed to stderr and set exit code 1.
 */
export async function runClientCommand(command: string, argv: string[], env: NodeJS.ProcessEnv = process.env): Promise<void> {
  const args = parseClientArgs(argv, env);
  const help = COMMAND_HELP[command];
  if (!help) throw new UsageError(`unknown command "${command}"`);
  if (args.help) return void process.stdout.write(help);
  const key = args.key ?? env.SEGMIND_API_KEY;
  if (!key) throw new UsageError('no API key: pass --key KEY or set REELAY_API_KEY');
  const client = new Reelay({ apiKey: key, baseUrl: args.server });
  try {
    if (command === 'generate') await generate(client, args);
    else await byId(client, command, args);
  } catch (err) {
    if (!(err instanceof InferenceFailed || err instanceof InferenceTimeout || err instanceof ApiError || err instanceof ConnectionError)) throw err;
    if (args.json && err instanceof InferenceFailed) process.stdout.write(`${JSON.stringify(err.result)}\n`);
    process.stderr.write(`reelay: ${explain(err)}\n`);
    process.exitCode = 1;
  }
}

function need(value: string | undefined, what: string): string {
  if (!value) throw new UsageError(`missing ${what}`);
  return value;
}

async function generate(client: Reelay, args: ClientArgs): Promise<void> {
  const image = await imageParam(need(args.positionals[0], 'IMAGE_OR_URL'), userPath);
  const params = {
    image,
    ...(args.prompt !== undefined ? { prompt: args.prompt } : {}),
    ...(args.duration !== undefined ? { duration: args.duration } : {}),
    ...(args.aspect !== undefined ? { aspect_ratio: args.aspect } : {}),
    ...(args.seed !== undefined ? { seed: args.seed } : {}),
  };
  const job = await client.submitAsync(args.model, params, args.fault ? { headers: { 'x-reelay-fault': args.fault } } : {});
  if (args.noWait) {
    const submitted = { request_id: job.requestId, status_url: job.statusUrl, response_url: job.responseUrl };
    process.stdout.write(args.json ? `${JSON.stringify(submitted)}\n` : `${job.requestId}\n`);
    return;
  }
  process.stderr.write(`Submitted request ${job.requestId}\n`);
  await waitAndSave(client, job, args);
}

async function byId(client: Reelay, command: string, args: ClientArgs): Promise<void> {
  const job = client.job(need(args.positionals[0], 'request ID'));
  if (command === 'status') {
    const status = await job.status();
    process.stdout.write(args.json ? `${JSON.stringify(status)}\n` : `${job.requestId} ${describeStatus(status)}\n`);
  } else if (command === 'cancel') {
    const failed = await job.cancel();
    process.stdout.write(args.json ? `${JSON.stringify(failed)}\n` : `Canceled request ${job.requestId}\n`);
  } else {
    await waitAndSave(client, job, args);
  }
}

/** Waits with live progress (Ctrl-C aware), then saves the video to --out (default ID.mp4). */
async function waitAndSave(client: Reelay, job: Job, args: ClientArgs): Promise<void> {
  const progress = new ProgressLine(process.stderr, job.requestId);
  let outcome: Awaited<ReturnType<typeof untilInterrupted<CompletedResult>>>;
  try {
    outcome = await untilInterrupted((signal) =>
      job.wait({ signal, mode: args.mode, onProgress: (s) => progress.update(s), ...(args.timeoutMs ? { timeoutMs: args.timeoutMs } : {}) }),
    );
  } finally {
    progress.finish();
  }
  if (outcome.interrupted) return afterInterrupt(job);
  const result = outcome.value;
  const file = args.out ?? `${job.requestId}.mp4`;
  await client.downloadOutput(result, userPath(file));
  if (args.json) {
    process.stdout.write(`${JSON.stringify({ ...result, file })}\n`);
  } else {
    const about = [result.seed !== undefined ? `seed ${result.seed}` : '', result.engine ? `engine ${result.engine}` : ''].filter(Boolean).join(', ');
    process.stdout.write(`Saved ${file} (request ${job.requestId}${about ? `, ${about}` : ''})\n`);
  }
}

/** One line a person can act on, for each way a client command can fail. */
function explain(err: InferenceFailed | InferenceTimeout | ApiError | ConnectionError): string {
  if (err instanceof InferenceFailed) return `request ${err.requestId} failed (${err.code}): ${err.message}`;
  if (err instanceof InferenceTimeout) {
    return `request ${err.requestId} not finished after ${Math.round(err.elapsedMs / 1000)}s; it is still running (reelay wait ${err.requestId})`;
  }
  if (err instanceof ConnectionError) return err.message;
  const details = Array.isArray(err.body.details)
    ? (err.body.details as Array<{ field?: unknown; message?: unknown }>).map((d) => `\n  ${String(d.field)}: ${String(d.message)}`).join('')
    : '';
  // Only a generation request's id is worth showing; the per-call X-Request-Id would read like one.
  const request = typeof err.body.request_id === 'string' ? `, request ${err.body.request_id}` : '';
  return `${err.message} (HTTP ${err.status} ${err.code}${request})${details}`;
}
