import sharp from 'sharp';

/** A small photo-like PNG (gradient + shapes), enough for the API tests that do not look at pixels. */
export async function samplePng(width = 320, height = 180): Promise<Buffer> {
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}">
    <defs><linearGradient id="g" x1="0" y1="0" x2="1" y2="1"><stop offset="0" stop-color="#1d4e89"/><stop offset="1" stop-color="#f2a65a"/></linearGradient></defs>
    <rect width="100%" height="100%" fill="url(#g)"/>
    <circle cx="${width * 0.3}" cy="${height * 0.5}" r="${height * 0.25}" fill="#fff4" />
    <rect x="${width * 0.6}" y="${height * 0.2}" width="${width * 0.2}" height="${height * 0.5}" fill="#0006"/>
  </svg>`;
  return sharp(Buffer.from(svg)).png().toBuffer();
}

export async function sampleDataUri(width?: number, height?: number): Promise<string> {
  return `data:image/png;base64,${(await samplePng(width, height)).toString('base64')}`;
}
