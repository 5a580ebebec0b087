/**
 * Reads an MP4's box structure without decoding, to tell whether a file is already what Reelay
 * serves (H.264 4:2:0 video, no audio, `moov` before `mdat` so it streams) and can be kept byte
 * for byte, sparing an ffprobe and an ffmpeg process per request.
 */

interface Box {
  type: string;
  start: number;
  end: number;
}

function* boxes(b: Buffer, start: number, end: number): Generator<Box> {
  let at = start;
  while (at + 8 <= end) {
    let size = b.readUInt32BE(at);
    let header = 8;
    if (size === 1 && at + 16 <= end) {
      size = Number(b.readBigUInt64BE(at + 8));
      header = 16;
    } else if (size === 0) size = end - at;
    if (size < header || at + size > end) return;
    yield { type: b.toString('latin1', at + 4, at + 8), start: at + header, end: at + size };
    at += size;
  }
}

function child(b: Buffer, parent: Box, type: string): Box | undefined {
  for (const box of boxes(b, parent.start, parent.end)) if (box.type === type) return box;
  return undefined;
}

/**
 * `servable`: an MP4 whose only track is H.264 video with 4:2:0 chroma; `faststart`: its `moov`
 * comes before `mdat`. Servable and faststart: keep the bytes; servable only: copy the stream.
 */
export function inspectMp4(b: Buffer): { servable: boolean; faststart: boolean } {
  const top = [...boxes(b, 0, b.length)];
  const moovAt = top.findIndex((x) => x.type === 'moov');
  const mdatAt = top.findIndex((x) => x.type === 'mdat');
  if (top[0]?.type !== 'ftyp' || moovAt < 0 || mdatAt < 0) return { servable: false, faststart: false };
  return { servable: h264VideoOnly(b, top[moovAt]!), faststart: moovAt < mdatAt };
}

function h264VideoOnly(b: Buffer, moov: Box): boolean {
  const traks = [...boxes(b, moov.start, moov.end)].filter((x) => x.type === 'trak');
  if (traks.length !== 1) return false;
  const mdia = child(b, traks[0]!, 'mdia');
  const hdlr = mdia && child(b, mdia, 'hdlr');
  if (!mdia || !hdlr || b.toString('latin1', hdlr.start + 8, hdlr.start + 12) !== 'vide') return false;
  const stbl = ['minf', 'stbl'].reduce<Box | undefined>((box, type) => box && child(b, box, type), mdia);
  const stsd = stbl && child(b, stbl, 'stsd');
  if (!stsd) return false;
  // stsd: version/flags (4), entry count (4), then the sample entry; avc1's fixed fields take 78 bytes.
  const entry = [...boxes(b, stsd.start + 8, stsd.end)][0];
  if (entry?.type !== 'avc1') return false;
  const avcC = child(b, { type: 'avc1', start: entry.start + 78, end: entry.end }, 'avcC');
  return avcC !== undefined && chroma420(b.subarray(avcC.start, avcC.end));
}

/** Profiles whose SPS carries chroma_format_idc (H.264 7.3.2.1.1); the others are always 4:2:0. */
const CHROMA_PROFILES = new Set([100, 110, 122, 244, 44, 83, 86, 118, 128, 138, 139, 134, 135]);

/** Reads the first SPS of an avcC box and says whether its chroma format is 4:2:0. */
function chroma420(c: Buffer): boolean {
  if ((c[5] ?? 0) & 0x1f) {
    const length = c.readUInt16BE(6);
    const sps = c.subarray(8, 8 + length);
    const profile = sps[1] ?? 0;
    if (!CHROMA_PROFILES.has(profile)) return true;
    // After the NAL header, profile, constraints and level: ue(v) sps id, then ue(v) chroma_format_idc.
    const bits = new BitReader(sps.subarray(4));
    bits.ue();
    return bits.ue() === 1;
  }
  return false;
}

/** Exp-Golomb reader for the first fields of an SPS (emulation-prevention bytes cannot occur this early). */
class BitReader {
  private at = 0;
  constructor(private readonly b: Buffer) {}
  private bit(): number {
    const byte = this.b[this.at >> 3] ?? 0;
    const v = (byte >> (7 - (this.at & 7))) & 1;
    this.at++;
    return v;
  }
  ue(): number {
    let zeros = 0;
    while (this.bit() === 0 && zeros < 32) zeros++;
    let v = 0;
    for (let i = 0; i < zeros; i++) v = (v << 1) | this.bit();
    return (1 << zeros) - 1 + v;
  }
}
