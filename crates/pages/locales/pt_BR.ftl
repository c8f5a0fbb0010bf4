# Português (Brasil): Portuguese (Brazil). Translated from en_US.ftl.

# Accessible name of the language list at the foot of every page (each language is written in its own script there).
language_switcher = Idioma
# `<title>` suffix of the checkout page.
checkout_title = Pagamento
# Alt text of the merchant logo; $brand = brand name. Contract (en): "{brand} logo".
logo_alt = Logotipo de { $brand }
# Heading of the order panel.
order_summary = Resumo do pedido
# Label before the total amount.
total = Total a pagar
# Label before an amount (wallet, sandbox wallet, challenge pages).
amount = Valor
# Accessible text before a goods line's quantity and unit price.
quantity = Quantidade
# Label before the server-rendered absolute expiry time.
expires_at = Expira em
# Label JS shows before the live countdown.
time_left = Tempo restante
# Shown when the countdown reaches zero; also the Expired result heading.
checkout_expired = Esta sessão de pagamento expirou
# Legend of the method radios. Contract (en): "Payment method".
payment_method = Forma de pagamento
# The card method's name in the method list (brands are named as they are). Contract (en): "Card".
method_card = Cartão
# The FPX method's name in the method list (Malaysian online banking).
method_onlinebanking_fpx = Internet banking FPX
# Legend of the card fields.
card_details = Dados do cartão
# Contract (en): "Card number".
card_number = Número do cartão
# Contract (en): "Expiry date".
card_expiry = Validade
# Placeholder of the expiry input. Contract: "MM/YY".
card_expiry_placeholder = MM/AA
# Contract (en): "Security code".
card_cvc = CVV
# Contract (en): "Name on card".
card_name = Nome impresso no cartão
# Pay button; $amount = formatted total. Contract (en): "Pay {}".
pay = Pagar { $amount }
# Wallet page heading and title; $method = method name.
wallet_title = Pagar com { $method }
# Accessible name of the QR code; $method = method name. Contract (en): "QR code for {}".
wallet_qr_label = QR Code para pagar com { $method }
# Instruction under the QR code; $method = method name.
wallet_scan = Escaneie o QR Code com o app { $method } para pagar.
# Hint above the open-in-app link.
wallet_on_phone = Está no celular? Abra o app diretamente:
# Link into the wallet; $method = method name. Contract (en): "Open {}".
wallet_open = Abrir { $method }
# Status line while polling.
wallet_waiting = Aguardando você confirmar o pagamento no app…
# No-JS link to re-check the payment status.
wallet_paid = Já paguei
# Link back to the method choice.
wallet_other_method = Escolher outra forma de pagamento
# Mobile wallet page, before opening the app; $method = wallet.
wallet_app_intro = Você vai confirmar este pagamento no app { $method }.
# Mobile wallet page, back from the app; $method = wallet.
wallet_returned = Voltou do app { $method }? Se você confirmou o pagamento lá, verifique o status.
# Mobile wallet page, back from the app: the status check link.
check_payment_status = Verificar status do pagamento
# Sandbox wallet page (mobile): back to the merchant's page without paying.
wallet_back_unpaid = Voltar sem pagar
# Online banking page: the list of banks.
bank_choose = Escolha seu banco
# Online banking page: explanation; $method = method.
bank_intro = Você vai aprovar este pagamento no internet banking do seu banco ({ $method }).
# Online banking / pay later: waiting line.
journey_waiting = Aguardando sua aprovação…
# Bank transfer page: explanation; $amount = amount.
transfer_intro = Transfira exatamente { $amount } para esta conta virtual pelo app do seu banco, internet banking ou caixa eletrônico (ATM).
# Bank transfer page: label before the bank's name.
bank_label = Banco
# Bank transfer page: label before the account number. Contract (en): "Virtual account number".
virtual_account = Número da conta virtual
# Bank transfer page: label before the deadline.
pay_before = Pague até
# Bank transfer page: waiting line.
transfer_waiting = Aguardando sua transferência. Você pode fechar esta página: a loja será avisada quando o dinheiro chegar.
# Bank transfer page: link to the sandbox bank. Contract (en): "Open the sandbox bank".
open_sandbox_bank = Abrir o banco de teste
# Store page: explanation; $store = store.
store_intro = Mostre este código de pagamento no caixa de qualquer loja { $store } e pague em dinheiro.
# Store page: label before the code. Contract (en): "Payment code".
payment_code = Código de pagamento
# Store page: waiting line.
store_waiting = Aguardando seu pagamento no caixa. Você pode fechar esta página: a loja será avisada quando você pagar.
# Store page: link to the sandbox store. Contract (en): "Open the sandbox store".
open_sandbox_store = Abrir a loja de teste
# Pay-later page: explanation; $provider = provider.
paylater_intro = Você vai escolher um plano de parcelamento em { $provider } e aprová-lo lá.
# Pay-later page: the link to the provider; $provider = provider. Contract (en): "Continue to …".
continue_to = Continuar para { $provider }
# Sandbox bank heading. Contract (en): "Sandbox bank".
sandbox_bank = Banco de teste
# Sandbox bank explanation; $bank = bank or method.
sandbox_bank_intro = Esta página simula { $bank }. Nenhum dinheiro real é movimentado.
# Sandbox store heading. Contract (en): "Sandbox store".
sandbox_store = Loja de teste
# Sandbox store explanation; $store = store.
sandbox_store_intro = Esta página simula o caixa de uma loja { $store }. Nenhum dinheiro real é movimentado.
# Sandbox pay-later heading. Contract (en): "Sandbox pay later".
sandbox_paylater = Parcelamento de teste
# Sandbox pay-later explanation; $provider = provider.
sandbox_paylater_intro = Esta página simula { $provider }. Nenhum dinheiro real é movimentado.
# Sandbox bank (transfer): the button that pays; $amount = amount. Contract (en): "Transfer …".
transfer_button = Transferir { $amount }
# Sandbox store: the button that pays; $amount = amount. Contract (en): "Pay … in cash".
cash_button = Pagar { $amount } em dinheiro
# Sandbox pay later: the plan fieldset's legend. Contract (en): "Instalment plan".
instalment_plan = Plano de parcelamento
# Sandbox pay later: one plan; $months = number of months. Contract (en): "… monthly instalments".
instalment_months = { $months ->
    [one] { $months } parcela mensal
   *[other] { $months } parcelas mensais
}
# Sandbox pay later, after approval; $months = number of months.
msg_paylater_approved_done = { $months ->
    [one] Você aprovou o pagamento em { $months } parcela mensal. Já pode voltar para a loja.
   *[other] Você aprovou o pagamento em { $months } parcelas mensais. Já pode voltar para a loja.
}
# Checkout: the express buttons' group name. Contract (en): "Express checkout".
express_checkout = Pagamento expresso
# Checkout: under the express buttons, that the sandbox loads no wallet.
express_note = Ambiente de teste: as carteiras expressas abrem uma tela de pagamento simulada; nenhuma carteira digital é carregada.
# Checkout: between the express buttons and the method list.
express_or = ou pague de outra forma
# Attempt page of an express wallet; $wallet = wallet.
sheet_intro = Conclua o pagamento na janela do { $wallet }.
# Sandbox sheet heading. Contract (en): "Sandbox payment sheet".
sandbox_sheet = Janela de pagamento de teste
# Sandbox sheet explanation; $wallet = wallet.
sandbox_sheet_intro = Esta página substitui a janela de pagamento do { $wallet }. Nenhuma carteira digital real é carregada e nenhum dinheiro é movimentado.
# Sandbox sheet: the button that pays; $wallet = wallet. Contract (en): "Pay with …".
sheet_pay = Pagar com { $wallet }
# Sandbox sheet: the button that closes it. Contract (en): "Cancel".
sheet_cancel = Cancelar
# Sandbox wallet heading. Contract (en): "Sandbox wallet".
sandbox_wallet = Carteira digital de teste
# Sandbox wallet explanation; $method = method name.
sandbox_wallet_intro = Esta página simula o app { $method }. Nenhum dinheiro real é movimentado.
# Label before the merchant name.
merchant = Loja
# Label before the order description.
description = Descrição
# Contract (en): "Approve payment".
approve_payment = Aprovar pagamento
# Contract (en): "Decline payment".
decline_payment = Recusar pagamento
# Contract (en): "Leave pending".
leave_pending = Deixar pendente
# 3-D Secure page heading.
challenge_title = Autenticação 3-D Secure
# 3-D Secure page explanation.
challenge_intro = Seu banco pede que você confirme este pagamento. Esta página de teste simula essa verificação.
# Label before the card being authenticated.
card = Cartão
# Contract (en): "Complete authentication".
complete_authentication = Concluir autenticação
# Contract (en): "Fail authentication".
fail_authentication = Simular falha na autenticação
# Result heading. Contract (en): "Payment successful".
result_success = Pagamento realizado
# Result heading. Contract (en): "Payment failed".
result_failed = Falha no pagamento
# Result heading. Contract (en): "Payment is processing".
result_processing = Pagamento em processamento
# Result heading. Contract (en): "This checkout has expired".
result_expired = Esta sessão de pagamento expirou
# Result heading. Contract (en): "This payment was cancelled".
result_cancelled = Este pagamento foi cancelado
# Contract (en): "Return to merchant".
return_to_merchant = Voltar para a loja
# Contract (en): "Try again".
try_again = Tentar novamente
# Auto-redirect note; $seconds = seconds. Contract (en): "You will be returned to the merchant in {} seconds."
redirect_note = { $seconds ->
    [one] Redirecionando para a loja em { $seconds } segundo.
   *[other] Redirecionando para a loja em { $seconds } segundos.
}
# Note on the processing result page.
processing_note = Estamos aguardando o resultado final. Esta página será atualizada automaticamente.
# No-JS link on the processing result page.
check_status = Verificar status
# Small line above an error heading; $status = HTTP status.
error_code = Erro { $status }
# 404 heading (for the not-found page).
error_not_found_title = Sessão de pagamento não encontrada
# 404 message.
error_not_found_message = Este link de pagamento não é válido. Volte para a loja e tente novamente.
# 410 heading (for the expired page).
error_expired_title = Esta sessão de pagamento expirou
# 410 message.
error_expired_message = Este link de pagamento expirou. Volte para a loja para iniciar um novo pagamento.
# 400 heading (for the bad-request page).
error_bad_request_title = Algo deu errado
# 400 default message.
error_bad_request_message = Não foi possível processar sua solicitação. Volte e tente novamente.
# 429 heading (for the page shown when a network opened too many unknown checkout links).
error_too_many_title = Muitas solicitações
# 429 message.
error_too_many_message = Muitos links de pagamento inválidos foram abertos na sua rede. Aguarde um minuto e abra o link da loja novamente.
# 503 heading (for the page shown while the gateway cannot reach its database).
error_unavailable_title = Temporariamente indisponível
# 503 message.
error_unavailable_message = Tente novamente em alguns instantes.
# Gateway message: card number fails Luhn or length.
msg_card_number_invalid = Número do cartão inválido. Confira e tente novamente.
# Gateway message: expiry not MM/YY.
msg_card_expiry_invalid = Informe a validade no formato MM/AA.
# Gateway message: expiry in the past.
msg_card_expired = Este cartão está vencido. Use outro cartão.
# Gateway message: bad security code.
msg_card_cvc_invalid = O CVV deve ter 3 ou 4 dígitos.
# Gateway message: a 3-digit code was needed (all brands but American Express).
msg_card_cvc_three = Digite o CVV de 3 dígitos que está no verso do cartão.
# Gateway message: a 4-digit code was needed (American Express).
msg_card_cvc_four = Cartões American Express têm um CVV de 4 dígitos na frente. Digite esse código.
# Gateway message: the issuer said the security code does not match.
msg_card_cvc_incorrect = O CVV está incorreto. Confira e tente novamente.
# Gateway message: empty name.
msg_card_name_missing = Informe o nome impresso no cartão.
# Gateway message: no method chosen.
msg_choose_method = Escolha uma forma de pagamento.
# Gateway message: declined attempt (retry allowed).
msg_declined = Seu cartão foi recusado. Tente outro cartão ou outra forma de pagamento.
# Gateway message: insufficient funds (retry allowed).
msg_insufficient_funds = Saldo ou limite insuficiente no cartão. Tente outro cartão ou outra forma de pagamento.
# Gateway message: 3-D Secure failed (retry allowed).
msg_authentication_failed = Falha na autenticação. Tente novamente ou use outra forma de pagamento.
# Gateway message: buyer declined in the wallet (retry allowed).
msg_wallet_declined = O pagamento foi recusado na carteira digital. Tente novamente ou use outra forma de pagamento.
# Gateway message: final rejection (risk).
msg_risk_rejected = O pagamento foi recusado.
# Gateway message for a second buyer on a paid session (contains "already paid").
msg_already_paid = Este pedido já foi pago.
# Gateway message: CSRF token or attempt nonce no longer valid.
msg_form_stale = Este formulário expirou. Tente novamente.
# Gateway message: the payment closed (failed, expired or cancelled) and cannot be paid any more.
msg_payment_closed = Este pagamento não pode mais ser feito. Volte para a loja.
# Gateway message: no payment method can pay this amount.
msg_method_unavailable = Nenhuma forma de pagamento pode pagar este valor. Volte para a loja.
# Sandbox wallet `done` after approving.
msg_wallet_approved_done = Você aprovou o pagamento. Já pode voltar para a loja.
# Sandbox wallet `done` after declining.
msg_wallet_declined_done = Você recusou o pagamento. Já pode voltar para a loja.
# Sandbox wallet `done` after leaving pending.
msg_wallet_pending_done = O pagamento ficou pendente. Já pode voltar para a loja.
# Sandbox wallet, after the buyer acted: the link back to the checkout (which shows the outcome and returns to the merchant).
back_to_checkout = Voltar ao pagamento
