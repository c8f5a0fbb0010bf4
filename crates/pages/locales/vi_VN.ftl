# Tiếng Việt (Việt Nam): Vietnamese (Vietnam). Translated from en_US.ftl.

# Accessible name of the language list at the foot of every page (each language is written in its own script there).
language_switcher = Ngôn ngữ
# `<title>` suffix of the checkout page.
checkout_title = Thanh toán
# Alt text of the merchant logo; $brand = brand name. Contract (en): "{brand} logo".
logo_alt = Logo { $brand }
# Heading of the order panel.
order_summary = Thông tin đơn hàng
# Label before the total amount.
total = Tổng cộng
# Label before an amount (wallet, sandbox wallet, challenge pages).
amount = Số tiền
# Accessible text before a goods line's quantity and unit price.
quantity = Số lượng
# Label before the server-rendered absolute expiry time.
expires_at = Hết hạn lúc
# Label JS shows before the live countdown.
time_left = Thời gian còn lại
# Shown when the countdown reaches zero; also the Expired result heading.
checkout_expired = Phiên thanh toán này đã hết hạn
# Legend of the method radios. Contract (en): "Payment method".
payment_method = Phương thức thanh toán
# The card method's name in the method list (brands are named as they are). Contract (en): "Card".
method_card = Thẻ
# The FPX method's name in the method list (Malaysian online banking).
method_onlinebanking_fpx = Ngân hàng trực tuyến FPX
# Legend of the card fields.
card_details = Thông tin thẻ
# Contract (en): "Card number".
card_number = Số thẻ
# Contract (en): "Expiry date".
card_expiry = Ngày hết hạn
# Placeholder of the expiry input. Contract: "MM/YY".
card_expiry_placeholder = MM/YY
# Contract (en): "Security code".
card_cvc = Mã bảo mật (CVV)
# Contract (en): "Name on card".
card_name = Tên chủ thẻ
# Pay button; $amount = formatted total. Contract (en): "Pay {}".
pay = Thanh toán { $amount }
# Wallet page heading and title; $method = method name.
wallet_title = Thanh toán bằng { $method }
# Accessible name of the QR code; $method = method name. Contract (en): "QR code for {}".
wallet_qr_label = Mã QR cho { $method }
# Instruction under the QR code; $method = method name.
wallet_scan = Quét mã QR bằng ứng dụng { $method } để thanh toán.
# Hint above the open-in-app link.
wallet_on_phone = Đang dùng điện thoại? Mở ứng dụng ngay:
# Link into the wallet; $method = method name. Contract (en): "Open {}".
wallet_open = Mở { $method }
# Status line while polling.
wallet_waiting = Đang chờ Quý khách xác nhận thanh toán trong ứng dụng…
# No-JS link to re-check the payment status.
wallet_paid = Tôi đã thanh toán
# Link back to the method choice.
wallet_other_method = Chọn phương thức thanh toán khác
# Mobile wallet page, before opening the app; $method = wallet.
wallet_app_intro = Quý khách sẽ xác nhận thanh toán này trong ứng dụng { $method }.
# Mobile wallet page, back from the app; $method = wallet.
wallet_returned = Đã quay lại từ { $method }? Nếu đã xác nhận thanh toán trong ứng dụng, vui lòng kiểm tra trạng thái.
# Mobile wallet page, back from the app: the status check link.
check_payment_status = Kiểm tra trạng thái thanh toán
# Sandbox wallet page (mobile): back to the merchant's page without paying.
wallet_back_unpaid = Quay lại mà không thanh toán
# Online banking page: the list of banks.
bank_choose = Chọn ngân hàng
# Online banking page: explanation; $method = method.
bank_intro = Quý khách sẽ xác nhận thanh toán này qua Internet Banking của ngân hàng ({ $method }).
# Online banking / pay later: waiting line.
journey_waiting = Đang chờ Quý khách xác nhận…
# Bank transfer page: explanation; $amount = amount.
transfer_intro = Chuyển khoản đúng { $amount } vào tài khoản ảo này qua ứng dụng ngân hàng, Internet Banking hoặc ATM.
# Bank transfer page: label before the bank's name.
bank_label = Ngân hàng
# Bank transfer page: label before the account number. Contract (en): "Virtual account number".
virtual_account = Số tài khoản ảo
# Bank transfer page: label before the deadline.
pay_before = Thanh toán trước
# Bank transfer page: waiting line.
transfer_waiting = Đang chờ Quý khách chuyển khoản. Quý khách có thể đóng trang này: người bán sẽ được thông báo khi nhận được tiền.
# Bank transfer page: link to the sandbox bank. Contract (en): "Open the sandbox bank".
open_sandbox_bank = Mở ngân hàng thử nghiệm
# Store page: explanation; $store = store.
store_intro = Xuất trình mã thanh toán này tại quầy của bất kỳ cửa hàng { $store } nào và thanh toán bằng tiền mặt.
# Store page: label before the code. Contract (en): "Payment code".
payment_code = Mã thanh toán
# Store page: waiting line.
store_waiting = Đang chờ Quý khách thanh toán tại cửa hàng. Quý khách có thể đóng trang này: người bán sẽ được thông báo khi Quý khách đã thanh toán.
# Store page: link to the sandbox store. Contract (en): "Open the sandbox store".
open_sandbox_store = Mở cửa hàng thử nghiệm
# Pay-later page: explanation; $provider = provider.
paylater_intro = Quý khách sẽ chọn gói trả góp và xác nhận trên { $provider }.
# Pay-later page: the link to the provider; $provider = provider. Contract (en): "Continue to …".
continue_to = Tiếp tục với { $provider }
# Sandbox bank heading. Contract (en): "Sandbox bank".
sandbox_bank = Ngân hàng thử nghiệm
# Sandbox bank explanation; $bank = bank or method.
sandbox_bank_intro = Trang này mô phỏng { $bank }. Không có giao dịch tiền thật.
# Sandbox store heading. Contract (en): "Sandbox store".
sandbox_store = Cửa hàng thử nghiệm
# Sandbox store explanation; $store = store.
sandbox_store_intro = Trang này mô phỏng quầy thu ngân của cửa hàng { $store }. Không có giao dịch tiền thật.
# Sandbox pay-later heading. Contract (en): "Sandbox pay later".
sandbox_paylater = Trả sau thử nghiệm
# Sandbox pay-later explanation; $provider = provider.
sandbox_paylater_intro = Trang này mô phỏng { $provider }. Không có giao dịch tiền thật.
# Sandbox bank (transfer): the button that pays; $amount = amount. Contract (en): "Transfer …".
transfer_button = Chuyển khoản { $amount }
# Sandbox store: the button that pays; $amount = amount. Contract (en): "Pay … in cash".
cash_button = Thanh toán { $amount } bằng tiền mặt
# Sandbox pay later: the plan fieldset's legend. Contract (en): "Instalment plan".
instalment_plan = Gói trả góp
# Sandbox pay later: one plan; $months = number of months. Contract (en): "… monthly instalments".
instalment_months = Trả góp { $months } tháng
# Sandbox pay later, after approval; $months = number of months.
msg_paylater_approved_done = Quý khách đã xác nhận thanh toán trả góp { $months } tháng. Quý khách có thể quay lại trang người bán.
# Checkout: the express buttons' group name. Contract (en): "Express checkout".
express_checkout = Thanh toán nhanh
# Checkout: under the express buttons, that the sandbox loads no wallet.
express_note = Thử nghiệm: các nút ví điện tử mở cửa sổ thanh toán mô phỏng; không tải ví thật nào.
# Checkout: between the express buttons and the method list.
express_or = hoặc thanh toán bằng cách khác
# Attempt page of an express wallet; $wallet = wallet.
sheet_intro = Hoàn tất thanh toán trên cửa sổ thanh toán { $wallet }.
# Sandbox sheet heading. Contract (en): "Sandbox payment sheet".
sandbox_sheet = Cửa sổ thanh toán thử nghiệm
# Sandbox sheet explanation; $wallet = wallet.
sandbox_sheet_intro = Trang này thay thế cửa sổ thanh toán { $wallet }. Không tải ví thật nào và không có giao dịch tiền thật.
# Sandbox sheet: the button that pays; $wallet = wallet. Contract (en): "Pay with …".
sheet_pay = Thanh toán bằng { $wallet }
# Sandbox sheet: the button that closes it. Contract (en): "Cancel".
sheet_cancel = Hủy
# Sandbox wallet heading. Contract (en): "Sandbox wallet".
sandbox_wallet = Ví thử nghiệm
# Sandbox wallet explanation; $method = method name.
sandbox_wallet_intro = Trang này mô phỏng ứng dụng { $method }. Không có giao dịch tiền thật.
# Label before the merchant name.
merchant = Người bán
# Label before the order description.
description = Nội dung
# Contract (en): "Approve payment".
approve_payment = Chấp nhận thanh toán
# Contract (en): "Decline payment".
decline_payment = Từ chối thanh toán
# Contract (en): "Leave pending".
leave_pending = Để chờ xử lý
# 3-D Secure page heading.
challenge_title = Xác thực 3-D Secure
# 3-D Secure page explanation.
challenge_intro = Ngân hàng yêu cầu Quý khách xác nhận thanh toán này. Trang thử nghiệm này mô phỏng bước xác thực đó.
# Label before the card being authenticated.
card = Thẻ
# Contract (en): "Complete authentication".
complete_authentication = Hoàn tất xác thực
# Contract (en): "Fail authentication".
fail_authentication = Mô phỏng xác thực thất bại
# Result heading. Contract (en): "Payment successful".
result_success = Thanh toán thành công
# Result heading. Contract (en): "Payment failed".
result_failed = Thanh toán không thành công
# Result heading. Contract (en): "Payment is processing".
result_processing = Thanh toán đang được xử lý
# Result heading. Contract (en): "This checkout has expired".
result_expired = Phiên thanh toán này đã hết hạn
# Result heading. Contract (en): "This payment was cancelled".
result_cancelled = Thanh toán này đã bị hủy
# Contract (en): "Return to merchant".
return_to_merchant = Quay lại trang người bán
# Contract (en): "Try again".
try_again = Thử lại
# Auto-redirect note; $seconds = seconds. Contract (en): "You will be returned to the merchant in {} seconds."
redirect_note = Quý khách sẽ được chuyển về trang người bán sau { $seconds } giây.
# Note on the processing result page.
processing_note = Chúng tôi đang chờ kết quả cuối cùng. Trang này sẽ tự động cập nhật.
# No-JS link on the processing result page.
check_status = Kiểm tra trạng thái
# Small line above an error heading; $status = HTTP status.
error_code = Lỗi { $status }
# 404 heading (for the not-found page).
error_not_found_title = Không tìm thấy phiên thanh toán
# 404 message.
error_not_found_message = Liên kết thanh toán này không hợp lệ. Vui lòng quay lại trang người bán và thử lại.
# 410 heading (for the expired page).
error_expired_title = Phiên thanh toán này đã hết hạn
# 410 message.
error_expired_message = Liên kết thanh toán này đã hết hạn. Vui lòng quay lại trang người bán để thực hiện thanh toán mới.
# 400 heading (for the bad-request page).
error_bad_request_title = Đã xảy ra lỗi
# 400 default message.
error_bad_request_message = Chúng tôi không thể xử lý yêu cầu của Quý khách. Vui lòng quay lại và thử lại.
# 429 heading (for the page shown when a network opened too many unknown checkout links).
error_too_many_title = Quá nhiều yêu cầu
# 429 message.
error_too_many_message = Mạng của Quý khách đã mở quá nhiều liên kết thanh toán không hợp lệ. Vui lòng đợi một phút rồi mở lại liên kết từ người bán.
# 503 heading (for the page shown while the gateway cannot reach its database).
error_unavailable_title = Tạm thời không khả dụng
# 503 message.
error_unavailable_message = Vui lòng thử lại sau giây lát.
# Gateway message: card number fails Luhn or length.
msg_card_number_invalid = Số thẻ không hợp lệ. Vui lòng kiểm tra và thử lại.
# Gateway message: expiry not MM/YY.
msg_card_expiry_invalid = Vui lòng nhập ngày hết hạn theo định dạng MM/YY.
# Gateway message: expiry in the past.
msg_card_expired = Thẻ này đã hết hạn. Vui lòng dùng thẻ khác.
# Gateway message: bad security code.
msg_card_cvc_invalid = Mã bảo mật phải gồm 3 hoặc 4 chữ số.
# Gateway message: a 3-digit code was needed (all brands but American Express).
msg_card_cvc_three = Vui lòng nhập mã bảo mật 3 chữ số ở mặt sau thẻ.
# Gateway message: a 4-digit code was needed (American Express).
msg_card_cvc_four = Thẻ American Express có mã bảo mật 4 chữ số ở mặt trước. Vui lòng nhập mã này.
# Gateway message: the issuer said the security code does not match.
msg_card_cvc_incorrect = Mã bảo mật không đúng. Vui lòng kiểm tra và thử lại.
# Gateway message: empty name.
msg_card_name_missing = Vui lòng nhập tên chủ thẻ.
# Gateway message: no method chosen.
msg_choose_method = Vui lòng chọn phương thức thanh toán.
# Gateway message: declined attempt (retry allowed).
msg_declined = Thẻ của Quý khách đã bị từ chối. Vui lòng dùng thẻ hoặc phương thức thanh toán khác.
# Gateway message: insufficient funds (retry allowed).
msg_insufficient_funds = Thẻ không đủ số dư. Vui lòng dùng thẻ hoặc phương thức thanh toán khác.
# Gateway message: 3-D Secure failed (retry allowed).
msg_authentication_failed = Xác thực không thành công. Vui lòng thử lại hoặc dùng phương thức thanh toán khác.
# Gateway message: buyer declined in the wallet (retry allowed).
msg_wallet_declined = Thanh toán đã bị từ chối trên ví. Vui lòng thử lại hoặc dùng phương thức thanh toán khác.
# Gateway message: final rejection (risk).
msg_risk_rejected = Thanh toán đã bị từ chối.
# Gateway message for a second buyer on a paid session (contains "already paid").
msg_already_paid = Đơn hàng này đã được thanh toán.
# Gateway message: CSRF token or attempt nonce no longer valid.
msg_form_stale = Biểu mẫu này đã hết hiệu lực. Vui lòng thử lại.
# Gateway message: the payment closed (failed, expired or cancelled) and cannot be paid any more.
msg_payment_closed = Khoản thanh toán này không thể thanh toán được nữa. Vui lòng quay lại trang người bán.
# Gateway message: no payment method can pay this amount.
msg_method_unavailable = Không có phương thức thanh toán nào có thể thanh toán số tiền này. Vui lòng quay lại trang người bán.
# Sandbox wallet `done` after approving.
msg_wallet_approved_done = Quý khách đã chấp nhận thanh toán. Quý khách có thể quay lại trang người bán.
# Sandbox wallet `done` after declining.
msg_wallet_declined_done = Quý khách đã từ chối thanh toán. Quý khách có thể quay lại trang người bán.
# Sandbox wallet `done` after leaving pending.
msg_wallet_pending_done = Thanh toán đang ở trạng thái chờ xử lý. Quý khách có thể quay lại trang người bán.
# Sandbox wallet, after the buyer acted: the link back to the checkout (which shows the outcome and returns to the merchant).
back_to_checkout = Quay lại trang thanh toán
