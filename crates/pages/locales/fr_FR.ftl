# Français (France): French (France). Translated from en_US.ftl.

# Accessible name of the language list at the foot of every page (each language is written in its own script there).
language_switcher = Langue
# `<title>` suffix of the checkout page.
checkout_title = Paiement
# Alt text of the merchant logo; $brand = brand name. Contract (en): "{brand} logo".
logo_alt = Logo { $brand }
# Heading of the order panel.
order_summary = Récapitulatif de la commande
# Label before the total amount.
total = Total à payer
# Label before an amount (wallet, sandbox wallet, challenge pages).
amount = Montant
# Accessible text before a goods line's quantity and unit price.
quantity = Quantité
# Label before the server-rendered absolute expiry time.
expires_at = Expire le
# Label JS shows before the live countdown.
time_left = Temps restant
# Shown when the countdown reaches zero; also the Expired result heading.
checkout_expired = Cette session de paiement a expiré
# Legend of the method radios. Contract (en): "Payment method".
payment_method = Moyen de paiement
# The card method's name in the method list (brands are named as they are). Contract (en): "Card".
method_card = Carte
# The FPX method's name in the method list (Malaysian online banking).
method_onlinebanking_fpx = Banque en ligne FPX
# Legend of the card fields.
card_details = Informations de la carte
# Contract (en): "Card number".
card_number = Numéro de carte
# Contract (en): "Expiry date".
card_expiry = Expiration
# Placeholder of the expiry input. Contract: "MM/YY".
card_expiry_placeholder = MM/AA
# Contract (en): "Security code".
card_cvc = Cryptogramme
# Contract (en): "Name on card".
card_name = Titulaire de la carte
# Pay button; $amount = formatted total. Contract (en): "Pay {}".
pay = Payer { $amount }
# Wallet page heading and title; $method = method name.
wallet_title = Payer avec { $method }
# Accessible name of the QR code; $method = method name. Contract (en): "QR code for {}".
wallet_qr_label = QR code pour payer avec { $method }
# Instruction under the QR code; $method = method name.
wallet_scan = Scannez le QR code avec l’application { $method } pour payer.
# Hint above the open-in-app link.
wallet_on_phone = Vous êtes sur mobile ? Ouvrez directement l’application :
# Link into the wallet; $method = method name. Contract (en): "Open {}".
wallet_open = Ouvrir { $method }
# Status line while polling.
wallet_waiting = En attente de votre confirmation dans l’application…
# No-JS link to re-check the payment status.
wallet_paid = J’ai payé
# Link back to the method choice.
wallet_other_method = Choisir un autre moyen de paiement
# Mobile wallet page, before opening the app; $method = wallet.
wallet_app_intro = Vous allez confirmer ce paiement dans l’application { $method }.
# Mobile wallet page, back from the app; $method = wallet.
wallet_returned = De retour de l’application { $method } ? Si vous y avez confirmé le paiement, vérifiez son statut.
# Mobile wallet page, back from the app: the status check link.
check_payment_status = Vérifier le statut du paiement
# Sandbox wallet page (mobile): back to the merchant's page without paying.
wallet_back_unpaid = Revenir sans payer
# Online banking page: the list of banks.
bank_choose = Choisissez votre banque
# Online banking page: explanation; $method = method.
bank_intro = Vous allez valider ce paiement depuis votre banque en ligne ({ $method }).
# Online banking / pay later: waiting line.
journey_waiting = En attente de votre validation…
# Bank transfer page: explanation; $amount = amount.
transfer_intro = Virez exactement { $amount } sur ce compte virtuel depuis l’application de votre banque, votre banque en ligne ou un distributeur automatique (ATM).
# Bank transfer page: label before the bank's name.
bank_label = Banque
# Bank transfer page: label before the account number. Contract (en): "Virtual account number".
virtual_account = Numéro de compte virtuel
# Bank transfer page: label before the deadline.
pay_before = À payer avant le
# Bank transfer page: waiting line.
transfer_waiting = En attente de votre virement. Vous pouvez fermer cette page : le commerçant sera prévenu à réception des fonds.
# Bank transfer page: link to the sandbox bank. Contract (en): "Open the sandbox bank".
open_sandbox_bank = Ouvrir la banque de test
# Store page: explanation; $store = store.
store_intro = Présentez ce code de paiement à la caisse de n’importe quel magasin { $store } et payez en espèces.
# Store page: label before the code. Contract (en): "Payment code".
payment_code = Code de paiement
# Store page: waiting line.
store_waiting = En attente de votre paiement en magasin. Vous pouvez fermer cette page : le commerçant sera prévenu dès votre paiement.
# Store page: link to the sandbox store. Contract (en): "Open the sandbox store".
open_sandbox_store = Ouvrir le magasin de test
# Pay-later page: explanation; $provider = provider.
paylater_intro = Vous allez choisir un paiement en plusieurs fois avec { $provider }, puis le valider sur sa page.
# Pay-later page: the link to the provider; $provider = provider. Contract (en): "Continue to …".
continue_to = Continuer vers { $provider }
# Sandbox bank heading. Contract (en): "Sandbox bank".
sandbox_bank = Banque de test
# Sandbox bank explanation; $bank = bank or method.
sandbox_bank_intro = Cette page simule { $bank }. Aucun argent réel n’est débité.
# Sandbox store heading. Contract (en): "Sandbox store".
sandbox_store = Magasin de test
# Sandbox store explanation; $store = store.
sandbox_store_intro = Cette page simule la caisse d’un magasin { $store }. Aucun argent réel n’est débité.
# Sandbox pay-later heading. Contract (en): "Sandbox pay later".
sandbox_paylater = Paiement en plusieurs fois (test)
# Sandbox pay-later explanation; $provider = provider.
sandbox_paylater_intro = Cette page simule { $provider }. Aucun argent réel n’est débité.
# Sandbox bank (transfer): the button that pays; $amount = amount. Contract (en): "Transfer …".
transfer_button = Virer { $amount }
# Sandbox store: the button that pays; $amount = amount. Contract (en): "Pay … in cash".
cash_button = Payer { $amount } en espèces
# Sandbox pay later: the plan fieldset's legend. Contract (en): "Instalment plan".
instalment_plan = Échéancier
# Sandbox pay later: one plan; $months = number of months. Contract (en): "… monthly instalments".
instalment_months = { $months ->
    [one] { $months } mensualité
   *[other] { $months } mensualités
}
# Sandbox pay later, after approval; $months = number of months.
msg_paylater_approved_done = { $months ->
    [one] Vous avez validé le paiement en { $months } mensualité. Vous pouvez revenir sur le site marchand.
   *[other] Vous avez validé le paiement en { $months } mensualités. Vous pouvez revenir sur le site marchand.
}
# Checkout: the express buttons' group name. Contract (en): "Express checkout".
express_checkout = Paiement express
# Checkout: under the express buttons, that the sandbox loads no wallet.
express_note = Environnement de test : les portefeuilles express ouvrent une fenêtre de paiement simulée ; aucun portefeuille n’est chargé.
# Checkout: between the express buttons and the method list.
express_or = ou payez autrement
# Attempt page of an express wallet; $wallet = wallet.
sheet_intro = Finalisez le paiement dans la fenêtre { $wallet }.
# Sandbox sheet heading. Contract (en): "Sandbox payment sheet".
sandbox_sheet = Fenêtre de paiement de test
# Sandbox sheet explanation; $wallet = wallet.
sandbox_sheet_intro = Cette page remplace la fenêtre de paiement { $wallet }. Aucun portefeuille réel n’est chargé et aucun argent n’est débité.
# Sandbox sheet: the button that pays; $wallet = wallet. Contract (en): "Pay with …".
sheet_pay = Payer avec { $wallet }
# Sandbox sheet: the button that closes it. Contract (en): "Cancel".
sheet_cancel = Annuler
# Sandbox wallet heading. Contract (en): "Sandbox wallet".
sandbox_wallet = Portefeuille de test
# Sandbox wallet explanation; $method = method name.
sandbox_wallet_intro = Cette page simule l’application { $method }. Aucun argent réel n’est débité.
# Label before the merchant name.
merchant = Commerçant
# Label before the order description.
description = Descriptif
# Contract (en): "Approve payment".
approve_payment = Valider le paiement
# Contract (en): "Decline payment".
decline_payment = Refuser le paiement
# Contract (en): "Leave pending".
leave_pending = Laisser en attente
# 3-D Secure page heading.
challenge_title = Authentification 3-D Secure
# 3-D Secure page explanation.
challenge_intro = Votre banque vous demande de confirmer ce paiement. Cette page de test simule cette vérification.
# Label before the card being authenticated.
card = Carte
# Contract (en): "Complete authentication".
complete_authentication = Valider l’authentification
# Contract (en): "Fail authentication".
fail_authentication = Simuler un échec
# Result heading. Contract (en): "Payment successful".
result_success = Paiement accepté
# Result heading. Contract (en): "Payment failed".
result_failed = Échec du paiement
# Result heading. Contract (en): "Payment is processing".
result_processing = Paiement en cours de traitement
# Result heading. Contract (en): "This checkout has expired".
result_expired = Cette session de paiement a expiré
# Result heading. Contract (en): "This payment was cancelled".
result_cancelled = Ce paiement a été annulé
# Contract (en): "Return to merchant".
return_to_merchant = Retour au site marchand
# Contract (en): "Try again".
try_again = Réessayer
# Auto-redirect note; $seconds = seconds. Contract (en): "You will be returned to the merchant in {} seconds."
redirect_note = { $seconds ->
    [one] Redirection vers le site marchand dans { $seconds } seconde.
   *[other] Redirection vers le site marchand dans { $seconds } secondes.
}
# Note on the processing result page.
processing_note = Nous attendons le résultat définitif. Cette page se met à jour automatiquement.
# No-JS link on the processing result page.
check_status = Vérifier le statut
# Small line above an error heading; $status = HTTP status.
error_code = Erreur { $status }
# 404 heading (for the not-found page).
error_not_found_title = Session de paiement introuvable
# 404 message.
error_not_found_message = Ce lien de paiement n’est pas valide. Veuillez revenir sur le site marchand et réessayer.
# 410 heading (for the expired page).
error_expired_title = Cette session de paiement a expiré
# 410 message.
error_expired_message = Ce lien de paiement a expiré. Veuillez revenir sur le site marchand pour effectuer un nouveau paiement.
# 400 heading (for the bad-request page).
error_bad_request_title = Une erreur s’est produite
# 400 default message.
error_bad_request_message = Nous n’avons pas pu traiter votre demande. Veuillez revenir en arrière et réessayer.
# 429 heading (for the page shown when a network opened too many unknown checkout links).
error_too_many_title = Trop de requêtes
# 429 message.
error_too_many_message = Trop de liens de paiement non valides ont été ouverts depuis votre réseau. Patientez une minute, puis rouvrez le lien depuis le site marchand.
# 503 heading (for the page shown while the gateway cannot reach its database).
error_unavailable_title = Temporairement indisponible
# 503 message.
error_unavailable_message = Veuillez réessayer dans un instant.
# Gateway message: card number fails Luhn or length.
msg_card_number_invalid = Le numéro de carte n’est pas valide. Vérifiez-le et réessayez.
# Gateway message: expiry not MM/YY.
msg_card_expiry_invalid = Saisissez la date d’expiration au format MM/AA.
# Gateway message: expiry in the past.
msg_card_expired = Cette carte a expiré. Utilisez une autre carte.
# Gateway message: bad security code.
msg_card_cvc_invalid = Le cryptogramme doit comporter 3 ou 4 chiffres.
# Gateway message: a 3-digit code was needed (all brands but American Express).
msg_card_cvc_three = Saisissez le cryptogramme à 3 chiffres situé au dos de la carte.
# Gateway message: a 4-digit code was needed (American Express).
msg_card_cvc_four = Les cartes American Express ont un cryptogramme à 4 chiffres au recto. Saisissez-le.
# Gateway message: the issuer said the security code does not match.
msg_card_cvc_incorrect = Le cryptogramme est incorrect. Vérifiez-le et réessayez.
# Gateway message: empty name.
msg_card_name_missing = Saisissez le nom du titulaire de la carte.
# Gateway message: no method chosen.
msg_choose_method = Choisissez un moyen de paiement.
# Gateway message: declined attempt (retry allowed).
msg_declined = Votre carte a été refusée. Essayez une autre carte ou un autre moyen de paiement.
# Gateway message: insufficient funds (retry allowed).
msg_insufficient_funds = Le solde de la carte est insuffisant. Essayez une autre carte ou un autre moyen de paiement.
# Gateway message: 3-D Secure failed (retry allowed).
msg_authentication_failed = Échec de l’authentification. Réessayez ou utilisez un autre moyen de paiement.
# Gateway message: buyer declined in the wallet (retry allowed).
msg_wallet_declined = Le paiement a été refusé dans le portefeuille. Réessayez ou utilisez un autre moyen de paiement.
# Gateway message: final rejection (risk).
msg_risk_rejected = Le paiement a été refusé.
# Gateway message for a second buyer on a paid session (contains "already paid").
msg_already_paid = Cette commande est déjà payée.
# Gateway message: CSRF token or attempt nonce no longer valid.
msg_form_stale = Ce formulaire n’est plus à jour. Veuillez réessayer.
# Gateway message: the payment closed (failed, expired or cancelled) and cannot be paid any more.
msg_payment_closed = Ce paiement ne peut plus être effectué. Veuillez revenir sur le site marchand.
# Gateway message: no payment method can pay this amount.
msg_method_unavailable = Aucun moyen de paiement ne permet de payer ce montant. Veuillez revenir sur le site marchand.
# Sandbox wallet `done` after approving.
msg_wallet_approved_done = Vous avez validé le paiement. Vous pouvez revenir sur le site marchand.
# Sandbox wallet `done` after declining.
msg_wallet_declined_done = Vous avez refusé le paiement. Vous pouvez revenir sur le site marchand.
# Sandbox wallet `done` after leaving pending.
msg_wallet_pending_done = Le paiement a été laissé en attente. Vous pouvez revenir sur le site marchand.
# Sandbox wallet, after the buyer acted: the link back to the checkout (which shows the outcome and returns to the merchant).
back_to_checkout = Retour au paiement
