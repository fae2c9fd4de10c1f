// Reading QR codes in the page: the browser's BarcodeDetector where it has one, otherwise
// ZXing-C++ compiled to WebAssembly (zxing-wasm, served from ./vendor/: no CDN). The camera
// stops whenever the page is hidden.
//
// QR text is taken from the code's bytes as strict UTF-8 when they are UTF-8: the chip ID card
// QR holds UTF-8 with no ECI header, which decoders defaulting to ISO-8859-1 would garble.

const ZXING_DIR = new URL('../vendor/zxing-wasm/', import.meta.url);
const MAX_IMAGE_SIDE = 2048;
const SCAN_INTERVAL_MS = 120;
const REPEAT_MS = 3000; // the same code seen again within this time is the same reading

const utf8 = new TextDecoder('utf-8', { fatal: true });

const CAMERA_KEYS = {
  off: 'camera.off', starting: 'camera.starting', scanning: 'camera.scanning', read: 'camera.read',
  paused: 'camera.paused', failed: 'camera.failed', unavailable: 'camera.unavailable',
};

/**
 * Shows a camera's state (`{name, reason}`) in its panel: the video box's `data-state`, the
 * toggle's text and `aria-pressed`, the status line. `t` is the page's translation function.
 */
export function showCameraState({ box, toggle, status }, camera, { name, reason }, t) {
  box.dataset.state = name;
  const running = camera.running || name === 'starting';
  toggle.textContent = t(running ? 'camera.stop' : 'camera.start');
  toggle.setAttribute('aria-pressed', String(running));
  status.textContent = t(CAMERA_KEYS[name], { reason: reason ?? '' });
  status.dataset.state = name;
}

/** The QR text of a zxing result: its bytes when they are UTF-8, else the decoder's text. */
function textOf(result) {
  if (result.bytes?.length) {
    try {
      return utf8.decode(result.bytes).normalize('NFC');
    } catch {
      // not UTF-8: the decoder's own character-set handling (ECI) knows better
    }
  }
  return result.text.normalize('NFC');
}

/** `{ kind, decode(source) → Promise<string[]> }`; `source` is a video, canvas or ImageData. */
export async function createDecoder({ prefer } = {}) {
  if (prefer !== 'zxing' && 'BarcodeDetector' in globalThis) {
    try {
      const formats = await globalThis.BarcodeDetector.getSupportedFormats();
      if (formats.includes('qr_code')) {
        const detector = new globalThis.BarcodeDetector({ formats: ['qr_code'] });
        return {
          kind: 'native',
          async decode(source) {
            const found = await detector.detect(source);
            return found.map((b) => b.rawValue.normalize('NFC')).filter(Boolean);
          },
        };
      }
    } catch {
      // fall through to the bundled decoder
    }
  }
  const zxing = await import(new URL('es/reader/index.js', ZXING_DIR).href);
  await zxing.prepareZXingModule({
    overrides: { locateFile: (path) => new URL(`reader/${path}`, ZXING_DIR).href },
    fireImmediately: true,
  });
  const options = { formats: ['QRCode'], tryHarder: true, tryRotate: true, tryInvert: true, maxNumberOfSymbols: 8 };
  const canvas = document.createElement('canvas');
  const context = canvas.getContext('2d', { willReadFrequently: true });
  return {
    kind: 'zxing',
    async decode(source) {
      const image = source instanceof ImageData ? source : pixelsOf(source, canvas, context);
      if (!image) return [];
      const results = await zxing.readBarcodes(image, options);
      return results.filter((r) => r.isValid).map(textOf).filter(Boolean);
    },
  };
}

/** Which decoder `createDecoder` will use, without loading it. */
export async function decoderKind() {
  try {
    if ('BarcodeDetector' in globalThis && (await globalThis.BarcodeDetector.getSupportedFormats()).includes('qr_code')) return 'native';
  } catch {
    // no usable BarcodeDetector
  }
  return 'zxing';
}

/** The pixels of a video frame or an image, scaled down to at most MAX_IMAGE_SIDE. */
function pixelsOf(source, canvas, context) {
  const width = source.videoWidth ?? source.naturalWidth ?? source.width;
  const height = source.videoHeight ?? source.naturalHeight ?? source.height;
  if (!width || !height) return null;
  const scale = Math.min(1, MAX_IMAGE_SIDE / Math.max(width, height));
  canvas.width = Math.round(width * scale);
  canvas.height = Math.round(height * scale);
  context.drawImage(source, 0, 0, canvas.width, canvas.height);
  return context.getImageData(0, 0, canvas.width, canvas.height);
}

/** Reads every QR code in an image file (PNG, JPEG, SVG, …). */
export async function decodeImageFile(file, decoder) {
  const url = URL.createObjectURL(file);
  try {
    const image = new Image();
    image.decoding = 'async';
    image.src = url;
    try {
      await image.decode();
    } catch {
      throw Object.assign(new Error('not an image'), { code: 'not_image' });
    }
    if (decoder.kind === 'native') return decoder.decode(image);
    const canvas = document.createElement('canvas');
    // A white background: transparent PNG pixels read as black otherwise.
    const context = canvas.getContext('2d', { willReadFrequently: true });
    const scale = Math.min(1, MAX_IMAGE_SIDE / Math.max(image.naturalWidth, image.naturalHeight));
    canvas.width = Math.max(1, Math.round(image.naturalWidth * scale));
    canvas.height = Math.max(1, Math.round(image.naturalHeight * scale));
    context.fillStyle = '#fff';
    context.fillRect(0, 0, canvas.width, canvas.height);
    context.drawImage(image, 0, 0, canvas.width, canvas.height);
    return decoder.decode(context.getImageData(0, 0, canvas.width, canvas.height));
  } finally {
    URL.revokeObjectURL(url);
  }
}

/**
 * The camera: live preview in `video`, every frame looked at until a code is read; `onText`
 * gets each new reading (the same code is reported again only after REPEAT_MS without it).
 * Stops when the page is hidden and starts again when it is shown, if it was running.
 */
export class Camera {
  constructor(video, { getDecoder, onText, onState }) {
    this.video = video;
    this.getDecoder = getDecoder;
    this.onText = onText;
    this.onState = onState;
    this.stream = null;
    this.timer = null;
    this.resumeOnShow = false;
    this.seen = new Map(); // text → when it was last seen
    document.addEventListener('visibilitychange', () => this.#visibility());
  }

  get running() {
    return this.stream !== null;
  }

  static available() {
    return Boolean(navigator.mediaDevices?.getUserMedia) && window.isSecureContext;
  }

  async start() {
    if (this.stream) return;
    this.onState('starting');
    try {
      const decoder = await this.getDecoder();
      const stream = await navigator.mediaDevices.getUserMedia({
        audio: false,
        video: { facingMode: { ideal: 'environment' }, width: { ideal: 1280 }, height: { ideal: 720 } },
      });
      if (document.hidden) { // hidden while the permission prompt was open
        for (const track of stream.getTracks()) track.stop();
        this.resumeOnShow = true;
        this.onState('paused');
        return;
      }
      this.stream = stream;
      this.video.srcObject = stream;
      await this.video.play();
      this.onState('scanning');
      this.#loop(decoder);
    } catch (error) {
      this.stop();
      this.onState('failed', error);
    }
  }

  stop({ keepResume = false } = {}) {
    clearTimeout(this.timer);
    this.timer = null;
    if (!keepResume) this.resumeOnShow = false;
    if (this.stream) {
      for (const track of this.stream.getTracks()) track.stop();
      this.stream = null;
    }
    this.video.pause();
    this.video.srcObject = null;
    this.onState(keepResume ? 'paused' : 'off');
  }

  /** The live track, for tests and diagnostics (`readyState` is "ended" once stopped). */
  get track() {
    return this.stream?.getVideoTracks()[0] ?? null;
  }

  #visibility() {
    if (document.hidden && this.stream) {
      this.resumeOnShow = true;
      this.stop({ keepResume: true });
    } else if (!document.hidden && this.resumeOnShow) {
      this.resumeOnShow = false;
      this.start();
    }
  }

  #loop(decoder) {
    const stream = this.stream;
    const tick = async () => {
      if (this.stream !== stream) return;
      if (this.video.readyState >= 2) {
        try {
          const texts = await decoder.decode(this.video);
          if (this.stream !== stream) return;
          const now = Date.now();
          for (const [text, at] of this.seen) if (now - at >= REPEAT_MS) this.seen.delete(text);
          for (const text of texts) {
            const repeat = this.seen.has(text);
            this.seen.set(text, now);
            if (!repeat) this.onText(text);
          }
        } catch {
          // a frame that cannot be read (e.g. while the camera settles): try the next one
        }
      }
      if (this.stream === stream) this.timer = setTimeout(tick, SCAN_INTERVAL_MS);
    };
    tick();
  }
}
