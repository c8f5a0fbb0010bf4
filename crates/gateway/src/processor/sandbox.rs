//! The built-in sandbox processor: deterministic outcomes from the test
//! credentials of DESIGN.md §6, plus Antom's own documented sandbox cards
//! (PROTOCOL.md §9.2) so integrations written against Antom's sandbox behave
//! the same here. Any other Luhn-valid card is approved.

use cashier_protocol::{Amount, ResultCode};

use super::{CardInput, CardOutcome, Processor, RefundOutcome};

/// `refundReason` prefix of a refund that settles asynchronously.
pub const ASYNC_REFUND_REASON: &str = "SANDBOX_ASYNC";
/// `refundReason` prefix of a refund that fails.
pub const FAILED_REFUND_REASON: &str = "SANDBOX_FAIL";

/// What the sandbox knows of its documented test cards: (number, funding,
/// issuing country). Cashier's own cards are US credit cards (the
/// insufficient-funds one a debit card), apart from the JCB (Japan) and the
/// UnionPay debit card (China); Antom's sandbox cards (PROTOCOL.md §9.2)
/// carry the issuing country Antom documents and no funding.
const TEST_CARD_FACTS: &[(&str, Option<&str>, Option<&str>)] = &[
    ("4242424242424242", Some("CREDIT"), Some("US")),
    ("5555555555554444", Some("CREDIT"), Some("US")),
    ("4000000000000002", Some("CREDIT"), Some("US")),
    ("4000000000009995", Some("DEBIT"), Some("US")),
    ("4000000000003220", Some("CREDIT"), Some("US")),
    ("4000000000000119", Some("CREDIT"), Some("US")),
    ("4000000000000077", Some("CREDIT"), Some("US")),
    ("378282246310005", Some("CREDIT"), Some("US")),
    ("3566002020360505", Some("CREDIT"), Some("JP")),
    ("6200000000000005", Some("DEBIT"), Some("CN")),
    ("36227206271667", Some("CREDIT"), Some("US")),
    ("6011111111111117", Some("CREDIT"), Some("US")),
    ("9490220011669217", None, Some("KR")),
    ("4294097400915107", None, Some("BR")),
    ("4006055482525268", None, Some("MX")),
    ("4600729331819383", None, Some("CL")),
    ("4310377720003234", None, Some("PE")),
];

/// Funding and issuing country of a documented test card, found by the
/// brand and last four digits that are all Cashier keeps of a card; `None`
/// for any other card (nothing is guessed).
pub fn card_facts(
    brand: &str,
    last4: &str,
) -> Option<(Option<&'static str>, Option<&'static str>)> {
    TEST_CARD_FACTS
        .iter()
        .find(|(number, _, _)| number.ends_with(last4) && super::card::brand_of(number) == brand)
        .map(|(_, funding, country)| (*funding, *country))
}

#[derive(Debug, Default, Clone, Copy)]
pub struct SandboxProcessor;

impl Processor for SandboxProcessor {
    fn authorize_card(&self, card: &CardInput, _amount: Amount) -> CardOutcome {
        match card.number() {
            "4000000000000002" | "4054692760174822" => CardOutcome::Declined(
                ResultCode::ISSUER_REJECTS_TRANSACTION,
                "The card was declined.",
            ),
            "4000000000009995" => CardOutcome::Declined(
                ResultCode::USER_BALANCE_NOT_ENOUGH,
                "The card has insufficient funds.",
            ),
            "4000000000003220" => CardOutcome::Challenge,
            "4000000000000119" => CardOutcome::Rejected(
                ResultCode::RISK_REJECT,
                "The payment was rejected by risk control.",
            ),
            "4000000000000077" => CardOutcome::Async,
            _ => CardOutcome::Approved,
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

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::Utc;

    fn outcome(number: &str) -> CardOutcome {
        let card = CardInput::parse(number, "12/40", "123", "T", Utc::now()).unwrap();
        SandboxProcessor.authorize_card(&card, Amount::parse("USD", "100").unwrap())
    }

    #[test]
    fn facts_are_known_only_for_documented_test_cards() {
        assert_eq!(
            card_facts("Visa", "4242"),
            Some((Some("CREDIT"), Some("US")))
        );
        assert_eq!(
            card_facts("Visa", "9995"),
            Some((Some("DEBIT"), Some("US")))
        );
        assert_eq!(card_facts("Card", "9217"), Some((None, Some("KR"))));
        assert_eq!(
            card_facts("Mastercard", "4242"),
            None,
            "brand and digits together"
        );
        assert_eq!(card_facts("Visa", "1111"), None);
    }

    #[test]
    fn test_cards_map_to_their_documented_outcomes() {
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
}
