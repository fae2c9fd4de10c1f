//! QR code images for the reference issuer: SVG and PNG, through the `qrcode` and `png` crates.
//! CLI only; the library and the WASM package never draw images.

use qrcode::{Color, EcLevel, QrCode};

/// Modules of white border around the code (the quiet zone the QR specification requires).
const QUIET_ZONE: usize = 4;
/// Pixels per module in the PNG.
const PNG_SCALE: usize = 8;

/// Encodes text as a QR code at error correction level M (what the EU DCC recommends for
/// printed codes); the text of `VN1:` and `HC1:` payloads is all alphanumeric, so the encoder
/// uses the compact alphanumeric mode.
pub fn encode(text: &str) -> Result<QrCode, String> {
    QrCode::with_error_correction_level(text.as_bytes(), EcLevel::M)
        .or_else(|_| QrCode::with_error_correction_level(text.as_bytes(), EcLevel::L))
        .map_err(|e| format!("cannot make a QR code: {e}"))
}

/// The code's version and error correction level, e.g. `version 20-M (97x97 modules)`.
pub fn describe(code: &QrCode) -> String {
    let version = match code.version() {
        qrcode::Version::Normal(n) => n.to_string(),
        qrcode::Version::Micro(n) => format!("M{n}"),
    };
    let level = match code.error_correction_level() {
        EcLevel::L => "L",
        EcLevel::M => "M",
        EcLevel::Q => "Q",
        EcLevel::H => "H",
    };
    format!("version {version}-{level} ({0}x{0} modules)", code.width())
}

/// The code as an SVG document.
pub fn svg(code: &QrCode) -> String {
    code.render::<qrcode::render::svg::Color<'_>>()
        .quiet_zone(true)
        .min_dimensions(256, 256)
        .build()
}

/// The code as an 8-bit greyscale PNG.
pub fn png(code: &QrCode) -> Result<Vec<u8>, String> {
    let modules = code.width();
    let colors = code.to_colors();
    let side = (modules + 2 * QUIET_ZONE) * PNG_SCALE;
    let mut pixels = vec![255u8; side * side];
    for (i, color) in colors.iter().enumerate() {
        if *color != Color::Dark {
            continue;
        }
        let (mx, my) = (i % modules + QUIET_ZONE, i / modules + QUIET_ZONE);
        for y in my * PNG_SCALE..(my + 1) * PNG_SCALE {
            let row = y * side;
            if let Some(run) = pixels.get_mut(row + mx * PNG_SCALE..row + (mx + 1) * PNG_SCALE) {
                run.fill(0);
            }
        }
    }
    let side = u32::try_from(side).map_err(|_| "QR code too large".to_owned())?;
    let mut out = Vec::new();
    let mut encoder = png::Encoder::new(&mut out, side, side);
    encoder.set_color(png::ColorType::Grayscale);
    encoder.set_depth(png::BitDepth::Eight);
    let mut writer = encoder.write_header().map_err(|e| format!("PNG: {e}"))?;
    writer
        .write_image_data(&pixels)
        .map_err(|e| format!("PNG: {e}"))?;
    writer.finish().map_err(|e| format!("PNG: {e}"))?;
    Ok(out)
}
