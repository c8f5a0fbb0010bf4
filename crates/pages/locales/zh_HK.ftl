# 繁體中文（香港）: Traditional Chinese (Hong Kong). Translated from en_US.ftl.

# Accessible name of the language list at the foot of every page (each language is written in its own script there).
language_switcher = 語言
# `<title>` suffix of the checkout page.
checkout_title = 結賬
# Alt text of the merchant logo; $brand = brand name. Contract (en): "{brand} logo".
logo_alt = { $brand } 標誌
# Heading of the order panel.
order_summary = 訂單摘要
# Label before the total amount.
total = 總額
# Label before an amount (wallet, sandbox wallet, challenge pages).
amount = 金額
# Accessible text before a goods line's quantity and unit price.
quantity = 數量
# Label before the server-rendered absolute expiry time.
expires_at = 有效期至
# Label JS shows before the live countdown.
time_left = 剩餘時間
# Shown when the countdown reaches zero; also the Expired result heading.
checkout_expired = 此結賬頁面已過期
# Legend of the method radios. Contract (en): "Payment method".
payment_method = 付款方式
# The card method's name in the method list (brands are named as they are). Contract (en): "Card".
method_card = 信用卡／扣帳卡
# The FPX method's name in the method list (Malaysian online banking).
method_onlinebanking_fpx = FPX 網上銀行
# Legend of the card fields.
card_details = 卡資料
# Contract (en): "Card number".
card_number = 卡號碼
# Contract (en): "Expiry date".
card_expiry = 有效期
# Placeholder of the expiry input. Contract: "MM/YY".
card_expiry_placeholder = MM/YY
# Contract (en): "Security code".
card_cvc = 保安編碼
# Contract (en): "Name on card".
card_name = 持卡人姓名
# Pay button; $amount = formatted total. Contract (en): "Pay {}".
pay = 付款 { $amount }
# Wallet page heading and title; $method = method name.
wallet_title = 以 { $method } 付款
# Accessible name of the QR code; $method = method name. Contract (en): "QR code for {}".
wallet_qr_label = { $method } 付款 QR 碼
# Instruction under the QR code; $method = method name.
wallet_scan = 請用 { $method } 應用程式掃描 QR 碼付款。
# Hint above the open-in-app link.
wallet_on_phone = 正在使用手機？直接開啟應用程式：
# Link into the wallet; $method = method name. Contract (en): "Open {}".
wallet_open = 開啟 { $method }
# Status line while polling.
wallet_waiting = 正等待你在應用程式內確認付款…
# No-JS link to re-check the payment status.
wallet_paid = 我已付款
# Link back to the method choice.
wallet_other_method = 選擇其他付款方式
# Mobile wallet page, before opening the app; $method = wallet.
wallet_app_intro = 你將在 { $method } 應用程式內確認此項付款。
# Mobile wallet page, back from the app; $method = wallet.
wallet_returned = 已從 { $method } 返回？如已在應用程式內確認付款，請查詢付款狀態。
# Mobile wallet page, back from the app: the status check link.
check_payment_status = 查詢付款狀態
# Sandbox wallet page (mobile): back to the merchant's page without paying.
wallet_back_unpaid = 不付款並返回
# Online banking page: the list of banks.
bank_choose = 選擇你的銀行
# Online banking page: explanation; $method = method.
bank_intro = 你將在銀行的網上銀行（{ $method }）批核此項付款。
# Online banking / pay later: waiting line.
journey_waiting = 正等待你批核…
# Bank transfer page: explanation; $amount = amount.
transfer_intro = 請透過銀行應用程式、網上銀行或 ATM 轉賬至此虛擬戶口，金額必須剛好為 { $amount }。
# Bank transfer page: label before the bank's name.
bank_label = 銀行
# Bank transfer page: label before the account number. Contract (en): "Virtual account number".
virtual_account = 虛擬戶口號碼
# Bank transfer page: label before the deadline.
pay_before = 付款限期
# Bank transfer page: waiting line.
transfer_waiting = 正等待你轉賬。你可關閉此頁面：款項到賬後，商戶會收到通知。
# Bank transfer page: link to the sandbox bank. Contract (en): "Open the sandbox bank".
open_sandbox_bank = 開啟沙盒銀行
# Store page: explanation; $store = store.
store_intro = 請於任何 { $store } 分店收銀處出示此付款編號，並以現金付款。
# Store page: label before the code. Contract (en): "Payment code".
payment_code = 付款編號
# Store page: waiting line.
store_waiting = 正等待你到店舖付款。你可關閉此頁面：付款後，商戶會收到通知。
# Store page: link to the sandbox store. Contract (en): "Open the sandbox store".
open_sandbox_store = 開啟沙盒店舖
# Pay-later page: explanation; $provider = provider.
paylater_intro = 你將在 { $provider } 選擇分期計劃並完成批核。
# Pay-later page: the link to the provider; $provider = provider. Contract (en): "Continue to …".
continue_to = 前往 { $provider }
# Sandbox bank heading. Contract (en): "Sandbox bank".
sandbox_bank = 沙盒銀行
# Sandbox bank explanation; $bank = bank or method.
sandbox_bank_intro = 此頁面模擬 { $bank }，不涉及真實款項。
# Sandbox store heading. Contract (en): "Sandbox store".
sandbox_store = 沙盒店舖
# Sandbox store explanation; $store = store.
sandbox_store_intro = 此頁面模擬 { $store } 分店收銀處，不涉及真實款項。
# Sandbox pay-later heading. Contract (en): "Sandbox pay later".
sandbox_paylater = 沙盒先買後付
# Sandbox pay-later explanation; $provider = provider.
sandbox_paylater_intro = 此頁面模擬 { $provider }，不涉及真實款項。
# Sandbox bank (transfer): the button that pays; $amount = amount. Contract (en): "Transfer …".
transfer_button = 轉賬 { $amount }
# Sandbox store: the button that pays; $amount = amount. Contract (en): "Pay … in cash".
cash_button = 以現金支付 { $amount }
# Sandbox pay later: the plan fieldset's legend. Contract (en): "Instalment plan".
instalment_plan = 分期計劃
# Sandbox pay later: one plan; $months = number of months. Contract (en): "… monthly instalments".
instalment_months = 分 { $months } 個月供款
# Sandbox pay later, after approval; $months = number of months.
msg_paylater_approved_done = 你已批核分 { $months } 個月供款，可返回商戶。
# Checkout: the express buttons' group name. Contract (en): "Express checkout".
express_checkout = 快速結賬
# Checkout: under the express buttons, that the sandbox loads no wallet.
express_note = 沙盒：快速付款錢包會開啟模擬付款介面，不會載入任何錢包。
# Checkout: between the express buttons and the method list.
express_or = 或以其他方式付款
# Attempt page of an express wallet; $wallet = wallet.
sheet_intro = 請在 { $wallet } 付款介面完成付款。
# Sandbox sheet heading. Contract (en): "Sandbox payment sheet".
sandbox_sheet = 沙盒付款介面
# Sandbox sheet explanation; $wallet = wallet.
sandbox_sheet_intro = 此頁面代替 { $wallet } 付款介面，不會載入真實錢包，亦不涉及真實款項。
# Sandbox sheet: the button that pays; $wallet = wallet. Contract (en): "Pay with …".
sheet_pay = 以 { $wallet } 付款
# Sandbox sheet: the button that closes it. Contract (en): "Cancel".
sheet_cancel = 取消
# Sandbox wallet heading. Contract (en): "Sandbox wallet".
sandbox_wallet = 沙盒錢包
# Sandbox wallet explanation; $method = method name.
sandbox_wallet_intro = 此頁面模擬 { $method } 應用程式，不涉及真實款項。
# Label before the merchant name.
merchant = 商戶
# Label before the order description.
description = 詳情
# Contract (en): "Approve payment".
approve_payment = 批核付款
# Contract (en): "Decline payment".
decline_payment = 拒絕付款
# Contract (en): "Leave pending".
leave_pending = 保持待處理
# 3-D Secure page heading.
challenge_title = 3-D Secure 身份認證
# 3-D Secure page explanation.
challenge_intro = 你的發卡銀行要求你確認此項付款。此沙盒頁面模擬該認證程序。
# Label before the card being authenticated.
card = 卡
# Contract (en): "Complete authentication".
complete_authentication = 完成認證
# Contract (en): "Fail authentication".
fail_authentication = 認證失敗
# Result heading. Contract (en): "Payment successful".
result_success = 付款成功
# Result heading. Contract (en): "Payment failed".
result_failed = 付款失敗
# Result heading. Contract (en): "Payment is processing".
result_processing = 付款處理中
# Result heading. Contract (en): "This checkout has expired".
result_expired = 此結賬頁面已過期
# Result heading. Contract (en): "This payment was cancelled".
result_cancelled = 此項付款已取消
# Contract (en): "Return to merchant".
return_to_merchant = 返回商戶
# Contract (en): "Try again".
try_again = 再試一次
# Auto-redirect note; $seconds = seconds. Contract (en): "You will be returned to the merchant in {} seconds."
redirect_note = 將於 { $seconds } 秒後返回商戶。
# Note on the processing result page.
processing_note = 正等待最終結果，此頁面會自動更新。
# No-JS link on the processing result page.
check_status = 查詢狀態
# Small line above an error heading; $status = HTTP status.
error_code = 錯誤 { $status }
# 404 heading (for the not-found page).
error_not_found_title = 找不到結賬頁面
# 404 message.
error_not_found_message = 此付款連結無效。請返回商戶再試一次。
# 410 heading (for the expired page).
error_expired_title = 此結賬頁面已過期
# 410 message.
error_expired_message = 此付款連結已過期。請返回商戶重新付款。
# 400 heading (for the bad-request page).
error_bad_request_title = 發生錯誤
# 400 default message.
error_bad_request_message = 未能處理你的要求。請返回上一頁再試一次。
# 429 heading (for the page shown when a network opened too many unknown checkout links).
error_too_many_title = 請求過多
# 429 message.
error_too_many_message = 你的網絡開啟了太多無效的付款連結。請等一分鐘，再從商戶頁面重新開啟連結。
# 503 heading (for the page shown while the gateway cannot reach its database).
error_unavailable_title = 暫時未能使用
# 503 message.
error_unavailable_message = 請稍後再試。
# Gateway message: card number fails Luhn or length.
msg_card_number_invalid = 卡號碼無效，請檢查後再試。
# Gateway message: expiry not MM/YY.
msg_card_expiry_invalid = 請以 MM/YY 格式輸入有效期。
# Gateway message: expiry in the past.
msg_card_expired = 此卡已過期，請使用其他卡。
# Gateway message: bad security code.
msg_card_cvc_invalid = 保安編碼必須為 3 或 4 位數字。
# Gateway message: a 3-digit code was needed (all brands but American Express).
msg_card_cvc_three = 請輸入卡背面的 3 位數字保安編碼。
# Gateway message: a 4-digit code was needed (American Express).
msg_card_cvc_four = American Express 卡的保安編碼為卡正面的 4 位數字，請輸入該編碼。
# Gateway message: the issuer said the security code does not match.
msg_card_cvc_incorrect = 保安編碼不正確，請檢查後再試。
# Gateway message: empty name.
msg_card_name_missing = 請輸入持卡人姓名。
# Gateway message: no method chosen.
msg_choose_method = 請選擇付款方式。
# Gateway message: declined attempt (retry allowed).
msg_declined = 你的卡被拒絕。請使用其他卡或付款方式。
# Gateway message: insufficient funds (retry allowed).
msg_insufficient_funds = 此卡的可用結餘不足。請使用其他卡或付款方式。
# Gateway message: 3-D Secure failed (retry allowed).
msg_authentication_failed = 認證失敗。請再試一次或使用其他付款方式。
# Gateway message: buyer declined in the wallet (retry allowed).
msg_wallet_declined = 付款已在電子錢包內被拒絕。請再試一次或使用其他付款方式。
# Gateway message: final rejection (risk).
msg_risk_rejected = 付款被拒絕。
# Gateway message for a second buyer on a paid session (contains "already paid").
msg_already_paid = 此訂單已付款。
# Gateway message: CSRF token or attempt nonce no longer valid.
msg_form_stale = 此表格已失效，請再試一次。
# Gateway message: the payment closed (failed, expired or cancelled) and cannot be paid any more.
msg_payment_closed = 此筆付款已無法繼續。請返回商戶。
# Gateway message: no payment method can pay this amount.
msg_method_unavailable = 沒有可支付此金額的付款方式。請返回商戶。
# Sandbox wallet `done` after approving.
msg_wallet_approved_done = 你已批核付款，可返回商戶。
# Sandbox wallet `done` after declining.
msg_wallet_declined_done = 你已拒絕付款，可返回商戶。
# Sandbox wallet `done` after leaving pending.
msg_wallet_pending_done = 付款仍在待處理狀態，可返回商戶。
# Sandbox wallet, after the buyer acted: the link back to the checkout (which shows the outcome and returns to the merchant).
back_to_checkout = 返回結賬頁面
