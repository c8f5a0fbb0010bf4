//! Static assets of the hosted pages, compiled into the binary.
//!
//! The gateway serves them itself (no CDN, no third-party request):
//!
//! | route | body | `Content-Type` |
//! | --- | --- | --- |
//! | `GET /assets/checkout.css` | [`CHECKOUT_CSS`] | `text/css; charset=utf-8` |
//! | `GET /assets/checkout.js` | [`CHECKOUT_JS`] | `text/javascript; charset=utf-8` |
//! | `GET /assets/accent/{rrggbb}.css` | [`accent_css_for_file`]`(file)`, 404 on `None` | `text/css; charset=utf-8` |
//!
//! Pages link the CSS and JS as [`CSS_HREF`] / [`JS_HREF`], which carry a `?v=<hash>`
//! cache-buster computed at compile time from the file contents, so the gateway may
//! serve all three routes with `Cache-Control: public, max-age=31536000, immutable`
//! (and [`css_etag`] / [`js_etag`] for conditional requests).
//!
//! Why an accent *route* rather than an inline style: the page CSP is
//! `style-src 'self'` (no inline `<style>` or `style=""`). The merchant's accent colour
//! is therefore encoded in the stylesheet URL itself (`/assets/accent/1a2b3c.css`), which
//! needs no per-merchant lookup, is immutable and cacheable, and cannot carry anything
//! but six hex digits. If the gateway does not serve the route the page just keeps the
//! default accent.

/// The one stylesheet of every page.
pub const CHECKOUT_CSS: &str = include_str!("../assets/checkout.css");
/// The one script of every page (loaded with `defer`; pages work without it).
pub const CHECKOUT_JS: &str = include_str!("../assets/checkout.js");

const CSS_HASH: u64 = fnv1a(CHECKOUT_CSS.as_bytes());
const JS_HASH: u64 = fnv1a(CHECKOUT_JS.as_bytes());

const CSS_HREF_BYTES: [u8; 33] = versioned(b"/assets/checkout.css?v=", CSS_HASH);
const JS_HREF_BYTES: [u8; 32] = versioned(b"/assets/checkout.js?v=", JS_HASH);
const CSS_ETAG_BYTES: [u8; 18] = etag(CSS_HASH);
const JS_ETAG_BYTES: [u8; 18] = etag(JS_HASH);

/// `/assets/checkout.css?v=<10 hex digits of the content hash>`.
pub const CSS_HREF: &str = ascii(&CSS_HREF_BYTES);
/// `/assets/checkout.js?v=<10 hex digits of the content hash>`.
pub const JS_HREF: &str = ascii(&JS_HREF_BYTES);

/// Strong ETag of [`CHECKOUT_CSS`], already quoted (`"0123456789abcdef"`-style).
pub fn css_etag() -> &'static str {
    ascii(&CSS_ETAG_BYTES)
}

/// Strong ETag of [`CHECKOUT_JS`], already quoted.
pub fn js_etag() -> &'static str {
    ascii(&JS_ETAG_BYTES)
}

/// Parses an accent colour `#RRGGBB` (or `#rgb`) into RGB. Anything else is `None`
/// and is ignored by the pages.
pub fn parse_accent(color: &str) -> Option<[u8; 3]> {
    let hex = color.trim().strip_prefix('#')?;
    if !hex.bytes().all(|b| b.is_ascii_hexdigit()) {
        return None;
    }
    let d = |i: usize, n: usize| u8::from_str_radix(&hex[i..i + n], 16).ok();
    match hex.len() {
        6 => Some([d(0, 2)?, d(2, 2)?, d(4, 2)?]),
        3 => Some([d(0, 1)? * 17, d(1, 1)? * 17, d(2, 1)? * 17]),
        _ => None,
    }
}

/// Stylesheet URL for a merchant accent colour (`/assets/accent/1a2b3c.css`), or `None`
/// if `color` is not a valid `#RRGGBB`.
pub fn accent_href(color: &str) -> Option<String> {
    let [r, g, b] = parse_accent(color)?;
    Some(format!("/assets/accent/{r:02x}{g:02x}{b:02x}.css"))
}

/// Body of `GET /assets/accent/{file}` where `file` is `rrggbb.css` (lower or upper
/// case; the `.css` suffix is optional). `None` → answer 404.
pub fn accent_css_for_file(file: &str) -> Option<String> {
    let hex = file.strip_suffix(".css").unwrap_or(file);
    if hex.len() != 6 {
        return None;
    }
    accent_css(&format!("#{hex}"))
}

/// The accent stylesheet itself: sets `--accent` and a text colour on it
/// (`--on-accent`, black or white, whichever contrasts more).
pub fn accent_css(color: &str) -> Option<String> {
    let [r, g, b] = parse_accent(color)?;
    let on = if contrast_with_white([r, g, b]) >= contrast_with_black([r, g, b]) {
        "#fff"
    } else {
        "#000"
    };
    Some(format!(
        ":root{{--accent:#{r:02x}{g:02x}{b:02x};--on-accent:{on}}}\n"
    ))
}

/// WCAG relative luminance (0..=1).
fn luminance(rgb: [u8; 3]) -> f64 {
    let lin = |c: u8| {
        let c = f64::from(c) / 255.0;
        if c <= 0.040_45 {
            c / 12.92
        } else {
            ((c + 0.055) / 1.055).powf(2.4)
        }
    };
    0.2126 * lin(rgb[0]) + 0.7152 * lin(rgb[1]) + 0.0722 * lin(rgb[2])
}

fn contrast_with_white(rgb: [u8; 3]) -> f64 {
    1.05 / (luminance(rgb) + 0.05)
}

fn contrast_with_black(rgb: [u8; 3]) -> f64 {
    (luminance(rgb) + 0.05) / 0.05
}

const fn fnv1a(bytes: &[u8]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    let mut i = 0;
    while i < bytes.len() {
        h ^= bytes[i] as u64;
        h = h.wrapping_mul(0x0000_0100_0000_01b3);
        i += 1;
    }
    h
}

/// `prefix` followed by the low hex digits of `hash`, filling an `N`-byte array
/// (so `N - prefix.len()` hex digits).
const fn versioned<const N: usize>(prefix: &[u8], hash: u64) -> [u8; N] {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    let mut out = [0u8; N];
    let mut i = 0;
    while i < prefix.len() {
        out[i] = prefix[i];
        i += 1;
    }
    let digits = N - prefix.len();
    let mut j = 0;
    while j < digits {
        let shift = 4 * (digits - 1 - j);
        out[i + j] = HEX[((hash >> (shift % 64)) & 0xf) as usize];
        j += 1;
    }
    out
}

/// `"` + 16 hex digits of `hash` + `"`.
const fn etag(hash: u64) -> [u8; 18] {
    let mut out = [0u8; 18];
    let inner: [u8; 17] = versioned(b"\"", hash);
    let mut i = 0;
    while i < 17 {
        out[i] = inner[i];
        i += 1;
    }
    out[17] = b'"';
    out
}

const fn ascii(bytes: &[u8]) -> &str {
    match std::str::from_utf8(bytes) {
        Ok(s) => s,
        Err(_) => panic!("asset href is ASCII"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hrefs_carry_content_hash() {
        assert!(CSS_HREF.starts_with("/assets/checkout.css?v="));
        assert!(JS_HREF.starts_with("/assets/checkout.js?v="));
        let v = &CSS_HREF["/assets/checkout.css?v=".len()..];
        assert_eq!(v.len(), 10);
        assert!(v.bytes().all(|b| b.is_ascii_hexdigit()));
        assert_eq!(JS_HREF.len() - "/assets/checkout.js?v=".len(), 10);
        assert_ne!(CSS_HREF, JS_HREF);
    }

    #[test]
    fn etags_are_quoted() {
        for e in [css_etag(), js_etag()] {
            assert!(
                e.starts_with('"') && e.ends_with('"') && e.len() == 18,
                "{e}"
            );
        }
        assert_ne!(css_etag(), js_etag());
    }

    #[test]
    fn accent_colours() {
        assert_eq!(parse_accent("#1A2b3C"), Some([0x1a, 0x2b, 0x3c]));
        assert_eq!(parse_accent("#fff"), Some([255, 255, 255]));
        for bad in [
            "",
            "1a2b3c",
            "#1a2b3",
            "#1a2b3g",
            "red",
            "#1a2b3c;x",
            "#+1a2b3",
        ] {
            assert_eq!(parse_accent(bad), None, "{bad}");
            assert_eq!(accent_href(bad), None, "{bad}");
        }
        assert_eq!(
            accent_href("#1A2B3C").as_deref(),
            Some("/assets/accent/1a2b3c.css")
        );
        let dark = accent_css_for_file("1a2b3c.css").unwrap();
        assert!(dark.contains("--accent:#1a2b3c") && dark.contains("--on-accent:#fff"));
        let light = accent_css_for_file("FFEE00").unwrap();
        assert!(light.contains("--accent:#ffee00") && light.contains("--on-accent:#000"));
        assert_eq!(accent_css_for_file("../x.css"), None);
        assert_eq!(accent_css_for_file("fff.css"), None);
    }
}
