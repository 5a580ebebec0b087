import zlib from 'node:zlib';
import sharp from 'sharp';

/** A small noisy image, so encoders produce realistic (non-trivial) files. */
export async function makeImage(format: 'jpeg' | 'png' | 'webp' | 'gif' | 'tiff', width = 64, height = 48): Promise<Buffer> {
  const base = sharp({ create: { width, height, channels: 3, background: '#808080', noise: { type: 'gaussian', mean: 128, sigma: 40 } } });
  return base.toFormat(format).toBuffer();
}

/** A 400×200 JPEG whose EXIF says "rotate 90°", so it displays as 200×400. */
export async function makeRotatedJpeg(): Promise<Buffer> {
  return sharp({ create: { width: 400, height: 200, channels: 3, background: { r: 200, g: 40, b: 40 } } })
    .jpeg()
    .withMetadata({ orientation: 6 })
    .toBuffer();
}

function pngChunk(type: string, data: Buffer): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(zlib.crc32(body) >>> 0);
  return Buffer.concat([length, body, crc]);
}

/**
 * A valid, fully decodable 1-bit grayscale PNG of `size`×`size` zeros: a decompression
 * bomb (30000² = 900 MP from about 100 KB), built by streaming rows through zlib so the
 * raw pixels are never held in memory.
 */
export async function makePngBomb(size = 30_000): Promise<Buffer> {
  const header = Buffer.alloc(13);
  header.writeUInt32BE(size, 0);
  header.writeUInt32BE(size, 4);
  header[8] = 1; // bit depth
  header[9] = 0; // grayscale
  const rowsPerWrite = 1000;
  const rows = Buffer.alloc((1 + Math.ceil(size / 8)) * rowsPerWrite); // filter byte 0 + zero pixels
  const deflate = zlib.createDeflate({ level: 6 });
  const compressed: Buffer[] = [];
  deflate.on('data', (chunk: Buffer) => compressed.push(chunk));
  const ended = new Promise<void>((resolve, reject) => {
    deflate.on('end', resolve);
    deflate.on('error', reject);
  });
  for (let row = 0; row < size; row += rowsPerWrite) {
    const count = Math.min(rowsPerWrite, size - row);
    deflate.write(rows.subarray(0, count * (1 + Math.ceil(size / 8))));
  }
  deflate.end();
  await ended;
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    pngChunk('IHDR', header),
    pngChunk('IDAT', Buffer.concat(compressed)),
    pngChunk('IEND', Buffer.alloc(0)),
  ]);
}

/** Just enough of a BMP for magic-byte sniffing: "BM" and a plausible header. */
export function makeBmpHeader(): Buffer {
  const bmp = Buffer.alloc(70);
  bmp.write('BM', 0, 'latin1');
  bmp.writeUInt32LE(70, 2);
  bmp.writeUInt32LE(54, 10);
  bmp.writeUInt32LE(40, 14);
  bmp.writeInt32LE(2, 18);
  bmp.writeInt32LE(2, 22);
  return bmp;
}
