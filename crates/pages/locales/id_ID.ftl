# Bahasa Indonesia (Indonesia): Indonesian (Indonesia). Translated from en_US.ftl.

# Accessible name of the language list at the foot of every page (each language is written in its own script there).
language_switcher = Bahasa
# `<title>` suffix of the checkout page.
checkout_title = Pembayaran
# Alt text of the merchant logo; $brand = brand name. Contract (en): "{brand} logo".
logo_alt = Logo { $brand }
# Heading of the order panel.
order_summary = Ringkasan pesanan
# Label before the total amount.
total = Total
# Label before an amount (wallet, sandbox wallet, challenge pages).
amount = Jumlah
# Accessible text before a goods line's quantity and unit price.
quantity = Kuantitas
# Label before the server-rendered absolute expiry time.
expires_at = Berlaku hingga
# Label JS shows before the live countdown.
time_left = Sisa waktu
# Shown when the countdown reaches zero; also the Expired result heading.
checkout_expired = Waktu pembayaran ini telah habis
# Legend of the method radios. Contract (en): "Payment method".
payment_method = Metode pembayaran
# The card method's name in the method list (brands are named as they are). Contract (en): "Card".
method_card = Kartu
# The FPX method's name in the method list (Malaysian online banking).
method_onlinebanking_fpx = Internet banking FPX
# Legend of the card fields.
card_details = Detail kartu
# Contract (en): "Card number".
card_number = Nomor kartu
# Contract (en): "Expiry date".
card_expiry = Masa berlaku
# Placeholder of the expiry input. Contract: "MM/YY".
card_expiry_placeholder = MM/YY
# Contract (en): "Security code".
card_cvc = CVV
# Contract (en): "Name on card".
card_name = Nama pada kartu
# Pay button; $amount = formatted total. Contract (en): "Pay {}".
pay = Bayar { $amount }
# Wallet page heading and title; $method = method name.
wallet_title = Bayar dengan { $method }
# Accessible name of the QR code; $method = method name. Contract (en): "QR code for {}".
wallet_qr_label = Kode QR untuk { $method }
# Instruction under the QR code; $method = method name.
wallet_scan = Pindai kode QR dengan aplikasi { $method } untuk membayar.
# Hint above the open-in-app link.
wallet_on_phone = Menggunakan ponsel? Buka aplikasinya langsung:
# Link into the wallet; $method = method name. Contract (en): "Open {}".
wallet_open = Buka { $method }
# Status line while polling.
wallet_waiting = Menunggu konfirmasi pembayaran Anda di aplikasi…
# No-JS link to re-check the payment status.
wallet_paid = Saya sudah membayar
# Link back to the method choice.
wallet_other_method = Pilih metode pembayaran lain
# Mobile wallet page, before opening the app; $method = wallet.
wallet_app_intro = Anda akan mengonfirmasi pembayaran ini di aplikasi { $method }.
# Mobile wallet page, back from the app; $method = wallet.
wallet_returned = Sudah kembali dari { $method }? Jika Anda sudah mengonfirmasi pembayaran di sana, periksa statusnya.
# Mobile wallet page, back from the app: the status check link.
check_payment_status = Periksa status pembayaran
# Sandbox wallet page (mobile): back to the merchant's page without paying.
wallet_back_unpaid = Kembali tanpa membayar
# Online banking page: the list of banks.
bank_choose = Pilih bank Anda
# Online banking page: explanation; $method = method.
bank_intro = Anda akan menyetujui pembayaran ini melalui internet banking bank Anda ({ $method }).
# Online banking / pay later: waiting line.
journey_waiting = Menunggu persetujuan Anda…
# Bank transfer page: explanation; $amount = amount.
transfer_intro = Transfer tepat { $amount } ke Virtual Account ini melalui m-banking, internet banking, atau ATM.
# Bank transfer page: label before the bank's name.
bank_label = Bank
# Bank transfer page: label before the account number. Contract (en): "Virtual account number".
virtual_account = Nomor Virtual Account
# Bank transfer page: label before the deadline.
pay_before = Bayar sebelum
# Bank transfer page: waiting line.
transfer_waiting = Menunggu transfer Anda. Anda dapat menutup halaman ini: merchant akan diberi tahu saat dana diterima.
# Bank transfer page: link to the sandbox bank. Contract (en): "Open the sandbox bank".
open_sandbox_bank = Buka bank sandbox
# Store page: explanation; $store = store.
store_intro = Tunjukkan kode pembayaran ini di kasir gerai { $store } mana pun dan bayar tunai.
# Store page: label before the code. Contract (en): "Payment code".
payment_code = Kode pembayaran
# Store page: waiting line.
store_waiting = Menunggu pembayaran Anda di gerai. Anda dapat menutup halaman ini: merchant akan diberi tahu setelah Anda membayar.
# Store page: link to the sandbox store. Contract (en): "Open the sandbox store".
open_sandbox_store = Buka gerai sandbox
# Pay-later page: explanation; $provider = provider.
paylater_intro = Anda akan memilih paket cicilan di { $provider } dan menyetujuinya di sana.
# Pay-later page: the link to the provider; $provider = provider. Contract (en): "Continue to …".
continue_to = Lanjut ke { $provider }
# Sandbox bank heading. Contract (en): "Sandbox bank".
sandbox_bank = Bank sandbox
# Sandbox bank explanation; $bank = bank or method.
sandbox_bank_intro = Halaman ini menyimulasikan { $bank }. Tidak ada transaksi uang sungguhan.
# Sandbox store heading. Contract (en): "Sandbox store".
sandbox_store = Gerai sandbox
# Sandbox store explanation; $store = store.
sandbox_store_intro = Halaman ini menyimulasikan kasir gerai { $store }. Tidak ada transaksi uang sungguhan.
# Sandbox pay-later heading. Contract (en): "Sandbox pay later".
sandbox_paylater = PayLater sandbox
# Sandbox pay-later explanation; $provider = provider.
sandbox_paylater_intro = Halaman ini menyimulasikan { $provider }. Tidak ada transaksi uang sungguhan.
# Sandbox bank (transfer): the button that pays; $amount = amount. Contract (en): "Transfer …".
transfer_button = Transfer { $amount }
# Sandbox store: the button that pays; $amount = amount. Contract (en): "Pay … in cash".
cash_button = Bayar tunai { $amount }
# Sandbox pay later: the plan fieldset's legend. Contract (en): "Instalment plan".
instalment_plan = Paket cicilan
# Sandbox pay later: one plan; $months = number of months. Contract (en): "… monthly instalments".
instalment_months = Cicilan { $months } bulan
# Sandbox pay later, after approval; $months = number of months.
msg_paylater_approved_done = Anda telah menyetujui pembayaran dengan cicilan { $months } bulan. Anda dapat kembali ke merchant.
# Checkout: the express buttons' group name. Contract (en): "Express checkout".
express_checkout = Pembayaran cepat
# Checkout: under the express buttons, that the sandbox loads no wallet.
express_note = Sandbox: tombol e-wallet membuka jendela pembayaran simulasi; tidak ada e-wallet yang dimuat.
# Checkout: between the express buttons and the method list.
express_or = atau bayar dengan cara lain
# Attempt page of an express wallet; $wallet = wallet.
sheet_intro = Selesaikan pembayaran di jendela pembayaran { $wallet }.
# Sandbox sheet heading. Contract (en): "Sandbox payment sheet".
sandbox_sheet = Jendela pembayaran sandbox
# Sandbox sheet explanation; $wallet = wallet.
sandbox_sheet_intro = Halaman ini menggantikan jendela pembayaran { $wallet }. Tidak ada e-wallet sungguhan yang dimuat dan tidak ada transaksi uang.
# Sandbox sheet: the button that pays; $wallet = wallet. Contract (en): "Pay with …".
sheet_pay = Bayar dengan { $wallet }
# Sandbox sheet: the button that closes it. Contract (en): "Cancel".
sheet_cancel = Batal
# Sandbox wallet heading. Contract (en): "Sandbox wallet".
sandbox_wallet = E-wallet sandbox
# Sandbox wallet explanation; $method = method name.
sandbox_wallet_intro = Halaman ini menyimulasikan aplikasi { $method }. Tidak ada transaksi uang sungguhan.
# Label before the merchant name.
merchant = Merchant
# Label before the order description.
description = Deskripsi
# Contract (en): "Approve payment".
approve_payment = Setujui pembayaran
# Contract (en): "Decline payment".
decline_payment = Tolak pembayaran
# Contract (en): "Leave pending".
leave_pending = Biarkan tertunda
# 3-D Secure page heading.
challenge_title = Autentikasi 3-D Secure
# 3-D Secure page explanation.
challenge_intro = Bank Anda meminta konfirmasi untuk pembayaran ini. Halaman sandbox ini menyimulasikan pemeriksaan tersebut.
# Label before the card being authenticated.
card = Kartu
# Contract (en): "Complete authentication".
complete_authentication = Selesaikan autentikasi
# Contract (en): "Fail authentication".
fail_authentication = Gagalkan autentikasi
# Result heading. Contract (en): "Payment successful".
result_success = Pembayaran berhasil
# Result heading. Contract (en): "Payment failed".
result_failed = Pembayaran gagal
# Result heading. Contract (en): "Payment is processing".
result_processing = Pembayaran sedang diproses
# Result heading. Contract (en): "This checkout has expired".
result_expired = Waktu pembayaran ini telah habis
# Result heading. Contract (en): "This payment was cancelled".
result_cancelled = Pembayaran ini dibatalkan
# Contract (en): "Return to merchant".
return_to_merchant = Kembali ke merchant
# Contract (en): "Try again".
try_again = Coba lagi
# Auto-redirect note; $seconds = seconds. Contract (en): "You will be returned to the merchant in {} seconds."
redirect_note = Anda akan diarahkan kembali ke merchant dalam { $seconds } detik.
# Note on the processing result page.
processing_note = Kami sedang menunggu hasil akhir. Halaman ini akan diperbarui secara otomatis.
# No-JS link on the processing result page.
check_status = Periksa status
# Small line above an error heading; $status = HTTP status.
error_code = Kesalahan { $status }
# 404 heading (for the not-found page).
error_not_found_title = Pembayaran tidak ditemukan
# 404 message.
error_not_found_message = Tautan pembayaran ini tidak valid. Silakan kembali ke merchant dan coba lagi.
# 410 heading (for the expired page).
error_expired_title = Waktu pembayaran ini telah habis
# 410 message.
error_expired_message = Tautan pembayaran ini sudah kedaluwarsa. Silakan kembali ke merchant untuk memulai pembayaran baru.
# 400 heading (for the bad-request page).
error_bad_request_title = Terjadi kesalahan
# 400 default message.
error_bad_request_message = Kami tidak dapat memproses permintaan Anda. Silakan kembali dan coba lagi.
# 429 heading (for the page shown when a network opened too many unknown checkout links).
error_too_many_title = Terlalu banyak permintaan
# 429 message.
error_too_many_message = Terlalu banyak tautan pembayaran tidak valid yang dibuka dari jaringan Anda. Tunggu satu menit, lalu buka kembali tautan dari merchant.
# 503 heading (for the page shown while the gateway cannot reach its database).
error_unavailable_title = Tidak tersedia untuk sementara
# 503 message.
error_unavailable_message = Silakan coba lagi sebentar lagi.
# Gateway message: card number fails Luhn or length.
msg_card_number_invalid = Nomor kartu tidak valid. Periksa kembali dan coba lagi.
# Gateway message: expiry not MM/YY.
msg_card_expiry_invalid = Masukkan masa berlaku dengan format MM/YY.
# Gateway message: expiry in the past.
msg_card_expired = Kartu ini sudah kedaluwarsa. Gunakan kartu lain.
# Gateway message: bad security code.
msg_card_cvc_invalid = CVV harus terdiri dari 3 atau 4 digit.
# Gateway message: a 3-digit code was needed (all brands but American Express).
msg_card_cvc_three = Masukkan CVV 3 digit yang ada di bagian belakang kartu.
# Gateway message: a 4-digit code was needed (American Express).
msg_card_cvc_four = Kartu American Express memiliki kode keamanan 4 digit di bagian depan. Masukkan kode tersebut.
# Gateway message: the issuer said the security code does not match.
msg_card_cvc_incorrect = CVV salah. Periksa kembali dan coba lagi.
# Gateway message: empty name.
msg_card_name_missing = Masukkan nama yang tertera pada kartu.
# Gateway message: no method chosen.
msg_choose_method = Pilih metode pembayaran.
# Gateway message: declined attempt (retry allowed).
msg_declined = Kartu Anda ditolak. Coba kartu atau metode pembayaran lain.
# Gateway message: insufficient funds (retry allowed).
msg_insufficient_funds = Saldo kartu tidak mencukupi. Coba kartu atau metode pembayaran lain.
# Gateway message: 3-D Secure failed (retry allowed).
msg_authentication_failed = Autentikasi gagal. Coba lagi atau gunakan metode pembayaran lain.
# Gateway message: buyer declined in the wallet (retry allowed).
msg_wallet_declined = Pembayaran ditolak di e-wallet. Coba lagi atau gunakan metode pembayaran lain.
# Gateway message: final rejection (risk).
msg_risk_rejected = Pembayaran ditolak.
# Gateway message for a second buyer on a paid session (contains "already paid").
msg_already_paid = Pesanan ini sudah dibayar.
# Gateway message: CSRF token or attempt nonce no longer valid.
msg_form_stale = Formulir ini sudah tidak berlaku. Silakan coba lagi.
# Gateway message: the payment closed (failed, expired or cancelled) and cannot be paid any more.
msg_payment_closed = Pembayaran ini tidak dapat dibayar lagi. Silakan kembali ke merchant.
# Gateway message: no payment method can pay this amount.
msg_method_unavailable = Tidak ada metode pembayaran yang dapat membayar jumlah ini. Silakan kembali ke merchant.
# Sandbox wallet `done` after approving.
msg_wallet_approved_done = Anda telah menyetujui pembayaran. Anda dapat kembali ke merchant.
# Sandbox wallet `done` after declining.
msg_wallet_declined_done = Anda telah menolak pembayaran. Anda dapat kembali ke merchant.
# Sandbox wallet `done` after leaving pending.
msg_wallet_pending_done = Pembayaran dibiarkan tertunda. Anda dapat kembali ke merchant.
# Sandbox wallet, after the buyer acted: the link back to the checkout (which shows the outcome and returns to the merchant).
back_to_checkout = Kembali ke halaman pembayaran
