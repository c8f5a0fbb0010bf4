//! Translations: every visible string of every page, per [`Locale`].
//!
//! Strings are plain `&'static str` in a struct, so a missing translation is a compile
//! error rather than a blank on a buyer's screen. A `{}` in a string is a placeholder
//! for one value (a brand name, a method name, an amount, a number of seconds); use
//! [`fill`] to substitute it. Placeholders are substituted *before* HTML escaping, so
//! merchant-supplied values stay escaped.
//!
//! The `msg_*` strings are not used by the templates themselves: they are the messages
//! the gateway puts into [`crate::CheckoutView::error`], [`crate::ResultView::detail`],
//! [`crate::SandboxWalletView::done`] and [`crate::ErrorView`], so that those are
//! localized too.
//!
//! # Adding a locale
//! 1. Add a variant to [`Locale`] and to [`Locale::ALL`]; give it a `tag()` (BCP 47)
//!    and a `code()` (Antom spelling), and teach [`Locale::parse`] its spellings.
//! 2. Add a `pub static XX_YY: Strings = Strings { ... }` below with every field
//!    translated (the compiler lists the ones you missed), and a match arm in
//!    [`strings`].
//! 3. Keep every `{}` placeholder of the English string (the tests check that each
//!    string of each locale has the same number of placeholders as `EN_US`, and none
//!    is empty). The page-contract names (button and heading texts the browser tests
//!    drive) are English only; other locales translate them.

use crate::Locale;

macro_rules! define_strings {
    ($( $(#[doc = $doc:literal])+ $name:ident, )*) => {
        /// Every visible string of the hosted pages in one language.
        #[derive(Debug)]
        #[non_exhaustive]
        pub struct Strings {
            $( $(#[doc = $doc])+ pub $name: &'static str, )*
        }

        impl Strings {
            /// `(field name, text)` for every string, in declaration order.
            pub fn entries(&self) -> Vec<(&'static str, &'static str)> {
                vec![$( (stringify!($name), self.$name), )*]
            }
        }
    };
}

define_strings! {
    /// `<title>` suffix of the checkout page.
    checkout_title,
    /// Alt text of the merchant logo; `{}` = brand name. Contract (en): "{brand} logo".
    logo_alt,
    /// Heading of the order panel.
    order_summary,
    /// Label before the total amount.
    total,
    /// Label before an amount (wallet, sandbox wallet, challenge pages).
    amount,
    /// Accessible text before a goods line's quantity and unit price.
    quantity,
    /// Label before the server-rendered absolute expiry time.
    expires_at,
    /// Label JS shows before the live countdown.
    time_left,
    /// Shown when the countdown reaches zero; also the Expired result heading.
    checkout_expired,
    /// Legend of the method radios. Contract (en): "Payment method".
    payment_method,
    /// Legend of the card fields.
    card_details,
    /// Contract (en): "Card number".
    card_number,
    /// Contract (en): "Expiry date".
    card_expiry,
    /// Placeholder of the expiry input. Contract: "MM/YY".
    card_expiry_placeholder,
    /// Contract (en): "Security code".
    card_cvc,
    /// Contract (en): "Name on card".
    card_name,
    /// Pay button; `{}` = formatted total. Contract (en): "Pay {}".
    pay,
    /// Wallet page heading and title; `{}` = method name.
    wallet_title,
    /// Accessible name of the QR code; `{}` = method name. Contract (en): "QR code for {}".
    wallet_qr_label,
    /// Instruction under the QR code; `{}` = method name.
    wallet_scan,
    /// Hint above the open-in-app link.
    wallet_on_phone,
    /// Link into the wallet; `{}` = method name. Contract (en): "Open {}".
    wallet_open,
    /// Status line while polling.
    wallet_waiting,
    /// No-JS link to re-check the payment status.
    wallet_paid,
    /// Link back to the method choice.
    wallet_other_method,
    /// Mobile wallet page, before opening the app; `{}` = wallet.
    wallet_app_intro,
    /// Mobile wallet page, back from the app; `{}` = wallet.
    wallet_returned,
    /// Mobile wallet page, back from the app: the status check link.
    check_payment_status,
    /// Sandbox wallet page (mobile): back to the merchant's page without paying.
    wallet_back_unpaid,
    /// Online banking page: the list of banks.
    bank_choose,
    /// Online banking page: explanation; `{}` = method.
    bank_intro,
    /// Online banking / pay later: waiting line.
    journey_waiting,
    /// Bank transfer page: explanation; `{}` = amount.
    transfer_intro,
    /// Bank transfer page: label before the bank's name.
    bank_label,
    /// Bank transfer page: label before the account number. Contract (en): "Virtual account number".
    virtual_account,
    /// Bank transfer page: label before the deadline.
    pay_before,
    /// Bank transfer page: waiting line.
    transfer_waiting,
    /// Bank transfer page: link to the sandbox bank. Contract (en): "Open the sandbox bank".
    open_sandbox_bank,
    /// Store page: explanation; `{}` = store.
    store_intro,
    /// Store page: label before the code. Contract (en): "Payment code".
    payment_code,
    /// Store page: waiting line.
    store_waiting,
    /// Store page: link to the sandbox store. Contract (en): "Open the sandbox store".
    open_sandbox_store,
    /// Pay-later page: explanation; `{}` = provider.
    paylater_intro,
    /// Pay-later page: the link to the provider; `{}` = provider. Contract (en): "Continue to …".
    continue_to,
    /// Sandbox bank heading. Contract (en): "Sandbox bank".
    sandbox_bank,
    /// Sandbox bank explanation; `{}` = bank or method.
    sandbox_bank_intro,
    /// Sandbox store heading. Contract (en): "Sandbox store".
    sandbox_store,
    /// Sandbox store explanation; `{}` = store.
    sandbox_store_intro,
    /// Sandbox pay-later heading. Contract (en): "Sandbox pay later".
    sandbox_paylater,
    /// Sandbox pay-later explanation; `{}` = provider.
    sandbox_paylater_intro,
    /// Sandbox bank (transfer): the button that pays; `{}` = amount. Contract (en): "Transfer …".
    transfer_button,
    /// Sandbox store: the button that pays; `{}` = amount. Contract (en): "Pay … in cash".
    cash_button,
    /// Sandbox pay later: the plan fieldset's legend. Contract (en): "Instalment plan".
    instalment_plan,
    /// Sandbox pay later: one plan; `{}` = number of months. Contract (en): "… monthly instalments".
    instalment_months,
    /// Sandbox pay later, after approval; `{}` = number of months.
    msg_paylater_approved_done,
    /// Checkout: the express buttons' group name. Contract (en): "Express checkout".
    express_checkout,
    /// Checkout: under the express buttons, that the sandbox loads no wallet.
    express_note,
    /// Checkout: between the express buttons and the method list.
    express_or,
    /// Attempt page of an express wallet; `{}` = wallet.
    sheet_intro,
    /// Sandbox sheet heading. Contract (en): "Sandbox payment sheet".
    sandbox_sheet,
    /// Sandbox sheet explanation; `{}` = wallet.
    sandbox_sheet_intro,
    /// Sandbox sheet: the button that pays; `{}` = wallet. Contract (en): "Pay with …".
    sheet_pay,
    /// Sandbox sheet: the button that closes it. Contract (en): "Cancel".
    sheet_cancel,
    /// Sandbox wallet heading. Contract (en): "Sandbox wallet".
    sandbox_wallet,
    /// Sandbox wallet explanation; `{}` = method name.
    sandbox_wallet_intro,
    /// Label before the merchant name.
    merchant,
    /// Label before the order description.
    description,
    /// Contract (en): "Approve payment".
    approve_payment,
    /// Contract (en): "Decline payment".
    decline_payment,
    /// Contract (en): "Leave pending".
    leave_pending,
    /// 3-D Secure page heading.
    challenge_title,
    /// 3-D Secure page explanation.
    challenge_intro,
    /// Label before the card being authenticated.
    card,
    /// Contract (en): "Complete authentication".
    complete_authentication,
    /// Contract (en): "Fail authentication".
    fail_authentication,
    /// Result heading. Contract (en): "Payment successful".
    result_success,
    /// Result heading. Contract (en): "Payment failed".
    result_failed,
    /// Result heading. Contract (en): "Payment is processing".
    result_processing,
    /// Result heading. Contract (en): "This checkout has expired".
    result_expired,
    /// Result heading. Contract (en): "This payment was cancelled".
    result_cancelled,
    /// Contract (en): "Return to merchant".
    return_to_merchant,
    /// Contract (en): "Try again".
    try_again,
    /// Auto-redirect note; `{}` = seconds. Contract (en): "You will be returned to the merchant in {} seconds."
    redirect_note,
    /// Note on the processing result page.
    processing_note,
    /// No-JS link on the processing result page.
    check_status,
    /// Small line above an error heading; `{}` = HTTP status.
    error_code,
    /// 404 heading (for [`crate::ErrorView::not_found`]).
    error_not_found_title,
    /// 404 message.
    error_not_found_message,
    /// 410 heading (for [`crate::ErrorView::expired`]).
    error_expired_title,
    /// 410 message.
    error_expired_message,
    /// 400 heading (for [`crate::ErrorView::bad_request`]).
    error_bad_request_title,
    /// 400 default message.
    error_bad_request_message,
    /// Gateway message: card number fails Luhn or length.
    msg_card_number_invalid,
    /// Gateway message: expiry not MM/YY.
    msg_card_expiry_invalid,
    /// Gateway message: expiry in the past.
    msg_card_expired,
    /// Gateway message: bad security code.
    msg_card_cvc_invalid,
    /// Gateway message: a 3-digit code was needed (all brands but American Express).
    msg_card_cvc_three,
    /// Gateway message: a 4-digit code was needed (American Express).
    msg_card_cvc_four,
    /// Gateway message: the issuer said the security code does not match.
    msg_card_cvc_incorrect,
    /// Gateway message: empty name.
    msg_card_name_missing,
    /// Gateway message: no method chosen.
    msg_choose_method,
    /// Gateway message: declined attempt (retry allowed).
    msg_declined,
    /// Gateway message: insufficient funds (retry allowed).
    msg_insufficient_funds,
    /// Gateway message: 3-D Secure failed (retry allowed).
    msg_authentication_failed,
    /// Gateway message: buyer declined in the wallet (retry allowed).
    msg_wallet_declined,
    /// Gateway message: final rejection (risk).
    msg_risk_rejected,
    /// Gateway message for a second buyer on a paid session (contains "already paid").
    msg_already_paid,
    /// Gateway message: CSRF token or attempt nonce no longer valid.
    msg_form_stale,
    /// Sandbox wallet `done` after approving.
    msg_wallet_approved_done,
    /// Sandbox wallet `done` after declining.
    msg_wallet_declined_done,
    /// Sandbox wallet `done` after leaving pending.
    msg_wallet_pending_done,
    /// Sandbox wallet, after the buyer acted: the link back to the checkout
    /// (which shows the outcome and returns to the merchant).
    back_to_checkout,
}

/// English (United States).
pub static EN_US: Strings = Strings {
    checkout_title: "Checkout",
    logo_alt: "{} logo",
    order_summary: "Order summary",
    total: "Total",
    amount: "Amount",
    quantity: "Quantity",
    expires_at: "Expires at",
    time_left: "Time left",
    checkout_expired: "This checkout has expired",
    payment_method: "Payment method",
    card_details: "Card details",
    card_number: "Card number",
    card_expiry: "Expiry date",
    card_expiry_placeholder: "MM/YY",
    card_cvc: "Security code",
    card_name: "Name on card",
    pay: "Pay {}",
    wallet_title: "Pay with {}",
    wallet_qr_label: "QR code for {}",
    wallet_scan: "Scan the QR code with the {} app to pay.",
    wallet_on_phone: "On your phone? Open the app directly:",
    wallet_open: "Open {}",
    wallet_waiting: "Waiting for you to confirm the payment in the app…",
    wallet_paid: "I have paid",
    wallet_other_method: "Choose another payment method",
    wallet_app_intro: "You will confirm this payment in the {} app.",
    wallet_returned: "Back from {}? If you confirmed the payment there, check its status.",
    check_payment_status: "Check payment status",
    wallet_back_unpaid: "Go back without paying",
    bank_choose: "Choose your bank",
    bank_intro: "You will approve this payment in your bank's online banking ({}).",
    journey_waiting: "Waiting for your approval…",
    transfer_intro: "Transfer exactly {} to this virtual account from your bank's app, internet banking or an ATM.",
    bank_label: "Bank",
    virtual_account: "Virtual account number",
    pay_before: "Pay before",
    transfer_waiting: "Waiting for your transfer. You can close this page: the merchant is told when the money arrives.",
    open_sandbox_bank: "Open the sandbox bank",
    store_intro: "Show this payment code at the counter of any {} store and pay in cash.",
    payment_code: "Payment code",
    store_waiting: "Waiting for your payment at the store. You can close this page: the merchant is told when you have paid.",
    open_sandbox_store: "Open the sandbox store",
    paylater_intro: "You will choose an instalment plan with {} and approve it there.",
    continue_to: "Continue to {}",
    sandbox_bank: "Sandbox bank",
    sandbox_bank_intro: "This page simulates {}. No real money moves.",
    sandbox_store: "Sandbox store",
    sandbox_store_intro: "This page simulates the counter of a {} store. No real money moves.",
    sandbox_paylater: "Sandbox pay later",
    sandbox_paylater_intro: "This page simulates {}. No real money moves.",
    transfer_button: "Transfer {}",
    cash_button: "Pay {} in cash",
    instalment_plan: "Instalment plan",
    instalment_months: "{} monthly instalments",
    msg_paylater_approved_done: "You approved the payment in {} monthly instalments. You can return to the merchant.",
    express_checkout: "Express checkout",
    express_note: "Sandbox: express wallets open a simulated payment sheet; no wallet is loaded.",
    express_or: "or pay another way",
    sheet_intro: "Complete the payment on the {} sheet.",
    sandbox_sheet: "Sandbox payment sheet",
    sandbox_sheet_intro: "This page stands in for the {} payment sheet. No real wallet is loaded and no money moves.",
    sheet_pay: "Pay with {}",
    sheet_cancel: "Cancel",
    sandbox_wallet: "Sandbox wallet",
    sandbox_wallet_intro: "This page simulates the {} app. No real money moves.",
    merchant: "Merchant",
    description: "Description",
    approve_payment: "Approve payment",
    decline_payment: "Decline payment",
    leave_pending: "Leave pending",
    challenge_title: "3-D Secure authentication",
    challenge_intro:
        "Your bank asks you to confirm this payment. This sandbox page simulates that check.",
    card: "Card",
    complete_authentication: "Complete authentication",
    fail_authentication: "Fail authentication",
    result_success: "Payment successful",
    result_failed: "Payment failed",
    result_processing: "Payment is processing",
    result_expired: "This checkout has expired",
    result_cancelled: "This payment was cancelled",
    return_to_merchant: "Return to merchant",
    try_again: "Try again",
    redirect_note: "You will be returned to the merchant in {} seconds.",
    processing_note: "We are waiting for the final result. This page updates by itself.",
    check_status: "Check status",
    error_code: "Error {}",
    error_not_found_title: "Checkout not found",
    error_not_found_message:
        "This payment link is not valid. Please return to the merchant and try again.",
    error_expired_title: "This checkout has expired",
    error_expired_message:
        "This payment link has expired. Please return to the merchant to start a new payment.",
    error_bad_request_title: "Something went wrong",
    error_bad_request_message: "We could not process your request. Please go back and try again.",
    msg_card_number_invalid: "The card number is not valid. Check it and try again.",
    msg_card_expiry_invalid: "Enter the expiry date as MM/YY.",
    msg_card_expired: "This card has expired. Use another card.",
    msg_card_cvc_invalid: "The security code must be 3 or 4 digits.",
    msg_card_cvc_three: "Enter the 3-digit security code from the back of the card.",
    msg_card_cvc_four:
        "American Express cards have a 4-digit security code on the front. Enter it.",
    msg_card_cvc_incorrect: "The security code is incorrect. Check it and try again.",
    msg_card_name_missing: "Enter the name on the card.",
    msg_choose_method: "Choose a payment method.",
    msg_declined: "Your card was declined. Try another card or payment method.",
    msg_insufficient_funds: "The card has insufficient funds. Try another card or payment method.",
    msg_authentication_failed: "Authentication failed. Try again or use another payment method.",
    msg_wallet_declined:
        "The payment was declined in the wallet. Try again or use another payment method.",
    msg_risk_rejected: "The payment was rejected.",
    msg_already_paid: "This order is already paid.",
    msg_form_stale: "This form is out of date. Please try again.",
    msg_wallet_approved_done: "You approved the payment. You can return to the merchant.",
    msg_wallet_declined_done: "You declined the payment. You can return to the merchant.",
    msg_wallet_pending_done: "The payment was left pending. You can return to the merchant.",
    back_to_checkout: "Back to the checkout",
};

/// Simplified Chinese (China).
pub static ZH_CN: Strings = Strings {
    checkout_title: "收银台",
    logo_alt: "{} 标志",
    order_summary: "订单摘要",
    total: "合计",
    amount: "金额",
    quantity: "数量",
    expires_at: "过期时间",
    time_left: "剩余时间",
    checkout_expired: "此收银台已过期",
    payment_method: "支付方式",
    card_details: "银行卡信息",
    card_number: "卡号",
    card_expiry: "有效期",
    card_expiry_placeholder: "MM/YY",
    card_cvc: "安全码",
    card_name: "持卡人姓名",
    pay: "支付 {}",
    wallet_title: "使用 {} 支付",
    wallet_qr_label: "{} 付款二维码",
    wallet_scan: "请使用 {} 应用扫描二维码完成支付。",
    wallet_on_phone: "正在使用手机？直接打开应用：",
    wallet_open: "打开 {}",
    wallet_waiting: "正在等待您在应用中确认支付…",
    wallet_paid: "我已完成支付",
    wallet_other_method: "选择其他支付方式",
    wallet_app_intro: "您将在 {} 应用中确认此笔支付。",
    wallet_returned: "已从 {} 返回？如果您已在应用中确认支付，请查询支付状态。",
    check_payment_status: "查询支付状态",
    wallet_back_unpaid: "暂不支付，返回",
    bank_choose: "选择您的银行",
    bank_intro: "您将在银行的网上银行中确认此笔支付（{}）。",
    journey_waiting: "正在等待您的确认…",
    transfer_intro: "请通过银行应用、网上银行或 ATM 向以下虚拟账户转账，金额须正好为 {}。",
    bank_label: "银行",
    virtual_account: "虚拟账号",
    pay_before: "付款截止",
    transfer_waiting: "正在等待您的转账。您可以关闭此页面：款项到账后会通知商户。",
    open_sandbox_bank: "打开沙盒银行",
    store_intro: "请在任意 {} 门店柜台出示此付款码并以现金付款。",
    payment_code: "付款码",
    store_waiting: "正在等待您在门店付款。您可以关闭此页面：付款后会通知商户。",
    open_sandbox_store: "打开沙盒门店",
    paylater_intro: "您将在 {} 选择分期方案并确认。",
    continue_to: "前往 {}",
    sandbox_bank: "沙盒银行",
    sandbox_bank_intro: "此页面模拟 {}，不会产生真实扣款。",
    sandbox_store: "沙盒门店",
    sandbox_store_intro: "此页面模拟 {} 门店柜台，不会产生真实扣款。",
    sandbox_paylater: "沙盒先买后付",
    sandbox_paylater_intro: "此页面模拟 {}，不会产生真实扣款。",
    transfer_button: "转账 {}",
    cash_button: "现金支付 {}",
    instalment_plan: "分期方案",
    instalment_months: "分 {} 期按月付款",
    msg_paylater_approved_done: "您已确认分 {} 期付款，可以返回商户页面。",
    express_checkout: "快捷支付",
    express_note: "沙盒：快捷钱包会打开模拟的支付面板，不会加载真实钱包。",
    express_or: "或使用其他方式支付",
    sheet_intro: "请在 {} 支付面板中完成支付。",
    sandbox_sheet: "沙盒支付面板",
    sandbox_sheet_intro: "此页面模拟 {} 支付面板，不会加载真实钱包，也不会产生真实扣款。",
    sheet_pay: "使用 {} 支付",
    sheet_cancel: "取消",
    sandbox_wallet: "沙盒钱包",
    sandbox_wallet_intro: "此页面模拟 {} 应用，不会产生真实扣款。",
    merchant: "商户",
    description: "描述",
    approve_payment: "确认支付",
    decline_payment: "拒绝支付",
    leave_pending: "保持待处理",
    challenge_title: "3-D Secure 身份验证",
    challenge_intro: "您的发卡行要求您确认此笔支付。此沙盒页面模拟该验证。",
    card: "银行卡",
    complete_authentication: "完成验证",
    fail_authentication: "验证失败",
    result_success: "支付成功",
    result_failed: "支付失败",
    result_processing: "支付处理中",
    result_expired: "此收银台已过期",
    result_cancelled: "此笔支付已取消",
    return_to_merchant: "返回商户",
    try_again: "重试",
    redirect_note: "{} 秒后将返回商户页面。",
    processing_note: "正在等待最终结果，本页面会自动更新。",
    check_status: "查看状态",
    error_code: "错误 {}",
    error_not_found_title: "未找到收银台",
    error_not_found_message: "此支付链接无效。请返回商户页面重试。",
    error_expired_title: "此收银台已过期",
    error_expired_message: "此支付链接已过期。请返回商户页面重新发起支付。",
    error_bad_request_title: "出错了",
    error_bad_request_message: "无法处理您的请求。请返回后重试。",
    msg_card_number_invalid: "卡号无效，请检查后重试。",
    msg_card_expiry_invalid: "请按 MM/YY 格式输入有效期。",
    msg_card_expired: "此卡已过期，请使用其他卡。",
    msg_card_cvc_invalid: "安全码须为 3 位或 4 位数字。",
    msg_card_cvc_three: "请输入卡片背面的 3 位安全码。",
    msg_card_cvc_four: "美国运通卡的安全码是卡片正面的 4 位数字，请输入该安全码。",
    msg_card_cvc_incorrect: "安全码不正确，请检查后重试。",
    msg_card_name_missing: "请输入持卡人姓名。",
    msg_choose_method: "请选择支付方式。",
    msg_declined: "您的卡被拒绝。请尝试其他卡或支付方式。",
    msg_insufficient_funds: "卡内余额不足。请尝试其他卡或支付方式。",
    msg_authentication_failed: "身份验证失败。请重试或使用其他支付方式。",
    msg_wallet_declined: "支付已在钱包中被拒绝。请重试或使用其他支付方式。",
    msg_risk_rejected: "支付被拒绝。",
    msg_already_paid: "此订单已支付。",
    msg_form_stale: "此表单已失效，请重试。",
    msg_wallet_approved_done: "您已确认支付，可以返回商户页面。",
    msg_wallet_declined_done: "您已拒绝支付，可以返回商户页面。",
    msg_wallet_pending_done: "支付保持待处理状态，可以返回商户页面。",
    back_to_checkout: "返回收银台",
};

/// The strings of one locale.
pub fn strings(locale: Locale) -> &'static Strings {
    match locale {
        Locale::EnUs => &EN_US,
        Locale::ZhCn => &ZH_CN,
    }
}

/// Substitutes `arg` for the first `{}` in `template` (no-op if there is none).
pub fn fill(template: &str, arg: &str) -> String {
    template.replacen("{}", arg, 1)
}

/// Splits `template` around its first `{}`: `("before ", " after")`.
pub(crate) fn split(template: &'static str) -> (&'static str, &'static str) {
    template.split_once("{}").unwrap_or((template, ""))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_locale_is_complete_and_keeps_placeholders() {
        let en = EN_US.entries();
        for l in Locale::ALL {
            let s = strings(l).entries();
            assert_eq!(s.len(), en.len());
            for ((name, text), (en_name, en_text)) in s.iter().zip(en.iter()) {
                assert_eq!(name, en_name);
                assert!(!text.trim().is_empty(), "{l}: {name} is empty");
                assert_eq!(
                    text.matches("{}").count(),
                    en_text.matches("{}").count(),
                    "{l}: {name} placeholders"
                );
            }
        }
    }

    #[test]
    fn already_paid_message_contains_contract_phrase() {
        assert!(EN_US.msg_already_paid.contains("already paid"));
    }

    #[test]
    fn fill_and_split() {
        assert_eq!(fill("Pay {}", "SGD 1.00"), "Pay SGD 1.00");
        assert_eq!(fill("x", "y"), "x");
        assert_eq!(split("in {} seconds."), ("in ", " seconds."));
    }
}
