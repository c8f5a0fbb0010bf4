# Bahasa Melayu (Malaysia): Malay (Malaysia). Translated from en_US.ftl.

# Accessible name of the language list at the foot of every page (each language is written in its own script there).
language_switcher = Bahasa
# `<title>` suffix of the checkout page.
checkout_title = Pembayaran
# Alt text of the merchant logo; $brand = brand name. Contract (en): "{brand} logo".
logo_alt = Logo { $brand }
# Heading of the order panel.
order_summary = Ringkasan pesanan
# Label before the total amount.
total = Jumlah
# Label before an amount (wallet, sandbox wallet, challenge pages).
amount = Amaun
# Accessible text before a goods line's quantity and unit price.
quantity = Kuantiti
# Label before the server-rendered absolute expiry time.
expires_at = Tamat tempoh pada
# Label JS shows before the live countdown.
time_left = Baki masa
# Shown when the countdown reaches zero; also the Expired result heading.
checkout_expired = Pembayaran ini telah tamat tempoh
# Legend of the method radios. Contract (en): "Payment method".
payment_method = Kaedah pembayaran
# The card method's name in the method list (brands are named as they are). Contract (en): "Card".
method_card = Kad
# The FPX method's name in the method list (Malaysian online banking).
method_onlinebanking_fpx = Perbankan dalam talian FPX
# Legend of the card fields.
card_details = Butiran kad
# Contract (en): "Card number".
card_number = Nombor kad
# Contract (en): "Expiry date".
card_expiry = Tarikh luput
# Placeholder of the expiry input. Contract: "MM/YY".
card_expiry_placeholder = MM/YY
# Contract (en): "Security code".
card_cvc = CVV
# Contract (en): "Name on card".
card_name = Nama pada kad
# Pay button; $amount = formatted total. Contract (en): "Pay {}".
pay = Bayar { $amount }
# Wallet page heading and title; $method = method name.
wallet_title = Bayar dengan { $method }
# Accessible name of the QR code; $method = method name. Contract (en): "QR code for {}".
wallet_qr_label = Kod QR untuk { $method }
# Instruction under the QR code; $method = method name.
wallet_scan = Imbas kod QR dengan aplikasi { $method } untuk membayar.
# Hint above the open-in-app link.
wallet_on_phone = Menggunakan telefon? Buka aplikasi terus:
# Link into the wallet; $method = method name. Contract (en): "Open {}".
wallet_open = Buka { $method }
# Status line while polling.
wallet_waiting = Menunggu anda mengesahkan pembayaran dalam aplikasi…
# No-JS link to re-check the payment status.
wallet_paid = Saya sudah bayar
# Link back to the method choice.
wallet_other_method = Pilih kaedah pembayaran lain
# Mobile wallet page, before opening the app; $method = wallet.
wallet_app_intro = Anda akan mengesahkan pembayaran ini dalam aplikasi { $method }.
# Mobile wallet page, back from the app; $method = wallet.
wallet_returned = Sudah kembali dari { $method }? Jika anda telah mengesahkan pembayaran di sana, semak statusnya.
# Mobile wallet page, back from the app: the status check link.
check_payment_status = Semak status pembayaran
# Sandbox wallet page (mobile): back to the merchant's page without paying.
wallet_back_unpaid = Kembali tanpa membayar
# Online banking page: the list of banks.
bank_choose = Pilih bank anda
# Online banking page: explanation; $method = method.
bank_intro = Anda akan meluluskan pembayaran ini melalui perbankan dalam talian bank anda ({ $method }).
# Online banking / pay later: waiting line.
journey_waiting = Menunggu kelulusan anda…
# Bank transfer page: explanation; $amount = amount.
transfer_intro = Pindahkan jumlah tepat { $amount } ke akaun maya ini melalui aplikasi bank, perbankan internet atau ATM.
# Bank transfer page: label before the bank's name.
bank_label = Bank
# Bank transfer page: label before the account number. Contract (en): "Virtual account number".
virtual_account = Nombor akaun maya
# Bank transfer page: label before the deadline.
pay_before = Bayar sebelum
# Bank transfer page: waiting line.
transfer_waiting = Menunggu pemindahan anda. Anda boleh menutup halaman ini: peniaga akan dimaklumkan apabila wang diterima.
# Bank transfer page: link to the sandbox bank. Contract (en): "Open the sandbox bank".
open_sandbox_bank = Buka bank sandbox
# Store page: explanation; $store = store.
store_intro = Tunjukkan kod pembayaran ini di kaunter mana-mana kedai { $store } dan bayar secara tunai.
# Store page: label before the code. Contract (en): "Payment code".
payment_code = Kod pembayaran
# Store page: waiting line.
store_waiting = Menunggu pembayaran anda di kedai. Anda boleh menutup halaman ini: peniaga akan dimaklumkan apabila anda telah membayar.
# Store page: link to the sandbox store. Contract (en): "Open the sandbox store".
open_sandbox_store = Buka kedai sandbox
# Pay-later page: explanation; $provider = provider.
paylater_intro = Anda akan memilih pelan ansuran dengan { $provider } dan meluluskannya di sana.
# Pay-later page: the link to the provider; $provider = provider. Contract (en): "Continue to …".
continue_to = Teruskan ke { $provider }
# Sandbox bank heading. Contract (en): "Sandbox bank".
sandbox_bank = Bank sandbox
# Sandbox bank explanation; $bank = bank or method.
sandbox_bank_intro = Halaman ini ialah simulasi { $bank }. Tiada wang sebenar terlibat.
# Sandbox store heading. Contract (en): "Sandbox store".
sandbox_store = Kedai sandbox
# Sandbox store explanation; $store = store.
sandbox_store_intro = Halaman ini ialah simulasi kaunter kedai { $store }. Tiada wang sebenar terlibat.
# Sandbox pay-later heading. Contract (en): "Sandbox pay later".
sandbox_paylater = Bayar kemudian sandbox
# Sandbox pay-later explanation; $provider = provider.
sandbox_paylater_intro = Halaman ini ialah simulasi { $provider }. Tiada wang sebenar terlibat.
# Sandbox bank (transfer): the button that pays; $amount = amount. Contract (en): "Transfer …".
transfer_button = Pindahkan { $amount }
# Sandbox store: the button that pays; $amount = amount. Contract (en): "Pay … in cash".
cash_button = Bayar { $amount } secara tunai
# Sandbox pay later: the plan fieldset's legend. Contract (en): "Instalment plan".
instalment_plan = Pelan ansuran
# Sandbox pay later: one plan; $months = number of months. Contract (en): "… monthly instalments".
instalment_months = { $months } ansuran bulanan
# Sandbox pay later, after approval; $months = number of months.
msg_paylater_approved_done = Anda telah meluluskan pembayaran secara { $months } ansuran bulanan. Anda boleh kembali ke peniaga.
# Checkout: the express buttons' group name. Contract (en): "Express checkout".
express_checkout = Pembayaran pantas
# Checkout: under the express buttons, that the sandbox loads no wallet.
express_note = Sandbox: butang e-dompet membuka tetingkap pembayaran simulasi; tiada e-dompet dimuatkan.
# Checkout: between the express buttons and the method list.
express_or = atau bayar dengan cara lain
# Attempt page of an express wallet; $wallet = wallet.
sheet_intro = Lengkapkan pembayaran dalam tetingkap pembayaran { $wallet }.
# Sandbox sheet heading. Contract (en): "Sandbox payment sheet".
sandbox_sheet = Tetingkap pembayaran sandbox
# Sandbox sheet explanation; $wallet = wallet.
sandbox_sheet_intro = Halaman ini menggantikan tetingkap pembayaran { $wallet }. Tiada e-dompet sebenar dimuatkan dan tiada wang terlibat.
# Sandbox sheet: the button that pays; $wallet = wallet. Contract (en): "Pay with …".
sheet_pay = Bayar dengan { $wallet }
# Sandbox sheet: the button that closes it. Contract (en): "Cancel".
sheet_cancel = Batal
# Sandbox wallet heading. Contract (en): "Sandbox wallet".
sandbox_wallet = E-dompet sandbox
# Sandbox wallet explanation; $method = method name.
sandbox_wallet_intro = Halaman ini ialah simulasi aplikasi { $method }. Tiada wang sebenar terlibat.
# Label before the merchant name.
merchant = Peniaga
# Label before the order description.
description = Keterangan
# Contract (en): "Approve payment".
approve_payment = Luluskan pembayaran
# Contract (en): "Decline payment".
decline_payment = Tolak pembayaran
# Contract (en): "Leave pending".
leave_pending = Biarkan tertangguh
# 3-D Secure page heading.
challenge_title = Pengesahan 3-D Secure
# 3-D Secure page explanation.
challenge_intro = Bank anda meminta anda mengesahkan pembayaran ini. Halaman sandbox ini ialah simulasi semakan tersebut.
# Label before the card being authenticated.
card = Kad
# Contract (en): "Complete authentication".
complete_authentication = Lengkapkan pengesahan
# Contract (en): "Fail authentication".
fail_authentication = Gagalkan pengesahan
# Result heading. Contract (en): "Payment successful".
result_success = Pembayaran berjaya
# Result heading. Contract (en): "Payment failed".
result_failed = Pembayaran gagal
# Result heading. Contract (en): "Payment is processing".
result_processing = Pembayaran sedang diproses
# Result heading. Contract (en): "This checkout has expired".
result_expired = Pembayaran ini telah tamat tempoh
# Result heading. Contract (en): "This payment was cancelled".
result_cancelled = Pembayaran ini telah dibatalkan
# Contract (en): "Return to merchant".
return_to_merchant = Kembali ke peniaga
# Contract (en): "Try again".
try_again = Cuba lagi
# Auto-redirect note; $seconds = seconds. Contract (en): "You will be returned to the merchant in {} seconds."
redirect_note = Anda akan dibawa kembali ke peniaga dalam { $seconds } saat.
# Note on the processing result page.
processing_note = Kami sedang menunggu keputusan muktamad. Halaman ini akan dikemas kini secara automatik.
# No-JS link on the processing result page.
check_status = Semak status
# Small line above an error heading; $status = HTTP status.
error_code = Ralat { $status }
# 404 heading (for the not-found page).
error_not_found_title = Pembayaran tidak ditemui
# 404 message.
error_not_found_message = Pautan pembayaran ini tidak sah. Sila kembali ke peniaga dan cuba lagi.
# 410 heading (for the expired page).
error_expired_title = Pembayaran ini telah tamat tempoh
# 410 message.
error_expired_message = Pautan pembayaran ini telah tamat tempoh. Sila kembali ke peniaga untuk memulakan pembayaran baharu.
# 400 heading (for the bad-request page).
error_bad_request_title = Berlaku ralat
# 400 default message.
error_bad_request_message = Kami tidak dapat memproses permintaan anda. Sila kembali dan cuba lagi.
# 429 heading (for the page shown when a network opened too many unknown checkout links).
error_too_many_title = Terlalu banyak permintaan
# 429 message.
error_too_many_message = Terlalu banyak pautan pembayaran yang tidak sah dibuka daripada rangkaian anda. Sila tunggu seminit, kemudian buka semula pautan daripada peniaga.
# 503 heading (for the page shown while the gateway cannot reach its database).
error_unavailable_title = Tidak tersedia buat sementara waktu
# 503 message.
error_unavailable_message = Sila cuba lagi sebentar lagi.
# Gateway message: card number fails Luhn or length.
msg_card_number_invalid = Nombor kad tidak sah. Semak dan cuba lagi.
# Gateway message: expiry not MM/YY.
msg_card_expiry_invalid = Masukkan tarikh luput dalam format MM/YY.
# Gateway message: expiry in the past.
msg_card_expired = Kad ini telah tamat tempoh. Gunakan kad lain.
# Gateway message: bad security code.
msg_card_cvc_invalid = CVV mestilah 3 atau 4 digit.
# Gateway message: a 3-digit code was needed (all brands but American Express).
msg_card_cvc_three = Masukkan CVV 3 digit di belakang kad.
# Gateway message: a 4-digit code was needed (American Express).
msg_card_cvc_four = Kad American Express mempunyai kod keselamatan 4 digit di bahagian hadapan. Sila masukkan kod tersebut.
# Gateway message: the issuer said the security code does not match.
msg_card_cvc_incorrect = CVV tidak betul. Semak dan cuba lagi.
# Gateway message: empty name.
msg_card_name_missing = Masukkan nama pada kad.
# Gateway message: no method chosen.
msg_choose_method = Pilih kaedah pembayaran.
# Gateway message: declined attempt (retry allowed).
msg_declined = Kad anda ditolak. Cuba kad atau kaedah pembayaran lain.
# Gateway message: insufficient funds (retry allowed).
msg_insufficient_funds = Baki kad tidak mencukupi. Cuba kad atau kaedah pembayaran lain.
# Gateway message: 3-D Secure failed (retry allowed).
msg_authentication_failed = Pengesahan gagal. Cuba lagi atau gunakan kaedah pembayaran lain.
# Gateway message: buyer declined in the wallet (retry allowed).
msg_wallet_declined = Pembayaran ditolak dalam e-dompet. Cuba lagi atau gunakan kaedah pembayaran lain.
# Gateway message: final rejection (risk).
msg_risk_rejected = Pembayaran telah ditolak.
# Gateway message for a second buyer on a paid session (contains "already paid").
msg_already_paid = Pesanan ini telah dibayar.
# Gateway message: CSRF token or attempt nonce no longer valid.
msg_form_stale = Borang ini sudah tidak sah. Sila cuba lagi.
# Gateway message: the payment closed (failed, expired or cancelled) and cannot be paid any more.
msg_payment_closed = Pembayaran ini tidak boleh dibayar lagi. Sila kembali ke peniaga.
# Gateway message: no payment method can pay this amount.
msg_method_unavailable = Tiada kaedah pembayaran yang boleh membayar jumlah ini. Sila kembali ke peniaga.
# Sandbox wallet `done` after approving.
msg_wallet_approved_done = Anda telah meluluskan pembayaran. Anda boleh kembali ke peniaga.
# Sandbox wallet `done` after declining.
msg_wallet_declined_done = Anda telah menolak pembayaran. Anda boleh kembali ke peniaga.
# Sandbox wallet `done` after leaving pending.
msg_wallet_pending_done = Pembayaran dibiarkan tertangguh. Anda boleh kembali ke peniaga.
# Sandbox wallet, after the buyer acted: the link back to the checkout (which shows the outcome and returns to the merchant).
back_to_checkout = Kembali ke halaman pembayaran
