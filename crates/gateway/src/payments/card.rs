//! What a card payment tells the merchant: `paymentResultInfo`, built once
//! from the card as typed and what the processor reported, kept with the
//! attempt (and with the payment it decided), and sent unchanged in
//! notifyPayment and inquiryPayment. The full number and the security code
//! never reach it.

use cashier_protocol::wire::{PaymentResultInfo, ThreeDsResult};

use crate::ids;
use crate::processor::sandbox::legacy_card_facts;
use crate::processor::{CardInput, CardReport, ThreeDs};
use crate::store::{Attempt, Payment};

/// What Cashier keeps of the card of an attempt or a payment: the brand,
/// the last four digits, the masked number and, since it was kept, what
/// the processor reported.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CardSeen {
    pub brand: String,
    pub last4: String,
    pub masked: Option<String>,
    pub details: Option<PaymentResultInfo>,
}

impl CardSeen {
    pub fn of_attempt(a: &Attempt) -> Option<CardSeen> {
        CardSeen::from_parts(
            &a.card_brand,
            &a.card_last4,
            &a.card_masked,
            &a.card_details,
        )
    }

    pub fn of_payment(p: &Payment) -> Option<CardSeen> {
        CardSeen::from_parts(
            &p.card_brand,
            &p.card_last4,
            &p.card_masked,
            &p.card_details,
        )
    }

    fn from_parts(
        brand: &Option<String>,
        last4: &Option<String>,
        masked: &Option<String>,
        details: &Option<String>,
    ) -> Option<CardSeen> {
        Some(CardSeen {
            brand: brand.clone()?,
            last4: last4.clone()?,
            masked: masked.clone(),
            // Written by `details_json` only; a row that does not parse
            // (edited by hand) falls back to what the columns say.
            details: details
                .as_deref()
                .and_then(|d| serde_json::from_str(d).ok()),
        })
    }

    /// The details as stored in `card_details`.
    pub fn details_json(&self) -> Option<String> {
        self.details
            .as_ref()
            .map(|d| serde_json::to_string(d).expect("paymentResultInfo serialises"))
    }
}

/// The `cardBrand` code of a brand as the card module names it; `None` for
/// a card of no known brand (nothing is guessed).
pub fn brand_code(brand: &str) -> Option<&'static str> {
    Some(match brand {
        "Visa" => "VISA",
        "Mastercard" => "MASTERCARD",
        "American Express" => "AMEX",
        "Discover" => "DISCOVER",
        "Diners Club" => "DINERS",
        "JCB" => "JCB",
        "UnionPay" => "UNIONPAY",
        _ => return None,
    })
}

/// `paymentResultInfo` of a card just authorised: the card as typed (masked)
/// and everything the processor reported of it.
pub fn details_of(card: &CardInput, report: &CardReport) -> PaymentResultInfo {
    let masked = card.masked();
    let mut info = PaymentResultInfo {
        card_bin: Some(masked[..6].to_string()),
        card_no: Some(masked),
        card_brand: brand_code(card.brand()).map(str::to_string),
        last_four: Some(card.last4().to_string()),
        cardholder_name: Some(card.holder.clone()),
        expiry_month: Some(format!("{:02}", card.exp_month)),
        expiry_year: Some(format!("{:02}", card.exp_year.rem_euclid(100))),
        ..PaymentResultInfo::default()
    };
    apply_report(&mut info, report);
    info
}

/// Adds what a processor reported to a card's details. Facts it does not
/// report stay as they were: after a 3-D Secure challenge, the funding and
/// country of the first authorisation remain.
pub fn apply_report(info: &mut PaymentResultInfo, report: &CardReport) {
    let set = |field: &mut Option<String>, value: Option<&str>| {
        if let Some(v) = value {
            *field = Some(v.to_string());
        }
    };
    set(&mut info.funding, report.funding);
    set(&mut info.issuing_country, report.issuing_country);
    set(&mut info.payment_method_region, report.issuing_country);
    set(&mut info.issuer_name, report.issuer_name);
    set(&mut info.cvv_result_raw, report.cvv_result);
    if let Some((code, reason)) = report.refusal {
        info.refusal_code_raw = Some(code.to_string());
        info.refusal_reason_raw = Some(reason.to_string());
    }
    if let Some(three_ds) = report.three_ds {
        let mastercard = info.card_brand.as_deref() == Some("MASTERCARD");
        info.three_ds_result = Some(three_ds_result(three_ds, mastercard));
    }
}

/// The `threeDSResult` of an authentication. ECI values per network:
/// Mastercard `02` authenticated / `00` not; the others `05` / `07`.
fn three_ds_result(three_ds: ThreeDs, mastercard: bool) -> ThreeDsResult {
    let (authenticated, challenged) = match three_ds {
        ThreeDs::Frictionless => (true, false),
        ThreeDs::Challenged => (true, true),
        ThreeDs::Failed { challenged } => (false, challenged),
    };
    let eci = match (authenticated, mastercard) {
        (true, true) => "02",
        (true, false) => "05",
        (false, true) => "00",
        (false, false) => "07",
    };
    ThreeDsResult {
        three_ds_version: Some("2.2.0".into()),
        eci: Some(eci.into()),
        ds_transaction_id: Some(ids::uuid_v4()),
        challenged: Some(challenged),
        three_ds_offered: Some(true),
    }
}

/// `paymentResultInfo` of a card payment: the details kept with it, or for
/// a payment from before they were kept, what its columns say (funding,
/// issuing country and `paymentMethodRegion` only for the sandbox's
/// documented test cards; payments from before the masked number was kept
/// show twelve `*`).
pub fn card_result_info(card: &CardSeen) -> PaymentResultInfo {
    if let Some(details) = &card.details {
        return details.clone();
    }
    let (brand, last4) = (card.brand.as_str(), card.last4.as_str());
    let (funding, issuing_country) = legacy_card_facts(brand, last4).unwrap_or((None, None));
    PaymentResultInfo {
        card_no: Some(
            card.masked
                .clone()
                .unwrap_or_else(|| format!("************{last4}")),
        ),
        card_brand: brand_code(brand).map(str::to_string),
        last_four: Some(last4.to_string()),
        funding: funding.map(str::to_string),
        issuing_country: issuing_country.map(str::to_string),
        card_bin: card.masked.as_ref().map(|m| m[..6].to_string()),
        payment_method_region: issuing_country.map(str::to_string),
        ..PaymentResultInfo::default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::Utc;

    fn card(number: &str) -> CardInput {
        CardInput::parse(number, "07/31", "123", "Ann Lee", Utc::now()).unwrap()
    }

    #[test]
    fn details_carry_the_masked_card_and_the_report_never_the_number() {
        let report = CardReport {
            funding: Some("DEBIT"),
            issuing_country: Some("US"),
            issuer_name: Some("Cashier Sandbox Bank"),
            cvv_result: Some("M"),
            refusal: Some(("51", "Insufficient funds")),
            three_ds: None,
        };
        let info = details_of(&card("4000000000009995"), &report);
        assert_eq!(info.card_no.as_deref(), Some("400000******9995"));
        assert_eq!(info.card_bin.as_deref(), Some("400000"));
        assert_eq!(info.card_brand.as_deref(), Some("VISA"));
        assert_eq!(info.expiry_month.as_deref(), Some("07"));
        assert_eq!(info.expiry_year.as_deref(), Some("31"));
        assert_eq!(info.payment_method_region.as_deref(), Some("US"));
        assert_eq!(info.refusal_code_raw.as_deref(), Some("51"));
        let json = serde_json::to_string(&info).unwrap();
        assert!(!json.contains("4000000000009995"), "{json}");
        assert!(!json.contains("\"123\""), "{json}");
    }

    #[test]
    fn a_challenge_adds_its_result_and_keeps_the_first_report() {
        let first = CardReport {
            funding: Some("CREDIT"),
            issuing_country: Some("US"),
            ..CardReport::default()
        };
        let mut info = details_of(&card("5555555555554444"), &first);
        apply_report(
            &mut info,
            &CardReport {
                three_ds: Some(ThreeDs::Challenged),
                ..CardReport::default()
            },
        );
        assert_eq!(info.funding.as_deref(), Some("CREDIT"));
        let three_ds = info.three_ds_result.unwrap();
        assert_eq!(three_ds.eci.as_deref(), Some("02"), "Mastercard's ECI");
        assert_eq!(three_ds.challenged, Some(true));
        assert_eq!(three_ds.three_ds_offered, Some(true));
    }

    #[test]
    fn stored_details_are_sent_as_kept_and_old_rows_fall_back() {
        let info = details_of(&card("4242424242424242"), &CardReport::default());
        let seen = CardSeen {
            brand: "Visa".into(),
            last4: "4242".into(),
            masked: info.card_no.clone(),
            details: Some(info.clone()),
        };
        let stored = seen.details_json().unwrap();
        let back = CardSeen::from_parts(
            &Some("Visa".into()),
            &Some("4242".into()),
            &None,
            &Some(stored),
        )
        .unwrap();
        assert_eq!(card_result_info(&back), info);
        let old =
            CardSeen::from_parts(&Some("Visa".into()), &Some("4242".into()), &None, &None).unwrap();
        let legacy = card_result_info(&old);
        assert_eq!(legacy.card_no.as_deref(), Some("************4242"));
        assert_eq!(legacy.funding.as_deref(), Some("CREDIT"));
    }
}
