import { pngBomb } from '../test/helpers/png-bomb.js';
import type { Rng } from './prng.js';

/** Values of the wrong type, out of range, or odd: what a careless or hostile client sends for one field. */
const ODD_VALUES: unknown[] = [
  null,
  true,
  0,
  -1,
  1.5,
  1e308,
  -1e308,
  2 ** 53 + 1,
  4294967296,
  '6',
  '6.0',
  ' 5',
  'NaN',
  'Infinity',
  '',
  '\u0000',
  '\u202e\u0645\u0631\u062d\u0628\u0627',
  '😀'.repeat(700),
  'x'.repeat(2001),
  [],
  [5],
  {},
  { $gt: '' },
  { toString: 'x' },
];

const FIELDS = ['image', 'prompt', 'duration', 'aspect_ratio', 'seed', 'webhook', 'url', 'name', 'credits', 'scopes', 'amount', 'action', 'rpm_limit'];

/** A JSON body: the valid one with some fields broken, dropped, or joined by extras. */
export function mutatedJson(r: Rng, base: Record<string, unknown> | undefined): string {
  const body: Record<string, unknown> = { ...(base ?? {}) };
  for (let i = r.int(1, 3); i > 0; i--) {
    const field = r.chance(0.7) && Object.keys(body).length ? r.pick(Object.keys(body)) : r.pick(FIELDS);
    if (r.chance(0.15)) delete body[field];
    else body[field] = r.pick(ODD_VALUES);
  }
  if (r.chance(0.2)) body[`extra_${r.int(0, 99)}`] = { nested: [1, 'two', null] };
  let text = JSON.stringify(body);
  // Keys JSON.stringify will not write for us: prototype pollution attempts and duplicates.
  if (r.chance(0.1)) text = text.replace(/^\{/, '{"__proto__":{"admin":true},"constructor":{"prototype":{"x":1}},');
  if (r.chance(0.05)) text = text.replace(/^\{/, '{"duration":7,"duration":"x",');
  return text;
}

/** Bodies that are not a JSON object at all, or not JSON. */
export function strangeJson(r: Rng): string | Buffer {
  const depth = r.pick([100, 10_000, 200_000]);
  return r.pick<() => string | Buffer>([
    () => '['.repeat(depth) + ']'.repeat(depth),
    () => '{"a":'.repeat(depth) + '1' + '}'.repeat(depth),
    () => '[1,2,3]',
    () => '"just a string"',
    () => 'null',
    () => '12345678901234567890e99999',
    () => '{"image": "x",}',
    () => '{"image": "\\ud800"}',
    () => '\ufeff{"image":"x"}',
    () => '{"image":"x"} trailing',
    () => '',
    () => Buffer.from([0x7b, 0x22, 0xff, 0xfe, 0x22, 0x3a, 0x31, 0x7d]),
    () => r.bytes(r.int(1, 512)),
    () => `{"prompt":"${'\\u0000'.repeat(3000)}"}`,
  ])();
}

/** Image payloads that must all be a clean 400 (or a 200 for the valid one), never a crash. */
export function imageVariant(r: Rng, png: Buffer, big: boolean): { label: string; bytes: Buffer; mime: string } {
  const cut = (n: number): Buffer => png.subarray(0, Math.max(1, Math.min(png.length - 1, n)));
  const variants: Array<() => { label: string; bytes: Buffer; mime: string }> = [
    () => ({ label: 'valid', bytes: png, mime: 'image/png' }),
    () => ({ label: 'truncated', bytes: cut(r.int(8, png.length - 1)), mime: 'image/png' }),
    () => ({ label: 'corrupt', bytes: Buffer.concat([png.subarray(0, 40), r.bytes(png.length - 40)]), mime: 'image/png' }),
    () => ({ label: 'wrong magic', bytes: Buffer.concat([Buffer.from('GIF89a'), png.subarray(6)]), mime: 'image/png' }),
    () => ({ label: 'png labelled jpeg', bytes: png, mime: 'image/jpeg' }),
    () => ({ label: 'svg', bytes: Buffer.from('<svg xmlns="http://www.w3.org/2000/svg" width="9e9" height="9e9"/>'), mime: 'image/svg+xml' }),
    () => ({ label: 'bomb 30000x30000', bytes: pngBomb(30_000, 30_000), mime: 'image/png' }),
    () => ({ label: 'bomb 100000x1', bytes: pngBomb(100_000, 1), mime: 'image/png' }),
    () => ({ label: 'bomb 1x1', bytes: pngBomb(1, 1), mime: 'image/png' }),
    () => ({ label: 'empty', bytes: Buffer.alloc(0), mime: 'image/png' }),
    () => ({ label: 'random', bytes: r.bytes(r.int(1, 4096)), mime: 'image/webp' }),
  ];
  // 21 MB of noise: over the 20 MB image limit but under the 30 MB body limit; costly, so full runs only.
  if (big) variants.push(() => ({ label: 'oversized', bytes: Buffer.alloc(21 * 1024 * 1024, 7), mime: 'image/png' }));
  return r.pick(variants)();
}

/** How the image string is spelt: data URI (odd ones too) or bare base64. */
export function imageString(r: Rng, bytes: Buffer, mime: string): string {
  const b64 = bytes.toString('base64');
  return r.pick([
    `data:${mime};base64,${b64}`,
    b64,
    `data:${mime};base64,${b64.replace(/=+$/, '')}`,
    `data:${mime};base64,${b64}!!!`,
    `data:${mime},${b64}`,
    `data:;base64,${b64}`,
    `data:image/png;base64;base64,${b64}`,
    `DATA:IMAGE/PNG;BASE64,${b64}`,
  ]);
}

/** A multipart body: valid, or broken in one of the ways parsers trip on. */
export function multipart(r: Rng, fields: Record<string, string>, image: Buffer, mime: string): { contentType: string; body: Buffer } {
  const boundary = `----attack${r.int(0, 1e9)}`;
  const parts: Buffer[] = [];
  for (const [k, v] of Object.entries(fields)) parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${k}"\r\n\r\n${v}\r\n`));
  const fileName = r.pick(['a.png', '../../etc/passwd', '', 'x'.repeat(5000), '😀.png']);
  const filePart = (name: string): Buffer =>
    Buffer.concat([
      Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${name}"; filename="${fileName}"\r\nContent-Type: ${mime}\r\n\r\n`),
      image,
      Buffer.from('\r\n'),
    ]);
  const end = Buffer.from(`--${boundary}--\r\n`);
  const kind = r.int(0, 7);
  if (kind === 0) return { contentType: 'multipart/form-data', body: Buffer.concat([...parts, filePart('image'), end]) };
  if (kind === 1) return { contentType: `multipart/form-data; boundary=other`, body: Buffer.concat([...parts, filePart('image'), end]) };
  if (kind === 2) return { contentType: `multipart/form-data; boundary=${boundary}`, body: Buffer.concat([...parts, filePart('image')]) };
  if (kind === 3) return { contentType: `multipart/form-data; boundary=${boundary}`, body: Buffer.concat([filePart('image'), filePart('image'), end]) };
  if (kind === 4) {
    const many = Array.from({ length: 2000 }, (_, i) => Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="f${i}"\r\n\r\nv\r\n`));
    return { contentType: `multipart/form-data; boundary=${boundary}`, body: Buffer.concat([...many, filePart('image'), end]) };
  }
  if (kind === 5) return { contentType: `multipart/form-data; boundary=${boundary}`, body: Buffer.concat([Buffer.from(`--${boundary}\r\n\r\n`), image, end]) };
  if (kind === 6) return { contentType: `multipart/form-data; boundary="${'b'.repeat(300)}"`, body: r.bytes(300) };
  return { contentType: `multipart/form-data; boundary=${boundary}`, body: Buffer.concat([...parts, filePart('image'), end]) };
}
