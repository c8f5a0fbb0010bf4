//! Date and time written the buyer's way, from CLDR data (ICU4X): the session's expiry
//! as `Jan 31, 2025, 12:00 PM GMT+8` (en_US), `2025/01/31 12:00 GMT+8` (ja_JP),
//! `31.01.2025, 12:00 GMT+8` (de_DE), `31 ม.ค. 2568 12:00 GMT+8` (th_TH, whose calendar
//! is the Buddhist one). The time stays in the offset it was given in (the merchant's),
//! which the text names; the page's script replaces it with a countdown.

use std::collections::HashMap;
use std::sync::{Mutex, OnceLock};

use icu_calendar::Iso;
use icu_datetime::fieldsets::zone::LocalizedOffsetShort;
use icu_datetime::fieldsets::{Combo, YMDT};
use icu_datetime::options::TimePrecision;
use icu_datetime::DateTimeFormatter;
use icu_locale_core::Locale as IcuLocale;
use icu_time::ZonedDateTime;

use crate::Locale;

type Formatter = DateTimeFormatter<Combo<YMDT, LocalizedOffsetShort>>;

fn formatter(locale: Locale) -> Option<&'static Formatter> {
    static MADE: [OnceLock<Option<Formatter>>; Locale::ALL.len()] =
        [const { OnceLock::new() }; Locale::ALL.len()];
    MADE[locale.index()]
        .get_or_init(|| {
            let icu: IcuLocale = locale.tag().parse().ok()?;
            let fields = YMDT::medium()
                .with_time_precision(TimePrecision::Minute)
                .with_zone(LocalizedOffsetShort);
            DateTimeFormatter::try_new((&icu).into(), fields).ok()
        })
        .as_ref()
}

/// How many formatted times [`format`] keeps. A checkout's page shows the same expiry
/// on every load, and ICU4X takes about half a microsecond to write one (as long as
/// the rest of the page); past this many the memo starts afresh.
const REMEMBERED: usize = 4096;

/// (locale, RFC 3339 time) → the time written for that locale.
type Memo = HashMap<(Locale, Box<str>), Box<str>>;

/// An RFC 3339 time (`2025-01-31T12:00:00+08:00`) for `locale`; `None` when it does not
/// parse (the caller shows it as it is).
pub fn format(locale: Locale, rfc3339: &str) -> Option<String> {
    static MEMO: Mutex<Option<Memo>> = Mutex::new(None);
    let key = (locale, Box::<str>::from(rfc3339));
    if let Some(hit) = MEMO
        .lock()
        .ok()
        .and_then(|m| m.as_ref().and_then(|m| m.get(&key).map(|s| s.to_string())))
    {
        return Some(hit);
    }
    let f = formatter(locale)?;
    let zoned = ZonedDateTime::try_offset_only_from_str(rfc3339, Iso).ok()?;
    let text = f.format(&zoned).to_string().replace('\u{a0}', " ");
    if let Ok(mut m) = MEMO.lock() {
        let m = m.get_or_insert_with(HashMap::new);
        if m.len() >= REMEMBERED {
            m.clear();
        }
        m.insert(key, text.as_str().into());
    }
    Some(text)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_locale_writes_the_expiry_its_way() {
        use Locale::*;
        let cases: &[(Locale, &str)] = &[
            (EnUs, "Jan 31, 2025, 12:00\u{202f}PM GMT+8"),
            (ZhCn, "2025年1月31日 GMT+8 12:00"),
            (ZhHk, "2025年1月31日 中午12:00 GMT+8"),
            (ZhTw, "2025年1月31日 中午12:00 GMT+8"),
            (JaJp, "2025/01/31 12:00 GMT+8"),
            (KoKr, "2025/1/31 오후 12:00 GMT+8"),
            (ThTh, "31 ม.ค. 2568 12:00 GMT+8"),
            (IdId, "31 Jan 2025, 12.00 GMT+8"),
            (MsMy, "31 Jan 2025, 12:00\u{202f}PTG GMT+8"),
            (ViVn, "12:00 GMT+8 31 thg 1, 2025"),
            (EsEs, "31 ene 2025, 12:00 GMT+8"),
            (PtBr, "31 de jan. de 2025, 12:00 +8 GMT"),
            (FrFr, "31 janv. 2025, 12:00 UTC+8"),
            (DeDe, "31.01.2025, 12:00 GMT+8"),
        ];
        assert_eq!(cases.len(), Locale::ALL.len());
        for (locale, want) in cases {
            assert_eq!(
                format(*locale, "2025-01-31T12:00:00+08:00").as_deref(),
                Some(*want),
                "{locale}"
            );
        }
    }

    #[test]
    fn utc_and_fractions_and_junk() {
        assert_eq!(
            format(Locale::EnUs, "2025-01-31T12:00:00.123Z").as_deref(),
            Some("Jan 31, 2025, 12:00\u{202f}PM GMT+0")
        );
        assert_eq!(format(Locale::EnUs, "soon"), None);
        assert_eq!(format(Locale::EnUs, "2025-01-31T12:00:00junk"), None);
    }
}
