import sharp from 'sharp';

/**
 * Synthetic test images, generated in memory so tests need no binary fixtures and every
 * property a test relies on (where a dot is, what grey a quadrant has) is known exactly.
 */

/** A deterministic pseudo-random byte stream (xorshift), so images are the same every run. */
function noiseBytes(length: number, seed: number): Buffer {
  const out = Buffer.alloc(length);
  let s = seed >>> 0 || 1;
  for (let i = 0; i < length; i++) {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    out[i] = (s >>> 0) & 0xff;
  }
  return out;
}

/**
 * A photo-like image: large soft colour blobs plus fine texture, so both misframing (wrong
 * window) and blur show up in PSNR. `blur` softens the fine texture.
 */
export async function texturedImage(width: number, height: number, opts: { blur?: number; format?: 'png' | 'jpeg'; seed?: number } = {}): Promise<Buffer> {
  const raw = { width, height, channels: 3 as const };
  const seed = opts.seed ?? 7;
  const blobs = await sharp(noiseBytes(width * height * 3, seed), { raw })
    .blur(Math.max(4, Math.min(width, height) / 40))
    .normalise()
    .raw()
    .toBuffer();
  const fine = await sharp(noiseBytes(width * height * 3, seed + 1), { raw })
    .blur(opts.blur ?? 1)
    .raw()
    .toBuffer();
  const mixed = Buffer.alloc(blobs.length);
  for (let i = 0; i < mixed.length; i++) mixed[i] = Math.round(0.75 * blobs[i]! + 0.25 * fine[i]!);
  const img = sharp(mixed, { raw });
  return opts.format === 'jpeg' ? img.jpeg({ quality: 92 }).toBuffer() : img.png().toBuffer();
}

export interface Dot {
  x: number;
  y: number;
}

/** White Gaussian dots (std dev `sigma` px) on black, on a grid `spacing` px apart. */
export async function dotsImage(width: number, height: number, spacing: number, sigma: number): Promise<{ png: Buffer; dots: Dot[] }> {
  const dots: Dot[] = [];
  // Off-grid centres, so no dot sits on a pixel centre by construction.
  for (let y = spacing / 2 + 0.3; y < height - spacing / 4; y += spacing) {
    for (let x = spacing / 2 + 0.7; x < width - spacing / 4; x += spacing) dots.push({ x, y });
  }
  const grey = new Float64Array(width * height);
  const reach = Math.ceil(4 * sigma);
  for (const d of dots) {
    for (let y = Math.floor(d.y - reach); y <= d.y + reach; y++) {
      for (let x = Math.floor(d.x - reach); x <= d.x + reach; x++) {
        if (x < 0 || y < 0 || x >= width || y >= height) continue;
        const r2 = (x + 0.5 - d.x) ** 2 + (y + 0.5 - d.y) ** 2;
        grey[y * width + x]! += Math.exp(-r2 / (2 * sigma * sigma));
      }
    }
  }
  const bytes = Buffer.alloc(width * height);
  for (let i = 0; i < bytes.length; i++) bytes[i] = Math.min(255, Math.round(grey[i]! * 235));
  const png = await sharp(bytes, { raw: { width, height, channels: 1 } })
    .png()
    .toBuffer();
  return { png, dots };
}

/** Grey levels of the four quadrants of `quadrantsJpeg`, as shown upright. */
export const QUADRANTS = { topLeft: 220, topRight: 160, bottomLeft: 100, bottomRight: 40 } as const;

/**
 * An upright `width × height` image of four grey quadrants. With `orientation: 6` the pixels
 * are stored rotated 90° counter-clockwise and tagged so a viewer rotates them back upright.
 */
export async function quadrantsJpeg(width: number, height: number, orientation: 1 | 6 = 1): Promise<Buffer> {
  const raw = Buffer.alloc(width * height * 3);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const top = y < height / 2;
      const left = x < width / 2;
      const v = top ? (left ? QUADRANTS.topLeft : QUADRANTS.topRight) : left ? QUADRANTS.bottomLeft : QUADRANTS.bottomRight;
      raw.fill(v, (y * width + x) * 3, (y * width + x) * 3 + 3);
    }
  }
  const upright = sharp(raw, { raw: { width, height, channels: 3 } });
  if (orientation === 1) return upright.jpeg({ quality: 95 }).toBuffer();
  const stored = await upright.rotate(270).jpeg({ quality: 95 }).toBuffer();
  return sharp(stored).withMetadata({ orientation }).jpeg({ quality: 95 }).toBuffer();
}

/**
 * A PNG whose left half is fully transparent (its colour channels hold garbage, which must not
 * show) and whose right half is opaque red.
 */
export async function halfTransparentPng(width: number, height: number): Promise<Buffer> {
  const rgba = Buffer.alloc(width * height * 4);
  const garbage = noiseBytes(width * height, 3);
  for (let i = 0; i < width * height; i++) {
    const opaque = i % width >= width / 2;
    rgba[i * 4] = opaque ? 255 : garbage[i]!;
    rgba[i * 4 + 1] = opaque ? 0 : 255 - garbage[i]!;
    rgba[i * 4 + 2] = opaque ? 0 : 0;
    rgba[i * 4 + 3] = opaque ? 255 : 0;
  }
  return sharp(rgba, { raw: { width, height, channels: 4 } })
    .png()
    .toBuffer();
}

/** A large JPEG: dark grey with a white rectangle `box` (in source pixels). */
export async function largeJpegWithBox(width: number, height: number, box: { left: number; top: number; width: number; height: number }): Promise<Buffer> {
  return sharp({ create: { width, height, channels: 3, background: { r: 40, g: 40, b: 40 } } })
    .composite([
      {
        input: { create: { width: box.width, height: box.height, channels: 3, background: { r: 255, g: 255, b: 255 } } },
        left: box.left,
        top: box.top,
      },
    ])
    .jpeg({ quality: 85 })
    .toBuffer();
}
