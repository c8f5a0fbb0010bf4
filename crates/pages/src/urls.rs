//! URL checks applied before any URL is written into an `href`, `src`, form `action`
//! or meta refresh. Escaping keeps a URL from breaking out of its attribute; these
//! checks keep a well-escaped `javascript:` (or `data:`, `vbscript:`, …) URL from being
//! rendered at all.

/// The scheme of `u` (the part before the first `:` when it comes before any `/`,
/// `?` or `#`), or `None` for a relative reference.
fn scheme(u: &str) -> Option<&str> {
    let end = u.find([':', '/', '?', '#'])?;
    if u.as_bytes()[end] == b':' {
        Some(&u[..end])
    } else {
        None
    }
}

fn has_control_chars(u: &str) -> bool {
    // Browsers silently drop tabs and newlines inside URLs ("java\tscript:"), so any
    // control character makes a URL unacceptable rather than "fixed".
    u.chars().any(|c| c.is_control())
}

fn is_http(scheme: &str) -> bool {
    scheme.eq_ignore_ascii_case("http") || scheme.eq_ignore_ascii_case("https")
}

/// `u` if it is a relative reference or an absolute `http(s)` URL.
pub(crate) fn link(u: &str) -> Option<&str> {
    if u.is_empty() || has_control_chars(u) {
        return None;
    }
    match scheme(u) {
        None => Some(u),
        Some(s) if is_http(s) => Some(u),
        Some(_) => None,
    }
}

/// `u` if it is an absolute `http://` or `https://` URL (used for the merchant's
/// `paymentRedirectUrl`, which is rendered exactly as supplied or not at all).
pub(crate) fn absolute_http(u: &str) -> Option<&str> {
    if has_control_chars(u) || u.contains(char::is_whitespace) {
        return None;
    }
    let s = scheme(u)?;
    let rest = &u[s.len() + 1..];
    (is_http(s) && rest.starts_with("//") && rest.len() > 2).then_some(u)
}

/// `u` if it can be a logo `src`: same-origin path, absolute `http(s)` URL (the CSP
/// decides whether it loads), or a `data:image/…` URL of a raster or SVG image.
pub(crate) fn image(u: &str) -> Option<&str> {
    if u.is_empty() || has_control_chars(u) {
        return None;
    }
    match scheme(u) {
        None => Some(u),
        Some(s) if is_http(s) => Some(u),
        Some(s) if s.eq_ignore_ascii_case("data") => {
            let mime = u[5..].split([';', ',']).next().unwrap_or("");
            let ok = [
                "image/png",
                "image/jpeg",
                "image/gif",
                "image/webp",
                "image/svg+xml",
            ]
            .iter()
            .any(|m| mime.eq_ignore_ascii_case(m));
            ok.then_some(u)
        }
        Some(_) => None,
    }
}

/// `url` with an `html=1` query parameter (the no-JS variant of the status endpoint).
pub(crate) fn with_html_param(url: &str) -> String {
    let (base, frag) = match url.find('#') {
        Some(i) => url.split_at(i),
        None => (url, ""),
    };
    let sep = if base.contains('?') { '&' } else { '?' };
    format!("{base}{sep}html=1{frag}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn links() {
        for ok in [
            "/checkout/abc",
            "status?x=1",
            "https://shop.example/return?id=1&x=2",
            "HTTP://a.b/",
            "#",
            "//x.example/y",
        ] {
            assert_eq!(link(ok), Some(ok), "{ok}");
        }
        for bad in [
            "javascript:alert(1)",
            "JavaScript:alert(1)",
            " javascript:alert(1)",
            "java\tscript:alert(1)",
            "data:text/html,x",
            "vbscript:x",
            ":x",
            "",
        ] {
            assert_eq!(link(bad), None, "{bad:?}");
        }
    }

    #[test]
    fn absolute() {
        assert!(absolute_http("https://shop.example/r").is_some());
        assert!(absolute_http("http://127.0.0.1:9000/r?a=b").is_some());
        for bad in [
            "/relative",
            "https:/x",
            "https://",
            "javascript://%0aalert(1)",
            " https://x",
            "ftp://x",
        ] {
            assert_eq!(absolute_http(bad), None, "{bad:?}");
        }
    }

    #[test]
    fn images() {
        assert!(image("/logos/abc.png").is_some());
        assert!(image("data:image/png;base64,AAAA").is_some());
        assert!(image("data:text/html;base64,AAAA").is_none());
        assert!(image("javascript:alert(1)").is_none());
    }

    #[test]
    fn html_param() {
        assert_eq!(with_html_param("/s/t"), "/s/t?html=1");
        assert_eq!(with_html_param("/s/t?a=1"), "/s/t?a=1&html=1");
        assert_eq!(with_html_param("/s/t#f"), "/s/t?html=1#f");
    }
}
