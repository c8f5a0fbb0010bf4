//! Settlement currencies (docs/protocol.md §3.2 item 9, §8.3): which currency a
//! payment settles in, and at what rate.
//!
//! - A merchant's **contract** is its list of settlement currencies
//!   (`Merchant::settlement_currencies`, set with `cashier merchant update
//!   --settlement-currencies` or the dashboard). With none, each payment
//!   settles in its own currency.
//! - `settlementStrategy.settlementCurrency` outside the contract (or, with
//!   none, other than the payment currency) is refused with
//!   `SETTLE_CONTRACT_NOT_MATCH`. Absent, the payment settles in its own
//!   currency when contracted, else in the first contracted one; with
//!   several contracted currencies that is an integration warning
//!   (`SETTLEMENT_CURRENCY_MISSING`), as Antom requires the field then.
//! - A payment settling in another currency records the sandbox rate and
//!   its time; the payment and every refund of it convert at that rate
//!   ([`cashier_protocol::fx`]), so reports reconcile row by row.
//! - The rates are fixed and published (README, "Settlement currencies"):
//!   [`SANDBOX_RATES`], how much of each currency one US dollar buys. They
//!   are sandbox figures, not market rates.

use cashier_protocol::fx::Rate;
use cashier_protocol::{Amount, Currency, IntegrationWarning, WarningRule};

use crate::store::Merchant;

/// Units of each supported currency one US dollar buys in the sandbox.
pub const SANDBOX_RATES: &[(&str, &str)] = &[
    ("AUD", "1.5"),
    ("BDT", "110"),
    ("BHD", "0.376"),
    ("BRL", "5"),
    ("CAD", "1.35"),
    ("CLP", "900"),
    ("CNY", "7.2"),
    ("EUR", "0.92"),
    ("GBP", "0.79"),
    ("HKD", "7.8"),
    ("IDR", "16000"),
    ("JOD", "0.709"),
    ("JPY", "150"),
    ("KRW", "1350"),
    ("KWD", "0.307"),
    ("MXN", "17"),
    ("MYR", "4.7"),
    ("NZD", "1.65"),
    ("OMR", "0.385"),
    ("PEN", "3.75"),
    ("PHP", "56"),
    ("PKR", "280"),
    ("PLN", "4"),
    ("SGD", "1.35"),
    ("THB", "36"),
    ("TND", "3.1"),
    ("TWD", "32"),
    ("USD", "1"),
    ("VND", "25000"),
];

fn per_usd(code: &str) -> Option<Rate> {
    SANDBOX_RATES
        .iter()
        .find(|(c, _)| *c == code)
        .and_then(|(_, r)| r.parse().ok())
}

/// The sandbox rate from one currency to another.
pub fn sandbox_rate(from: Currency, to: Currency) -> Option<Rate> {
    if from == to {
        return Some(Rate::ONE);
    }
    Rate::cross(per_usd(from.code())?, per_usd(to.code())?)
}

/// Parses a contract as typed by an operator: currency codes separated by
/// commas or spaces, any case. An empty text is "no contract". Each code
/// must be a supported currency, at most once.
pub fn parse_contract(text: &str) -> Result<Option<String>, String> {
    let mut codes: Vec<&'static str> = Vec::new();
    for word in text
        .split(|c: char| c == ',' || c.is_whitespace())
        .filter(|w| !w.is_empty())
    {
        let code = word.to_ascii_uppercase();
        let currency = Currency::from_code(&code)
            .ok_or_else(|| format!("{word:?} is not a supported currency code"))?;
        if codes.contains(&currency.code()) {
            return Err(format!("{} is listed twice", currency.code()));
        }
        codes.push(currency.code());
    }
    Ok((!codes.is_empty()).then(|| codes.join(",")))
}

/// A merchant's contracted settlement currencies, in contract order.
pub fn contract(merchant: &Merchant) -> Vec<&str> {
    merchant
        .settlement_currencies
        .as_deref()
        .map(|s| s.split(',').filter(|c| !c.is_empty()).collect())
        .unwrap_or_default()
}

/// How a new payment settles.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Settlement {
    pub currency: Currency,
    /// `None` when it settles in its own currency.
    pub rate: Option<Rate>,
    /// `SETTLEMENT_CURRENCY_MISSING`, when the request should have chosen.
    pub warning: Option<IntegrationWarning>,
}

/// Why a payment cannot settle as its request asked (the API answers
/// `SETTLE_CONTRACT_NOT_MATCH` with this text).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SettlementError {
    /// The currency asked for is not contracted; `terms` says what is.
    #[error("settlementStrategy.settlementCurrency {requested} is not contracted; {terms}.")]
    NotContracted { requested: String, terms: String },
    /// The currency asked for is not one Cashier supports.
    #[error("settlementStrategy.settlementCurrency {0} is not a supported currency.")]
    Unsupported(String),
    /// No sandbox rate between the two currencies.
    #[error("no sandbox rate from {from} to {to}.")]
    NoRate { from: Currency, to: Currency },
}

/// Decides the settlement of a payment of `amount` for which the request
/// asked `requested` (`settlementStrategy.settlementCurrency`).
pub fn decide(
    merchant: &Merchant,
    amount: Amount,
    requested: Option<&str>,
) -> Result<Settlement, SettlementError> {
    let own = amount.currency();
    let contracted = contract(merchant);
    let (code, warning) = match requested {
        Some(code) => {
            let allowed = if contracted.is_empty() {
                code == own.code()
            } else {
                contracted.contains(&code)
            };
            if !allowed {
                let terms = if contracted.is_empty() {
                    format!(
                        "this merchant settles each payment in its own currency ({})",
                        own.code()
                    )
                } else {
                    format!("contracted: {}", contracted.join(", "))
                };
                return Err(SettlementError::NotContracted {
                    requested: code.to_string(),
                    terms,
                });
            }
            (code, None)
        }
        None if contracted.is_empty() || contracted.contains(&own.code()) => {
            let warning = (contracted.len() > 1).then(|| missing_warning(&contracted));
            (own.code(), warning)
        }
        None => {
            let warning = (contracted.len() > 1).then(|| missing_warning(&contracted));
            (contracted[0], warning)
        }
    };
    let currency =
        Currency::from_code(code).ok_or_else(|| SettlementError::Unsupported(code.to_string()))?;
    let rate = if currency == own {
        None
    } else {
        Some(sandbox_rate(own, currency).ok_or(SettlementError::NoRate {
            from: own,
            to: currency,
        })?)
    };
    Ok(Settlement {
        currency,
        rate,
        warning,
    })
}

fn missing_warning(contracted: &[&str]) -> IntegrationWarning {
    IntegrationWarning::new(
        WarningRule::SettlementCurrencyMissing,
        "settlementStrategy.settlementCurrency",
        format!(
            "settlementStrategy.settlementCurrency is missing although {} are contracted",
            contracted.join(", ")
        ),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn merchant(contract: Option<&str>) -> Merchant {
        let mut m = Merchant::for_tests(&"M".into(), "Shop");
        m.settlement_currencies = contract.map(str::to_string);
        m
    }

    fn sgd(minor: u64) -> Amount {
        Amount::new(Currency::from_code("SGD").unwrap(), minor)
    }

    #[test]
    fn every_supported_currency_has_a_rate() {
        for c in Currency::all() {
            let usd = Currency::from_code("USD").unwrap();
            assert!(sandbox_rate(*c, usd).is_some(), "{c}");
            assert!(sandbox_rate(usd, *c).is_some(), "{c}");
        }
        assert_eq!(SANDBOX_RATES.len(), Currency::all().len());
    }

    #[test]
    fn contracts_parse_to_a_canonical_list() {
        assert_eq!(parse_contract(""), Ok(None));
        assert_eq!(parse_contract(" , "), Ok(None));
        assert_eq!(parse_contract("usd, SGD"), Ok(Some("USD,SGD".into())));
        assert_eq!(parse_contract("USD SGD"), Ok(Some("USD,SGD".into())));
        assert!(parse_contract("USD,XYZ").unwrap_err().contains("\"XYZ\""));
        assert!(parse_contract("USD,usd").unwrap_err().contains("twice"));
    }

    #[test]
    fn without_a_contract_payments_settle_in_their_own_currency() {
        let m = merchant(None);
        let s = decide(&m, sgd(4200), None).unwrap();
        assert_eq!((s.currency.code(), s.rate, s.warning), ("SGD", None, None));
        assert_eq!(decide(&m, sgd(4200), Some("SGD")).unwrap().rate, None);
        let e = decide(&m, sgd(4200), Some("USD")).unwrap_err();
        assert!(matches!(e, SettlementError::NotContracted { .. }), "{e:?}");
        assert_eq!(
            e.to_string(),
            "settlementStrategy.settlementCurrency USD is not contracted; this merchant settles each payment in its own currency (SGD)."
        );
    }

    #[test]
    fn a_contract_decides_and_converts_at_the_sandbox_rate() {
        let m = merchant(Some("USD,SGD"));
        let s = decide(&m, sgd(4200), Some("USD")).unwrap();
        assert_eq!(s.currency.code(), "USD");
        assert_eq!(s.rate.unwrap().to_string(), "0.74074074");
        assert_eq!(s.warning, None);
        let e = decide(&m, sgd(4200), Some("EUR")).unwrap_err();
        assert!(matches!(e, SettlementError::NotContracted { .. }), "{e:?}");
        assert!(e.to_string().ends_with("contracted: USD, SGD."), "{e}");
        // Absent with several contracted: its own currency, and a warning.
        let s = decide(&m, sgd(4200), None).unwrap();
        assert_eq!((s.currency.code(), s.rate), ("SGD", None));
        assert_eq!(
            s.warning.unwrap().rule,
            WarningRule::SettlementCurrencyMissing
        );
        // Its own currency not contracted: the first contracted one.
        let usd_only = merchant(Some("USD"));
        let s = decide(&usd_only, sgd(4200), None).unwrap();
        assert_eq!((s.currency.code(), s.warning), ("USD", None));
        assert!(s.rate.is_some());
    }
}
