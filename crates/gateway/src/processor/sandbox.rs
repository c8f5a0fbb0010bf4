//! The built-in sandbox processor: deterministic outcomes from the test
//! credentials (README "Sandbox test credentials"), plus Antom's own
//! documented sandbox cards (docs/protocol.md §9.2) so integrations written
//! against Antom's sandbox behave the same here. Any other Luhn-valid card
//! is approved, with nothing reported of it.
//!
//! Every brand has a test range: its stem, a three-digit scenario code and
//! the Luhn check digit. `4000 0000 0000 0002` is Visa's stem
//! `400000000000`, scenario `000` (do not honor) and check digit `2`; the
//! same scenario on a Mastercard is `5200 0000 0000 0007`.

use cashier_protocol::{Amount, ResultCode};

use super::card::{brand_of, with_check_digit};
use super::{
    Authorization, CardInput, CardOutcome, CardReport, Processor, RefundOutcome, ThreeDs,
    THREE_DS_FAILED,
};

/// `refundReason` prefix of a refund that settles asynchronously.
pub const ASYNC_REFUND_REASON: &str = "SANDBOX_ASYNC";
/// `refundReason` prefix of a refund that fails.
pub const FAILED_REFUND_REASON: &str = "SANDBOX_FAIL";

/// The issuer every sandbox test card names.
const SANDBOX_ISSUER: &str = "Cashier Sandbox Bank";

/// What a test card does when it is authorised.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Behaviour {
    Approve,
    DoNotHonor,
    Expired,
    IncorrectCvc,
    InsufficientFunds,
    ThreeDsFrictionless,
    ThreeDsChallenge,
    ThreeDsFailed,
    RiskReject,
    /// Processing, then approved after `--sandbox-async-delay`.
    Async,
}

/// One scenario of the brands' test ranges.
#[derive(Debug, Clone, Copy)]
pub struct Scenario {
    /// The three digits before the check digit.
    pub code: &'static str,
    pub behaviour: Behaviour,
    pub funding: &'static str,
    /// What the README's table says it does.
    pub label: &'static str,
}

/// The scenarios every brand's test range offers, in the README's order.
pub const SCENARIOS: &[Scenario] = &[
    scenario("101", Behaviour::Approve, "DEBIT", "success, debit card"),
    scenario("102", Behaviour::Approve, "PREPAID", "success, prepaid card"),
    scenario(
        "305",
        Behaviour::ThreeDsFrictionless,
        "CREDIT",
        "3-D Secure frictionless: authenticated without a challenge, success",
    ),
    scenario(
        "322",
        Behaviour::ThreeDsChallenge,
        "CREDIT",
        "3-D Secure challenge: \"Complete authentication\" → success, \"Fail authentication\" → declined",
    ),
    scenario(
        "326",
        Behaviour::ThreeDsFailed,
        "CREDIT",
        "3-D Secure failed without a challenge: declined (`ISSUER_REJECTS_TRANSACTION`)",
    ),
    scenario(
        "000",
        Behaviour::DoNotHonor,
        "CREDIT",
        "declined, do not honor (`ISSUER_REJECTS_TRANSACTION`, refusal `05`)",
    ),
    scenario(
        "006",
        Behaviour::Expired,
        "CREDIT",
        "declined, expired card (`ISSUER_REJECTS_TRANSACTION`, refusal `54`)",
    ),
    scenario(
        "012",
        Behaviour::IncorrectCvc,
        "CREDIT",
        "declined, incorrect security code (`ISSUER_REJECTS_TRANSACTION`, refusal `N7`)",
    ),
    scenario(
        "999",
        Behaviour::InsufficientFunds,
        "DEBIT",
        "declined, insufficient funds (`USER_BALANCE_NOT_ENOUGH`, refusal `51`)",
    ),
    scenario(
        "011",
        Behaviour::RiskReject,
        "CREDIT",
        "risk rejected: the payment fails for good (`RISK_REJECT`), notified",
    ),
    scenario(
        "007",
        Behaviour::Async,
        "CREDIT",
        "processing, then success after `--sandbox-async-delay`",
    ),
];

const fn scenario(
    code: &'static str,
    behaviour: Behaviour,
    funding: &'static str,
    label: &'static str,
) -> Scenario {
    Scenario {
        code,
        behaviour,
        funding,
        label,
    }
}

/// Each brand's test range stem (the number minus its last four digits)
/// and the issuing country of its test cards.
pub const TEST_RANGES: &[(&str, &str, &str)] = &[
    ("Visa", "400000000000", "US"),
    ("Mastercard", "520000000000", "US"),
    ("American Express", "34000000000", "US"),
    ("JCB", "353000000000", "JP"),
    ("UnionPay", "620500000000", "CN"),
    ("Diners Club", "3050000000", "US"),
    ("Discover", "601100000000", "US"),
];

/// The test number of a brand's scenario, e.g. `("Visa", "000")` →
/// `4000000000000002`.
pub fn test_number(brand: &str, code: &str) -> Option<String> {
    let (_, stem, _) = TEST_RANGES.iter().find(|(b, _, _)| *b == brand)?;
    Some(with_check_digit(&format!("{stem}{code}")))
}

/// Each brand's everyday success number, its funding and issuing country.
pub const SUCCESS_CARDS: &[(&str, &str, &str)] = &[
    ("4242424242424242", "CREDIT", "US"),
    ("5555555555554444", "CREDIT", "US"),
    ("378282246310005", "CREDIT", "US"),
    ("3566002020360505", "CREDIT", "JP"),
    ("6200000000000005", "DEBIT", "CN"),
    ("36227206271667", "CREDIT", "US"),
    ("6011111111111117", "CREDIT", "US"),
];

/// Antom's documented sandbox cards (docs/protocol.md §9.2): number, issuing
/// country, issuer, approved. Antom documents no funding for them.
const ANTOM_CARDS: &[(&str, &str, Option<&str>, bool)] = &[
    ("9490220011669217", "KR", Some("Hyundai Card"), true),
    ("4294097400915107", "BR", None, true),
    ("4006055482525268", "MX", None, true),
    ("4600729331819383", "CL", None, true),
    ("4310377720003234", "PE", None, true),
    ("4054695723100768", "", None, true),
    ("5162774114974622", "", None, true),
    ("4054692760174822", "", None, false),
];

/// A test card's behaviour and what the issuer reports of it; `None` for
/// a card that is not a test card.
fn test_card(number: &str) -> Option<(Behaviour, CardReport)> {
    let test_report = |funding, country| CardReport {
        funding: Some(funding),
        issuing_country: Some(country),
        issuer_name: Some(SANDBOX_ISSUER),
        cvv_result: Some("M"),
        ..CardReport::default()
    };
    if let Some((_, funding, country)) = SUCCESS_CARDS.iter().find(|(n, _, _)| *n == number) {
        return Some((Behaviour::Approve, test_report(funding, country)));
    }
    if let Some((_, country, issuer, approved)) =
        ANTOM_CARDS.iter().find(|(n, _, _, _)| *n == number)
    {
        let report = CardReport {
            issuing_country: (!country.is_empty()).then_some(*country),
            issuer_name: *issuer,
            ..CardReport::default()
        };
        let behaviour = if *approved {
            Behaviour::Approve
        } else {
            Behaviour::DoNotHonor
        };
        return Some((behaviour, report));
    }
    let brand = brand_of(number);
    let (_, stem, country) = TEST_RANGES.iter().find(|(b, _, _)| *b == brand)?;
    let rest = number.strip_prefix(stem).filter(|r| r.len() == 4)?;
    let s = SCENARIOS.iter().find(|s| rest.starts_with(s.code))?;
    Some((s.behaviour, test_report(s.funding, country)))
}

/// The outcome of a behaviour, with its refusal and 3-D Secure facts added
/// to the card's report.
fn authorize(behaviour: Behaviour, mut report: CardReport) -> Authorization {
    let declined = |code, message| CardOutcome::Declined(code, message);
    let outcome = match behaviour {
        Behaviour::Approve => CardOutcome::Approved,
        Behaviour::DoNotHonor => {
            report.refusal = Some(("05", "Do not honor"));
            declined(
                ResultCode::ISSUER_REJECTS_TRANSACTION,
                "The card was declined.",
            )
        }
        Behaviour::Expired => {
            report.refusal = Some(("54", "Expired card"));
            declined(
                ResultCode::ISSUER_REJECTS_TRANSACTION,
                "The issuer reports the card as expired.",
            )
        }
        Behaviour::IncorrectCvc => {
            report.refusal = Some(("N7", "Decline for CVV2 failure"));
            report.cvv_result = Some("N");
            declined(
                ResultCode::ISSUER_REJECTS_TRANSACTION,
                "The security code is incorrect.",
            )
        }
        Behaviour::InsufficientFunds => {
            report.refusal = Some(("51", "Insufficient funds"));
            declined(
                ResultCode::USER_BALANCE_NOT_ENOUGH,
                "The card has insufficient funds.",
            )
        }
        Behaviour::ThreeDsFrictionless => {
            report.three_ds = Some(ThreeDs::Frictionless);
            CardOutcome::Approved
        }
        Behaviour::ThreeDsChallenge => CardOutcome::Challenge,
        Behaviour::ThreeDsFailed => {
            report.three_ds = Some(ThreeDs::Failed { challenged: false });
            report.cvv_result = None;
            declined(ResultCode::ISSUER_REJECTS_TRANSACTION, THREE_DS_FAILED)
        }
        Behaviour::RiskReject => CardOutcome::Rejected(
            ResultCode::RISK_REJECT,
            "The payment was rejected by risk control.",
        ),
        Behaviour::Async => CardOutcome::Async,
    };
    Authorization { outcome, report }
}

#[derive(Debug, Default, Clone, Copy)]
pub struct SandboxProcessor;

impl Processor for SandboxProcessor {
    fn authorize_card(&self, card: &CardInput, _amount: Amount) -> Authorization {
        match test_card(card.number()) {
            Some((behaviour, report)) => authorize(behaviour, report),
            None => Authorization::bare(CardOutcome::Approved),
        }
    }

    fn refund(&self, _amount: Amount, reason: Option<&str>) -> RefundOutcome {
        match reason {
            Some(r) if r.starts_with(ASYNC_REFUND_REASON) => RefundOutcome::Async,
            Some(r) if r.starts_with(FAILED_REFUND_REASON) => {
                RefundOutcome::Failed(ResultCode::PROCESS_FAIL, "the sandbox refund failed.")
            }
            _ => RefundOutcome::Succeeded,
        }
    }
}

/// Funding and issuing country of a test card, found by the brand and last
/// four digits that were all Cashier kept of a card before it kept what
/// the issuer reported (payments from before migration 0015); `None` for
/// any other card (nothing is guessed).
pub fn legacy_card_facts(
    brand: &str,
    last4: &str,
) -> Option<(Option<&'static str>, Option<&'static str>)> {
    const LEGACY: &[(&str, Option<&str>, Option<&str>)] = &[
        ("4000000000000002", Some("CREDIT"), Some("US")),
        ("4000000000009995", Some("DEBIT"), Some("US")),
        ("4000000000003220", Some("CREDIT"), Some("US")),
        ("4000000000000119", Some("CREDIT"), Some("US")),
        ("4000000000000077", Some("CREDIT"), Some("US")),
        ("9490220011669217", None, Some("KR")),
        ("4294097400915107", None, Some("BR")),
        ("4006055482525268", None, Some("MX")),
        ("4600729331819383", None, Some("CL")),
        ("4310377720003234", None, Some("PE")),
    ];
    let success = SUCCESS_CARDS
        .iter()
        .map(|(n, f, c)| (*n, Some(*f), Some(*c)));
    LEGACY
        .iter()
        .copied()
        .chain(success)
        .find(|(number, _, _)| number.ends_with(last4) && brand_of(number) == brand)
        .map(|(_, funding, country)| (funding, country))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::processor::card::luhn_valid;
    use chrono::Utc;

    fn authorization(number: &str) -> Authorization {
        let cvc = if brand_of(number) == "American Express" {
            "1234"
        } else {
            "123"
        };
        let card = CardInput::parse(number, "12/40", cvc, "T", Utc::now()).unwrap();
        SandboxProcessor.authorize_card(&card, Amount::parse("USD", "100").unwrap())
    }

    fn outcome(number: &str) -> CardOutcome {
        authorization(number).outcome
    }

    #[test]
    fn legacy_facts_are_known_only_for_documented_test_cards() {
        assert_eq!(
            legacy_card_facts("Visa", "4242"),
            Some((Some("CREDIT"), Some("US")))
        );
        assert_eq!(
            legacy_card_facts("Visa", "9995"),
            Some((Some("DEBIT"), Some("US")))
        );
        assert_eq!(legacy_card_facts("Card", "9217"), Some((None, Some("KR"))));
        assert_eq!(
            legacy_card_facts("Mastercard", "4242"),
            None,
            "brand and digits together"
        );
        assert_eq!(legacy_card_facts("Visa", "1111"), None);
    }

    #[test]
    fn the_historical_visa_numbers_keep_their_outcomes() {
        assert_eq!(outcome("4242 4242 4242 4242"), CardOutcome::Approved);
        assert_eq!(outcome("5555 5555 5555 4444"), CardOutcome::Approved);
        assert!(matches!(
            outcome("4000 0000 0000 0002"),
            CardOutcome::Declined(ResultCode::ISSUER_REJECTS_TRANSACTION, _)
        ));
        assert!(matches!(
            outcome("4000 0000 0000 9995"),
            CardOutcome::Declined(ResultCode::USER_BALANCE_NOT_ENOUGH, _)
        ));
        assert_eq!(outcome("4000 0000 0000 3220"), CardOutcome::Challenge);
        assert!(matches!(
            outcome("4000 0000 0000 0119"),
            CardOutcome::Rejected(ResultCode::RISK_REJECT, _)
        ));
        assert_eq!(outcome("4000 0000 0000 0077"), CardOutcome::Async);
        assert_eq!(outcome("4054695723100768"), CardOutcome::Approved);
        assert!(matches!(
            outcome("4054692760174822"),
            CardOutcome::Declined(..)
        ));
    }

    #[test]
    fn every_brand_has_every_scenario_with_its_own_facts() {
        for (brand, _, country) in TEST_RANGES {
            for s in SCENARIOS {
                let number = test_number(brand, s.code).unwrap();
                assert!(luhn_valid(&number), "{number}");
                assert_eq!(brand_of(&number), *brand, "{number}");
                let a = authorization(&number);
                assert_eq!(a.report.funding, Some(s.funding), "{number}");
                assert_eq!(a.report.issuing_country, Some(*country), "{number}");
                let expected = match s.behaviour {
                    Behaviour::Approve | Behaviour::ThreeDsFrictionless => "approved",
                    Behaviour::ThreeDsChallenge => "challenge",
                    Behaviour::Async => "async",
                    Behaviour::RiskReject => "rejected",
                    _ => "declined",
                };
                let got = match a.outcome {
                    CardOutcome::Approved => "approved",
                    CardOutcome::Challenge => "challenge",
                    CardOutcome::Async => "async",
                    CardOutcome::Rejected(..) => "rejected",
                    CardOutcome::Declined(..) => "declined",
                };
                assert_eq!(got, expected, "{brand} {}", s.label);
            }
        }
        // The scenarios' numbers are all distinct from the success cards.
        let success: Vec<_> = SUCCESS_CARDS.iter().map(|c| c.0).collect();
        for (brand, _, _) in TEST_RANGES {
            for s in SCENARIOS {
                assert!(!success.contains(&test_number(brand, s.code).unwrap().as_str()));
            }
        }
    }

    #[test]
    fn declines_carry_the_issuers_refusal() {
        let expired = authorization(&test_number("Mastercard", "006").unwrap());
        assert_eq!(expired.report.refusal, Some(("54", "Expired card")));
        let cvc = authorization(&test_number("American Express", "012").unwrap());
        assert_eq!(cvc.report.cvv_result, Some("N"));
        assert_eq!(cvc.report.refusal.unwrap().0, "N7");
        let failed = authorization(&test_number("JCB", "326").unwrap());
        assert_eq!(
            failed.report.three_ds,
            Some(ThreeDs::Failed { challenged: false })
        );
        let frictionless = authorization(&test_number("UnionPay", "305").unwrap());
        assert_eq!(frictionless.report.three_ds, Some(ThreeDs::Frictionless));
        assert_eq!(frictionless.report.refusal, None);
    }

    #[test]
    fn the_readme_lists_every_test_card() {
        let readme = include_str!("../../../../README.md");
        for (number, _, _) in SUCCESS_CARDS {
            let shown = crate::processor::card::display_number(number);
            assert!(readme.contains(&shown), "README lacks {shown}");
        }
        for s in SCENARIOS {
            assert!(readme.contains(s.label), "README lacks {:?}", s.label);
            for (brand, _, _) in TEST_RANGES {
                let shown =
                    crate::processor::card::display_number(&test_number(brand, s.code).unwrap());
                assert!(readme.contains(&shown), "README lacks {brand} {shown}");
            }
        }
    }

    #[test]
    fn other_cards_are_approved_with_nothing_reported() {
        let a = authorization("4111111111111111");
        assert_eq!(a, Authorization::bare(CardOutcome::Approved));
        // A number in a test range with no scenario code.
        let a = authorization(&with_check_digit("400000000000555"));
        assert_eq!(a, Authorization::bare(CardOutcome::Approved));
    }
}
