//! Amounts written the buyer's way, from CLDR data (ICU4X): the currency's symbol or
//! code and its place, the locale's grouping and decimal separators, and the
//! currency's display digits — `￥1,000` (ja_JP), `Rp 150.000` (id_ID), `฿100.00`
//! (th_TH), `1.234,56 €` (de_DE), `SGD 60.00` (en_US).
//!
//! An amount is never rounded for display. CLDR writes some currencies with fewer
//! digits than ISO 4217 gives them (IDR: 0 instead of 2); an amount that has a
//! non-zero digit CLDR would drop (IDR 150,000.50) is written exactly instead, with
//! the locale's number format and the ISO code (`IDR 150.000,50`).
//!
//! Where ICU4X has no symbol for a currency in a locale (SGD in de_DE) it writes the
//! ISO code in the locale's pattern (`60,00 SGD`); that is CLDR's own fallback.
//!
//! The no-break space CLDR puts between a code or symbol and the number (U+00A0) is
//! written as a plain space: the page contract's texts ("Pay SGD 60.00") and the tools
//! that read pages (XPath `normalize-space`, screen readers' copy) compare plain
//! spaces. The narrow no-break space of French grouping (U+202F) stays: it is the
//! group separator itself.
//!
//! ICU4X's currency formatter is in its `icu_experimental` crate: its output follows
//! CLDR, its API may change between releases (the tests below pin the strings).

use std::collections::HashMap;
use std::sync::{Arc, RwLock};

use fixed_decimal::Decimal;
use icu_decimal::DecimalFormatter;
use icu_experimental::dimension::currency::formatter::CurrencyFormatter;
use icu_experimental::dimension::currency::CurrencyType;
use icu_locale_core::Locale as IcuLocale;

use crate::Locale;

/// One locale's formatters for one currency, made once and shared.
struct Formatters {
    currency: CurrencyFormatter<DecimalFormatter>,
    number: DecimalFormatter,
    /// CLDR writes this currency with fewer digits than its ISO exponent.
    drops_digits: bool,
}

type Key = (Locale, [u8; 3], u8);

fn formatters(locale: Locale, code: [u8; 3], exponent: u8) -> Option<Arc<Formatters>> {
    static CACHE: RwLock<Option<HashMap<Key, Arc<Formatters>>>> = RwLock::new(None);
    let key = (locale, code, exponent);
    if let Some(f) = CACHE
        .read()
        .ok()
        .and_then(|c| c.as_ref().and_then(|m| m.get(&key).cloned()))
    {
        return Some(f);
    }
    let made = Arc::new(make(locale, code, exponent)?);
    if let Ok(mut c) = CACHE.write() {
        c.get_or_insert_with(HashMap::new)
            .entry(key)
            .or_insert_with(|| made.clone());
    }
    Some(made)
}

fn make(locale: Locale, code: [u8; 3], exponent: u8) -> Option<Formatters> {
    let icu: IcuLocale = locale.tag().parse().ok()?;
    let lower = std::str::from_utf8(&code).ok()?.to_ascii_lowercase();
    let currency_type = CurrencyType::try_from_str(&lower).ok()?;
    let currency =
        CurrencyFormatter::try_new_symbol((&icu).into(), currency_type, Default::default()).ok()?;
    let number = DecimalFormatter::try_new((&icu).into(), Default::default()).ok()?;
    // One minor unit more that looks the same: CLDR shows fewer digits.
    let one = decimal(10i128.pow(u32::from(exponent)), exponent);
    let one_and_a_bit = decimal(10i128.pow(u32::from(exponent)) + 1, exponent);
    let drops_digits = exponent > 0
        && currency.format_fixed_decimal(&one).to_string()
            == currency.format_fixed_decimal(&one_and_a_bit).to_string();
    Some(Formatters {
        currency,
        number,
        drops_digits,
    })
}

/// `minor` units as a decimal with `exponent` fraction digits (trailing zeros kept).
fn decimal(minor: i128, exponent: u8) -> Decimal {
    let mut d = Decimal::from(minor);
    let shift = i16::from(exponent);
    d.multiply_pow10(-shift);
    d.pad_end(-shift);
    d
}

/// `minor` units of the ISO 4217 currency `code` (with `exponent` digits) written for
/// `locale`. A code ICU4X cannot take (not three ASCII letters) is written as
/// `CODE 12.34` without grouping, so nothing is ever hidden.
pub fn format(locale: Locale, code: &str, exponent: u8, minor: i128) -> String {
    let bytes: Option<[u8; 3]> = code
        .as_bytes()
        .try_into()
        .ok()
        .filter(|b: &[u8; 3]| b.iter().all(u8::is_ascii_alphabetic));
    let Some(f) = bytes.and_then(|b| formatters(locale, b, exponent)) else {
        return plain(code, exponent, minor);
    };
    let value = decimal(minor, exponent);
    let step = 10i128.pow(u32::from(exponent));
    let text = if f.drops_digits && minor % step != 0 {
        // Exactly, in the locale's number format with the code.
        format!("{code} {}", f.number.format(&value))
    } else {
        f.currency.format_fixed_decimal(&value).to_string()
    };
    text.replace('\u{a0}', " ")
}

/// `CODE 12.34`: the locale-free form, for what ICU4X cannot take.
fn plain(code: &str, exponent: u8, minor: i128) -> String {
    let step = 10u128.pow(u32::from(exponent));
    let sign = if minor < 0 { "-" } else { "" };
    let abs = minor.unsigned_abs();
    if exponent == 0 {
        return format!("{code} {sign}{abs}");
    }
    format!(
        "{code} {sign}{}.{:0width$}",
        abs / step,
        abs % step,
        width = usize::from(exponent)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Spaces shown visibly: a plain space as `_`, the narrow no-break space of
    /// French grouping (U+202F) as `^`. No U+00A0 is left.
    fn shown(s: String) -> String {
        assert!(!s.contains('\u{a0}'), "{s:?}");
        s.replace(' ', "_").replace('\u{202f}', "^")
    }

    #[test]
    fn every_locale_writes_the_issue_currencies_the_cldr_way() {
        use Locale::*;
        // (locale, SGD 60.00, JPY 1000, IDR 150000.00, THB 100.00, KRW 15000, EUR 1234.56)
        let cases: &[(Locale, [&str; 6])] = &[
            (
                EnUs,
                [
                    "SGD_60.00",
                    "¥1,000",
                    "IDR_150,000",
                    "THB_100.00",
                    "₩15,000",
                    "€1,234.56",
                ],
            ),
            (
                ZhCn,
                [
                    "SGD_60.00",
                    "JP¥1,000",
                    "IDR_150,000",
                    "THB_100.00",
                    "₩15,000",
                    "€1,234.56",
                ],
            ),
            (
                ZhHk,
                [
                    "SGD_60.00",
                    "¥1,000",
                    "IDR_150,000",
                    "THB_100.00",
                    "₩15,000",
                    "€1,234.56",
                ],
            ),
            (
                ZhTw,
                [
                    "SGD_60.00",
                    "¥1,000",
                    "IDR_150,000",
                    "THB_100.00",
                    "￦15,000",
                    "€1,234.56",
                ],
            ),
            (
                JaJp,
                [
                    "SGD_60.00",
                    "￥1,000",
                    "IDR_150,000",
                    "THB_100.00",
                    "₩15,000",
                    "€1,234.56",
                ],
            ),
            (
                KoKr,
                [
                    "SGD_60.00",
                    "JP¥1,000",
                    "IDR_150,000",
                    "THB_100.00",
                    "₩15,000",
                    "€1,234.56",
                ],
            ),
            (
                ThTh,
                [
                    "SGD_60.00",
                    "¥1,000",
                    "IDR_150,000",
                    "฿100.00",
                    "₩15,000",
                    "€1,234.56",
                ],
            ),
            (
                IdId,
                [
                    "SGD_60,00",
                    "JP¥1.000",
                    "Rp_150.000",
                    "฿100,00",
                    "₩15.000",
                    "€1.234,56",
                ],
            ),
            (
                MsMy,
                [
                    "SGD_60.00",
                    "JP¥1,000",
                    "IDR_150,000",
                    "THB_100.00",
                    "₩15,000",
                    "€1,234.56",
                ],
            ),
            (
                ViVn,
                [
                    "60,00_SGD",
                    "1.000_¥",
                    "150.000_IDR",
                    "100,00_฿",
                    "15.000_₩",
                    "1.234,56_€",
                ],
            ),
            (
                EsEs,
                [
                    "60,00_SGD",
                    "1000_JP¥",
                    "150.000_IDR",
                    "100,00_฿",
                    "15.000_₩",
                    "1234,56_€",
                ],
            ),
            (
                PtBr,
                [
                    "SGD_60,00",
                    "JP¥_1.000",
                    "IDR_150.000",
                    "฿_100,00",
                    "₩_15.000",
                    "€_1.234,56",
                ],
            ),
            (
                FrFr,
                [
                    "60,00_$SG",
                    "1^000_JP¥",
                    "150^000_IDR",
                    "100,00_THB",
                    "15^000_₩",
                    "1^234,56_€",
                ],
            ),
            (
                DeDe,
                [
                    "60,00_SGD",
                    "1.000_¥",
                    "150.000_IDR",
                    "100,00_฿",
                    "15.000_₩",
                    "1.234,56_€",
                ],
            ),
        ];
        assert_eq!(cases.len(), Locale::ALL.len());
        let amounts = [
            ("SGD", 2, 6000),
            ("JPY", 0, 1000),
            ("IDR", 2, 15_000_000),
            ("THB", 2, 10_000),
            ("KRW", 0, 15_000),
            ("EUR", 2, 123_456),
        ];
        for (locale, want) in cases {
            for ((code, exp, minor), want) in amounts.iter().zip(want) {
                assert_eq!(
                    shown(format(*locale, code, *exp, *minor)),
                    *want,
                    "{locale} {code}"
                );
            }
        }
    }

    #[test]
    fn digits_cldr_would_drop_are_written_exactly() {
        assert_eq!(
            shown(format(Locale::IdId, "IDR", 2, 15_000_050)),
            "IDR_150.000,50"
        );
        assert_eq!(
            shown(format(Locale::EnUs, "IDR", 2, 15_000_050)),
            "IDR_150,000.50"
        );
        assert_eq!(
            shown(format(Locale::IdId, "IDR", 2, 15_000_000)),
            "Rp_150.000"
        );
    }

    #[test]
    fn small_negative_and_three_digit_amounts() {
        assert_eq!(shown(format(Locale::EnUs, "USD", 2, 5)), "$0.05");
        assert_eq!(shown(format(Locale::EnUs, "USD", 2, -5)), "-$0.05");
        assert_eq!(shown(format(Locale::EnUs, "KWD", 3, 1_234)), "KWD_1.234");
        assert_eq!(shown(format(Locale::DeDe, "EUR", 2, 0)), "0,00_€");
    }

    #[test]
    fn what_icu_cannot_take_is_written_plainly() {
        assert_eq!(format(Locale::EnUs, "U$D", 2, 6000), "U$D 60.00");
        assert_eq!(format(Locale::EnUs, "LONG", 0, 7), "LONG 7");
    }
}
