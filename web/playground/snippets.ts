import type { ImageSource } from './image-input.js';

/** Everything a snippet needs: it reproduces exactly the request the form would send. */
export interface SnippetInput {
  base: string;
  model: string;
  key: string;
  image: ImageSource | null;
  params: Record<string, unknown>;
}

export const SNIPPET_KINDS = ['curl', 'python', 'typescript', 'cli'] as const;
export type SnippetKind = (typeof SNIPPET_KINDS)[number];
export const SNIPPET_LABELS: Record<SnippetKind, string> = {
  curl: 'curl',
  python: 'Python (segmind)',
  typescript: 'TypeScript (@reelay/sdk)',
  cli: 'reelay CLI',
};

/** POSIX shell single quoting: safe for any text, including quotes and `$`. */
export function shellQuote(s: string): string {
  return `'${s.replace(/'/g, `'\\''`)}'`;
}

const FILE_PLACEHOLDER = 'photo.png';
const set = (params: Record<string, unknown>) => Object.entries(params).filter(([, v]) => v !== null && v !== undefined && v !== '');
const fileName = (image: ImageSource | null): string => (image?.kind === 'file' ? image.name : FILE_PLACEHOLDER);
const mime = (image: ImageSource | null): string => (image?.kind === 'file' ? image.type : 'image/png');

/** Submits with multipart (the image as a file part); text fields use --form-string so `@` and `<` stay literal. */
function curl(i: SnippetInput): string {
  const image = i.image?.kind === 'url' ? `--form-string ${shellQuote(`image=${i.image.url}`)}` : `-F ${shellQuote(`image=@${fileName(i.image)}`)}`;
  const lines = [
    `curl -sS -X POST ${shellQuote(`${i.base}/v2/${i.model}`)}`,
    `-H ${shellQuote(`x-api-key: ${i.key}`)}`,
    image,
    ...set(i.params).map(([k, v]) => `--form-string ${shellQuote(`${k}=${String(v)}`)}`),
  ];
  return lines.join(' \\\n  ');
}

const py = (v: unknown): string => (v === null ? 'None' : typeof v === 'boolean' ? (v ? 'True' : 'False') : JSON.stringify(v));

/** Segmind's own Python client: submit_async, then wait (it polls status_url, as against Segmind). */
function python(i: SnippetInput): string {
  const imageLine =
    i.image?.kind === 'url'
      ? `image = ${py(i.image.url)}`
      : `with open(${py(fileName(i.image))}, "rb") as f:\n    image = "data:${mime(i.image)};base64," + base64.b64encode(f.read()).decode()`;
  const args = set(i.params)
    .map(([k, v]) => `, ${k}=${py(v)}`)
    .join('');
  return [
    'import base64',
    'import urllib.request',
    'from segmind import SegmindClient',
    '',
    `client = SegmindClient(api_key=${py(i.key)}, base_url=${py(`${i.base}/v1`)})`,
    imageLine,
    `job = client.submit_async(${py(i.model)}, image=image${args})`,
    'result = job.wait(timeout=900, interval=2)',
    'urllib.request.urlretrieve(result["output"], "video.mp4")',
    'print(result["request_id"], result["seed"], result["engine"])',
  ].join('\n');
}

function typescript(i: SnippetInput): string {
  const imageLine =
    i.image?.kind === 'url'
      ? `const image = ${JSON.stringify(i.image.url)};`
      : `const image = \`data:${mime(i.image)};base64,\${(await readFile(${JSON.stringify(fileName(i.image))})).toString('base64')}\`;`;
  const params = ['image', ...set(i.params).map(([k, v]) => `${k}: ${JSON.stringify(v)}`)].join(', ');
  return [
    "import { readFile, writeFile } from 'node:fs/promises';",
    "import { Reelay } from '@reelay/sdk';",
    '',
    `const client = new Reelay({ baseUrl: ${JSON.stringify(i.base)}, apiKey: ${JSON.stringify(i.key)} });`,
    imageLine,
    `const job = await client.submitAsync(${JSON.stringify(i.model)}, { ${params} });`,
    'const result = await job.wait({ onProgress: (s) => console.error(s.status, s.progress ?? "") });',
    "await writeFile('video.mp4', Buffer.from(await (await fetch(result.output)).arrayBuffer()));",
    'console.log(result.request_id, result.seed, result.engine);',
  ].join('\n');
}

/** The CLI's flags for the model's fields (see `reelay generate --help`). */
const CLI_FLAGS: Record<string, string> = { prompt: '--prompt', duration: '--duration', aspect_ratio: '--aspect', seed: '--seed' };

function cli(i: SnippetInput): string {
  const image = i.image?.kind === 'url' ? i.image.url : fileName(i.image);
  const flags = set(i.params)
    .filter(([k]) => CLI_FLAGS[k])
    .map(([k, v]) => `${CLI_FLAGS[k]} ${shellQuote(String(v))}`);
  return [
    `REELAY_SERVER=${shellQuote(i.base)} REELAY_API_KEY=${shellQuote(i.key)} \\`,
    `  reelay generate ${shellQuote(image)} --model ${shellQuote(i.model)} ${flags.join(' ')} --out video.mp4`.trimEnd(),
  ].join('\n');
}

export function snippet(kind: SnippetKind, input: SnippetInput): string {
  return { curl, python, typescript, cli }[kind](input);
}
