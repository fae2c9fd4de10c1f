// QR images drawn in the page, by zxing-wasm's writer (served from ./vendor/, loaded on first
// use): the counter's challenge and the wallet's presentation. Level M, as the profile measures.

const ZXING_DIR = new URL('../vendor/zxing-wasm/', import.meta.url);
let writer = null;

/** A blob: URL of a PNG of `text` as a QR code (error correction M). */
export async function qrImageUrl(text) {
  writer ??= import(new URL('es/writer/index.js', ZXING_DIR).href).then(async (zxing) => {
    await zxing.prepareZXingModule({
      overrides: { locateFile: (path) => new URL(`writer/${path}`, ZXING_DIR).href },
      fireImmediately: true,
    });
    return zxing;
  });
  const { writeBarcode } = await writer;
  const result = await writeBarcode(text, { format: 'QRCode', ecLevel: 'M', scale: 4 });
  if (result.error || !result.image) throw new Error(result.error || 'no QR image');
  return URL.createObjectURL(result.image);
}
