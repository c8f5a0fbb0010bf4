# 한국어(대한민국): Korean (South Korea). Translated from en_US.ftl.

# Accessible name of the language list at the foot of every page (each language is written in its own script there).
language_switcher = 언어
# `<title>` suffix of the checkout page.
checkout_title = 결제
# Alt text of the merchant logo; $brand = brand name. Contract (en): "{brand} logo".
logo_alt = { $brand } 로고
# Heading of the order panel.
order_summary = 주문 내역
# Label before the total amount.
total = 총 결제금액
# Label before an amount (wallet, sandbox wallet, challenge pages).
amount = 금액
# Accessible text before a goods line's quantity and unit price.
quantity = 수량
# Label before the server-rendered absolute expiry time.
expires_at = 결제 기한
# Label JS shows before the live countdown.
time_left = 남은 시간
# Shown when the countdown reaches zero; also the Expired result heading.
checkout_expired = 결제 가능 시간이 만료되었습니다
# Legend of the method radios. Contract (en): "Payment method".
payment_method = 결제 수단
# The card method's name in the method list (brands are named as they are). Contract (en): "Card".
method_card = 카드
# The FPX method's name in the method list (Malaysian online banking).
method_onlinebanking_fpx = FPX 온라인 뱅킹
# Legend of the card fields.
card_details = 카드 정보
# Contract (en): "Card number".
card_number = 카드 번호
# Contract (en): "Expiry date".
card_expiry = 유효기간
# Placeholder of the expiry input. Contract: "MM/YY".
card_expiry_placeholder = MM/YY
# Contract (en): "Security code".
card_cvc = CVC
# Contract (en): "Name on card".
card_name = 카드 소유자 이름
# Pay button; $amount = formatted total. Contract (en): "Pay {}".
pay = { $amount } 결제하기
# Wallet page heading and title; $method = method name.
wallet_title = { $method } 결제
# Accessible name of the QR code; $method = method name. Contract (en): "QR code for {}".
wallet_qr_label = { $method } 결제 QR 코드
# Instruction under the QR code; $method = method name.
wallet_scan = { $method } 앱으로 QR 코드를 스캔하여 결제하세요.
# Hint above the open-in-app link.
wallet_on_phone = 휴대폰으로 보고 계신가요? 앱에서 바로 열기:
# Link into the wallet; $method = method name. Contract (en): "Open {}".
wallet_open = { $method } 열기
# Status line while polling.
wallet_waiting = 앱에서 결제 승인을 기다리고 있습니다…
# No-JS link to re-check the payment status.
wallet_paid = 결제를 완료했습니다
# Link back to the method choice.
wallet_other_method = 다른 결제 수단 선택
# Mobile wallet page, before opening the app; $method = wallet.
wallet_app_intro = { $method } 앱에서 이 결제를 승인하게 됩니다.
# Mobile wallet page, back from the app; $method = wallet.
wallet_returned = { $method }에서 돌아오셨나요? 앱에서 결제를 승인하셨다면 결제 상태를 확인하세요.
# Mobile wallet page, back from the app: the status check link.
check_payment_status = 결제 상태 확인
# Sandbox wallet page (mobile): back to the merchant's page without paying.
wallet_back_unpaid = 결제하지 않고 돌아가기
# Online banking page: the list of banks.
bank_choose = 은행 선택
# Online banking page: explanation; $method = method.
bank_intro = 이용하시는 은행의 인터넷뱅킹({ $method })에서 이 결제를 승인하게 됩니다.
# Online banking / pay later: waiting line.
journey_waiting = 승인을 기다리고 있습니다…
# Bank transfer page: explanation; $amount = amount.
transfer_intro = 은행 앱, 인터넷뱅킹 또는 ATM에서 이 가상계좌로 { $amount } 전액을 정확히 입금해 주세요.
# Bank transfer page: label before the bank's name.
bank_label = 은행
# Bank transfer page: label before the account number. Contract (en): "Virtual account number".
virtual_account = 가상계좌 번호
# Bank transfer page: label before the deadline.
pay_before = 입금 기한
# Bank transfer page: waiting line.
transfer_waiting = 입금을 기다리고 있습니다. 이 페이지를 닫으셔도 됩니다. 입금이 확인되면 상점에 알려 드립니다.
# Bank transfer page: link to the sandbox bank. Contract (en): "Open the sandbox bank".
open_sandbox_bank = 샌드박스 은행 열기
# Store page: explanation; $store = store.
store_intro = 가까운 { $store } 매장 계산대에서 이 결제 코드를 제시하고 현금으로 결제해 주세요.
# Store page: label before the code. Contract (en): "Payment code".
payment_code = 결제 코드
# Store page: waiting line.
store_waiting = 매장에서의 결제를 기다리고 있습니다. 이 페이지를 닫으셔도 됩니다. 결제가 완료되면 상점에 알려 드립니다.
# Store page: link to the sandbox store. Contract (en): "Open the sandbox store".
open_sandbox_store = 샌드박스 매장 열기
# Pay-later page: explanation; $provider = provider.
paylater_intro = { $provider }에서 할부 플랜을 선택하고 승인해 주세요.
# Pay-later page: the link to the provider; $provider = provider. Contract (en): "Continue to …".
continue_to = { $provider }에서 계속하기
# Sandbox bank heading. Contract (en): "Sandbox bank".
sandbox_bank = 샌드박스 은행
# Sandbox bank explanation; $bank = bank or method.
sandbox_bank_intro = { $bank } 시뮬레이션 페이지입니다. 실제 결제는 이루어지지 않습니다.
# Sandbox store heading. Contract (en): "Sandbox store".
sandbox_store = 샌드박스 매장
# Sandbox store explanation; $store = store.
sandbox_store_intro = { $store } 매장 계산대 시뮬레이션 페이지입니다. 실제 결제는 이루어지지 않습니다.
# Sandbox pay-later heading. Contract (en): "Sandbox pay later".
sandbox_paylater = 샌드박스 후불결제
# Sandbox pay-later explanation; $provider = provider.
sandbox_paylater_intro = { $provider } 시뮬레이션 페이지입니다. 실제 결제는 이루어지지 않습니다.
# Sandbox bank (transfer): the button that pays; $amount = amount. Contract (en): "Transfer …".
transfer_button = { $amount } 이체하기
# Sandbox store: the button that pays; $amount = amount. Contract (en): "Pay … in cash".
cash_button = { $amount } 현금 결제
# Sandbox pay later: the plan fieldset's legend. Contract (en): "Instalment plan".
instalment_plan = 할부 플랜
# Sandbox pay later: one plan; $months = number of months. Contract (en): "… monthly instalments".
instalment_months = { $months }개월 할부
# Sandbox pay later, after approval; $months = number of months.
msg_paylater_approved_done = { $months }개월 할부 결제를 승인했습니다. 상점으로 돌아가셔도 됩니다.
# Checkout: the express buttons' group name. Contract (en): "Express checkout".
express_checkout = 간편결제
# Checkout: under the express buttons, that the sandbox loads no wallet.
express_note = 샌드박스: 간편결제 버튼은 모의 결제 화면을 엽니다. 실제 지갑은 불러오지 않습니다.
# Checkout: between the express buttons and the method list.
express_or = 또는 다른 방법으로 결제
# Attempt page of an express wallet; $wallet = wallet.
sheet_intro = { $wallet } 결제 화면에서 결제를 완료하세요.
# Sandbox sheet heading. Contract (en): "Sandbox payment sheet".
sandbox_sheet = 샌드박스 결제 화면
# Sandbox sheet explanation; $wallet = wallet.
sandbox_sheet_intro = 이 페이지는 { $wallet } 결제 화면을 대신합니다. 실제 지갑을 불러오지 않으며 실제 결제도 이루어지지 않습니다.
# Sandbox sheet: the button that pays; $wallet = wallet. Contract (en): "Pay with …".
sheet_pay = { $wallet } 결제하기
# Sandbox sheet: the button that closes it. Contract (en): "Cancel".
sheet_cancel = 취소
# Sandbox wallet heading. Contract (en): "Sandbox wallet".
sandbox_wallet = 샌드박스 지갑
# Sandbox wallet explanation; $method = method name.
sandbox_wallet_intro = { $method } 앱 시뮬레이션 페이지입니다. 실제 결제는 이루어지지 않습니다.
# Label before the merchant name.
merchant = 상점
# Label before the order description.
description = 설명
# Contract (en): "Approve payment".
approve_payment = 결제 승인
# Contract (en): "Decline payment".
decline_payment = 결제 거절
# Contract (en): "Leave pending".
leave_pending = 대기 상태로 두기
# 3-D Secure page heading.
challenge_title = 3-D Secure 인증
# 3-D Secure page explanation.
challenge_intro = 카드사에서 이 결제에 대한 확인을 요청합니다. 이 샌드박스 페이지는 해당 인증을 시뮬레이션합니다.
# Label before the card being authenticated.
card = 카드
# Contract (en): "Complete authentication".
complete_authentication = 인증 완료
# Contract (en): "Fail authentication".
fail_authentication = 인증 실패 처리
# Result heading. Contract (en): "Payment successful".
result_success = 결제가 완료되었습니다
# Result heading. Contract (en): "Payment failed".
result_failed = 결제에 실패했습니다
# Result heading. Contract (en): "Payment is processing".
result_processing = 결제 처리 중입니다
# Result heading. Contract (en): "This checkout has expired".
result_expired = 결제 가능 시간이 만료되었습니다
# Result heading. Contract (en): "This payment was cancelled".
result_cancelled = 결제가 취소되었습니다
# Contract (en): "Return to merchant".
return_to_merchant = 상점으로 돌아가기
# Contract (en): "Try again".
try_again = 다시 시도
# Auto-redirect note; $seconds = seconds. Contract (en): "You will be returned to the merchant in {} seconds."
redirect_note = { $seconds }초 후 상점으로 돌아갑니다.
# Note on the processing result page.
processing_note = 최종 결과를 기다리고 있습니다. 이 페이지는 자동으로 업데이트됩니다.
# No-JS link on the processing result page.
check_status = 상태 확인
# Small line above an error heading; $status = HTTP status.
error_code = 오류 { $status }
# 404 heading (for the not-found page).
error_not_found_title = 결제 페이지를 찾을 수 없습니다
# 404 message.
error_not_found_message = 유효하지 않은 결제 링크입니다. 상점으로 돌아가 다시 시도해 주세요.
# 410 heading (for the expired page).
error_expired_title = 결제 가능 시간이 만료되었습니다
# 410 message.
error_expired_message = 결제 링크가 만료되었습니다. 상점으로 돌아가 결제를 다시 시작해 주세요.
# 400 heading (for the bad-request page).
error_bad_request_title = 문제가 발생했습니다
# 400 default message.
error_bad_request_message = 요청을 처리할 수 없습니다. 이전 페이지로 돌아가 다시 시도해 주세요.
# 429 heading (for the page shown when a network opened too many unknown checkout links).
error_too_many_title = 요청이 너무 많습니다
# 429 message.
error_too_many_message = 사용 중인 네트워크에서 유효하지 않은 결제 링크가 너무 많이 열렸습니다. 1분 후 상점에서 링크를 다시 열어 주세요.
# 503 heading (for the page shown while the gateway cannot reach its database).
error_unavailable_title = 일시적으로 사용할 수 없습니다
# 503 message.
error_unavailable_message = 잠시 후 다시 시도해 주세요.
# Gateway message: card number fails Luhn or length.
msg_card_number_invalid = 카드 번호가 올바르지 않습니다. 확인 후 다시 시도해 주세요.
# Gateway message: expiry not MM/YY.
msg_card_expiry_invalid = 유효기간을 MM/YY 형식으로 입력해 주세요.
# Gateway message: expiry in the past.
msg_card_expired = 유효기간이 지난 카드입니다. 다른 카드를 사용해 주세요.
# Gateway message: bad security code.
msg_card_cvc_invalid = CVC는 3자리 또는 4자리 숫자여야 합니다.
# Gateway message: a 3-digit code was needed (all brands but American Express).
msg_card_cvc_three = 카드 뒷면의 CVC 3자리를 입력해 주세요.
# Gateway message: a 4-digit code was needed (American Express).
msg_card_cvc_four = American Express 카드는 카드 앞면의 4자리 CVC를 입력해 주세요.
# Gateway message: the issuer said the security code does not match.
msg_card_cvc_incorrect = CVC가 올바르지 않습니다. 확인 후 다시 시도해 주세요.
# Gateway message: empty name.
msg_card_name_missing = 카드 소유자 이름을 입력해 주세요.
# Gateway message: no method chosen.
msg_choose_method = 결제 수단을 선택해 주세요.
# Gateway message: declined attempt (retry allowed).
msg_declined = 카드 결제가 거절되었습니다. 다른 카드나 결제 수단을 이용해 주세요.
# Gateway message: insufficient funds (retry allowed).
msg_insufficient_funds = 카드 잔액 또는 한도가 부족합니다. 다른 카드나 결제 수단을 이용해 주세요.
# Gateway message: 3-D Secure failed (retry allowed).
msg_authentication_failed = 인증에 실패했습니다. 다시 시도하거나 다른 결제 수단을 이용해 주세요.
# Gateway message: buyer declined in the wallet (retry allowed).
msg_wallet_declined = 지갑 앱에서 결제가 거절되었습니다. 다시 시도하거나 다른 결제 수단을 이용해 주세요.
# Gateway message: final rejection (risk).
msg_risk_rejected = 결제가 거절되었습니다.
# Gateway message for a second buyer on a paid session (contains "already paid").
msg_already_paid = 이미 결제가 완료된 주문입니다.
# Gateway message: CSRF token or attempt nonce no longer valid.
msg_form_stale = 입력 양식이 만료되었습니다. 다시 시도해 주세요.
# Gateway message: the payment closed (failed, expired or cancelled) and cannot be paid any more.
msg_payment_closed = 이 결제는 더 이상 진행할 수 없습니다. 상점으로 돌아가 주세요.
# Gateway message: no payment method can pay this amount.
msg_method_unavailable = 이 금액을 결제할 수 있는 결제 수단이 없습니다. 상점으로 돌아가 주세요.
# Sandbox wallet `done` after approving.
msg_wallet_approved_done = 결제를 승인했습니다. 상점으로 돌아가셔도 됩니다.
# Sandbox wallet `done` after declining.
msg_wallet_declined_done = 결제를 거절했습니다. 상점으로 돌아가셔도 됩니다.
# Sandbox wallet `done` after leaving pending.
msg_wallet_pending_done = 결제가 대기 상태로 남아 있습니다. 상점으로 돌아가셔도 됩니다.
# Sandbox wallet, after the buyer acted: the link back to the checkout (which shows the outcome and returns to the merchant).
back_to_checkout = 결제 페이지로 돌아가기
