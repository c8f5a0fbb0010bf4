# Deutsch (Deutschland): German (Germany). Translated from en_US.ftl.

# Accessible name of the language list at the foot of every page (each language is written in its own script there).
language_switcher = Sprache
# `<title>` suffix of the checkout page.
checkout_title = Kasse
# Alt text of the merchant logo; $brand = brand name. Contract (en): "{brand} logo".
logo_alt = Logo von { $brand }
# Heading of the order panel.
order_summary = Bestellübersicht
# Label before the total amount.
total = Gesamtbetrag
# Label before an amount (wallet, sandbox wallet, challenge pages).
amount = Betrag
# Accessible text before a goods line's quantity and unit price.
quantity = Anzahl
# Label before the server-rendered absolute expiry time.
expires_at = Gültig bis
# Label JS shows before the live countdown.
time_left = Verbleibende Zeit
# Shown when the countdown reaches zero; also the Expired result heading.
checkout_expired = Dieser Bezahlvorgang ist abgelaufen
# Legend of the method radios. Contract (en): "Payment method".
payment_method = Zahlungsart
# The card method's name in the method list (brands are named as they are). Contract (en): "Card".
method_card = Karte
# The FPX method's name in the method list (Malaysian online banking).
method_onlinebanking_fpx = FPX-Onlinebanking
# Legend of the card fields.
card_details = Kartendaten
# Contract (en): "Card number".
card_number = Kartennummer
# Contract (en): "Expiry date".
card_expiry = Ablaufdatum
# Placeholder of the expiry input. Contract: "MM/YY".
card_expiry_placeholder = MM/JJ
# Contract (en): "Security code".
card_cvc = Prüfnummer
# Contract (en): "Name on card".
card_name = Name auf der Karte
# Pay button; $amount = formatted total. Contract (en): "Pay {}".
pay = { $amount } bezahlen
# Wallet page heading and title; $method = method name.
wallet_title = Mit { $method } bezahlen
# Accessible name of the QR code; $method = method name. Contract (en): "QR code for {}".
wallet_qr_label = QR-Code für { $method }
# Instruction under the QR code; $method = method name.
wallet_scan = Scannen Sie den QR-Code mit der { $method }-App, um zu bezahlen.
# Hint above the open-in-app link.
wallet_on_phone = Am Smartphone? Öffnen Sie die App direkt:
# Link into the wallet; $method = method name. Contract (en): "Open {}".
wallet_open = { $method } öffnen
# Status line while polling.
wallet_waiting = Warten auf Ihre Bestätigung in der App…
# No-JS link to re-check the payment status.
wallet_paid = Ich habe bezahlt
# Link back to the method choice.
wallet_other_method = Andere Zahlungsart wählen
# Mobile wallet page, before opening the app; $method = wallet.
wallet_app_intro = Sie bestätigen diese Zahlung in der { $method }-App.
# Mobile wallet page, back from the app; $method = wallet.
wallet_returned = Zurück von { $method }? Wenn Sie die Zahlung dort bestätigt haben, prüfen Sie den Status.
# Mobile wallet page, back from the app: the status check link.
check_payment_status = Zahlungsstatus prüfen
# Sandbox wallet page (mobile): back to the merchant's page without paying.
wallet_back_unpaid = Ohne Zahlung zurück
# Online banking page: the list of banks.
bank_choose = Wählen Sie Ihre Bank
# Online banking page: explanation; $method = method.
bank_intro = Sie geben diese Zahlung im Online-Banking Ihrer Bank frei ({ $method }).
# Online banking / pay later: waiting line.
journey_waiting = Warten auf Ihre Freigabe…
# Bank transfer page: explanation; $amount = amount.
transfer_intro = Überweisen Sie genau { $amount } auf dieses virtuelle Konto – per Banking-App, Online-Banking oder am Geldautomaten (ATM).
# Bank transfer page: label before the bank's name.
bank_label = Bank
# Bank transfer page: label before the account number. Contract (en): "Virtual account number".
virtual_account = Virtuelle Kontonummer
# Bank transfer page: label before the deadline.
pay_before = Zahlbar bis
# Bank transfer page: waiting line.
transfer_waiting = Wir warten auf Ihre Überweisung. Sie können diese Seite schließen: Der Händler wird informiert, sobald das Geld eingeht.
# Bank transfer page: link to the sandbox bank. Contract (en): "Open the sandbox bank".
open_sandbox_bank = Testbank öffnen
# Store page: explanation; $store = store.
store_intro = Zeigen Sie diesen Zahlungscode an der Kasse einer beliebigen { $store }-Filiale vor und zahlen Sie bar.
# Store page: label before the code. Contract (en): "Payment code".
payment_code = Zahlungscode
# Store page: waiting line.
store_waiting = Wir warten auf Ihre Zahlung in der Filiale. Sie können diese Seite schließen: Der Händler wird informiert, sobald Sie bezahlt haben.
# Store page: link to the sandbox store. Contract (en): "Open the sandbox store".
open_sandbox_store = Testfiliale öffnen
# Pay-later page: explanation; $provider = provider.
paylater_intro = Sie wählen bei { $provider } einen Ratenplan und bestätigen ihn dort.
# Pay-later page: the link to the provider; $provider = provider. Contract (en): "Continue to …".
continue_to = Weiter zu { $provider }
# Sandbox bank heading. Contract (en): "Sandbox bank".
sandbox_bank = Testbank
# Sandbox bank explanation; $bank = bank or method.
sandbox_bank_intro = Diese Seite simuliert { $bank }. Es wird kein echtes Geld bewegt.
# Sandbox store heading. Contract (en): "Sandbox store".
sandbox_store = Testfiliale
# Sandbox store explanation; $store = store.
sandbox_store_intro = Diese Seite simuliert die Kasse einer { $store }-Filiale. Es wird kein echtes Geld bewegt.
# Sandbox pay-later heading. Contract (en): "Sandbox pay later".
sandbox_paylater = Ratenkauf (Test)
# Sandbox pay-later explanation; $provider = provider.
sandbox_paylater_intro = Diese Seite simuliert { $provider }. Es wird kein echtes Geld bewegt.
# Sandbox bank (transfer): the button that pays; $amount = amount. Contract (en): "Transfer …".
transfer_button = { $amount } überweisen
# Sandbox store: the button that pays; $amount = amount. Contract (en): "Pay … in cash".
cash_button = { $amount } bar bezahlen
# Sandbox pay later: the plan fieldset's legend. Contract (en): "Instalment plan".
instalment_plan = Ratenplan
# Sandbox pay later: one plan; $months = number of months. Contract (en): "… monthly instalments".
instalment_months = { $months ->
    [one] { $months } Monatsrate
   *[other] { $months } Monatsraten
}
# Sandbox pay later, after approval; $months = number of months.
msg_paylater_approved_done = { $months ->
    [one] Sie haben die Zahlung in { $months } Monatsrate freigegeben. Sie können zum Händler zurückkehren.
   *[other] Sie haben die Zahlung in { $months } Monatsraten freigegeben. Sie können zum Händler zurückkehren.
}
# Checkout: the express buttons' group name. Contract (en): "Express checkout".
express_checkout = Express-Checkout
# Checkout: under the express buttons, that the sandbox loads no wallet.
express_note = Testumgebung: Express-Wallets öffnen ein simuliertes Zahlungsfenster; es wird keine Wallet geladen.
# Checkout: between the express buttons and the method list.
express_or = oder anders bezahlen
# Attempt page of an express wallet; $wallet = wallet.
sheet_intro = Schließen Sie die Zahlung im Zahlungsfenster von { $wallet } ab.
# Sandbox sheet heading. Contract (en): "Sandbox payment sheet".
sandbox_sheet = Test-Zahlungsfenster
# Sandbox sheet explanation; $wallet = wallet.
sandbox_sheet_intro = Diese Seite ersetzt das Zahlungsfenster von { $wallet }. Es wird keine echte Wallet geladen und kein Geld bewegt.
# Sandbox sheet: the button that pays; $wallet = wallet. Contract (en): "Pay with …".
sheet_pay = Mit { $wallet } bezahlen
# Sandbox sheet: the button that closes it. Contract (en): "Cancel".
sheet_cancel = Abbrechen
# Sandbox wallet heading. Contract (en): "Sandbox wallet".
sandbox_wallet = Test-Wallet
# Sandbox wallet explanation; $method = method name.
sandbox_wallet_intro = Diese Seite simuliert die { $method }-App. Es wird kein echtes Geld bewegt.
# Label before the merchant name.
merchant = Händler
# Label before the order description.
description = Beschreibung
# Contract (en): "Approve payment".
approve_payment = Zahlung freigeben
# Contract (en): "Decline payment".
decline_payment = Zahlung ablehnen
# Contract (en): "Leave pending".
leave_pending = Offen lassen
# 3-D Secure page heading.
challenge_title = Authentifizierung mit 3-D Secure
# 3-D Secure page explanation.
challenge_intro = Ihre Bank bittet Sie, diese Zahlung zu bestätigen. Diese Testseite simuliert diese Prüfung.
# Label before the card being authenticated.
card = Karte
# Contract (en): "Complete authentication".
complete_authentication = Authentifizierung abschließen
# Contract (en): "Fail authentication".
fail_authentication = Fehlschlag simulieren
# Result heading. Contract (en): "Payment successful".
result_success = Zahlung erfolgreich
# Result heading. Contract (en): "Payment failed".
result_failed = Zahlung fehlgeschlagen
# Result heading. Contract (en): "Payment is processing".
result_processing = Zahlung wird bearbeitet
# Result heading. Contract (en): "This checkout has expired".
result_expired = Dieser Bezahlvorgang ist abgelaufen
# Result heading. Contract (en): "This payment was cancelled".
result_cancelled = Diese Zahlung wurde abgebrochen
# Contract (en): "Return to merchant".
return_to_merchant = Zurück zum Händler
# Contract (en): "Try again".
try_again = Erneut versuchen
# Auto-redirect note; $seconds = seconds. Contract (en): "You will be returned to the merchant in {} seconds."
redirect_note = { $seconds ->
    [one] Sie werden in { $seconds } Sekunde zum Händler weitergeleitet.
   *[other] Sie werden in { $seconds } Sekunden zum Händler weitergeleitet.
}
# Note on the processing result page.
processing_note = Wir warten auf das endgültige Ergebnis. Diese Seite aktualisiert sich automatisch.
# No-JS link on the processing result page.
check_status = Status prüfen
# Small line above an error heading; $status = HTTP status.
error_code = Fehler { $status }
# 404 heading (for the not-found page).
error_not_found_title = Bezahlvorgang nicht gefunden
# 404 message.
error_not_found_message = Dieser Zahlungslink ist ungültig. Bitte kehren Sie zum Händler zurück und versuchen Sie es erneut.
# 410 heading (for the expired page).
error_expired_title = Dieser Bezahlvorgang ist abgelaufen
# 410 message.
error_expired_message = Dieser Zahlungslink ist abgelaufen. Bitte kehren Sie zum Händler zurück, um eine neue Zahlung zu starten.
# 400 heading (for the bad-request page).
error_bad_request_title = Es ist ein Fehler aufgetreten
# 400 default message.
error_bad_request_message = Wir konnten Ihre Anfrage nicht verarbeiten. Bitte gehen Sie zurück und versuchen Sie es erneut.
# 429 heading (for the page shown when a network opened too many unknown checkout links).
error_too_many_title = Zu viele Anfragen
# 429 message.
error_too_many_message = Aus Ihrem Netzwerk wurden zu viele ungültige Zahlungslinks geöffnet. Bitte warten Sie eine Minute und öffnen Sie den Link des Händlers erneut.
# 503 heading (for the page shown while the gateway cannot reach its database).
error_unavailable_title = Vorübergehend nicht verfügbar
# 503 message.
error_unavailable_message = Bitte versuchen Sie es gleich noch einmal.
# Gateway message: card number fails Luhn or length.
msg_card_number_invalid = Die Kartennummer ist ungültig. Bitte prüfen Sie sie und versuchen Sie es erneut.
# Gateway message: expiry not MM/YY.
msg_card_expiry_invalid = Geben Sie das Ablaufdatum im Format MM/JJ ein.
# Gateway message: expiry in the past.
msg_card_expired = Diese Karte ist abgelaufen. Bitte verwenden Sie eine andere Karte.
# Gateway message: bad security code.
msg_card_cvc_invalid = Die Prüfnummer muss 3 oder 4 Ziffern haben.
# Gateway message: a 3-digit code was needed (all brands but American Express).
msg_card_cvc_three = Geben Sie die 3-stellige Prüfnummer von der Kartenrückseite ein.
# Gateway message: a 4-digit code was needed (American Express).
msg_card_cvc_four = Karten von American Express haben eine 4-stellige Prüfnummer auf der Vorderseite. Bitte geben Sie diese ein.
# Gateway message: the issuer said the security code does not match.
msg_card_cvc_incorrect = Die Prüfnummer ist falsch. Bitte prüfen Sie sie und versuchen Sie es erneut.
# Gateway message: empty name.
msg_card_name_missing = Geben Sie den Namen auf der Karte ein.
# Gateway message: no method chosen.
msg_choose_method = Wählen Sie eine Zahlungsart.
# Gateway message: declined attempt (retry allowed).
msg_declined = Ihre Karte wurde abgelehnt. Versuchen Sie es mit einer anderen Karte oder Zahlungsart.
# Gateway message: insufficient funds (retry allowed).
msg_insufficient_funds = Die Karte ist nicht ausreichend gedeckt. Versuchen Sie es mit einer anderen Karte oder Zahlungsart.
# Gateway message: 3-D Secure failed (retry allowed).
msg_authentication_failed = Die Authentifizierung ist fehlgeschlagen. Versuchen Sie es erneut oder wählen Sie eine andere Zahlungsart.
# Gateway message: buyer declined in the wallet (retry allowed).
msg_wallet_declined = Die Zahlung wurde in der Wallet abgelehnt. Versuchen Sie es erneut oder wählen Sie eine andere Zahlungsart.
# Gateway message: final rejection (risk).
msg_risk_rejected = Die Zahlung wurde abgelehnt.
# Gateway message for a second buyer on a paid session (contains "already paid").
msg_already_paid = Diese Bestellung ist bereits bezahlt.
# Gateway message: CSRF token or attempt nonce no longer valid.
msg_form_stale = Dieses Formular ist nicht mehr aktuell. Bitte versuchen Sie es erneut.
# Gateway message: the payment closed (failed, expired or cancelled) and cannot be paid any more.
msg_payment_closed = Diese Zahlung kann nicht mehr bezahlt werden. Bitte kehren Sie zum Händler zurück.
# Gateway message: no payment method can pay this amount.
msg_method_unavailable = Keine Zahlungsart kann diesen Betrag bezahlen. Bitte kehren Sie zum Händler zurück.
# Sandbox wallet `done` after approving.
msg_wallet_approved_done = Sie haben die Zahlung freigegeben. Sie können zum Händler zurückkehren.
# Sandbox wallet `done` after declining.
msg_wallet_declined_done = Sie haben die Zahlung abgelehnt. Sie können zum Händler zurückkehren.
# Sandbox wallet `done` after leaving pending.
msg_wallet_pending_done = Die Zahlung wurde offen gelassen. Sie können zum Händler zurückkehren.
# Sandbox wallet, after the buyer acted: the link back to the checkout (which shows the outcome and returns to the merchant).
back_to_checkout = Zurück zur Kasse
