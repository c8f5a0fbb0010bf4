# 简体中文（中国）: Simplified Chinese (China). Translated from en_US.ftl.

# Accessible name of the language list at the foot of every page (each language is written in its own script there).
language_switcher = 语言
# `<title>` suffix of the checkout page.
checkout_title = 收银台
# Alt text of the merchant logo; $brand = brand name. Contract (en): "{brand} logo".
logo_alt = { $brand } 标志
# Heading of the order panel.
order_summary = 订单摘要
# Label before the total amount.
total = 合计
# Label before an amount (wallet, sandbox wallet, challenge pages).
amount = 金额
# Accessible text before a goods line's quantity and unit price.
quantity = 数量
# Label before the server-rendered absolute expiry time.
expires_at = 过期时间
# Label JS shows before the live countdown.
time_left = 剩余时间
# Shown when the countdown reaches zero; also the Expired result heading.
checkout_expired = 此收银台已过期
# Legend of the method radios. Contract (en): "Payment method".
payment_method = 支付方式
# The card method's name in the method list (brands are named as they are). Contract (en): "Card".
method_card = 银行卡
# The FPX method's name in the method list (Malaysian online banking).
method_onlinebanking_fpx = FPX 网上银行
# Legend of the card fields.
card_details = 银行卡信息
# Contract (en): "Card number".
card_number = 卡号
# Contract (en): "Expiry date".
card_expiry = 有效期
# Placeholder of the expiry input. Contract: "MM/YY".
card_expiry_placeholder = MM/YY
# Contract (en): "Security code".
card_cvc = 安全码
# Contract (en): "Name on card".
card_name = 持卡人姓名
# Pay button; $amount = formatted total. Contract (en): "Pay {}".
pay = 支付 { $amount }
# Wallet page heading and title; $method = method name.
wallet_title = 使用 { $method } 支付
# Accessible name of the QR code; $method = method name. Contract (en): "QR code for {}".
wallet_qr_label = { $method } 付款二维码
# Instruction under the QR code; $method = method name.
wallet_scan = 请使用 { $method } 应用扫描二维码完成支付。
# Hint above the open-in-app link.
wallet_on_phone = 正在使用手机？直接打开应用：
# Link into the wallet; $method = method name. Contract (en): "Open {}".
wallet_open = 打开 { $method }
# Status line while polling.
wallet_waiting = 正在等待您在应用中确认支付…
# No-JS link to re-check the payment status.
wallet_paid = 我已完成支付
# Link back to the method choice.
wallet_other_method = 选择其他支付方式
# Mobile wallet page, before opening the app; $method = wallet.
wallet_app_intro = 您将在 { $method } 应用中确认此笔支付。
# Mobile wallet page, back from the app; $method = wallet.
wallet_returned = 已从 { $method } 返回？如果您已在应用中确认支付，请查询支付状态。
# Mobile wallet page, back from the app: the status check link.
check_payment_status = 查询支付状态
# Sandbox wallet page (mobile): back to the merchant's page without paying.
wallet_back_unpaid = 暂不支付，返回
# Online banking page: the list of banks.
bank_choose = 选择您的银行
# Online banking page: explanation; $method = method.
bank_intro = 您将在银行的网上银行中确认此笔支付（{ $method }）。
# Online banking / pay later: waiting line.
journey_waiting = 正在等待您的确认…
# Bank transfer page: explanation; $amount = amount.
transfer_intro = 请通过银行应用、网上银行或 ATM 向以下虚拟账户转账，金额须正好为 { $amount }。
# Bank transfer page: label before the bank's name.
bank_label = 银行
# Bank transfer page: label before the account number. Contract (en): "Virtual account number".
virtual_account = 虚拟账号
# Bank transfer page: label before the deadline.
pay_before = 付款截止
# Bank transfer page: waiting line.
transfer_waiting = 正在等待您的转账。您可以关闭此页面：款项到账后会通知商户。
# Bank transfer page: link to the sandbox bank. Contract (en): "Open the sandbox bank".
open_sandbox_bank = 打开沙盒银行
# Store page: explanation; $store = store.
store_intro = 请在任意 { $store } 门店柜台出示此付款码并以现金付款。
# Store page: label before the code. Contract (en): "Payment code".
payment_code = 付款码
# Store page: waiting line.
store_waiting = 正在等待您在门店付款。您可以关闭此页面：付款后会通知商户。
# Store page: link to the sandbox store. Contract (en): "Open the sandbox store".
open_sandbox_store = 打开沙盒门店
# Pay-later page: explanation; $provider = provider.
paylater_intro = 您将在 { $provider } 选择分期方案并确认。
# Pay-later page: the link to the provider; $provider = provider. Contract (en): "Continue to …".
continue_to = 前往 { $provider }
# Sandbox bank heading. Contract (en): "Sandbox bank".
sandbox_bank = 沙盒银行
# Sandbox bank explanation; $bank = bank or method.
sandbox_bank_intro = 此页面模拟 { $bank }，不会产生真实扣款。
# Sandbox store heading. Contract (en): "Sandbox store".
sandbox_store = 沙盒门店
# Sandbox store explanation; $store = store.
sandbox_store_intro = 此页面模拟 { $store } 门店柜台，不会产生真实扣款。
# Sandbox pay-later heading. Contract (en): "Sandbox pay later".
sandbox_paylater = 沙盒先买后付
# Sandbox pay-later explanation; $provider = provider.
sandbox_paylater_intro = 此页面模拟 { $provider }，不会产生真实扣款。
# Sandbox bank (transfer): the button that pays; $amount = amount. Contract (en): "Transfer …".
transfer_button = 转账 { $amount }
# Sandbox store: the button that pays; $amount = amount. Contract (en): "Pay … in cash".
cash_button = 现金支付 { $amount }
# Sandbox pay later: the plan fieldset's legend. Contract (en): "Instalment plan".
instalment_plan = 分期方案
# Sandbox pay later: one plan; $months = number of months. Contract (en): "… monthly instalments".
instalment_months = 分 { $months } 期按月付款
# Sandbox pay later, after approval; $months = number of months.
msg_paylater_approved_done = 您已确认分 { $months } 期付款，可以返回商户页面。
# Checkout: the express buttons' group name. Contract (en): "Express checkout".
express_checkout = 快捷支付
# Checkout: under the express buttons, that the sandbox loads no wallet.
express_note = 沙盒：快捷钱包会打开模拟的支付面板，不会加载真实钱包。
# Checkout: between the express buttons and the method list.
express_or = 或使用其他方式支付
# Attempt page of an express wallet; $wallet = wallet.
sheet_intro = 请在 { $wallet } 支付面板中完成支付。
# Sandbox sheet heading. Contract (en): "Sandbox payment sheet".
sandbox_sheet = 沙盒支付面板
# Sandbox sheet explanation; $wallet = wallet.
sandbox_sheet_intro = 此页面模拟 { $wallet } 支付面板，不会加载真实钱包，也不会产生真实扣款。
# Sandbox sheet: the button that pays; $wallet = wallet. Contract (en): "Pay with …".
sheet_pay = 使用 { $wallet } 支付
# Sandbox sheet: the button that closes it. Contract (en): "Cancel".
sheet_cancel = 取消
# Sandbox wallet heading. Contract (en): "Sandbox wallet".
sandbox_wallet = 沙盒钱包
# Sandbox wallet explanation; $method = method name.
sandbox_wallet_intro = 此页面模拟 { $method } 应用，不会产生真实扣款。
# Label before the merchant name.
merchant = 商户
# Label before the order description.
description = 描述
# Contract (en): "Approve payment".
approve_payment = 确认支付
# Contract (en): "Decline payment".
decline_payment = 拒绝支付
# Contract (en): "Leave pending".
leave_pending = 保持待处理
# 3-D Secure page heading.
challenge_title = 3-D Secure 身份验证
# 3-D Secure page explanation.
challenge_intro = 您的发卡行要求您确认此笔支付。此沙盒页面模拟该验证。
# Label before the card being authenticated.
card = 银行卡
# Contract (en): "Complete authentication".
complete_authentication = 完成验证
# Contract (en): "Fail authentication".
fail_authentication = 验证失败
# Result heading. Contract (en): "Payment successful".
result_success = 支付成功
# Result heading. Contract (en): "Payment failed".
result_failed = 支付失败
# Result heading. Contract (en): "Payment is processing".
result_processing = 支付处理中
# Result heading. Contract (en): "This checkout has expired".
result_expired = 此收银台已过期
# Result heading. Contract (en): "This payment was cancelled".
result_cancelled = 此笔支付已取消
# Contract (en): "Return to merchant".
return_to_merchant = 返回商户
# Contract (en): "Try again".
try_again = 重试
# Auto-redirect note; $seconds = seconds. Contract (en): "You will be returned to the merchant in {} seconds."
redirect_note = { $seconds } 秒后将返回商户页面。
# Note on the processing result page.
processing_note = 正在等待最终结果，本页面会自动更新。
# No-JS link on the processing result page.
check_status = 查看状态
# Small line above an error heading; $status = HTTP status.
error_code = 错误 { $status }
# 404 heading (for the not-found page).
error_not_found_title = 未找到收银台
# 404 message.
error_not_found_message = 此支付链接无效。请返回商户页面重试。
# 410 heading (for the expired page).
error_expired_title = 此收银台已过期
# 410 message.
error_expired_message = 此支付链接已过期。请返回商户页面重新发起支付。
# 400 heading (for the bad-request page).
error_bad_request_title = 出错了
# 400 default message.
error_bad_request_message = 无法处理您的请求。请返回后重试。
# 429 heading (for the page shown when a network opened too many unknown checkout links).
error_too_many_title = 请求过多
# 429 message.
error_too_many_message = 您的网络打开了过多无效的支付链接。请稍等一分钟，然后从商户页面重新打开链接。
# 503 heading (for the page shown while the gateway cannot reach its database).
error_unavailable_title = 暂时无法使用
# 503 message.
error_unavailable_message = 请稍后再试。
# Gateway message: card number fails Luhn or length.
msg_card_number_invalid = 卡号无效，请检查后重试。
# Gateway message: expiry not MM/YY.
msg_card_expiry_invalid = 请按 MM/YY 格式输入有效期。
# Gateway message: expiry in the past.
msg_card_expired = 此卡已过期，请使用其他卡。
# Gateway message: bad security code.
msg_card_cvc_invalid = 安全码须为 3 位或 4 位数字。
# Gateway message: a 3-digit code was needed (all brands but American Express).
msg_card_cvc_three = 请输入卡片背面的 3 位安全码。
# Gateway message: a 4-digit code was needed (American Express).
msg_card_cvc_four = 美国运通卡的安全码是卡片正面的 4 位数字，请输入该安全码。
# Gateway message: the issuer said the security code does not match.
msg_card_cvc_incorrect = 安全码不正确，请检查后重试。
# Gateway message: empty name.
msg_card_name_missing = 请输入持卡人姓名。
# Gateway message: no method chosen.
msg_choose_method = 请选择支付方式。
# Gateway message: declined attempt (retry allowed).
msg_declined = 您的卡被拒绝。请尝试其他卡或支付方式。
# Gateway message: insufficient funds (retry allowed).
msg_insufficient_funds = 卡内余额不足。请尝试其他卡或支付方式。
# Gateway message: 3-D Secure failed (retry allowed).
msg_authentication_failed = 身份验证失败。请重试或使用其他支付方式。
# Gateway message: buyer declined in the wallet (retry allowed).
msg_wallet_declined = 支付已在钱包中被拒绝。请重试或使用其他支付方式。
# Gateway message: final rejection (risk).
msg_risk_rejected = 支付被拒绝。
# Gateway message for a second buyer on a paid session (contains "already paid").
msg_already_paid = 此订单已支付。
# Gateway message: CSRF token or attempt nonce no longer valid.
msg_form_stale = 此表单已失效，请重试。
# Gateway message: the payment closed (failed, expired or cancelled) and cannot be paid any more.
msg_payment_closed = 此笔支付已无法继续。请返回商户页面。
# Gateway message: no payment method can pay this amount.
msg_method_unavailable = 没有可支付此金额的支付方式。请返回商户页面。
# Sandbox wallet `done` after approving.
msg_wallet_approved_done = 您已确认支付，可以返回商户页面。
# Sandbox wallet `done` after declining.
msg_wallet_declined_done = 您已拒绝支付，可以返回商户页面。
# Sandbox wallet `done` after leaving pending.
msg_wallet_pending_done = 支付保持待处理状态，可以返回商户页面。
# Sandbox wallet, after the buyer acted: the link back to the checkout (which shows the outcome and returns to the merchant).
back_to_checkout = 返回收银台
