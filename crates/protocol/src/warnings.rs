//! Integration warnings (docs/protocol.md §5.7, §5.8).
//!
//! Antom's guide marks more of a createPaymentSession request as "must"
//! than its own samples and Ant's own tools send, and real Antom accepts
//! those requests. Cashier accepts them too, so code pasted from the guide
//! works, but it never lets such a gap pass unseen: each one becomes an
//! [`IntegrationWarning`] recorded on the payment and shown to the merchant.
//! A merchant in strict mode has the same gaps refused as `PARAM_ILLEGAL`
//! naming the rule, so its CI fails on them.
//!
//! This module holds the rules and the checks that need no state: the
//! goodsName formats of travel and hotel merchants and the "is this a
//! flight order" test. [`crate::validate`] decides where each applies.

use std::fmt;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// One rule of the guide a request may break without being refused.
///
/// The code (`rule.code()`) is stable: the dashboard, the payments CSV,
/// `/metrics` and strict-mode answers all name a rule by it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum WarningRule {
    /// `productScene` absent: the guide asks for `CHECKOUT_PAYMENT`.
    ProductSceneMissing,
    /// `order.referenceOrderId` absent.
    ReferenceOrderIdMissing,
    /// `order.goods` absent or empty.
    GoodsMissing,
    /// A goods item without `referenceGoodsId`.
    GoodsIdMissing,
    /// A goods item without `goodsName`.
    GoodsNameMissing,
    /// `order.buyer` absent.
    BuyerMissing,
    /// `order.buyer.referenceBuyerId` absent: cards are not offered.
    ReferenceBuyerIdMissing,
    /// `order.buyer.buyerName.fullName` absent.
    BuyerNameMissing,
    /// Cards are offered but risk fields the guide recommends for them are
    /// absent (buyer email, phone, name, `env.clientIp`).
    CardRiskFieldsMissing,
    /// A flight-ticket order without `order.transit`.
    TransitMissing,
    /// `order.transit` without `transitType`, legs, or a leg field the
    /// guide requires.
    TransitIncomplete,
    /// A flight order whose goodsName is not `ticket-date-flight
    /// number-departure-arrival`.
    FlightGoodsNameFormat,
    /// A hotel order whose goodsName is not `Accommodation Period
    /// (start-end), Hotel Name`.
    HotelGoodsNameFormat,
    /// `order.lodging` without a field hotel merchants should send
    /// (`hotelName`, `hotelAddress`, check-in and check-out dates, nights,
    /// rooms, guest names).
    LodgingIncomplete,
    /// `paymentNotifyUrl` is plain `http:`.
    NotifyUrlNotHttps,
    /// No `settlementStrategy.settlementCurrency` although the merchant has
    /// contracted several settlement currencies.
    SettlementCurrencyMissing,
}

impl WarningRule {
    /// Every rule, in a fixed order (dashboard tables, metrics).
    pub const ALL: [WarningRule; 16] = [
        WarningRule::ProductSceneMissing,
        WarningRule::ReferenceOrderIdMissing,
        WarningRule::GoodsMissing,
        WarningRule::GoodsIdMissing,
        WarningRule::GoodsNameMissing,
        WarningRule::BuyerMissing,
        WarningRule::ReferenceBuyerIdMissing,
        WarningRule::BuyerNameMissing,
        WarningRule::CardRiskFieldsMissing,
        WarningRule::TransitMissing,
        WarningRule::TransitIncomplete,
        WarningRule::FlightGoodsNameFormat,
        WarningRule::HotelGoodsNameFormat,
        WarningRule::LodgingIncomplete,
        WarningRule::NotifyUrlNotHttps,
        WarningRule::SettlementCurrencyMissing,
    ];

    /// The stable code, e.g. `BUYER_NAME_MISSING`.
    pub fn code(self) -> &'static str {
        match self {
            WarningRule::ProductSceneMissing => "PRODUCT_SCENE_MISSING",
            WarningRule::ReferenceOrderIdMissing => "REFERENCE_ORDER_ID_MISSING",
            WarningRule::GoodsMissing => "GOODS_MISSING",
            WarningRule::GoodsIdMissing => "GOODS_ID_MISSING",
            WarningRule::GoodsNameMissing => "GOODS_NAME_MISSING",
            WarningRule::BuyerMissing => "BUYER_MISSING",
            WarningRule::ReferenceBuyerIdMissing => "REFERENCE_BUYER_ID_MISSING",
            WarningRule::BuyerNameMissing => "BUYER_NAME_MISSING",
            WarningRule::CardRiskFieldsMissing => "CARD_RISK_FIELDS_MISSING",
            WarningRule::TransitMissing => "TRANSIT_MISSING",
            WarningRule::TransitIncomplete => "TRANSIT_INCOMPLETE",
            WarningRule::FlightGoodsNameFormat => "FLIGHT_GOODS_NAME_FORMAT",
            WarningRule::HotelGoodsNameFormat => "HOTEL_GOODS_NAME_FORMAT",
            WarningRule::LodgingIncomplete => "LODGING_INCOMPLETE",
            WarningRule::NotifyUrlNotHttps => "NOTIFY_URL_NOT_HTTPS",
            WarningRule::SettlementCurrencyMissing => "SETTLEMENT_CURRENCY_MISSING",
        }
    }

    /// The rule for a stored code; `None` for codes this build does not
    /// know (a newer node wrote them).
    pub fn from_code(code: &str) -> Option<WarningRule> {
        WarningRule::ALL.into_iter().find(|r| r.code() == code)
    }

    /// What the rule asks for, in one sentence for the dashboard.
    pub fn summary(self) -> &'static str {
        match self {
            WarningRule::ProductSceneMissing => {
                "The guide asks for productScene CHECKOUT_PAYMENT on the hosted checkout page."
            }
            WarningRule::ReferenceOrderIdMissing => {
                "order.referenceOrderId identifies the order in disputes and the buyer's records."
            }
            WarningRule::GoodsMissing => {
                "order.goods feeds risk control; without it more payments may be declined."
            }
            WarningRule::GoodsIdMissing => "Each goods item needs a referenceGoodsId.",
            WarningRule::GoodsNameMissing => "Each goods item needs a goodsName.",
            WarningRule::BuyerMissing => {
                "order.buyer is needed for cards (referenceBuyerId) and risk control."
            }
            WarningRule::ReferenceBuyerIdMissing => {
                "Without order.buyer.referenceBuyerId the hosted page cannot offer cards."
            }
            WarningRule::BuyerNameMissing => "order.buyer.buyerName.fullName is required.",
            WarningRule::CardRiskFieldsMissing => {
                "For cards the guide recommends buyerEmail, buyerPhoneNo, buyerName and env.clientIp."
            }
            WarningRule::TransitMissing => "Flight-ticket orders must send order.transit.",
            WarningRule::TransitIncomplete => {
                "order.transit needs transitType and, per leg, departureTime, departure and arrival city and carrierNo."
            }
            WarningRule::FlightGoodsNameFormat => {
                "Flight goodsName must be ticket-date-flight number-departure-arrival, e.g. ticket-20250101-CX711-SIN-HKG."
            }
            WarningRule::HotelGoodsNameFormat => {
                "Hotel goodsName must be Accommodation Period (20250101-20250102), Hotel Name."
            }
            WarningRule::LodgingIncomplete => {
                "order.lodging should carry hotelName, hotelAddress, checkInDate, checkOutDate, numberOfNights, numberOfRooms and guestNames."
            }
            WarningRule::NotifyUrlNotHttps => {
                "paymentNotifyUrl should be https: notifications carry payment data."
            }
            WarningRule::SettlementCurrencyMissing => {
                "With several contracted settlement currencies, settlementStrategy.settlementCurrency is required."
            }
        }
    }
}

impl fmt::Display for WarningRule {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

/// A gap in a request that Cashier accepted: which rule, which field, and
/// what exactly was wrong.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct IntegrationWarning {
    pub rule: WarningRule,
    /// The request field concerned, e.g. `order.goods[1].goodsName`.
    pub field: String,
    /// What was found, naming the field, e.g. `order.buyer.buyerName.fullName
    /// is missing`.
    pub message: String,
}

impl IntegrationWarning {
    pub fn new(
        rule: WarningRule,
        field: impl Into<String>,
        message: impl Into<String>,
    ) -> IntegrationWarning {
        IntegrationWarning {
            rule,
            field: field.into(),
            message: message.into(),
        }
    }

    /// A warning that a field is absent.
    pub fn missing(rule: WarningRule, field: &str) -> IntegrationWarning {
        IntegrationWarning::new(rule, field, format!("{field} is missing"))
    }
}

impl fmt::Display for IntegrationWarning {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} ({})", self.message, self.rule.code())
    }
}

/// The message of a strict-mode refusal: the first warning with its rule,
/// and how many more there were.
pub fn strict_refusal(warnings: &[IntegrationWarning]) -> Option<String> {
    let first = warnings.first()?;
    let more = match warnings.len() - 1 {
        0 => String::new(),
        1 => " and 1 more integration warning".to_string(),
        n => format!(" and {n} more integration warnings"),
    };
    Some(format!(
        "strict mode: {}: {}{more}",
        first.rule.code(),
        first.message
    ))
}

/// Whether a goods item looks like a flight ticket: its name starts with
/// `ticket-` (the guide's format) or a level of its slash-separated
/// category is flights or air tickets (`Travel/Flights`, not `Games/Flight
/// simulators`). Used to find flight orders that send no `order.transit`.
pub fn looks_like_flight_ticket(name: Option<&str>, category: Option<&str>) -> bool {
    let name_says = name.is_some_and(|n| {
        n.trim_start()
            .get(..7)
            .is_some_and(|p| p.eq_ignore_ascii_case("ticket-"))
    });
    const FLIGHT_CATEGORIES: [&str; 8] = [
        "flight",
        "flights",
        "flight ticket",
        "flight tickets",
        "air ticket",
        "air tickets",
        "airline tickets",
        "airfare",
    ];
    let category_says = category.is_some_and(|c| {
        c.split('/').any(|level| {
            let level = level.trim().to_ascii_lowercase();
            FLIGHT_CATEGORIES.contains(&level.as_str())
        })
    });
    name_says || category_says
}

/// Checks a flight goodsName: one or more comma-separated products, each
/// `ticket-YYYYMMDD-FLIGHTNO-DEP-ARR` with a real date, an IATA flight
/// number (two-character airline designator, 1–4 digits, optional suffix
/// letter) and three-letter IATA airport or city codes. Returns what is
/// wrong with the first bad product.
pub fn check_flight_goods_name(name: &str) -> Result<(), String> {
    for (i, product) in name.split(',').map(str::trim).enumerate() {
        flight_product(product)
            .map_err(|why| format!("product {} ({}) {why}", i + 1, shown(product)))?;
    }
    Ok(())
}

fn flight_product(product: &str) -> Result<(), &'static str> {
    let parts: Vec<&str> = product.split('-').collect();
    let [ticket, date, flight, from, to] = parts.as_slice() else {
        return Err("is not five parts ticket-date-flight-departure-arrival");
    };
    if !ticket.eq_ignore_ascii_case("ticket") {
        return Err("does not start with ticket-");
    }
    yyyymmdd(date).ok_or("has no date as YYYYMMDD")?;
    if !is_flight_number(flight) {
        return Err("has no IATA flight number such as CX711");
    }
    if !is_iata_code(from) || !is_iata_code(to) {
        return Err("has no three-letter IATA departure and arrival codes");
    }
    Ok(())
}

fn is_flight_number(s: &str) -> bool {
    let bytes = s.as_bytes();
    if bytes.len() < 3 || !bytes[..2].iter().all(u8::is_ascii_alphanumeric) {
        return false;
    }
    if !bytes[..2].iter().any(u8::is_ascii_alphabetic) {
        return false;
    }
    let rest = &bytes[2..];
    let rest = match rest.last() {
        Some(b) if b.is_ascii_uppercase() => &rest[..rest.len() - 1],
        _ => rest,
    };
    (1..=4).contains(&rest.len()) && rest.iter().all(u8::is_ascii_digit)
}

fn is_iata_code(s: &str) -> bool {
    s.len() == 3 && s.bytes().all(|b| b.is_ascii_uppercase())
}

fn yyyymmdd(s: &str) -> Option<NaiveDate> {
    if s.len() != 8 || !s.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    NaiveDate::parse_from_str(s, "%Y%m%d").ok()
}

/// The marker that starts each product of a hotel goodsName.
const HOTEL_PREFIX: &str = "Accommodation Period (";

/// Checks a hotel goodsName: one or more products, each `Accommodation
/// Period (YYYYMMDD-YYYYMMDD), Hotel Name`, separated by commas, with real
/// dates, a check-out after the check-in, and a hotel name.
pub fn check_hotel_goods_name(name: &str) -> Result<(), String> {
    let trimmed = name.trim();
    let Some(rest) = trimmed.strip_prefix(HOTEL_PREFIX) else {
        return Err(format!(
            "{} does not start with {HOTEL_PREFIX}",
            shown(trimmed)
        ));
    };
    for (i, product) in rest.split(HOTEL_PREFIX).enumerate() {
        hotel_product(product).map_err(|why| {
            format!(
                "product {} ({}) {why}",
                i + 1,
                shown(&format!(
                    "{HOTEL_PREFIX}{}",
                    product.trim_end_matches([',', ' '])
                ))
            )
        })?;
    }
    Ok(())
}

/// One product after its `Accommodation Period (` prefix.
fn hotel_product(product: &str) -> Result<(), &'static str> {
    let (period, rest) = product
        .split_once(')')
        .ok_or("has no closing parenthesis after the period")?;
    let (start, end) = period
        .split_once('-')
        .ok_or("has no period as YYYYMMDD-YYYYMMDD")?;
    let (Some(start), Some(end)) = (yyyymmdd(start), yyyymmdd(end)) else {
        return Err("has no period as YYYYMMDD-YYYYMMDD");
    };
    if end <= start {
        return Err("ends its period on or before its start");
    }
    let hotel = rest
        .strip_prefix(',')
        .ok_or("has no comma between the period and the hotel name")?;
    // The next product's separator belongs to this one's tail.
    if hotel.trim().trim_end_matches(',').trim().is_empty() {
        return Err("has no hotel name");
    }
    Ok(())
}

/// A value quoted for a message, cut at 40 characters.
fn shown(s: &str) -> String {
    let mut out: String = s.chars().take(40).collect();
    if s.chars().count() > 40 {
        out.push('…');
    }
    format!("\"{out}\"")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rule_codes_round_trip_and_are_unique() {
        let mut codes: Vec<&str> = WarningRule::ALL.iter().map(|r| r.code()).collect();
        for rule in WarningRule::ALL {
            assert_eq!(WarningRule::from_code(rule.code()), Some(rule));
            let json = serde_json::to_string(&rule).unwrap();
            assert_eq!(json, format!("\"{}\"", rule.code()));
        }
        codes.sort_unstable();
        codes.dedup();
        assert_eq!(codes.len(), WarningRule::ALL.len());
        assert_eq!(WarningRule::from_code("NO_SUCH_RULE"), None);
    }

    #[test]
    fn flight_names_in_the_guides_format_pass() {
        for name in [
            "ticket-20250101-CX711-SIN-HKG",
            "ticket-20250101-CX711-SIN-HKG,ticket-20250105-CX710-HKG-SIN",
            "ticket-20250101-CX711-SIN-HKG, ticket-20250105-3U8881-CTU-SIN",
            "TICKET-20240229-SQ1A-SIN-NRT",
        ] {
            assert_eq!(check_flight_goods_name(name), Ok(()), "{name}");
        }
    }

    #[test]
    fn flight_names_out_of_format_say_what_is_wrong() {
        let cases = [
            ("ticket-date-flight number-departure-arrival", "no date"),
            ("Flight to Hong Kong", "five parts"),
            ("fare-20250101-CX711-SIN-HKG", "start with ticket-"),
            ("ticket-20250230-CX711-SIN-HKG", "no date"),
            ("ticket-20250101-CX-SIN-HKG", "flight number"),
            ("ticket-20250101-711-SIN-HKG", "flight number"),
            ("ticket-20250101-CX71234-SIN-HKG", "flight number"),
            ("ticket-20250101-CX711-sin-HKG", "IATA departure"),
            ("ticket-20250101-CX711-SING-HKG", "IATA departure"),
            ("ticket-20250101-CX711-SIN-HKG,", "five parts"),
        ];
        for (name, expected) in cases {
            let err = check_flight_goods_name(name).unwrap_err();
            assert!(err.contains(expected), "{name}: {err}");
        }
        let err = check_flight_goods_name("ticket-20250101-CX711-SIN-HKG,ticket-x").unwrap_err();
        assert!(err.starts_with("product 2 "), "{err}");
    }

    #[test]
    fn hotel_names_in_the_guides_format_pass() {
        for name in [
            "Accommodation Period (20250101-20250102), Hotel Name",
            "Accommodation Period (20250101-20250103), Raffles Singapore, Accommodation Period (20250103-20250104), Hotel Jen",
            "Accommodation Period (20250101-20250102),Marina Bay Sands",
        ] {
            assert_eq!(check_hotel_goods_name(name), Ok(()), "{name}");
        }
    }

    #[test]
    fn hotel_names_out_of_format_say_what_is_wrong() {
        let cases = [
            ("Raffles Singapore, 2 nights", "does not start with"),
            (
                "Accommodation Period (20250102-20250101), Raffles",
                "on or before",
            ),
            (
                "Accommodation Period (20250101-20250101), Raffles",
                "on or before",
            ),
            (
                "Accommodation Period (2025-01-01-2025-01-02), Raffles",
                "YYYYMMDD",
            ),
            (
                "Accommodation Period (20250101-20250102) Raffles",
                "no comma",
            ),
            (
                "Accommodation Period (20250101-20250102), ",
                "no hotel name",
            ),
            ("Accommodation Period (20250101-20250102", "no closing"),
        ];
        for (name, expected) in cases {
            let err = check_hotel_goods_name(name).unwrap_err();
            assert!(err.contains(expected), "{name}: {err}");
        }
        let two = "Accommodation Period (20250101-20250102), Raffles, Accommodation Period (20250103-20250102), Jen";
        assert!(check_hotel_goods_name(two)
            .unwrap_err()
            .starts_with("product 2 "));
    }

    #[test]
    fn flight_tickets_are_recognised_by_name_or_category() {
        assert!(looks_like_flight_ticket(
            Some("ticket-20250101-CX711-SIN-HKG"),
            None
        ));
        assert!(looks_like_flight_ticket(Some("Ticket-whatever"), None));
        assert!(looks_like_flight_ticket(
            Some("SIN to HKG"),
            Some("Travel/Flights")
        ));
        assert!(looks_like_flight_ticket(None, Some("Air Tickets")));
        assert!(!looks_like_flight_ticket(
            Some("Concert ticket"),
            Some("Events/Tickets")
        ));
        assert!(!looks_like_flight_ticket(Some("Wireless mouse"), None));
        assert!(!looks_like_flight_ticket(
            Some("Sim"),
            Some("Games/Flight simulators")
        ));
        assert!(looks_like_flight_ticket(
            None,
            Some("Travel / Airline Tickets")
        ));
        assert!(!looks_like_flight_ticket(None, None));
    }

    #[test]
    fn strict_refusal_names_the_first_rule_and_counts_the_rest() {
        assert_eq!(strict_refusal(&[]), None);
        let one = IntegrationWarning::missing(
            WarningRule::BuyerNameMissing,
            "order.buyer.buyerName.fullName",
        );
        assert_eq!(
            strict_refusal(std::slice::from_ref(&one)).unwrap(),
            "strict mode: BUYER_NAME_MISSING: order.buyer.buyerName.fullName is missing"
        );
        let two = IntegrationWarning::missing(WarningRule::ProductSceneMissing, "productScene");
        assert_eq!(
            strict_refusal(&[one.clone(), two.clone()]).unwrap(),
            "strict mode: BUYER_NAME_MISSING: order.buyer.buyerName.fullName is missing and 1 more integration warning"
        );
        assert!(strict_refusal(&[one, two.clone(), two])
            .unwrap()
            .ends_with("and 2 more integration warnings"));
    }
}
