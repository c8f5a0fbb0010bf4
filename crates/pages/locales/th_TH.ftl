# ภาษาไทย (ประเทศไทย): Thai (Thailand). Translated from en_US.ftl.

# Accessible name of the language list at the foot of every page (each language is written in its own script there).
language_switcher = ภาษา
# `<title>` suffix of the checkout page.
checkout_title = ชำระเงิน
# Alt text of the merchant logo; $brand = brand name. Contract (en): "{brand} logo".
logo_alt = โลโก้ { $brand }
# Heading of the order panel.
order_summary = สรุปคำสั่งซื้อ
# Label before the total amount.
total = ยอดรวม
# Label before an amount (wallet, sandbox wallet, challenge pages).
amount = จำนวนเงิน
# Accessible text before a goods line's quantity and unit price.
quantity = จำนวน
# Label before the server-rendered absolute expiry time.
expires_at = หมดอายุ
# Label JS shows before the live countdown.
time_left = เวลาที่เหลือ
# Shown when the countdown reaches zero; also the Expired result heading.
checkout_expired = รายการชำระเงินนี้หมดอายุแล้ว
# Legend of the method radios. Contract (en): "Payment method".
payment_method = วิธีการชำระเงิน
# The card method's name in the method list (brands are named as they are). Contract (en): "Card".
method_card = บัตร
# The FPX method's name in the method list (Malaysian online banking).
method_onlinebanking_fpx = FPX ออนไลน์แบงก์กิ้ง
# Legend of the card fields.
card_details = ข้อมูลบัตร
# Contract (en): "Card number".
card_number = หมายเลขบัตร
# Contract (en): "Expiry date".
card_expiry = วันหมดอายุ
# Placeholder of the expiry input. Contract: "MM/YY".
card_expiry_placeholder = MM/YY
# Contract (en): "Security code".
card_cvc = รหัส CVV
# Contract (en): "Name on card".
card_name = ชื่อบนบัตร
# Pay button; $amount = formatted total. Contract (en): "Pay {}".
pay = ชำระเงิน { $amount }
# Wallet page heading and title; $method = method name.
wallet_title = ชำระเงินด้วย { $method }
# Accessible name of the QR code; $method = method name. Contract (en): "QR code for {}".
wallet_qr_label = QR โค้ดสำหรับ { $method }
# Instruction under the QR code; $method = method name.
wallet_scan = สแกน QR โค้ดด้วยแอป { $method } เพื่อชำระเงิน
# Hint above the open-in-app link.
wallet_on_phone = ใช้งานบนมือถืออยู่ใช่ไหม? เปิดแอปได้เลย:
# Link into the wallet; $method = method name. Contract (en): "Open {}".
wallet_open = เปิด { $method }
# Status line while polling.
wallet_waiting = กำลังรอให้คุณยืนยันการชำระเงินในแอป…
# No-JS link to re-check the payment status.
wallet_paid = ฉันชำระเงินแล้ว
# Link back to the method choice.
wallet_other_method = เลือกวิธีการชำระเงินอื่น
# Mobile wallet page, before opening the app; $method = wallet.
wallet_app_intro = คุณจะยืนยันการชำระเงินนี้ในแอป { $method }
# Mobile wallet page, back from the app; $method = wallet.
wallet_returned = กลับมาจาก { $method } แล้วใช่ไหม? หากคุณยืนยันการชำระเงินในแอปแล้ว โปรดตรวจสอบสถานะ
# Mobile wallet page, back from the app: the status check link.
check_payment_status = ตรวจสอบสถานะการชำระเงิน
# Sandbox wallet page (mobile): back to the merchant's page without paying.
wallet_back_unpaid = กลับโดยไม่ชำระเงิน
# Online banking page: the list of banks.
bank_choose = เลือกธนาคารของคุณ
# Online banking page: explanation; $method = method.
bank_intro = คุณจะอนุมัติการชำระเงินนี้ผ่านบริการธนาคารออนไลน์ของธนาคารคุณ ({ $method })
# Online banking / pay later: waiting line.
journey_waiting = กำลังรอการอนุมัติจากคุณ…
# Bank transfer page: explanation; $amount = amount.
transfer_intro = โปรดโอนเงินให้ตรงตามยอด { $amount } เข้าบัญชีเสมือนนี้ ผ่านแอปธนาคาร อินเทอร์เน็ตแบงกิ้ง หรือตู้ ATM
# Bank transfer page: label before the bank's name.
bank_label = ธนาคาร
# Bank transfer page: label before the account number. Contract (en): "Virtual account number".
virtual_account = หมายเลขบัญชีเสมือน
# Bank transfer page: label before the deadline.
pay_before = ชำระภายใน
# Bank transfer page: waiting line.
transfer_waiting = กำลังรอการโอนเงินของคุณ คุณปิดหน้านี้ได้ ร้านค้าจะได้รับแจ้งเมื่อได้รับเงินแล้ว
# Bank transfer page: link to the sandbox bank. Contract (en): "Open the sandbox bank".
open_sandbox_bank = เปิดธนาคารทดสอบ
# Store page: explanation; $store = store.
store_intro = แสดงรหัสชำระเงินนี้ที่เคาน์เตอร์ร้าน { $store } สาขาใดก็ได้ แล้วชำระเป็นเงินสด
# Store page: label before the code. Contract (en): "Payment code".
payment_code = รหัสชำระเงิน
# Store page: waiting line.
store_waiting = กำลังรอการชำระเงินที่เคาน์เตอร์ คุณปิดหน้านี้ได้ ร้านค้าจะได้รับแจ้งเมื่อคุณชำระเงินแล้ว
# Store page: link to the sandbox store. Contract (en): "Open the sandbox store".
open_sandbox_store = เปิดร้านทดสอบ
# Pay-later page: explanation; $provider = provider.
paylater_intro = คุณจะเลือกแผนผ่อนชำระและอนุมัติรายการกับ { $provider }
# Pay-later page: the link to the provider; $provider = provider. Contract (en): "Continue to …".
continue_to = ดำเนินการต่อกับ { $provider }
# Sandbox bank heading. Contract (en): "Sandbox bank".
sandbox_bank = ธนาคารทดสอบ
# Sandbox bank explanation; $bank = bank or method.
sandbox_bank_intro = หน้านี้จำลอง { $bank } ไม่มีการใช้เงินจริง
# Sandbox store heading. Contract (en): "Sandbox store".
sandbox_store = ร้านทดสอบ
# Sandbox store explanation; $store = store.
sandbox_store_intro = หน้านี้จำลองเคาน์เตอร์ร้าน { $store } ไม่มีการใช้เงินจริง
# Sandbox pay-later heading. Contract (en): "Sandbox pay later".
sandbox_paylater = บริการจ่ายทีหลังทดสอบ
# Sandbox pay-later explanation; $provider = provider.
sandbox_paylater_intro = หน้านี้จำลอง { $provider } ไม่มีการใช้เงินจริง
# Sandbox bank (transfer): the button that pays; $amount = amount. Contract (en): "Transfer …".
transfer_button = โอนเงิน { $amount }
# Sandbox store: the button that pays; $amount = amount. Contract (en): "Pay … in cash".
cash_button = ชำระเงินสด { $amount }
# Sandbox pay later: the plan fieldset's legend. Contract (en): "Instalment plan".
instalment_plan = แผนการผ่อนชำระ
# Sandbox pay later: one plan; $months = number of months. Contract (en): "… monthly instalments".
instalment_months = ผ่อนชำระรายเดือน { $months } งวด
# Sandbox pay later, after approval; $months = number of months.
msg_paylater_approved_done = คุณอนุมัติการชำระเงินแบบผ่อนรายเดือน { $months } งวดแล้ว สามารถกลับไปยังร้านค้าได้
# Checkout: the express buttons' group name. Contract (en): "Express checkout".
express_checkout = ชำระเงินด่วน
# Checkout: under the express buttons, that the sandbox loads no wallet.
express_note = โหมดทดสอบ: ปุ่มวอลเล็ตจะเปิดหน้าต่างชำระเงินจำลอง ไม่มีการโหลดวอลเล็ตจริง
# Checkout: between the express buttons and the method list.
express_or = หรือชำระเงินด้วยวิธีอื่น
# Attempt page of an express wallet; $wallet = wallet.
sheet_intro = ชำระเงินให้เสร็จสิ้นในหน้าต่างชำระเงินของ { $wallet }
# Sandbox sheet heading. Contract (en): "Sandbox payment sheet".
sandbox_sheet = หน้าต่างชำระเงินทดสอบ
# Sandbox sheet explanation; $wallet = wallet.
sandbox_sheet_intro = หน้านี้ใช้แทนหน้าต่างชำระเงินของ { $wallet } ไม่มีการโหลดวอลเล็ตจริงและไม่มีการใช้เงินจริง
# Sandbox sheet: the button that pays; $wallet = wallet. Contract (en): "Pay with …".
sheet_pay = ชำระเงินด้วย { $wallet }
# Sandbox sheet: the button that closes it. Contract (en): "Cancel".
sheet_cancel = ยกเลิก
# Sandbox wallet heading. Contract (en): "Sandbox wallet".
sandbox_wallet = วอลเล็ตทดสอบ
# Sandbox wallet explanation; $method = method name.
sandbox_wallet_intro = หน้านี้จำลองแอป { $method } ไม่มีการใช้เงินจริง
# Label before the merchant name.
merchant = ร้านค้า
# Label before the order description.
description = รายละเอียด
# Contract (en): "Approve payment".
approve_payment = อนุมัติการชำระเงิน
# Contract (en): "Decline payment".
decline_payment = ปฏิเสธการชำระเงิน
# Contract (en): "Leave pending".
leave_pending = คงสถานะรอดำเนินการ
# 3-D Secure page heading.
challenge_title = ยืนยันตัวตน 3-D Secure
# 3-D Secure page explanation.
challenge_intro = ธนาคารของคุณขอให้ยืนยันการชำระเงินนี้ หน้าทดสอบนี้จำลองขั้นตอนการตรวจสอบดังกล่าว
# Label before the card being authenticated.
card = บัตร
# Contract (en): "Complete authentication".
complete_authentication = ยืนยันตัวตนให้เสร็จสิ้น
# Contract (en): "Fail authentication".
fail_authentication = จำลองการยืนยันตัวตนล้มเหลว
# Result heading. Contract (en): "Payment successful".
result_success = ชำระเงินสำเร็จ
# Result heading. Contract (en): "Payment failed".
result_failed = ชำระเงินไม่สำเร็จ
# Result heading. Contract (en): "Payment is processing".
result_processing = กำลังดำเนินการชำระเงิน
# Result heading. Contract (en): "This checkout has expired".
result_expired = รายการชำระเงินนี้หมดอายุแล้ว
# Result heading. Contract (en): "This payment was cancelled".
result_cancelled = การชำระเงินนี้ถูกยกเลิกแล้ว
# Contract (en): "Return to merchant".
return_to_merchant = กลับไปยังร้านค้า
# Contract (en): "Try again".
try_again = ลองอีกครั้ง
# Auto-redirect note; $seconds = seconds. Contract (en): "You will be returned to the merchant in {} seconds."
redirect_note = ระบบจะพาคุณกลับไปยังร้านค้าใน { $seconds } วินาที
# Note on the processing result page.
processing_note = กำลังรอผลลัพธ์สุดท้าย หน้านี้จะอัปเดตโดยอัตโนมัติ
# No-JS link on the processing result page.
check_status = ตรวจสอบสถานะ
# Small line above an error heading; $status = HTTP status.
error_code = ข้อผิดพลาด { $status }
# 404 heading (for the not-found page).
error_not_found_title = ไม่พบรายการชำระเงิน
# 404 message.
error_not_found_message = ลิงก์ชำระเงินนี้ไม่ถูกต้อง โปรดกลับไปยังร้านค้าแล้วลองอีกครั้ง
# 410 heading (for the expired page).
error_expired_title = รายการชำระเงินนี้หมดอายุแล้ว
# 410 message.
error_expired_message = ลิงก์ชำระเงินนี้หมดอายุแล้ว โปรดกลับไปยังร้านค้าเพื่อเริ่มการชำระเงินใหม่
# 400 heading (for the bad-request page).
error_bad_request_title = เกิดข้อผิดพลาด
# 400 default message.
error_bad_request_message = ไม่สามารถดำเนินการตามคำขอของคุณได้ โปรดย้อนกลับแล้วลองอีกครั้ง
# 429 heading (for the page shown when a network opened too many unknown checkout links).
error_too_many_title = มีคำขอมากเกินไป
# 429 message.
error_too_many_message = มีการเปิดลิงก์ชำระเงินที่ไม่ถูกต้องจากเครือข่ายของคุณมากเกินไป โปรดรอหนึ่งนาที แล้วเปิดลิงก์จากร้านค้าอีกครั้ง
# 503 heading (for the page shown while the gateway cannot reach its database).
error_unavailable_title = ไม่พร้อมให้บริการชั่วคราว
# 503 message.
error_unavailable_message = โปรดลองอีกครั้งในอีกสักครู่
# Gateway message: card number fails Luhn or length.
msg_card_number_invalid = หมายเลขบัตรไม่ถูกต้อง โปรดตรวจสอบแล้วลองอีกครั้ง
# Gateway message: expiry not MM/YY.
msg_card_expiry_invalid = โปรดระบุวันหมดอายุในรูปแบบ MM/YY
# Gateway message: expiry in the past.
msg_card_expired = บัตรนี้หมดอายุแล้ว โปรดใช้บัตรอื่น
# Gateway message: bad security code.
msg_card_cvc_invalid = รหัส CVV ต้องมี 3 หรือ 4 หลัก
# Gateway message: a 3-digit code was needed (all brands but American Express).
msg_card_cvc_three = โปรดระบุรหัส CVV 3 หลักที่ด้านหลังบัตร
# Gateway message: a 4-digit code was needed (American Express).
msg_card_cvc_four = บัตร American Express มีรหัสความปลอดภัย 4 หลักอยู่ด้านหน้าบัตร โปรดระบุรหัสนี้
# Gateway message: the issuer said the security code does not match.
msg_card_cvc_incorrect = รหัส CVV ไม่ถูกต้อง โปรดตรวจสอบแล้วลองอีกครั้ง
# Gateway message: empty name.
msg_card_name_missing = โปรดระบุชื่อบนบัตร
# Gateway message: no method chosen.
msg_choose_method = โปรดเลือกวิธีการชำระเงิน
# Gateway message: declined attempt (retry allowed).
msg_declined = บัตรของคุณถูกปฏิเสธ โปรดใช้บัตรหรือวิธีการชำระเงินอื่น
# Gateway message: insufficient funds (retry allowed).
msg_insufficient_funds = ยอดเงินในบัตรไม่เพียงพอ โปรดใช้บัตรหรือวิธีการชำระเงินอื่น
# Gateway message: 3-D Secure failed (retry allowed).
msg_authentication_failed = การยืนยันตัวตนไม่สำเร็จ โปรดลองอีกครั้งหรือใช้วิธีการชำระเงินอื่น
# Gateway message: buyer declined in the wallet (retry allowed).
msg_wallet_declined = การชำระเงินถูกปฏิเสธในวอลเล็ต โปรดลองอีกครั้งหรือใช้วิธีการชำระเงินอื่น
# Gateway message: final rejection (risk).
msg_risk_rejected = การชำระเงินถูกปฏิเสธ
# Gateway message for a second buyer on a paid session (contains "already paid").
msg_already_paid = คำสั่งซื้อนี้ชำระเงินแล้ว
# Gateway message: CSRF token or attempt nonce no longer valid.
msg_form_stale = แบบฟอร์มนี้หมดอายุแล้ว โปรดลองอีกครั้ง
# Gateway message: the payment closed (failed, expired or cancelled) and cannot be paid any more.
msg_payment_closed = รายการชำระเงินนี้ไม่สามารถชำระได้อีกต่อไป โปรดกลับไปยังร้านค้า
# Gateway message: no payment method can pay this amount.
msg_method_unavailable = ไม่มีวิธีการชำระเงินใดที่ชำระยอดเงินนี้ได้ โปรดกลับไปยังร้านค้า
# Sandbox wallet `done` after approving.
msg_wallet_approved_done = คุณอนุมัติการชำระเงินแล้ว สามารถกลับไปยังร้านค้าได้
# Sandbox wallet `done` after declining.
msg_wallet_declined_done = คุณปฏิเสธการชำระเงินแล้ว สามารถกลับไปยังร้านค้าได้
# Sandbox wallet `done` after leaving pending.
msg_wallet_pending_done = การชำระเงินอยู่ในสถานะรอดำเนินการ สามารถกลับไปยังร้านค้าได้
# Sandbox wallet, after the buyer acted: the link back to the checkout (which shows the outcome and returns to the merchant).
back_to_checkout = กลับไปยังหน้าชำระเงิน
