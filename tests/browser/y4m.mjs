// Writes a YUV4MPEG2 video of a QR code, for Chromium's fake camera
// (--use-file-for-fake-video-capture). The QR is drawn by zxing-wasm's writer, the same encoder
// that draws the gallery, then centred on a grey card in a 640×480 frame; a few frames shift it
// by a pixel or two, as a hand-held card would.

import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

import { ROOT } from './harness.mjs';

let writerReady = null;
async function writer() {
  writerReady ??= (async () => {
    const zxing = await import('zxing-wasm/writer');
    zxing.prepareZXingModule({
      overrides: { wasmBinary: readFileSync(join(ROOT, 'node_modules', 'zxing-wasm', 'dist', 'writer', 'zxing_writer.wasm')) },
    });
    return zxing;
  })();
  return writerReady;
}

/** The QR's modules: `{ size, dark(x, y) }`. */
export async function qrModules(text) {
  const { writeBarcode } = await writer();
  const result = await writeBarcode(text, { format: 'QRCode', ecLevel: 'M', scale: 1, withQuietZones: false });
  if (result.error) throw new Error(`cannot encode the QR: ${result.error}`);
  const { data, width, height } = result.symbol;
  if (width !== height) throw new Error(`a QR symbol is square, got ${width}×${height}`);
  return { size: width, dark: (x, y) => data[y * width + x] === 0 };
}

/** Writes `file`: `frames` frames of `width`×`height` (4:2:0) showing the QR of `text`. */
export async function writeQrY4m(file, text, { width = 640, height = 480, frames = 6, fps = 10 } = {}) {
  const { size, dark } = await qrModules(text);
  const quiet = 4;
  const module = Math.floor(Math.min(width, height) * 0.85 / (size + 2 * quiet));
  if (module < 2) throw new Error(`the QR (${size} modules) is too dense for a ${width}×${height} frame`);
  const side = (size + 2 * quiet) * module;
  const header = Buffer.from(`YUV4MPEG2 W${width} H${height} F${fps}:1 Ip A1:1 C420jpeg\n`, 'ascii');
  const ySize = width * height;
  const cSize = (width / 2) * (height / 2);
  const parts = [header];
  for (let f = 0; f < frames; f += 1) {
    const y = Buffer.alloc(ySize, 120); // a grey desk
    const left = Math.floor((width - side) / 2) + (f % 3) - 1;
    const top = Math.floor((height - side) / 2) + ((f >> 1) % 2);
    for (let row = 0; row < side; row += 1) {
      for (let col = 0; col < side; col += 1) {
        const mx = Math.floor(col / module) - quiet;
        const my = Math.floor(row / module) - quiet;
        const isDark = mx >= 0 && my >= 0 && mx < size && my < size && dark(mx, my);
        y[(top + row) * width + left + col] = isDark ? 20 : 235;
      }
    }
    parts.push(Buffer.from('FRAME\n', 'ascii'), y, Buffer.alloc(cSize, 128), Buffer.alloc(cSize, 128));
  }
  writeFileSync(file, Buffer.concat(parts));
  return { modules: size, moduleSize: module };
}
