//! The payment methods the hosted page can offer (docs/protocol.md §9.1), and the
//! rule that picks, filters and orders them for one session (§7).

use cashier_protocol::Amount;

/// A method's family: how the buyer pays with it, and so which sandbox
/// journey the page runs (README.md, "Payment methods and their journeys").
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MethodKind {
    /// Card form on the page, authorised by the processor.
    Card,
    /// A QR code (desktop) or the wallet's app (mobile), approved in the
    /// sandbox wallet.
    Wallet,
    /// The buyer picks a bank and approves in its (sandbox) online banking.
    OnlineBanking,
    /// A virtual account number to transfer the amount to; the payment stays
    /// processing until the (sandbox) bank reports the transfer, and closes
    /// unpaid at the session's expiry.
    BankTransfer,
    /// A payment code paid in cash at a convenience store before the
    /// session's expiry.
    Otc,
    /// Buy now, pay later: the provider approves an instalment plan.
    PayLater,
    /// Apple Pay, Google Pay: an express button that opens the wallet's
    /// payment sheet (a sandbox sheet; no wallet SDK is loaded).
    Sheet,
}

impl MethodKind {
    /// Whether the buyer completes the payment away from the page (every
    /// family but cards): the attempt waits for the sandbox's decision.
    pub fn is_journey(self) -> bool {
        self != MethodKind::Card
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MethodInfo {
    /// `paymentMethodType` on the wire.
    pub code: &'static str,
    /// Label on the page ("Card", "Alipay").
    pub display_name: &'static str,
    pub kind: MethodKind,
    /// Currencies it accepts; empty = any (cards, Alipay with FX).
    pub currencies: &'static [&'static str],
    /// Minimum amount in minor units of its currency.
    pub min_minor: u64,
    /// Maximum amount in minor units of its currency; `u64::MAX`: none.
    pub max_minor: u64,
    /// Buyer region (ISO alpha-2), or `GLOBAL`.
    pub region: &'static str,
    /// Offered only when the merchant names it (`paymentMethod` or
    /// `availablePaymentMethod`): methods of a separate contract.
    pub on_request: bool,
    /// Antom's `paymentMethodCategoryType` (`ALIPAY_PLUS`, `WALLET`, `CARD`,
    /// `ONLINE_BANKING`, `BANK_TRANSFER`, `OTC`), shown in the dashboard and
    /// the reports.
    pub category: &'static str,
}

const fn wallet(
    code: &'static str,
    display_name: &'static str,
    currencies: &'static [&'static str],
    min_minor: u64,
    region: &'static str,
) -> MethodInfo {
    MethodInfo {
        code,
        display_name,
        kind: MethodKind::Wallet,
        currencies,
        min_minor,
        max_minor: u64::MAX,
        region,
        on_request: false,
        category: "ALIPAY_PLUS",
    }
}

/// A method of another family, in one currency, between two amounts.
const fn family(
    kind: MethodKind,
    category: &'static str,
    code: &'static str,
    display_name: &'static str,
    currency: &'static [&'static str],
    (min_minor, max_minor): (u64, u64),
    region: &'static str,
) -> MethodInfo {
    MethodInfo {
        code,
        display_name,
        kind,
        currencies: currency,
        min_minor,
        max_minor,
        region,
        on_request: false,
        category,
    }
}

/// Default display order.
pub const CATALOGUE: &[MethodInfo] = &[
    MethodInfo {
        code: "CARD",
        display_name: "Card",
        kind: MethodKind::Card,
        currencies: &[],
        min_minor: 1,
        max_minor: u64::MAX,
        region: "GLOBAL",
        on_request: false,
        category: "CARD",
    },
    wallet("ALIPAY_CN", "Alipay", &[], 1, "CN"),
    wallet("ALIPAY_HK", "AlipayHK", &["HKD"], 1, "HK"),
    wallet("GCASH", "GCash", &["PHP"], 100, "PH"),
    wallet("DANA", "DANA", &["IDR"], 30000, "ID"),
    wallet("TRUEMONEY", "TrueMoney", &["THB"], 100, "TH"),
    wallet("KAKAOPAY", "Kakao Pay", &["KRW"], 50, "KR"),
    wallet("TNG", "Touch 'n Go eWallet", &["MYR"], 5, "MY"),
    wallet("BOOST", "Boost", &["MYR"], 1, "MY"),
    wallet("GRABPAY_SG", "GrabPay", &["SGD"], 1, "SG"),
    MethodInfo {
        category: "WALLET",
        ..wallet("MAYA", "Maya", &["PHP"], 1, "PH")
    },
    wallet("BKASH", "bKash", &["BDT"], 1, "BD"),
    wallet("EASYPAISA", "Easypaisa", &["PKR"], 1, "PK"),
    MethodInfo {
        category: "WALLET",
        ..wallet("PAYPAY", "PayPay", &["JPY"], 1, "JP")
    },
    MethodInfo {
        category: "WALLET",
        ..wallet("ZALOPAY", "ZaloPay", &["VND"], 1, "VN")
    },
    MethodInfo {
        category: "WALLET",
        ..wallet("JKOPAY", "JKOPay", &["TWD"], 100, "TW")
    },
    // Online banking: FPX between RM 1 and RM 30,000.
    family(
        MethodKind::OnlineBanking,
        "ONLINE_BANKING",
        "ONLINEBANKING_FPX",
        "FPX online banking",
        &["MYR"],
        (100, 3_000_000),
        "MY",
    ),
    // Bank transfer to a virtual account, IDR 10,000 to IDR 50,000,000.
    family(
        MethodKind::BankTransfer,
        "BANK_TRANSFER",
        "BANKTRANSFER_BNI",
        "BNI Virtual Account",
        &["IDR"],
        (1_000_000, 5_000_000_000),
        "ID",
    ),
    family(
        MethodKind::BankTransfer,
        "BANK_TRANSFER",
        "BANKTRANSFER_PERMATA",
        "Permata Virtual Account",
        &["IDR"],
        (1_000_000, 5_000_000_000),
        "ID",
    ),
    // Cash at a Japanese convenience store, JPY 300 to JPY 300,000.
    family(
        MethodKind::Otc,
        "OTC",
        "KONBINI",
        "Konbini",
        &["JPY"],
        (300, 300_000),
        "JP",
    ),
    family(
        MethodKind::Otc,
        "OTC",
        "SEVENELEVEN",
        "7-Eleven",
        &["JPY"],
        (300, 300_000),
        "JP",
    ),
    // Buy now, pay later.
    family(
        MethodKind::PayLater,
        "ALIPAY_PLUS",
        "KREDIVO_ID",
        "Kredivo",
        &["IDR"],
        (1_000_000, 3_000_000_000),
        "ID",
    ),
    family(
        MethodKind::PayLater,
        "ALIPAY_PLUS",
        "AKULAKU_PAYLATER_PH",
        "Akulaku PayLater",
        &["PHP"],
        (10_000, 5_000_000),
        "PH",
    ),
    // Express wallets, offered only when the request names them: a button
    // above the method list and the wallet's (sandbox) payment sheet.
    MethodInfo {
        code: "APPLEPAY",
        display_name: "Apple Pay",
        kind: MethodKind::Sheet,
        currencies: &[],
        min_minor: 1,
        max_minor: u64::MAX,
        region: "GLOBAL",
        on_request: true,
        category: "WALLET",
    },
    MethodInfo {
        code: "GOOGLEPAY",
        display_name: "Google Pay",
        kind: MethodKind::Sheet,
        currencies: &[],
        min_minor: 1,
        max_minor: u64::MAX,
        region: "GLOBAL",
        on_request: true,
        category: "WALLET",
    },
    // The buyer pays from an Antom business account: approved like a wallet
    // on the sandbox's approval page. Only for merchants that ask for it.
    MethodInfo {
        code: "ANTOM_BIZ_ACCOUNT",
        display_name: "Antom Business Account",
        kind: MethodKind::Wallet,
        currencies: &[],
        min_minor: 1,
        max_minor: u64::MAX,
        region: "GLOBAL",
        on_request: true,
        category: "WALLET",
    },
];

pub fn method(code: &str) -> Option<&'static MethodInfo> {
    CATALOGUE.iter().find(|m| m.code == code)
}

impl MethodInfo {
    pub fn accepts(&self, amount: Amount) -> bool {
        let currency_ok =
            self.currencies.is_empty() || self.currencies.contains(&amount.currency().code());
        let multiple_ok = self.code != "JKOPAY" || amount.minor().is_multiple_of(100);
        currency_ok
            && multiple_ok
            && amount.minor() >= self.min_minor
            && amount.minor() <= self.max_minor
    }
}

/// What the merchant asked for in createPaymentSession.
#[derive(Debug, Default, Clone)]
pub struct MethodRequest<'a> {
    /// `availablePaymentMethod.paymentMethodTypeList`: (type, order).
    pub filter: Option<&'a [(String, Option<u32>)]>,
    pub allowed_regions: Option<&'a [String]>,
    /// Cards need a buyer id (docs/protocol.md §5.7).
    pub has_buyer_id: bool,
    /// `paymentMethod.paymentMethodType`: pre-selected, and offered even
    /// when it is a method offered only on request.
    pub preselected: Option<&'a str>,
}

/// The methods to show for `amount`, in display order. Empty means the
/// request must fail with `NO_PAY_OPTIONS`.
pub fn offered(amount: Amount, req: &MethodRequest<'_>) -> Vec<&'static MethodInfo> {
    let mut out: Vec<(u32, usize, &'static MethodInfo)> = Vec::new();
    for (default_pos, m) in CATALOGUE.iter().enumerate() {
        if !m.accepts(amount) || (m.kind == MethodKind::Card && !req.has_buyer_id) {
            continue;
        }
        if let Some(regions) = req.allowed_regions {
            if !regions
                .iter()
                .any(|r| r == m.region || (r == "GLOBAL" && m.kind == MethodKind::Card))
            {
                continue;
            }
        }
        let named = req.preselected == Some(m.code)
            || req
                .filter
                .is_some_and(|list| list.iter().any(|(code, _)| code == m.code));
        if m.on_request && !named {
            continue;
        }
        let (order, pos) = match req.filter {
            None => (u32::MAX, default_pos),
            Some(list) => match list.iter().position(|(code, _)| code == m.code) {
                None => continue,
                Some(i) => (list[i].1.unwrap_or(u32::MAX), i),
            },
        };
        out.push((order, pos, m));
    }
    out.sort_by_key(|(order, pos, _)| (*order, *pos));
    out.into_iter().map(|(_, _, m)| m).collect()
}

/// Why `m`, which the merchant pre-selected, is not among the methods
/// [`offered`] for this request: one sentence for the `NO_PAY_OPTIONS`
/// answer.
pub fn unavailable_reason(m: &MethodInfo, amount: Amount, req: &MethodRequest<'_>) -> String {
    let currency = amount.currency().code();
    if !m.currencies.is_empty() && !m.currencies.contains(&currency) {
        return format!(
            "it pays in {} only, not {currency}",
            m.currencies.join(", ")
        );
    }
    if amount.minor() < m.min_minor {
        return format!(
            "its minimum is {}",
            Amount::new(amount.currency(), m.min_minor).display()
        );
    }
    if amount.minor() > m.max_minor {
        return format!(
            "its maximum is {}",
            Amount::new(amount.currency(), m.max_minor).display()
        );
    }
    if !m.accepts(amount) {
        return format!("it takes only whole {currency} amounts");
    }
    if m.kind == MethodKind::Card && !req.has_buyer_id {
        return "cards need order.buyer.referenceBuyerId".to_string();
    }
    if let Some(list) = req.filter {
        if !list.iter().any(|(code, _)| code == m.code) {
            return "availablePaymentMethod.paymentMethodTypeList leaves it out".to_string();
        }
    }
    if req.allowed_regions.is_some() {
        return format!(
            "allowedPaymentMethodRegions leaves out its region {}",
            m.region
        );
    }
    "it is not available for this request".to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn codes(v: Vec<&MethodInfo>) -> Vec<&str> {
        v.into_iter().map(|m| m.code).collect()
    }

    fn amount(c: &str, v: &str) -> Amount {
        Amount::parse(c, v).unwrap()
    }

    #[test]
    fn filters_by_currency_and_minimum() {
        let all = MethodRequest {
            has_buyer_id: true,
            ..Default::default()
        };
        assert_eq!(
            codes(offered(amount("USD", "1999"), &all)),
            ["CARD", "ALIPAY_CN"]
        );
        assert_eq!(
            codes(offered(amount("SGD", "6000"), &all)),
            ["CARD", "ALIPAY_CN", "GRABPAY_SG"]
        );
        assert_eq!(
            codes(offered(amount("PHP", "50"), &all)),
            ["CARD", "ALIPAY_CN", "MAYA"]
        );
        assert_eq!(
            codes(offered(amount("PHP", "100"), &all)),
            ["CARD", "ALIPAY_CN", "GCASH", "MAYA"]
        );
        assert_eq!(
            codes(offered(amount("TWD", "150"), &all)),
            ["CARD", "ALIPAY_CN"]
        );
    }

    #[test]
    fn cards_need_a_buyer_id() {
        let req = MethodRequest::default();
        assert_eq!(codes(offered(amount("USD", "1999"), &req)), ["ALIPAY_CN"]);
    }

    #[test]
    fn the_merchant_list_restricts_and_orders() {
        let list = vec![
            ("ALIPAY_CN".to_string(), Some(1)),
            ("CARD".to_string(), Some(2)),
            ("GCASH".to_string(), None),
        ];
        let req = MethodRequest {
            filter: Some(&list),
            has_buyer_id: true,
            ..Default::default()
        };
        assert_eq!(
            codes(offered(amount("USD", "100"), &req)),
            ["ALIPAY_CN", "CARD"]
        );
        let only_gcash = vec![("GCASH".to_string(), None)];
        let req = MethodRequest {
            filter: Some(&only_gcash),
            has_buyer_id: true,
            ..Default::default()
        };
        assert!(offered(amount("USD", "100"), &req).is_empty());
    }

    #[test]
    fn regions_filter_wallets_and_global_means_cards() {
        let regions = vec!["GLOBAL".to_string()];
        let req = MethodRequest {
            allowed_regions: Some(&regions),
            has_buyer_id: true,
            ..Default::default()
        };
        assert_eq!(codes(offered(amount("SGD", "100"), &req)), ["CARD"]);
        let regions = vec!["SG".to_string()];
        let req = MethodRequest {
            allowed_regions: Some(&regions),
            has_buyer_id: true,
            ..Default::default()
        };
        assert_eq!(codes(offered(amount("SGD", "100"), &req)), ["GRABPAY_SG"]);
    }
}
