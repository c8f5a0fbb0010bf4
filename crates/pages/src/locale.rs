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

            /// Writing direction for `<html dir>`: every supported language is written
            /// left to right (a right-to-left locale would answer `"rtl"` here).
            pub fn dir(&self) -> &'static str {
                "ltr"
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
    /// Traditional Chinese (Hong Kong).
    ZhHk = ("zh_HK", "zh-HK", "繁體中文（香港）"),
    /// Traditional Chinese (Taiwan).
    ZhTw = ("zh_TW", "zh-TW", "繁體中文（台灣）"),
    /// Japanese (Japan).
    JaJp = ("ja_JP", "ja-JP", "日本語"),
    /// Korean (South Korea).
    KoKr = ("ko_KR", "ko-KR", "한국어"),
    /// Thai (Thailand).
    ThTh = ("th_TH", "th-TH", "ไทย"),
    /// Indonesian (Indonesia).
    IdId = ("id_ID", "id-ID", "Bahasa Indonesia"),
    /// Malay (Malaysia).
    MsMy = ("ms_MY", "ms-MY", "Bahasa Melayu"),
    /// Vietnamese (Vietnam).
    ViVn = ("vi_VN", "vi-VN", "Tiếng Việt"),
    /// Spanish (Spain).
    EsEs = ("es_ES", "es-ES", "Español"),
    /// Portuguese (Brazil).
    PtBr = ("pt_BR", "pt-BR", "Português (Brasil)"),
    /// French (France).
    FrFr = ("fr_FR", "fr-FR", "Français"),
    /// German (Germany).
    DeDe = ("de_DE", "de-DE", "Deutsch"),
}

impl Locale {
    /// Parses one locale or language tag, in either Antom (`zh_CN`) or BCP 47 (`zh-CN`)
    /// spelling, case-insensitively. Returns `None` for `automatic`, empty strings and
    /// languages we have no translation for.
    ///
    /// A language maps to its one locale whatever the region (`en-GB` → en_US,
    /// `es-MX` → es_ES, `pt-PT` → pt_BR, `de-AT` → de_DE; `in` and `iw`-style legacy
    /// codes: `in` → id_ID). Chinese goes by script first, then region: `zh-Hans*`,
    /// `zh`, `zh-CN`, `zh-SG` → zh_CN; `zh-Hant-HK`, `zh-HK`, `zh-MO` → zh_HK;
    /// `zh-Hant`, `zh-Hant-TW`, `zh-TW` → zh_TW.
    pub fn parse(s: &str) -> Option<Locale> {
        let s = s.trim();
        if s.is_empty() || s.len() > 35 {
            return None;
        }
        let lower = s.to_ascii_lowercase().replace('_', "-");
        let mut parts = lower.split('-');
        let lang = parts.next().unwrap_or("");
        let rest: Vec<&str> = parts.collect();
        let has = |p: &str| rest.contains(&p);
        Some(match lang {
            "en" => Locale::EnUs,
            "zh" if has("hans") => Locale::ZhCn,
            "zh" if has("hk") || has("mo") => Locale::ZhHk,
            "zh" if has("hant") || has("tw") => Locale::ZhTw,
            "zh" => Locale::ZhCn,
            "ja" => Locale::JaJp,
            "ko" => Locale::KoKr,
            "th" => Locale::ThTh,
            "id" | "in" => Locale::IdId,
            "ms" => Locale::MsMy,
            "vi" => Locale::ViVn,
            "es" => Locale::EsEs,
            "pt" => Locale::PtBr,
            "fr" => Locale::FrFr,
            "de" => Locale::DeDe,
            _ => return None,
        })
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
        use Locale::*;
        let cases: &[(&str, Option<Locale>)] = &[
            ("en_US", Some(EnUs)),
            ("en-US", Some(EnUs)),
            ("EN-us", Some(EnUs)),
            ("en-GB", Some(EnUs)),
            ("zh_CN", Some(ZhCn)),
            ("zh", Some(ZhCn)),
            ("zh-Hans", Some(ZhCn)),
            ("zh-Hans-HK", Some(ZhCn)),
            ("zh_SG", Some(ZhCn)),
            ("zh_HK", Some(ZhHk)),
            ("zh-hk", Some(ZhHk)),
            ("zh-MO", Some(ZhHk)),
            ("zh-Hant-HK", Some(ZhHk)),
            ("zh_TW", Some(ZhTw)),
            ("zh-TW", Some(ZhTw)),
            ("zh-Hant", Some(ZhTw)),
            ("zh-Hant-TW", Some(ZhTw)),
            ("ja", Some(JaJp)),
            ("ja_JP", Some(JaJp)),
            ("ko-KR", Some(KoKr)),
            ("th_TH", Some(ThTh)),
            ("id", Some(IdId)),
            ("in-ID", Some(IdId)),
            ("ms_MY", Some(MsMy)),
            ("vi", Some(ViVn)),
            ("es-MX", Some(EsEs)),
            ("pt-PT", Some(PtBr)),
            ("pt_BR", Some(PtBr)),
            ("fr-CA", Some(FrFr)),
            ("de-AT", Some(DeDe)),
            ("automatic", None),
            ("", None),
            ("xx", None),
            ("it_IT", None),
            ("ar-SA", None),
        ];
        for (s, want) in cases {
            assert_eq!(Locale::parse(s), *want, "{s}");
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
            Locale::negotiate(None, None, Some("it-IT,it;q=0.9,ja;q=0.8,en;q=0.7")),
            JaJp
        );
        assert_eq!(
            Locale::negotiate(None, None, Some("en;q=0.4, th-TH;q=0.9")),
            ThTh
        );
        assert_eq!(Locale::negotiate(None, None, Some("zh;q=0, en")), EnUs);
        assert_eq!(Locale::negotiate(None, None, Some("zh-TW,en;q=0.5")), ZhTw);
        assert_eq!(
            Locale::negotiate(Some("xx_XX"), None, Some("garbage;;;q=x")),
            EnUs
        );
        assert_eq!(Locale::negotiate(Some("it_IT"), Some("ko_KR"), None), KoKr);
    }

    #[test]
    fn tags_and_codes() {
        assert_eq!(Locale::EnUs.tag(), "en-US");
        assert_eq!(Locale::ZhCn.tag(), "zh-CN");
        assert_eq!(Locale::EnUs.code(), "en_US");
        assert_eq!(Locale::ZhCn.code(), "zh_CN");
        assert_eq!(Locale::ALL.len(), 14);
        for (i, l) in Locale::ALL.into_iter().enumerate() {
            assert_eq!(l.index(), i);
            assert_eq!(Locale::parse(l.code()), Some(l));
            assert_eq!(Locale::parse(l.tag()), Some(l));
            assert_eq!(l.code().replace('_', "-"), l.tag());
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
