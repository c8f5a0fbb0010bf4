# English (United States): the source catalogue of the hosted pages.
#
# Project Fluent syntax (https://projectfluent.org/fluent/guide/). One message
# per key; `{ $name }` is a value the page fills in (an amount, a brand, a
# method or wallet name, a number). Every locale file has exactly these keys
# and, per key, the same variables. Messages whose comment says "Contract (en)"
# are texts the browser tests drive in English; other locales translate them.
# Amounts arrive already formatted for the locale (symbol, grouping, decimals).

# Accessible name of the language list at the foot of every page (each language is written in its own script there).
language_switcher = Language
# `<title>` suffix of the checkout page.
checkout_title = Checkout
# Alt text of the merchant logo; $brand = brand name. Contract (en): "{brand} logo".
logo_alt = { $brand } logo
# Heading of the order panel.
order_summary = Order summary
# Label before the total amount.
total = Total
# Label before an amount (wallet, sandbox wallet, challenge pages).
amount = Amount
# Accessible text before a goods line's quantity and unit price.
quantity = Quantity
# Label before the server-rendered absolute expiry time.
expires_at = Expires at
# Label JS shows before the live countdown.
time_left = Time left
# Shown when the countdown reaches zero; also the Expired result heading.
checkout_expired = This checkout has expired
# Legend of the method radios. Contract (en): "Payment method".
payment_method = Payment method
# The card method's name in the method list (brands are named as they are). Contract (en): "Card".
method_card = Card
# The FPX method's name in the method list (Malaysian online banking).
method_onlinebanking_fpx = FPX online banking
# Legend of the card fields.
card_details = Card details
# Contract (en): "Card number".
card_number = Card number
# Contract (en): "Expiry date".
card_expiry = Expiry date
# Placeholder of the expiry input. Contract: "MM/YY".
card_expiry_placeholder = MM/YY
# Contract (en): "Security code".
card_cvc = Security code
# Contract (en): "Name on card".
card_name = Name on card
# Pay button; $amount = formatted total. Contract (en): "Pay {}".
pay = Pay { $amount }
# Wallet page heading and title; $method = method name.
wallet_title = Pay with { $method }
# Accessible name of the QR code; $method = method name. Contract (en): "QR code for {}".
wallet_qr_label = QR code for { $method }
# Instruction under the QR code; $method = method name.
wallet_scan = Scan the QR code with the { $method } app to pay.
# Hint above the open-in-app link.
wallet_on_phone = On your phone? Open the app directly:
# Link into the wallet; $method = method name. Contract (en): "Open {}".
wallet_open = Open { $method }
# Status line while polling.
wallet_waiting = Waiting for you to confirm the payment in the app…
# No-JS link to re-check the payment status.
wallet_paid = I have paid
# Link back to the method choice.
wallet_other_method = Choose another payment method
# Mobile wallet page, before opening the app; $method = wallet.
wallet_app_intro = You will confirm this payment in the { $method } app.
# Mobile wallet page, back from the app; $method = wallet.
wallet_returned = Back from { $method }? If you confirmed the payment there, check its status.
# Mobile wallet page, back from the app: the status check link.
check_payment_status = Check payment status
# Sandbox wallet page (mobile): back to the merchant's page without paying.
wallet_back_unpaid = Go back without paying
# Online banking page: the list of banks.
bank_choose = Choose your bank
# Online banking page: explanation; $method = method.
bank_intro = You will approve this payment in your bank's online banking ({ $method }).
# Online banking / pay later: waiting line.
journey_waiting = Waiting for your approval…
# Bank transfer page: explanation; $amount = amount.
transfer_intro = Transfer exactly { $amount } to this virtual account from your bank's app, internet banking or an ATM.
# Bank transfer page: label before the bank's name.
bank_label = Bank
# Bank transfer page: label before the account number. Contract (en): "Virtual account number".
virtual_account = Virtual account number
# Bank transfer page: label before the deadline.
pay_before = Pay before
# Bank transfer page: waiting line.
transfer_waiting = Waiting for your transfer. You can close this page: the merchant is told when the money arrives.
# Bank transfer page: link to the sandbox bank. Contract (en): "Open the sandbox bank".
open_sandbox_bank = Open the sandbox bank
# Store page: explanation; $store = store.
store_intro = Show this payment code at the counter of any { $store } store and pay in cash.
# Store page: label before the code. Contract (en): "Payment code".
payment_code = Payment code
# Store page: waiting line.
store_waiting = Waiting for your payment at the store. You can close this page: the merchant is told when you have paid.
# Store page: link to the sandbox store. Contract (en): "Open the sandbox store".
open_sandbox_store = Open the sandbox store
# Pay-later page: explanation; $provider = provider.
paylater_intro = You will choose an instalment plan with { $provider } and approve it there.
# Pay-later page: the link to the provider; $provider = provider. Contract (en): "Continue to …".
continue_to = Continue to { $provider }
# Sandbox bank heading. Contract (en): "Sandbox bank".
sandbox_bank = Sandbox bank
# Sandbox bank explanation; $bank = bank or method.
sandbox_bank_intro = This page simulates { $bank }. No real money moves.
# Sandbox store heading. Contract (en): "Sandbox store".
sandbox_store = Sandbox store
# Sandbox store explanation; $store = store.
sandbox_store_intro = This page simulates the counter of a { $store } store. No real money moves.
# Sandbox pay-later heading. Contract (en): "Sandbox pay later".
sandbox_paylater = Sandbox pay later
# Sandbox pay-later explanation; $provider = provider.
sandbox_paylater_intro = This page simulates { $provider }. No real money moves.
# Sandbox bank (transfer): the button that pays; $amount = amount. Contract (en): "Transfer …".
transfer_button = Transfer { $amount }
# Sandbox store: the button that pays; $amount = amount. Contract (en): "Pay … in cash".
cash_button = Pay { $amount } in cash
# Sandbox pay later: the plan fieldset's legend. Contract (en): "Instalment plan".
instalment_plan = Instalment plan
# Sandbox pay later: one plan; $months = number of months. Contract (en): "… monthly instalments".
instalment_months = { $months ->
    [one] { $months } monthly instalment
   *[other] { $months } monthly instalments
}
# Sandbox pay later, after approval; $months = number of months.
msg_paylater_approved_done = { $months ->
    [one] You approved the payment in { $months } monthly instalment. You can return to the merchant.
   *[other] You approved the payment in { $months } monthly instalments. You can return to the merchant.
}
# Checkout: the express buttons' group name. Contract (en): "Express checkout".
express_checkout = Express checkout
# Checkout: under the express buttons, that the sandbox loads no wallet.
express_note = Sandbox: express wallets open a simulated payment sheet; no wallet is loaded.
# Checkout: between the express buttons and the method list.
express_or = or pay another way
# Attempt page of an express wallet; $wallet = wallet.
sheet_intro = Complete the payment on the { $wallet } sheet.
# Sandbox sheet heading. Contract (en): "Sandbox payment sheet".
sandbox_sheet = Sandbox payment sheet
# Sandbox sheet explanation; $wallet = wallet.
sandbox_sheet_intro = This page stands in for the { $wallet } payment sheet. No real wallet is loaded and no money moves.
# Sandbox sheet: the button that pays; $wallet = wallet. Contract (en): "Pay with …".
sheet_pay = Pay with { $wallet }
# Sandbox sheet: the button that closes it. Contract (en): "Cancel".
sheet_cancel = Cancel
# Sandbox wallet heading. Contract (en): "Sandbox wallet".
sandbox_wallet = Sandbox wallet
# Sandbox wallet explanation; $method = method name.
sandbox_wallet_intro = This page simulates the { $method } app. No real money moves.
# Label before the merchant name.
merchant = Merchant
# Label before the order description.
description = Description
# Contract (en): "Approve payment".
approve_payment = Approve payment
# Contract (en): "Decline payment".
decline_payment = Decline payment
# Contract (en): "Leave pending".
leave_pending = Leave pending
# 3-D Secure page heading.
challenge_title = 3-D Secure authentication
# 3-D Secure page explanation.
challenge_intro = Your bank asks you to confirm this payment. This sandbox page simulates that check.
# Label before the card being authenticated.
card = Card
# Contract (en): "Complete authentication".
complete_authentication = Complete authentication
# Contract (en): "Fail authentication".
fail_authentication = Fail authentication
# Result heading. Contract (en): "Payment successful".
result_success = Payment successful
# Result heading. Contract (en): "Payment failed".
result_failed = Payment failed
# Result heading. Contract (en): "Payment is processing".
result_processing = Payment is processing
# Result heading. Contract (en): "This checkout has expired".
result_expired = This checkout has expired
# Result heading. Contract (en): "This payment was cancelled".
result_cancelled = This payment was cancelled
# Contract (en): "Return to merchant".
return_to_merchant = Return to merchant
# Contract (en): "Try again".
try_again = Try again
# Auto-redirect note; $seconds = seconds. Contract (en): "You will be returned to the merchant in {} seconds."
redirect_note = { $seconds ->
    [one] You will be returned to the merchant in { $seconds } second.
   *[other] You will be returned to the merchant in { $seconds } seconds.
}
# Note on the processing result page.
processing_note = We are waiting for the final result. This page updates by itself.
# No-JS link on the processing result page.
check_status = Check status
# Small line above an error heading; $status = HTTP status.
error_code = Error { $status }
# 404 heading (for the not-found page).
error_not_found_title = Checkout not found
# 404 message.
error_not_found_message = This payment link is not valid. Please return to the merchant and try again.
# 410 heading (for the expired page).
error_expired_title = This checkout has expired
# 410 message.
error_expired_message = This payment link has expired. Please return to the merchant to start a new payment.
# 400 heading (for the bad-request page).
error_bad_request_title = Something went wrong
# 400 default message.
error_bad_request_message = We could not process your request. Please go back and try again.
# 429 heading (for the page shown when a network opened too many unknown checkout links).
error_too_many_title = Too many requests
# 429 message.
error_too_many_message = Too many unknown checkout links were opened from your network. Please wait a minute and open the link from the merchant again.
# 503 heading (for the page shown while the gateway cannot reach its database).
error_unavailable_title = Temporarily unavailable
# 503 message.
error_unavailable_message = Please try again in a moment.
# Gateway message: card number fails Luhn or length.
msg_card_number_invalid = The card number is not valid. Check it and try again.
# Gateway message: expiry not MM/YY.
msg_card_expiry_invalid = Enter the expiry date as MM/YY.
# Gateway message: expiry in the past.
msg_card_expired = This card has expired. Use another card.
# Gateway message: bad security code.
msg_card_cvc_invalid = The security code must be 3 or 4 digits.
# Gateway message: a 3-digit code was needed (all brands but American Express).
msg_card_cvc_three = Enter the 3-digit security code from the back of the card.
# Gateway message: a 4-digit code was needed (American Express).
msg_card_cvc_four = American Express cards have a 4-digit security code on the front. Enter it.
# Gateway message: the issuer said the security code does not match.
msg_card_cvc_incorrect = The security code is incorrect. Check it and try again.
# Gateway message: empty name.
msg_card_name_missing = Enter the name on the card.
# Gateway message: no method chosen.
msg_choose_method = Choose a payment method.
# Gateway message: declined attempt (retry allowed).
msg_declined = Your card was declined. Try another card or payment method.
# Gateway message: insufficient funds (retry allowed).
msg_insufficient_funds = The card has insufficient funds. Try another card or payment method.
# Gateway message: 3-D Secure failed (retry allowed).
msg_authentication_failed = Authentication failed. Try again or use another payment method.
# Gateway message: buyer declined in the wallet (retry allowed).
msg_wallet_declined = The payment was declined in the wallet. Try again or use another payment method.
# Gateway message: final rejection (risk).
msg_risk_rejected = The payment was rejected.
# Gateway message for a second buyer on a paid session (contains "already paid").
msg_already_paid = This order is already paid.
# Gateway message: CSRF token or attempt nonce no longer valid.
msg_form_stale = This form is out of date. Please try again.
# Gateway message: the payment closed (failed, expired or cancelled) and cannot be paid any more.
msg_payment_closed = This payment can no longer be paid. Please return to the merchant.
# Gateway message: no payment method can pay this amount.
msg_method_unavailable = No payment method can pay this amount. Please return to the merchant.
# Sandbox wallet `done` after approving.
msg_wallet_approved_done = You approved the payment. You can return to the merchant.
# Sandbox wallet `done` after declining.
msg_wallet_declined_done = You declined the payment. You can return to the merchant.
# Sandbox wallet `done` after leaving pending.
msg_wallet_pending_done = The payment was left pending. You can return to the merchant.
# Sandbox wallet, after the buyer acted: the link back to the checkout (which shows the outcome and returns to the merchant).
back_to_checkout = Back to the checkout
