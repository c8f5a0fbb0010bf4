//! QR codes as inline SVG (no image request, no JS, crisp at any size).

use qrcode::{Color, EcLevel, QrCode};
use std::fmt::Write;

/// Rendered size in CSS pixels (the stylesheet scales it down on narrow screens).
const SIZE: u32 = 240;
/// Light modules around the code, as the QR specification asks for.
const QUIET_ZONE: usize = 4;

/// Renders `data` as an inline `<svg role="img" aria-label="{accessible_label}">` QR code.
///
/// The `qrcode` crate encodes the data; the SVG is written here with one path of
/// horizontal runs (several times smaller than the crate's one-rectangle-per-module
/// SVG renderer, which matters for a page that should be one small document).
///
/// The label is HTML-escaped here, because this is the one string the templates emit
/// unescaped (`|safe`): the rest of the markup is numbers, so nothing of `data` appears
/// in the output as text. The SVG has no `style` attribute (CSP `style-src 'self'`).
/// If `data` is too long for a QR code the result is an empty, still labelled `<svg>`.
pub fn qr_svg(data: &str, accessible_label: &str) -> String {
    let label = escape_attr(accessible_label);
    let (dim, path) = match QrCode::with_error_correction_level(data.as_bytes(), EcLevel::M) {
        Ok(code) => {
            let w = code.width();
            (w + 2 * QUIET_ZONE, run_path(&code.to_colors(), w))
        }
        Err(_) => (1, String::new()),
    };
    let mut svg = format!(
        r##"<svg xmlns="http://www.w3.org/2000/svg" role="img" aria-label="{label}" class="qr-code" width="{SIZE}" height="{SIZE}" viewBox="0 0 {dim} {dim}" shape-rendering="crispEdges"><rect width="{dim}" height="{dim}" fill="#fff"/>"##
    );
    if !path.is_empty() {
        let _ = write!(svg, r##"<path fill="#000" d="{path}"/>"##);
    }
    svg.push_str("</svg>");
    svg
}

/// SVG path data drawing each horizontal run of dark modules as one rectangle.
fn run_path(colors: &[Color], width: usize) -> String {
    let mut d = String::new();
    for (y, row) in colors.chunks(width).enumerate() {
        let mut x = 0;
        while x < width {
            if row[x] == Color::Dark {
                let start = x;
                while x < width && row[x] == Color::Dark {
                    x += 1;
                }
                let len = x - start;
                let _ = write!(
                    d,
                    "M{} {}h{len}v1h-{len}z",
                    start + QUIET_ZONE,
                    y + QUIET_ZONE
                );
            } else {
                x += 1;
            }
        }
    }
    d
}

/// Escapes a string for use inside a double-quoted HTML attribute.
fn escape_attr(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accessible_svg() {
        let s = qr_svg(
            "https://example.test/sandbox/wallet/abc",
            "QR code for Alipay",
        );
        assert!(s.starts_with("<svg "), "{s}");
        assert!(s.contains(r#"role="img""#));
        assert!(s.contains(r#"aria-label="QR code for Alipay""#));
        assert!(s.contains(r#"width="240" height="240""#));
        assert!(s.contains("viewBox="));
        assert!(s.contains("<path"));
        assert!(s.len() < 4096, "{} bytes", s.len());
        assert!(!s.contains("<?xml"));
        assert!(!s.contains("style"));
        assert!(s.ends_with("</svg>"));
        assert!(!s.contains("example.test"));
    }

    #[test]
    fn modules_match_the_encoder() {
        // Every dark module of the code is covered by exactly one run, and nothing else.
        let code = QrCode::with_error_correction_level(b"hello", EcLevel::M).unwrap();
        let w = code.width();
        let colors = code.to_colors();
        let mut painted = vec![false; w * w];
        let d = run_path(&colors, w);
        for cmd in d.split('M').filter(|c| !c.is_empty()) {
            let (xy, rest) = cmd.split_once('h').unwrap();
            let (x, y) = xy.split_once(' ').unwrap();
            let len: usize = rest.split('v').next().unwrap().parse().unwrap();
            let (x, y): (usize, usize) = (x.parse().unwrap(), y.parse().unwrap());
            for i in 0..len {
                let idx = (y - QUIET_ZONE) * w + (x - QUIET_ZONE + i);
                assert!(!painted[idx]);
                painted[idx] = true;
            }
        }
        for (i, c) in colors.iter().enumerate() {
            assert_eq!(painted[i], *c == Color::Dark, "module {i}");
        }
    }

    #[test]
    fn label_is_escaped() {
        let s = qr_svg("x", r#""><script>alert(1)</script>"#);
        assert!(!s.contains("<script>"));
        assert!(s.contains("&quot;&gt;&lt;script&gt;"));
    }

    #[test]
    fn too_long_is_still_an_accessible_svg() {
        let s = qr_svg(&"x".repeat(10_000), "QR code for X");
        assert!(s.starts_with("<svg ") && s.contains(r#"aria-label="QR code for X""#));
    }
}
