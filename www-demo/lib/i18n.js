// The page's words in Vietnamese and English, and dates in each language's local format. DOM-free.
// Verdict messages come from the verifier itself (`message`, `messageVi`): they are not
// translated here.

const STRINGS = {
  en: {
    skip: 'Skip to the scanner',
    tagline: 'Verify identity tokens and document QR codes offline, on this device.',
    language: 'Language',
    'read.title': 'Read a code',
    'camera.start': 'Start camera',
    'camera.stop': 'Stop camera',
    'camera.off': 'Camera off.',
    'camera.starting': 'Starting the camera…',
    'camera.scanning': 'Point the camera at a QR code.',
    'camera.paused': 'Camera stopped while the page is hidden; it restarts when you come back.',
    'camera.failed': 'The camera cannot be used: {reason}',
    'camera.unavailable': 'This browser gives no camera access here (it needs https or localhost).',
    'camera.read': 'A code was read. Keep scanning, or stop the camera.',
    'paste.label': 'Token or QR text',
    'paste.verify': 'Verify',
    'paste.clear': 'Clear',
    'paste.hint': 'Ctrl+Enter verifies.',
    'image.label': 'Image of a QR code',
    'image.drop': '…or drop or paste an image anywhere on this panel.',
    'image.reading': 'Reading {name}…',
    'image.none': 'No QR code found in {name}.',
    'image.found': '{count} QR codes found in {name}.',
    'image.failed': 'Cannot read {name}: {reason}',
    'image.notImage': '{name} is not an image this browser can read.',
    'decoder.native': 'QR decoder: the browser’s BarcodeDetector.',
    'decoder.zxing': 'QR decoder: ZXing-C++ (WebAssembly, served with this page).',
    'decoder.loading': 'QR decoder: loading…',
    'decoder.failed': 'The QR decoder could not load: {reason}',
    'verdict.title': 'Result',
    'verdict.idle': 'Scan, paste or drop a code, or pick a sample below. The result appears here.',
    'verdict.loading': 'Loading the verifier…',
    'verdict.loadFailed': 'The verifier could not load: {reason}',
    'state.valid': 'Verified',
    'state.validSub': 'Signed by a trusted issuer; every check passed.',
    'state.invalid': 'Not verified',
    'state.invalidSub': 'Do not accept this code.',
    'state.unsigned': 'Unsigned — check it against the card',
    'state.unsignedSub': 'This QR has no signature; compare the fields with the card.',
    'state.error': 'Cannot verify',
    'state.errorSub': 'The trust store or the policy is not valid.',
    'state.pending': 'Reading a card in several QR codes',
    'progress.count': '{received} of {total} QR codes read',
    'progress.missing': 'Parts still to read: {list}.',
    'progress.restart': 'Started reading another card.',
    'progress.cancel': 'Start over',
    'fact.reason': 'Reason',
    'fact.code': 'Code',
    'fact.format': 'Format',
    'fact.issuer': 'Issuer',
    'fact.kid': 'Key id',
    'fact.level': 'Identity level',
    'fact.levelN': 'Level {n}',
    'fact.subject': 'Subject',
    'fact.issuedAt': 'Issued',
    'fact.notBefore': 'Valid from',
    'fact.expiresAt': 'Expires',
    'fact.asOf': 'Verified as of',
    'fact.source': 'Read from',
    'samplePolicy.title': 'Checked with the sample’s own policy, not yours',
    'samplePolicy.asOf': 'As of {time} (the sample’s time)',
    'samplePolicy.now': 'As of now',
    'samplePolicy.audience': 'Audience: {value}',
    'samplePolicy.level': 'Minimum level: {value}',
    'samplePolicy.yours': 'Your policy panel is unchanged: codes you scan, paste or upload are checked with it.',
    'fact.noExpiry': 'no expiry',
    'source.camera': 'camera',
    'source.paste': 'pasted text',
    'source.image': 'image',
    'source.sample': 'sample',
    'section.signature': 'Signature',
    'section.check': 'This check',
    'section.warnings': 'Warnings',
    'section.details': 'Technical details',
    'section.claims': 'Verified claims',
    'section.json': 'The verdict as JSON',
    'section.decoded': 'Decoded from the ID number',
    'section.extra': 'Further fields (meaning not published)',
    'sex.male': 'Male',
    'sex.female': 'Female',
    'value.none': '—',
    'value.yes': 'yes',
    'value.no': 'no',
    'doc.noExpiry': 'No expiry',
    'policy.title': 'Policy',
    'policy.audience': 'Audience (your service)',
    'policy.audienceNone': 'not checked',
    'policy.minLevel': 'Minimum VNeID level',
    'policy.levelAny': 'Any',
    'policy.level1': 'Level 1',
    'policy.level2': 'Level 2',
    'policy.tolerance': 'Clock tolerance (seconds)',
    'policy.asOf': 'Verify as of',
    'policy.now': 'Now',
    'policy.asOfHint': 'Empty: the time of each verification (your device’s clock).',
    'policy.everyFormat': 'Audience and level apply to every format: a document QR names no audience and asserts no level, so it is refused while they are set.',
    'gallery.title': 'Samples',
    'gallery.intro': 'Test samples, signed with test keys or taken from public test vectors: TEST ONLY — no real issuer, no real person. Click one to verify it with its own policy and time; your policy panel is not changed.',
    'gallery.loading': 'Loading the samples…',
    'gallery.failed': 'The samples could not load: {reason}',
    'gallery.expect': 'Expected: {state}',
    'gallery.part': 'Part {i} of {n}',
    'gallery.source': 'Source: {source}',
    'gallery.qrAlt': 'QR code: {label}',
    'gallery.untrusted': 'The sample issuers are not trusted now: signed samples will not verify. Turn them on in “Trusted issuers”.',
    'expect.valid': 'verified',
    'expect.invalid': 'not verified ({code})',
    'expect.unsigned': 'unsigned',
    'trust.title': 'Trusted issuers',
    'trust.privacy': 'Nothing leaves this device: codes, keys and results stay in this browser. Keys you import are kept in this browser’s storage only.',
    'trust.samples': 'Trust the sample issuers (TEST ONLY — not real issuers)',
    'trust.testOnly': 'TEST ONLY — not a real issuer',
    'trust.imported': 'Imported',
    'trust.empty': 'No trusted issuer: every signed code will be rejected. Import a key set, a certificate or a trust bundle.',
    'trust.col.issuer': 'Issuer',
    'trust.col.kid': 'Key id',
    'trust.col.type': 'Key',
    'trust.col.validity': 'Valid',
    'trust.col.status': 'Status',
    'trust.col.docs': 'May sign',
    'trust.anchor': 'Certificate authority',
    'trust.pinned': 'Pinned signer certificate',
    'trust.status.valid': 'valid',
    'trust.status.expired': 'expired',
    'trust.status.notYet': 'not yet valid',
    'trust.anyTime': 'any time',
    'trust.anyDocument': 'anything',
    'trust.from': 'from {date}',
    'trust.until': 'until {date}',
    'trust.revoked': '{count} revoked ids',
    'trust.remove': 'Remove',
    'trust.removeLabel': 'Remove {label}',
    'trust.import': 'Import keys or certificates',
    'trust.importKind': 'What are you importing?',
    'trust.kindBundle': 'Trust bundle (JSON)',
    'trust.kindJwks': 'JWKS (an issuer’s key set)',
    'trust.kindCert': 'Certificate (PEM or DER)',
    'trust.issuer': 'Issuer (iss; for an EU DCC, the country code)',
    'trust.role': 'The certificate is',
    'trust.roleSigner': 'the issuer’s signing certificate',
    'trust.roleAnchor': 'a certificate authority (e.g. a country signing CA)',
    'trust.name': 'Display name (optional)',
    'trust.text': 'Paste it here',
    'trust.file': '…or choose a file',
    'trust.importButton': 'Import',
    'trust.importDone': 'Imported “{label}”: keys {keys}, certificate authorities {anchors}.',
    'trust.needIssuer': 'Enter the issuer these keys belong to.',
    'trust.needText': 'Paste the key set, certificate or bundle, or choose a file.',
    'trust.notJson': 'This is not JSON: {reason}',
    'trust.rejected': 'Not imported: {code}: {message}',
    'trust.brokenStore': 'A saved trust source no longer loads ({message}); remove it.',
    'footer.privacy': 'The verifier is WebAssembly running in this page, with the keys listed above. Nothing is sent anywhere.',
    'offline.pending': 'Preparing offline use…',
    'offline.ready': 'Works offline on this device',
    'offline.unsupported': 'Offline use needs a browser with service workers',
    'format.vneid_token': 'VNeID identity token',
    'format.jwt': 'JSON Web Token',
    'format.vneid_document': 'VNeID document QR',
    'format.eu_dcc': 'EU Digital COVID Certificate',
    'format.shc': 'SMART Health Card',
    'format.vds_nc': 'ICAO visible digital seal (VDS-NC)',
    'format.cccd_qr': 'Chip ID card QR (unsigned)',
    'format.unknown': 'Not recognised',
  },
  vi: {
    skip: 'Chuyển đến phần quét mã',
    tagline: 'Xác minh mã định danh và mã QR giấy tờ ngay trên thiết bị này, không cần mạng.',
    language: 'Ngôn ngữ',
    'read.title': 'Đọc mã',
    'camera.start': 'Bật camera',
    'camera.stop': 'Tắt camera',
    'camera.off': 'Camera đang tắt.',
    'camera.starting': 'Đang bật camera…',
    'camera.scanning': 'Hướng camera vào mã QR.',
    'camera.paused': 'Camera đã tắt khi trang bị ẩn; camera sẽ bật lại khi bạn quay lại.',
    'camera.failed': 'Không dùng được camera: {reason}',
    'camera.unavailable': 'Trình duyệt không cho phép dùng camera ở đây (cần https hoặc localhost).',
    'camera.read': 'Đã đọc một mã. Tiếp tục quét, hoặc tắt camera.',
    'paste.label': 'Mã thông báo hoặc nội dung QR',
    'paste.verify': 'Xác minh',
    'paste.clear': 'Xóa',
    'paste.hint': 'Nhấn Ctrl+Enter để xác minh.',
    'image.label': 'Ảnh mã QR',
    'image.drop': '…hoặc kéo thả hay dán ảnh vào khung này.',
    'image.reading': 'Đang đọc {name}…',
    'image.none': 'Không tìm thấy mã QR trong {name}.',
    'image.found': 'Tìm thấy {count} mã QR trong {name}.',
    'image.failed': 'Không đọc được {name}: {reason}',
    'image.notImage': '{name} không phải là ảnh mà trình duyệt đọc được.',
    'decoder.native': 'Bộ giải mã QR: BarcodeDetector của trình duyệt.',
    'decoder.zxing': 'Bộ giải mã QR: ZXing-C++ (WebAssembly, đi kèm trang này).',
    'decoder.loading': 'Bộ giải mã QR: đang tải…',
    'decoder.failed': 'Không tải được bộ giải mã QR: {reason}',
    'verdict.title': 'Kết quả',
    'verdict.idle': 'Quét, dán hoặc thả một mã, hoặc chọn một mẫu bên dưới. Kết quả hiện ở đây.',
    'verdict.loading': 'Đang tải bộ xác minh…',
    'verdict.loadFailed': 'Không tải được bộ xác minh: {reason}',
    'state.valid': 'Đã xác minh',
    'state.validSub': 'Được ký bởi bên phát hành tin cậy; mọi kiểm tra đều đạt.',
    'state.invalid': 'Không xác minh được',
    'state.invalidSub': 'Không chấp nhận mã này.',
    'state.unsigned': 'Không có chữ ký — hãy đối chiếu với thẻ',
    'state.unsignedSub': 'Mã QR này không có chữ ký; hãy đối chiếu các thông tin với thẻ.',
    'state.error': 'Không thể xác minh',
    'state.errorSub': 'Kho khóa tin cậy hoặc chính sách xác minh không hợp lệ.',
    'state.pending': 'Đang đọc thẻ gồm nhiều mã QR',
    'progress.count': 'Đã đọc {received}/{total} mã QR',
    'progress.missing': 'Các phần còn cần đọc: {list}.',
    'progress.restart': 'Đã bắt đầu đọc một thẻ khác.',
    'progress.cancel': 'Đọc lại từ đầu',
    'fact.reason': 'Lý do',
    'fact.code': 'Mã lỗi',
    'fact.format': 'Định dạng',
    'fact.issuer': 'Bên phát hành',
    'fact.kid': 'Mã khóa',
    'fact.level': 'Mức định danh',
    'fact.levelN': 'Mức {n}',
    'fact.subject': 'Chủ thể',
    'fact.issuedAt': 'Phát hành lúc',
    'fact.notBefore': 'Hiệu lực từ',
    'fact.expiresAt': 'Hết hạn lúc',
    'fact.asOf': 'Thời điểm xác minh',
    'fact.source': 'Đọc từ',
    'samplePolicy.title': 'Kiểm tra theo chính sách riêng của mẫu, không phải của bạn',
    'samplePolicy.asOf': 'Tại thời điểm {time} (thời điểm của mẫu)',
    'samplePolicy.now': 'Tại thời điểm hiện tại',
    'samplePolicy.audience': 'Bên nhận: {value}',
    'samplePolicy.level': 'Mức định danh tối thiểu: {value}',
    'samplePolicy.yours': 'Chính sách của bạn không thay đổi: các mã bạn quét, dán hoặc tải lên được kiểm tra theo chính sách đó.',
    'fact.noExpiry': 'không thời hạn',
    'source.camera': 'camera',
    'source.paste': 'văn bản dán vào',
    'source.image': 'ảnh',
    'source.sample': 'mẫu thử',
    'section.signature': 'Chữ ký',
    'section.check': 'Lần kiểm tra này',
    'section.warnings': 'Cảnh báo',
    'section.details': 'Chi tiết kỹ thuật',
    'section.claims': 'Thông tin đã xác minh',
    'section.json': 'Kết quả dạng JSON',
    'section.decoded': 'Giải mã từ số định danh',
    'section.extra': 'Các trường khác (chưa công bố ý nghĩa)',
    'sex.male': 'Nam',
    'sex.female': 'Nữ',
    'value.none': '—',
    'value.yes': 'có',
    'value.no': 'không',
    'doc.noExpiry': 'Không thời hạn',
    'policy.title': 'Chính sách xác minh',
    'policy.audience': 'Bên nhận (dịch vụ của bạn)',
    'policy.audienceNone': 'không kiểm tra',
    'policy.minLevel': 'Mức định danh VNeID tối thiểu',
    'policy.levelAny': 'Bất kỳ',
    'policy.level1': 'Mức 1',
    'policy.level2': 'Mức 2',
    'policy.tolerance': 'Sai lệch đồng hồ cho phép (giây)',
    'policy.asOf': 'Xác minh tại thời điểm',
    'policy.now': 'Hiện tại',
    'policy.asOfHint': 'Để trống: thời điểm của mỗi lần xác minh (đồng hồ của thiết bị).',
    'policy.everyFormat': 'Bên nhận và mức định danh áp dụng cho mọi định dạng: mã QR giấy tờ không ghi bên nhận và không có mức định danh, nên sẽ bị từ chối khi các ô này được đặt.',
    'gallery.title': 'Mẫu thử',
    'gallery.intro': 'Các mẫu thử được ký bằng khóa thử nghiệm hoặc lấy từ bộ dữ liệu kiểm thử công khai: CHỈ ĐỂ THỬ — không có bên phát hành thật, không có người thật. Bấm vào một mẫu để xác minh theo chính sách và thời điểm riêng của mẫu; chính sách của bạn không bị thay đổi.',
    'gallery.loading': 'Đang tải các mẫu…',
    'gallery.failed': 'Không tải được các mẫu: {reason}',
    'gallery.expect': 'Kỳ vọng: {state}',
    'gallery.part': 'Phần {i}/{n}',
    'gallery.source': 'Nguồn: {source}',
    'gallery.qrAlt': 'Mã QR: {label}',
    'gallery.untrusted': 'Các bên phát hành mẫu hiện không được tin cậy: các mẫu có chữ ký sẽ không xác minh được. Hãy bật lại trong “Bên phát hành tin cậy”.',
    'expect.valid': 'hợp lệ',
    'expect.invalid': 'không hợp lệ ({code})',
    'expect.unsigned': 'không có chữ ký',
    'trust.title': 'Bên phát hành tin cậy',
    'trust.privacy': 'Không dữ liệu nào rời khỏi thiết bị: mã, khóa và kết quả đều ở lại trong trình duyệt này. Khóa bạn nhập chỉ được lưu trong bộ nhớ của trình duyệt này.',
    'trust.samples': 'Tin cậy các bên phát hành mẫu (CHỈ ĐỂ THỬ — không phải bên phát hành thật)',
    'trust.testOnly': 'CHỈ ĐỂ THỬ — không phải bên phát hành thật',
    'trust.imported': 'Đã nhập',
    'trust.empty': 'Chưa tin cậy bên phát hành nào: mọi mã có chữ ký sẽ bị từ chối. Hãy nhập bộ khóa, chứng thư hoặc tệp tin cậy.',
    'trust.col.issuer': 'Bên phát hành',
    'trust.col.kid': 'Mã khóa',
    'trust.col.type': 'Khóa',
    'trust.col.validity': 'Hiệu lực',
    'trust.col.status': 'Trạng thái',
    'trust.col.docs': 'Được ký',
    'trust.anchor': 'Cơ quan chứng thực',
    'trust.pinned': 'Chứng thư ký được ghim',
    'trust.status.valid': 'còn hiệu lực',
    'trust.status.expired': 'hết hiệu lực',
    'trust.status.notYet': 'chưa có hiệu lực',
    'trust.anyTime': 'không giới hạn',
    'trust.anyDocument': 'mọi loại',
    'trust.from': 'từ {date}',
    'trust.until': 'đến {date}',
    'trust.revoked': '{count} mã đã thu hồi',
    'trust.remove': 'Gỡ bỏ',
    'trust.removeLabel': 'Gỡ bỏ {label}',
    'trust.import': 'Nhập khóa hoặc chứng thư',
    'trust.importKind': 'Bạn đang nhập gì?',
    'trust.kindBundle': 'Tệp tin cậy (JSON)',
    'trust.kindJwks': 'JWKS (bộ khóa của một bên phát hành)',
    'trust.kindCert': 'Chứng thư (PEM hoặc DER)',
    'trust.issuer': 'Bên phát hành (iss; với EU DCC là mã quốc gia)',
    'trust.role': 'Chứng thư này là',
    'trust.roleSigner': 'chứng thư ký của bên phát hành',
    'trust.roleAnchor': 'cơ quan chứng thực (ví dụ CSCA của một quốc gia)',
    'trust.name': 'Tên hiển thị (không bắt buộc)',
    'trust.text': 'Dán vào đây',
    'trust.file': '…hoặc chọn tệp',
    'trust.importButton': 'Nhập',
    'trust.importDone': 'Đã nhập “{label}”: {keys} khóa, {anchors} cơ quan chứng thực.',
    'trust.needIssuer': 'Hãy nhập bên phát hành sở hữu các khóa này.',
    'trust.needText': 'Hãy dán bộ khóa, chứng thư hoặc tệp tin cậy, hoặc chọn tệp.',
    'trust.notJson': 'Đây không phải JSON: {reason}',
    'trust.rejected': 'Chưa nhập: {code}: {message}',
    'trust.brokenStore': 'Một nguồn tin cậy đã lưu không còn nạp được ({message}); hãy gỡ bỏ.',
    'footer.privacy': 'Bộ xác minh là WebAssembly chạy ngay trong trang này, với các khóa liệt kê ở trên. Không có dữ liệu nào được gửi đi.',
    'offline.pending': 'Đang chuẩn bị dùng ngoại tuyến…',
    'offline.ready': 'Dùng được ngoại tuyến trên thiết bị này',
    'offline.unsupported': 'Dùng ngoại tuyến cần trình duyệt hỗ trợ service worker',
    'format.vneid_token': 'Mã định danh VNeID',
    'format.jwt': 'JSON Web Token',
    'format.vneid_document': 'Mã QR giấy tờ VNeID',
    'format.eu_dcc': 'Chứng nhận COVID kỹ thuật số EU',
    'format.shc': 'SMART Health Card',
    'format.vds_nc': 'Con dấu số ICAO (VDS-NC)',
    'format.cccd_qr': 'Mã QR thẻ căn cước (không có chữ ký)',
    'format.unknown': 'Không nhận dạng được',
  },
};

export const LANGUAGES = ['vi', 'en'];
let current = 'en';

export function lang() {
  return current;
}

/** The string for `key` in the current language, with `{name}` placeholders filled. */
export function t(key, vars = {}) {
  const text = STRINGS[current][key] ?? STRINGS.en[key] ?? key;
  return text.replace(/\{(\w+)\}/g, (m, name) => (name in vars ? String(vars[name]) : m));
}

/** `{en, vi}` → the current language's text (English when missing). */
export function pick(labels) {
  if (labels === null || labels === undefined) return '';
  if (typeof labels === 'string') return labels;
  return labels[current] ?? labels.en ?? '';
}

/** The verifier's message in the current language (verdicts and thrown errors carry both). */
export function messageOf(item) {
  return (current === 'vi' ? item.messageVi : item.message) ?? item.message ?? '';
}

/** Switches the language of `t`, `pick`, `messageOf` and the date formats (the page's text is
 * rewritten by ui/dom.js `applyLang`). Anything but a known language is English. */
export function setLang(language) {
  current = LANGUAGES.includes(language) ? language : 'en';
  return current;
}

/** Vietnamese text in NFC (decoders and copy-paste can produce decomposed diacritics). */
export function nfc(value) {
  return typeof value === 'string' ? value.normalize('NFC') : value;
}

const pad = (n) => String(n).padStart(2, '0');
const MONTHS_EN = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** A calendar date `YYYY-MM-DD` as on a Vietnamese document (dd/mm/yyyy) or `15 Mar 1999`. */
export function formatDate(iso) {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso ?? '');
  if (!m) return iso;
  const [, y, mo, d] = m;
  return current === 'vi' ? `${d}/${mo}/${y}` : `${Number(d)} ${MONTHS_EN[Number(mo) - 1]} ${y}`;
}

/** The UTC offset of a local time, e.g. `UTC+7`. */
function offsetOf(date) {
  const minutes = -date.getTimezoneOffset();
  const sign = minutes >= 0 ? '+' : '−';
  const h = Math.floor(Math.abs(minutes) / 60);
  const m = Math.abs(minutes) % 60;
  return `UTC${sign}${h}${m ? `:${pad(m)}` : ''}`;
}

/** A `Date` in local time: `01/06/2026 10:02:00 (UTC+7)` or `1 Jun 2026, 10:02:00 (UTC+7)`. */
export function formatInstant(date, { offset = true } = {}) {
  if (!(date instanceof Date) || Number.isNaN(date.getTime())) return '';
  const time = `${pad(date.getHours())}:${pad(date.getMinutes())}:${pad(date.getSeconds())}`;
  const day = current === 'vi'
    ? `${pad(date.getDate())}/${pad(date.getMonth() + 1)}/${date.getFullYear()}`
    : `${date.getDate()} ${MONTHS_EN[date.getMonth()]} ${date.getFullYear()},`;
  return `${day} ${time}${offset ? ` (${offsetOf(date)})` : ''}`;
}

/** Unix seconds (possibly fractional) in local time, or null. */
export function formatSeconds(seconds) {
  if (typeof seconds !== 'number' || !Number.isFinite(seconds)) return null;
  return formatInstant(new Date(seconds * 1000));
}

/** An RFC 3339 date-time string in local time; other strings unchanged. */
export function formatDateTimeText(text) {
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/.test(text)) return text;
  const date = new Date(text);
  return Number.isNaN(date.getTime()) ? text : formatInstant(date);
}
