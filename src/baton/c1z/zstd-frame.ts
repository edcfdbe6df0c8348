/** Facts from a zstd frame header (RFC 8878 §3.1.1.1). */
export interface ZstdFrameHeader {
  /** Frame_Content_Size, when the header carries it. */
  contentSize: number | undefined;
  hasChecksum: boolean;
  singleSegment: boolean;
  /** Window size the decoder must allocate. */
  windowSize: number;
  headerBytes: number;
}

const ZSTD_MAGIC = 0xfd2fb528;

/** Parse the header of the zstd frame at the start of `buf`; undefined when it is not one. */
export function parseZstdFrameHeader(buf: Uint8Array): ZstdFrameHeader | undefined {
  if (buf.length < 6) return undefined;
  const view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  if (view.getUint32(0, true) !== ZSTD_MAGIC) return undefined;
  const fhd = buf[4]!;
  const fcsFlag = fhd >> 6;
  const singleSegment = (fhd & 0x20) !== 0;
  const hasChecksum = (fhd & 0x04) !== 0;
  const dictIdBytes = [0, 1, 2, 4][fhd & 0x03]!;
  const fcsBytes = fcsFlag === 0 ? (singleSegment ? 1 : 0) : [0, 2, 4, 8][fcsFlag]!;
  let pos = 5;
  let windowSize = 0;
  if (!singleSegment) {
    const wd = buf[pos++]!;
    const windowLog = 10 + (wd >> 3);
    const base = 2 ** windowLog;
    windowSize = base + (base / 8) * (wd & 0x07);
  }
  pos += dictIdBytes;
  if (buf.length < pos + fcsBytes) return undefined;
  let contentSize: number | undefined;
  switch (fcsBytes) {
    case 1:
      contentSize = buf[pos]!;
      break;
    case 2:
      contentSize = view.getUint16(pos, true) + 256;
      break;
    case 4:
      contentSize = view.getUint32(pos, true);
      break;
    case 8:
      contentSize = Number(view.getBigUint64(pos, true));
      break;
    default:
      break;
  }
  if (singleSegment) windowSize = contentSize ?? 0;
  return { contentSize, hasChecksum, singleSegment, windowSize, headerBytes: pos + fcsBytes };
}
