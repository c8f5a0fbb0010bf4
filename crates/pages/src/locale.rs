//! Page language: which locales exist and how one is chosen for a request.

macro_rules! locales {
    ($( $(#[doc = $doc:literal])+ $variant:ident = ($code:literal, $tag:literal, $name:literal), )+) => {
        /// A language the hosted pages are translated into.
        ///
        /// # Adding a locale
        /// 1. Add a line below: the variant, its Antom code (`xx_YY`, the name of its
        ///    catalogue file), its BCP 47 tag and its name written in itself (shown in
        ///    the language list of every page).
        /// 2. Write `crates/pages/locales/<code>.ftl`: every message of `en_US.ftl`,
        ///    translated for a buyer in that country. The tests fail on a missing,
        ///    unused or untranslated message and on different variables.
        /// 3. Teach [`Locale::parse`] the language's tags if it is not `<lang>-*`, and
        ///    add the locale's amounts to the money tests in `money.rs`.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
        pub enum Locale {
            /// English (United States). The default and the fallback for anything unknown.
            #[default]
            EnUs,
            $( $(#[doc = $doc])+ $variant, )+
        }

        impl Locale {
            /// Every supported locale, default first.
            pub const ALL: [Locale; 1 + [$($code),+].len()] = [Locale::EnUs, $(Locale::$variant),+];

            /// BCP 47 tag for `<html lang>`, e.g. `"en-US"`, `"zh-CN"`.
            pub fn tag(&self) -> &'static str {
                match self {
                    Locale::EnUs => "en-US",
                    $( Locale::$variant => $tag, )+
                }
            }

            /// Antom spelling (the `locale` field of createPaymentSession), e.g. `"en_US"`.
            pub fn code(&self) -> &'static str {
                match self {
                    Locale::EnUs => "en_US",
                    $( Locale::$variant => $code, )+
                }
            }

            /// The language's name in itself, for the language list.
            pub fn native_name(&self) -> &'static str {
                match self {
                    Locale::EnUs => "English",
                    $( Locale::$variant => $name, )+
                }
            }

            /// The Fluent catalogue (`locales/<code>.ftl`).
            pub(crate) fn catalogue(&self) -> &'static str {
                match self {
                    Locale::EnUs => include_str!("../locales/en_US.ftl"),
                    $( Locale::$variant => include_str!(concat!("../locales/", $code, ".ftl")), )+
                }
            }

            /// Position in [`Locale::ALL`].
            pub(crate) fn index(&self) -> usize {
                *self as usize
            }
        }
    };
}

locales! {
    /// Simplified Chinese (China).
    ZhCn = ("zh_CN", "zh-CN", "简体中文"),
}

impl Locale {
    /// Parses one locale or language tag, in either Antom (`zh_CN`) or BCP 47 (`zh-CN`)
    /// spelling, case-insensitively. Returns `None` for `automatic`, empty strings and
    /// languages we have no translation for.
    ///
    /// `en` and every `en-*` map to [`Locale::EnUs`]; `zh`, `zh-CN`, `zh-SG` and
    /// `zh-Hans*` map to [`Locale::ZhCn`]. Traditional-Chinese tags (`zh-TW`, `zh-HK`,
    /// `zh-MO`, `zh-Hant*`) are *not* mapped: they are different locales in Antom's list,
    /// so negotiation moves on to the next preference (browsers in those regions usually
    /// also send `zh` or `en`).
    pub fn parse(s: &str) -> Option<Locale> {
        let s = s.trim();
        if s.is_empty() || s.len() > 35 {
            return None;
        }
        let lower = s.to_ascii_lowercase().replace('_', "-");
        let mut parts = lower.split('-');
        let lang = parts.next().unwrap_or("");
        let rest: Vec<&str> = parts.collect();
        match lang {
            "en" => Some(Locale::EnUs),
            "zh" => {
                let traditional = rest
                    .iter()
                    .any(|p| matches!(*p, "tw" | "hk" | "mo" | "hant"));
                if traditional {
                    None
                } else {
                    Some(Locale::ZhCn)
                }
            }
            _ => None,
        }
    }

    /// Chooses the page language for one request.
    ///
    /// Precedence: `explicit` (the `?locale=` query parameter), then `session_locale`
    /// (the `locale` the merchant sent in createPaymentSession), then the browser's
    /// `Accept-Language` header (highest `q` first). A source that is absent, empty,
    /// `automatic` or names a language we have no translation for is skipped, so the
    /// next source decides; when none decides the result is [`Locale::EnUs`]
    /// (docs/protocol.md §7: "unknown locale → English").
    pub fn negotiate(
        explicit: Option<&str>,
        session_locale: Option<&str>,
        accept_language: Option<&str>,
    ) -> Locale {
        explicit
            .and_then(Locale::parse)
            .or_else(|| session_locale.and_then(Locale::parse))
            .or_else(|| accept_language.and_then(from_accept_language))
            .unwrap_or_default()
    }
}

impl std::fmt::Display for Locale {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.code())
    }
}

/// The best supported locale in an `Accept-Language` header, if any.
fn from_accept_language(header: &str) -> Option<Locale> {
    // (quality in thousandths, position, locale); integer q avoids float parsing.
    let mut candidates: Vec<(u32, usize, Locale)> = Vec::new();
    for (pos, item) in header.split(',').take(32).enumerate() {
        let mut fields = item.split(';');
        let tag = fields.next().unwrap_or("").trim();
        let mut q = 1000;
        for f in fields {
            let f = f.trim();
            if let Some(v) = f.strip_prefix("q=").or_else(|| f.strip_prefix("Q=")) {
                q = parse_quality(v.trim()).unwrap_or(0);
            }
        }
        if q == 0 || tag == "*" {
            continue;
        }
        if let Some(l) = Locale::parse(tag) {
            candidates.push((q, pos, l));
        }
    }
    candidates.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
    candidates.first().map(|c| c.2)
}

/// Parses an HTTP quality value ("1", "0.8", "0.125") into thousandths.
fn parse_quality(v: &str) -> Option<u32> {
    let (int, frac) = match v.split_once('.') {
        Some((i, f)) => (i, f),
        None => (v, ""),
    };
    if frac.len() > 3 || !frac.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let whole = match int {
        "0" => 0,
        "1" => 1000,
        _ => return None,
    };
    let mut f = 0u32;
    for (i, b) in frac.bytes().enumerate() {
        f += u32::from(b - b'0') * [100, 10, 1][i];
    }
    Some((whole + f).min(1000))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_both_spellings() {
        for s in ["en_US", "en-US", "EN-us", "en", "en-GB"] {
            assert_eq!(Locale::parse(s), Some(Locale::EnUs), "{s}");
        }
        for s in [
            "zh_CN",
            "zh-CN",
            "zh",
            "ZH",
            "zh-Hans",
            "zh-Hans-CN",
            "zh_SG",
        ] {
            assert_eq!(Locale::parse(s), Some(Locale::ZhCn), "{s}");
        }
        for s in ["automatic", "", "fr_FR", "zh_TW", "zh-HK", "zh-Hant", "xx"] {
            assert_eq!(Locale::parse(s), None, "{s}");
        }
    }

    #[test]
    fn precedence() {
        use Locale::*;
        assert_eq!(Locale::negotiate(None, None, None), EnUs);
        assert_eq!(Locale::negotiate(Some("zh_CN"), Some("en_US"), None), ZhCn);
        assert_eq!(
            Locale::negotiate(Some("en-US"), Some("zh_CN"), Some("zh")),
            EnUs
        );
        assert_eq!(Locale::negotiate(None, Some("zh_CN"), Some("en")), ZhCn);
        assert_eq!(
            Locale::negotiate(Some("automatic"), Some("automatic"), Some("zh-CN,en;q=0.5")),
            ZhCn
        );
        assert_eq!(
            Locale::negotiate(None, None, Some("fr-FR,fr;q=0.9,zh;q=0.8,en;q=0.7")),
            ZhCn
        );
        assert_eq!(
            Locale::negotiate(None, None, Some("en;q=0.4, zh-CN;q=0.9")),
            ZhCn
        );
        assert_eq!(Locale::negotiate(None, None, Some("zh;q=0, en")), EnUs);
        assert_eq!(Locale::negotiate(None, None, Some("zh-TW,en;q=0.5")), EnUs);
        assert_eq!(
            Locale::negotiate(Some("ja_JP"), None, Some("garbage;;;q=x")),
            EnUs
        );
        assert_eq!(Locale::negotiate(Some("fr_FR"), Some("zh_CN"), None), ZhCn);
    }

    #[test]
    fn tags_and_codes() {
        assert_eq!(Locale::EnUs.tag(), "en-US");
        assert_eq!(Locale::ZhCn.tag(), "zh-CN");
        assert_eq!(Locale::EnUs.code(), "en_US");
        assert_eq!(Locale::ZhCn.code(), "zh_CN");
        for l in Locale::ALL {
            assert_eq!(Locale::parse(l.code()), Some(l));
            assert_eq!(Locale::parse(l.tag()), Some(l));
        }
    }

    #[test]
    fn quality_values() {
        assert_eq!(parse_quality("1"), Some(1000));
        assert_eq!(parse_quality("1.0"), Some(1000));
        assert_eq!(parse_quality("0.8"), Some(800));
        assert_eq!(parse_quality("0.125"), Some(125));
        assert_eq!(parse_quality("0.1234"), None);
        assert_eq!(parse_quality("2"), None);
    }
}
