# 繁體中文（台灣）: Traditional Chinese (Taiwan). Translated from en_US.ftl.

# Accessible name of the language list at the foot of every page (each language is written in its own script there).
language_switcher = 語言
# `<title>` suffix of the checkout page.
checkout_title = 結帳
# Alt text of the merchant logo; $brand = brand name. Contract (en): "{brand} logo".
logo_alt = { $brand } 標誌
# Heading of the order panel.
order_summary = 訂單明細
# Label before the total amount.
total = 總計
# Label before an amount (wallet, sandbox wallet, challenge pages).
amount = 金額
# Accessible text before a goods line's quantity and unit price.
quantity = 數量
# Label before the server-rendered absolute expiry time.
expires_at = 付款期限
# Label JS shows before the live countdown.
time_left = 剩餘時間
# Shown when the countdown reaches zero; also the Expired result heading.
checkout_expired = 此結帳頁面已逾時
# Legend of the method radios. Contract (en): "Payment method".
payment_method = 付款方式
# The card method's name in the method list (brands are named as they are). Contract (en): "Card".
method_card = 信用卡／金融卡
# The FPX method's name in the method list (Malaysian online banking).
method_onlinebanking_fpx = FPX 網路銀行
# Legend of the card fields.
card_details = 卡片資訊
# Contract (en): "Card number".
card_number = 卡號
# Contract (en): "Expiry date".
card_expiry = 有效期限
# Placeholder of the expiry input. Contract: "MM/YY".
card_expiry_placeholder = MM/YY
# Contract (en): "Security code".
card_cvc = 安全碼
# Contract (en): "Name on card".
card_name = 持卡人姓名
# Pay button; $amount = formatted total. Contract (en): "Pay {}".
pay = 付款 { $amount }
# Wallet page heading and title; $method = method name.
wallet_title = 使用 { $method } 付款
# Accessible name of the QR code; $method = method name. Contract (en): "QR code for {}".
wallet_qr_label = { $method } 付款 QR Code
# Instruction under the QR code; $method = method name.
wallet_scan = 請使用 { $method } App 掃描 QR Code 付款。
# Hint above the open-in-app link.
wallet_on_phone = 正在使用手機嗎？直接開啟 App：
# Link into the wallet; $method = method name. Contract (en): "Open {}".
wallet_open = 開啟 { $method }
# Status line while polling.
wallet_waiting = 正在等候您在 App 中確認付款…
# No-JS link to re-check the payment status.
wallet_paid = 我已完成付款
# Link back to the method choice.
wallet_other_method = 選擇其他付款方式
# Mobile wallet page, before opening the app; $method = wallet.
wallet_app_intro = 您將在 { $method } App 中確認這筆付款。
# Mobile wallet page, back from the app; $method = wallet.
wallet_returned = 已從 { $method } 返回？若您已在 App 中確認付款，請查詢付款狀態。
# Mobile wallet page, back from the app: the status check link.
check_payment_status = 查詢付款狀態
# Sandbox wallet page (mobile): back to the merchant's page without paying.
wallet_back_unpaid = 暫不付款，返回
# Online banking page: the list of banks.
bank_choose = 選擇您的銀行
# Online banking page: explanation; $method = method.
bank_intro = 您將在銀行的網路銀行（{ $method }）中核准這筆付款。
# Online banking / pay later: waiting line.
journey_waiting = 正在等候您核准…
# Bank transfer page: explanation; $amount = amount.
transfer_intro = 請透過銀行 App、網路銀行或 ATM 轉帳至此虛擬帳號，金額須剛好為 { $amount }。
# Bank transfer page: label before the bank's name.
bank_label = 銀行
# Bank transfer page: label before the account number. Contract (en): "Virtual account number".
virtual_account = 虛擬帳號
# Bank transfer page: label before the deadline.
pay_before = 繳費期限
# Bank transfer page: waiting line.
transfer_waiting = 正在等候您轉帳。您可以關閉此頁面：款項入帳後，商店會收到通知。
# Bank transfer page: link to the sandbox bank. Contract (en): "Open the sandbox bank".
open_sandbox_bank = 開啟沙箱銀行
# Store page: explanation; $store = store.
store_intro = 請至任一 { $store } 門市櫃檯出示此繳費代碼，並以現金付款。
# Store page: label before the code. Contract (en): "Payment code".
payment_code = 繳費代碼
# Store page: waiting line.
store_waiting = 正在等候您至門市付款。您可以關閉此頁面：付款完成後，商店會收到通知。
# Store page: link to the sandbox store. Contract (en): "Open the sandbox store".
open_sandbox_store = 開啟沙箱門市
# Pay-later page: explanation; $provider = provider.
paylater_intro = 您將在 { $provider } 選擇分期方案並完成核准。
# Pay-later page: the link to the provider; $provider = provider. Contract (en): "Continue to …".
continue_to = 前往 { $provider }
# Sandbox bank heading. Contract (en): "Sandbox bank".
sandbox_bank = 沙箱銀行
# Sandbox bank explanation; $bank = bank or method.
sandbox_bank_intro = 此頁面模擬 { $bank }，不會產生實際金流。
# Sandbox store heading. Contract (en): "Sandbox store".
sandbox_store = 沙箱門市
# Sandbox store explanation; $store = store.
sandbox_store_intro = 此頁面模擬 { $store } 門市櫃檯，不會產生實際金流。
# Sandbox pay-later heading. Contract (en): "Sandbox pay later".
sandbox_paylater = 沙箱先買後付
# Sandbox pay-later explanation; $provider = provider.
sandbox_paylater_intro = 此頁面模擬 { $provider }，不會產生實際金流。
# Sandbox bank (transfer): the button that pays; $amount = amount. Contract (en): "Transfer …".
transfer_button = 轉帳 { $amount }
# Sandbox store: the button that pays; $amount = amount. Contract (en): "Pay … in cash".
cash_button = 現金支付 { $amount }
# Sandbox pay later: the plan fieldset's legend. Contract (en): "Instalment plan".
instalment_plan = 分期方案
# Sandbox pay later: one plan; $months = number of months. Contract (en): "… monthly instalments".
instalment_months = 分 { $months } 期（按月付款）
# Sandbox pay later, after approval; $months = number of months.
msg_paylater_approved_done = 您已核准分 { $months } 期付款，可以返回商店。
# Checkout: the express buttons' group name. Contract (en): "Express checkout".
express_checkout = 快速結帳
# Checkout: under the express buttons, that the sandbox loads no wallet.
express_note = 沙箱：快速結帳錢包會開啟模擬付款畫面，不會載入任何錢包。
# Checkout: between the express buttons and the method list.
express_or = 或使用其他方式付款
# Attempt page of an express wallet; $wallet = wallet.
sheet_intro = 請在 { $wallet } 付款畫面中完成付款。
# Sandbox sheet heading. Contract (en): "Sandbox payment sheet".
sandbox_sheet = 沙箱付款畫面
# Sandbox sheet explanation; $wallet = wallet.
sandbox_sheet_intro = 此頁面代替 { $wallet } 付款畫面，不會載入實際錢包，也不會產生實際金流。
# Sandbox sheet: the button that pays; $wallet = wallet. Contract (en): "Pay with …".
sheet_pay = 使用 { $wallet } 付款
# Sandbox sheet: the button that closes it. Contract (en): "Cancel".
sheet_cancel = 取消
# Sandbox wallet heading. Contract (en): "Sandbox wallet".
sandbox_wallet = 沙箱錢包
# Sandbox wallet explanation; $method = method name.
sandbox_wallet_intro = 此頁面模擬 { $method } App，不會產生實際金流。
# Label before the merchant name.
merchant = 商店
# Label before the order description.
description = 說明
# Contract (en): "Approve payment".
approve_payment = 核准付款
# Contract (en): "Decline payment".
decline_payment = 拒絕付款
# Contract (en): "Leave pending".
leave_pending = 維持待處理
# 3-D Secure page heading.
challenge_title = 3-D Secure 驗證
# 3-D Secure page explanation.
challenge_intro = 您的發卡銀行要求您確認這筆付款。此沙箱頁面模擬該驗證程序。
# Label before the card being authenticated.
card = 卡片
# Contract (en): "Complete authentication".
complete_authentication = 完成驗證
# Contract (en): "Fail authentication".
fail_authentication = 驗證失敗
# Result heading. Contract (en): "Payment successful".
result_success = 付款成功
# Result heading. Contract (en): "Payment failed".
result_failed = 付款失敗
# Result heading. Contract (en): "Payment is processing".
result_processing = 付款處理中
# Result heading. Contract (en): "This checkout has expired".
result_expired = 此結帳頁面已逾時
# Result heading. Contract (en): "This payment was cancelled".
result_cancelled = 這筆付款已取消
# Contract (en): "Return to merchant".
return_to_merchant = 返回商店
# Contract (en): "Try again".
try_again = 重試
# Auto-redirect note; $seconds = seconds. Contract (en): "You will be returned to the merchant in {} seconds."
redirect_note = 將在 { $seconds } 秒後返回商店。
# Note on the processing result page.
processing_note = 正在等候最終結果，此頁面會自動更新。
# No-JS link on the processing result page.
check_status = 查詢狀態
# Small line above an error heading; $status = HTTP status.
error_code = 錯誤 { $status }
# 404 heading (for the not-found page).
error_not_found_title = 找不到結帳頁面
# 404 message.
error_not_found_message = 此付款連結無效。請返回商店後重試。
# 410 heading (for the expired page).
error_expired_title = 此結帳頁面已逾時
# 410 message.
error_expired_message = 此付款連結已失效。請返回商店重新付款。
# 400 heading (for the bad-request page).
error_bad_request_title = 發生錯誤
# 400 default message.
error_bad_request_message = 無法處理您的要求。請返回上一頁後重試。
# 429 heading (for the page shown when a network opened too many unknown checkout links).
error_too_many_title = 請求過多
# 429 message.
error_too_many_message = 您的網路開啟了過多無效的付款連結。請稍候一分鐘，再從商店頁面重新開啟連結。
# 503 heading (for the page shown while the gateway cannot reach its database).
error_unavailable_title = 暫時無法使用
# 503 message.
error_unavailable_message = 請稍後再試。
# Gateway message: card number fails Luhn or length.
msg_card_number_invalid = 卡號無效，請確認後重試。
# Gateway message: expiry not MM/YY.
msg_card_expiry_invalid = 請以 MM/YY 格式輸入有效期限。
# Gateway message: expiry in the past.
msg_card_expired = 此卡片已過期，請改用其他卡片。
# Gateway message: bad security code.
msg_card_cvc_invalid = 安全碼須為 3 碼或 4 碼數字。
# Gateway message: a 3-digit code was needed (all brands but American Express).
msg_card_cvc_three = 請輸入卡片背面的 3 碼安全碼。
# Gateway message: a 4-digit code was needed (American Express).
msg_card_cvc_four = American Express 卡的安全碼為卡片正面的 4 碼數字，請輸入該安全碼。
# Gateway message: the issuer said the security code does not match.
msg_card_cvc_incorrect = 安全碼不正確，請確認後重試。
# Gateway message: empty name.
msg_card_name_missing = 請輸入持卡人姓名。
# Gateway message: no method chosen.
msg_choose_method = 請選擇付款方式。
# Gateway message: declined attempt (retry allowed).
msg_declined = 您的卡片交易遭拒。請改用其他卡片或付款方式。
# Gateway message: insufficient funds (retry allowed).
msg_insufficient_funds = 此卡片餘額或額度不足。請改用其他卡片或付款方式。
# Gateway message: 3-D Secure failed (retry allowed).
msg_authentication_failed = 驗證失敗。請重試或改用其他付款方式。
# Gateway message: buyer declined in the wallet (retry allowed).
msg_wallet_declined = 付款已在錢包中遭拒。請重試或改用其他付款方式。
# Gateway message: final rejection (risk).
msg_risk_rejected = 付款遭拒。
# Gateway message for a second buyer on a paid session (contains "already paid").
msg_already_paid = 此訂單已付款。
# Gateway message: CSRF token or attempt nonce no longer valid.
msg_form_stale = 此表單已失效，請重試。
# Gateway message: the payment closed (failed, expired or cancelled) and cannot be paid any more.
msg_payment_closed = 此筆付款已無法繼續。請返回商店。
# Gateway message: no payment method can pay this amount.
msg_method_unavailable = 沒有可支付此金額的付款方式。請返回商店。
# Sandbox wallet `done` after approving.
msg_wallet_approved_done = 您已核准付款，可以返回商店。
# Sandbox wallet `done` after declining.
msg_wallet_declined_done = 您已拒絕付款，可以返回商店。
# Sandbox wallet `done` after leaving pending.
msg_wallet_pending_done = 付款維持待處理狀態，可以返回商店。
# Sandbox wallet, after the buyer acted: the link back to the checkout (which shows the outcome and returns to the merchant).
back_to_checkout = 返回結帳頁面
