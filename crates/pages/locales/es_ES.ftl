# Español (España): Spanish (Spain). Translated from en_US.ftl.

# Accessible name of the language list at the foot of every page (each language is written in its own script there).
language_switcher = Idioma
# `<title>` suffix of the checkout page.
checkout_title = Pago
# Alt text of the merchant logo; $brand = brand name. Contract (en): "{brand} logo".
logo_alt = Logotipo de { $brand }
# Heading of the order panel.
order_summary = Resumen del pedido
# Label before the total amount.
total = Total a pagar
# Label before an amount (wallet, sandbox wallet, challenge pages).
amount = Importe
# Accessible text before a goods line's quantity and unit price.
quantity = Cantidad
# Label before the server-rendered absolute expiry time.
expires_at = Caduca el
# Label JS shows before the live countdown.
time_left = Tiempo restante
# Shown when the countdown reaches zero; also the Expired result heading.
checkout_expired = Esta sesión de pago ha caducado
# Legend of the method radios. Contract (en): "Payment method".
payment_method = Método de pago
# The card method's name in the method list (brands are named as they are). Contract (en): "Card".
method_card = Tarjeta
# The FPX method's name in the method list (Malaysian online banking).
method_onlinebanking_fpx = Banca online FPX
# Legend of the card fields.
card_details = Datos de la tarjeta
# Contract (en): "Card number".
card_number = Número de tarjeta
# Contract (en): "Expiry date".
card_expiry = Caducidad
# Placeholder of the expiry input. Contract: "MM/YY".
card_expiry_placeholder = MM/AA
# Contract (en): "Security code".
card_cvc = CVV
# Contract (en): "Name on card".
card_name = Titular de la tarjeta
# Pay button; $amount = formatted total. Contract (en): "Pay {}".
pay = Pagar { $amount }
# Wallet page heading and title; $method = method name.
wallet_title = Pagar con { $method }
# Accessible name of the QR code; $method = method name. Contract (en): "QR code for {}".
wallet_qr_label = Código QR para pagar con { $method }
# Instruction under the QR code; $method = method name.
wallet_scan = Escanee el código QR con la app de { $method } para pagar.
# Hint above the open-in-app link.
wallet_on_phone = ¿Está en el móvil? Abra la app directamente:
# Link into the wallet; $method = method name. Contract (en): "Open {}".
wallet_open = Abrir { $method }
# Status line while polling.
wallet_waiting = Esperando a que confirme el pago en la app…
# No-JS link to re-check the payment status.
wallet_paid = Ya he pagado
# Link back to the method choice.
wallet_other_method = Elegir otro método de pago
# Mobile wallet page, before opening the app; $method = wallet.
wallet_app_intro = Confirmará este pago en la app de { $method }.
# Mobile wallet page, back from the app; $method = wallet.
wallet_returned = ¿Vuelve de { $method }? Si ha confirmado el pago allí, consulte su estado.
# Mobile wallet page, back from the app: the status check link.
check_payment_status = Consultar el estado del pago
# Sandbox wallet page (mobile): back to the merchant's page without paying.
wallet_back_unpaid = Volver sin pagar
# Online banking page: the list of banks.
bank_choose = Elija su banco
# Online banking page: explanation; $method = method.
bank_intro = Aprobará este pago en la banca online de su banco ({ $method }).
# Online banking / pay later: waiting line.
journey_waiting = Esperando su aprobación…
# Bank transfer page: explanation; $amount = amount.
transfer_intro = Transfiera exactamente { $amount } a esta cuenta virtual desde la app de su banco, la banca online o un cajero automático (ATM).
# Bank transfer page: label before the bank's name.
bank_label = Banco
# Bank transfer page: label before the account number. Contract (en): "Virtual account number".
virtual_account = Número de cuenta virtual
# Bank transfer page: label before the deadline.
pay_before = Pague antes del
# Bank transfer page: waiting line.
transfer_waiting = Esperando su transferencia. Puede cerrar esta página: el comercio recibirá un aviso cuando llegue el dinero.
# Bank transfer page: link to the sandbox bank. Contract (en): "Open the sandbox bank".
open_sandbox_bank = Abrir el banco de pruebas
# Store page: explanation; $store = store.
store_intro = Muestre este código de pago en la caja de cualquier tienda { $store } y pague en efectivo.
# Store page: label before the code. Contract (en): "Payment code".
payment_code = Código de pago
# Store page: waiting line.
store_waiting = Esperando su pago en la tienda. Puede cerrar esta página: el comercio recibirá un aviso cuando haya pagado.
# Store page: link to the sandbox store. Contract (en): "Open the sandbox store".
open_sandbox_store = Abrir la tienda de pruebas
# Pay-later page: explanation; $provider = provider.
paylater_intro = Elegirá un plan de pago a plazos con { $provider } y lo aprobará allí.
# Pay-later page: the link to the provider; $provider = provider. Contract (en): "Continue to …".
continue_to = Continuar en { $provider }
# Sandbox bank heading. Contract (en): "Sandbox bank".
sandbox_bank = Banco de pruebas
# Sandbox bank explanation; $bank = bank or method.
sandbox_bank_intro = Esta página simula { $bank }. No se mueve dinero real.
# Sandbox store heading. Contract (en): "Sandbox store".
sandbox_store = Tienda de pruebas
# Sandbox store explanation; $store = store.
sandbox_store_intro = Esta página simula la caja de una tienda { $store }. No se mueve dinero real.
# Sandbox pay-later heading. Contract (en): "Sandbox pay later".
sandbox_paylater = Pago aplazado de pruebas
# Sandbox pay-later explanation; $provider = provider.
sandbox_paylater_intro = Esta página simula { $provider }. No se mueve dinero real.
# Sandbox bank (transfer): the button that pays; $amount = amount. Contract (en): "Transfer …".
transfer_button = Transferir { $amount }
# Sandbox store: the button that pays; $amount = amount. Contract (en): "Pay … in cash".
cash_button = Pagar { $amount } en efectivo
# Sandbox pay later: the plan fieldset's legend. Contract (en): "Instalment plan".
instalment_plan = Plan de pago a plazos
# Sandbox pay later: one plan; $months = number of months. Contract (en): "… monthly instalments".
instalment_months = { $months ->
    [one] { $months } plazo mensual
   *[other] { $months } plazos mensuales
}
# Sandbox pay later, after approval; $months = number of months.
msg_paylater_approved_done = { $months ->
    [one] Ha aprobado el pago en { $months } plazo mensual. Puede volver al comercio.
   *[other] Ha aprobado el pago en { $months } plazos mensuales. Puede volver al comercio.
}
# Checkout: the express buttons' group name. Contract (en): "Express checkout".
express_checkout = Pago exprés
# Checkout: under the express buttons, that the sandbox loads no wallet.
express_note = Entorno de pruebas: los pagos exprés abren una ventana de pago simulada; no se carga ninguna cartera digital.
# Checkout: between the express buttons and the method list.
express_or = o pague de otra forma
# Attempt page of an express wallet; $wallet = wallet.
sheet_intro = Complete el pago en la ventana de { $wallet }.
# Sandbox sheet heading. Contract (en): "Sandbox payment sheet".
sandbox_sheet = Ventana de pago de pruebas
# Sandbox sheet explanation; $wallet = wallet.
sandbox_sheet_intro = Esta página sustituye a la ventana de pago de { $wallet }. No se carga ninguna cartera digital real ni se mueve dinero.
# Sandbox sheet: the button that pays; $wallet = wallet. Contract (en): "Pay with …".
sheet_pay = Pagar con { $wallet }
# Sandbox sheet: the button that closes it. Contract (en): "Cancel".
sheet_cancel = Cancelar
# Sandbox wallet heading. Contract (en): "Sandbox wallet".
sandbox_wallet = Cartera digital de pruebas
# Sandbox wallet explanation; $method = method name.
sandbox_wallet_intro = Esta página simula la app de { $method }. No se mueve dinero real.
# Label before the merchant name.
merchant = Comercio
# Label before the order description.
description = Descripción
# Contract (en): "Approve payment".
approve_payment = Aprobar pago
# Contract (en): "Decline payment".
decline_payment = Rechazar pago
# Contract (en): "Leave pending".
leave_pending = Dejar pendiente
# 3-D Secure page heading.
challenge_title = Autenticación 3-D Secure
# 3-D Secure page explanation.
challenge_intro = Su banco le pide que confirme este pago. Esta página de pruebas simula esa verificación.
# Label before the card being authenticated.
card = Tarjeta
# Contract (en): "Complete authentication".
complete_authentication = Completar la autenticación
# Contract (en): "Fail authentication".
fail_authentication = Simular fallo de autenticación
# Result heading. Contract (en): "Payment successful".
result_success = Pago realizado
# Result heading. Contract (en): "Payment failed".
result_failed = Error en el pago
# Result heading. Contract (en): "Payment is processing".
result_processing = Procesando el pago
# Result heading. Contract (en): "This checkout has expired".
result_expired = Esta sesión de pago ha caducado
# Result heading. Contract (en): "This payment was cancelled".
result_cancelled = Este pago se ha cancelado
# Contract (en): "Return to merchant".
return_to_merchant = Volver al comercio
# Contract (en): "Try again".
try_again = Volver a intentarlo
# Auto-redirect note; $seconds = seconds. Contract (en): "You will be returned to the merchant in {} seconds."
redirect_note = { $seconds ->
    [one] Le redirigiremos al comercio en { $seconds } segundo.
   *[other] Le redirigiremos al comercio en { $seconds } segundos.
}
# Note on the processing result page.
processing_note = Estamos esperando el resultado final. Esta página se actualizará automáticamente.
# No-JS link on the processing result page.
check_status = Consultar estado
# Small line above an error heading; $status = HTTP status.
error_code = Código de error { $status }
# 404 heading (for the not-found page).
error_not_found_title = Sesión de pago no encontrada
# 404 message.
error_not_found_message = Este enlace de pago no es válido. Vuelva al comercio e inténtelo de nuevo.
# 410 heading (for the expired page).
error_expired_title = Esta sesión de pago ha caducado
# 410 message.
error_expired_message = Este enlace de pago ha caducado. Vuelva al comercio para iniciar un nuevo pago.
# 400 heading (for the bad-request page).
error_bad_request_title = Se ha producido un error
# 400 default message.
error_bad_request_message = No hemos podido procesar su solicitud. Vuelva atrás e inténtelo de nuevo.
# 429 heading (for the page shown when a network opened too many unknown checkout links).
error_too_many_title = Demasiadas solicitudes
# 429 message.
error_too_many_message = Se han abierto demasiados enlaces de pago no válidos desde su red. Espere un minuto y vuelva a abrir el enlace desde el comercio.
# 503 heading (for the page shown while the gateway cannot reach its database).
error_unavailable_title = No disponible temporalmente
# 503 message.
error_unavailable_message = Vuelva a intentarlo en unos momentos.
# Gateway message: card number fails Luhn or length.
msg_card_number_invalid = El número de tarjeta no es válido. Compruébelo e inténtelo de nuevo.
# Gateway message: expiry not MM/YY.
msg_card_expiry_invalid = Introduzca la fecha de caducidad con el formato MM/AA.
# Gateway message: expiry in the past.
msg_card_expired = Esta tarjeta ha caducado. Utilice otra tarjeta.
# Gateway message: bad security code.
msg_card_cvc_invalid = El CVV debe tener 3 o 4 dígitos.
# Gateway message: a 3-digit code was needed (all brands but American Express).
msg_card_cvc_three = Introduzca el CVV de 3 dígitos que figura en el reverso de la tarjeta.
# Gateway message: a 4-digit code was needed (American Express).
msg_card_cvc_four = Las tarjetas American Express llevan un CVV de 4 dígitos en el anverso. Introdúzcalo.
# Gateway message: the issuer said the security code does not match.
msg_card_cvc_incorrect = El CVV no es correcto. Compruébelo e inténtelo de nuevo.
# Gateway message: empty name.
msg_card_name_missing = Introduzca el nombre del titular de la tarjeta.
# Gateway message: no method chosen.
msg_choose_method = Elija un método de pago.
# Gateway message: declined attempt (retry allowed).
msg_declined = Su tarjeta ha sido denegada. Pruebe con otra tarjeta u otro método de pago.
# Gateway message: insufficient funds (retry allowed).
msg_insufficient_funds = La tarjeta no tiene saldo suficiente. Pruebe con otra tarjeta u otro método de pago.
# Gateway message: 3-D Secure failed (retry allowed).
msg_authentication_failed = La autenticación ha fallado. Inténtelo de nuevo o utilice otro método de pago.
# Gateway message: buyer declined in the wallet (retry allowed).
msg_wallet_declined = El pago se ha rechazado en la cartera digital. Inténtelo de nuevo o utilice otro método de pago.
# Gateway message: final rejection (risk).
msg_risk_rejected = El pago ha sido rechazado.
# Gateway message for a second buyer on a paid session (contains "already paid").
msg_already_paid = Este pedido ya está pagado.
# Gateway message: CSRF token or attempt nonce no longer valid.
msg_form_stale = Este formulario ha caducado. Inténtelo de nuevo.
# Gateway message: the payment closed (failed, expired or cancelled) and cannot be paid any more.
msg_payment_closed = Este pago ya no se puede realizar. Vuelva al comercio.
# Gateway message: no payment method can pay this amount.
msg_method_unavailable = Ningún método de pago puede pagar este importe. Vuelva al comercio.
# Sandbox wallet `done` after approving.
msg_wallet_approved_done = Ha aprobado el pago. Puede volver al comercio.
# Sandbox wallet `done` after declining.
msg_wallet_declined_done = Ha rechazado el pago. Puede volver al comercio.
# Sandbox wallet `done` after leaving pending.
msg_wallet_pending_done = El pago ha quedado pendiente. Puede volver al comercio.
# Sandbox wallet, after the buyer acted: the link back to the checkout (which shows the outcome and returns to the merchant).
back_to_checkout = Volver al pago
