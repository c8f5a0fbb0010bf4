# 日本語（日本）: Japanese (Japan). Translated from en_US.ftl.

# Accessible name of the language list at the foot of every page (each language is written in its own script there).
language_switcher = 言語
# `<title>` suffix of the checkout page.
checkout_title = お支払い
# Alt text of the merchant logo; $brand = brand name. Contract (en): "{brand} logo".
logo_alt = { $brand } のロゴ
# Heading of the order panel.
order_summary = ご注文内容
# Label before the total amount.
total = 合計
# Label before an amount (wallet, sandbox wallet, challenge pages).
amount = 金額
# Accessible text before a goods line's quantity and unit price.
quantity = 数量
# Label before the server-rendered absolute expiry time.
expires_at = お支払い期限
# Label JS shows before the live countdown.
time_left = 残り時間
# Shown when the countdown reaches zero; also the Expired result heading.
checkout_expired = お支払い手続きの有効期限が切れました
# Legend of the method radios. Contract (en): "Payment method".
payment_method = お支払い方法
# The card method's name in the method list (brands are named as they are). Contract (en): "Card".
method_card = カード
# The FPX method's name in the method list (Malaysian online banking).
method_onlinebanking_fpx = FPX オンラインバンキング
# Legend of the card fields.
card_details = カード情報
# Contract (en): "Card number".
card_number = カード番号
# Contract (en): "Expiry date".
card_expiry = 有効期限
# Placeholder of the expiry input. Contract: "MM/YY".
card_expiry_placeholder = MM/YY
# Contract (en): "Security code".
card_cvc = セキュリティコード
# Contract (en): "Name on card".
card_name = カード名義人
# Pay button; $amount = formatted total. Contract (en): "Pay {}".
pay = { $amount } を支払う
# Wallet page heading and title; $method = method name.
wallet_title = { $method } でお支払い
# Accessible name of the QR code; $method = method name. Contract (en): "QR code for {}".
wallet_qr_label = { $method } のお支払い用 QR コード
# Instruction under the QR code; $method = method name.
wallet_scan = { $method } アプリで QR コードを読み取って、お支払いください。
# Hint above the open-in-app link.
wallet_on_phone = スマートフォンの場合は、アプリを直接開けます：
# Link into the wallet; $method = method name. Contract (en): "Open {}".
wallet_open = { $method } を開く
# Status line while polling.
wallet_waiting = アプリでのお支払いの確認をお待ちしています…
# No-JS link to re-check the payment status.
wallet_paid = 支払いを完了しました
# Link back to the method choice.
wallet_other_method = 別のお支払い方法を選ぶ
# Mobile wallet page, before opening the app; $method = wallet.
wallet_app_intro = このお支払いは { $method } アプリで確認します。
# Mobile wallet page, back from the app; $method = wallet.
wallet_returned = { $method } から戻りましたか？アプリでお支払いを確認した場合は、お支払い状況をご確認ください。
# Mobile wallet page, back from the app: the status check link.
check_payment_status = お支払い状況を確認
# Sandbox wallet page (mobile): back to the merchant's page without paying.
wallet_back_unpaid = 支払わずに戻る
# Online banking page: the list of banks.
bank_choose = 銀行を選択
# Online banking page: explanation; $method = method.
bank_intro = このお支払いは、ご利用の銀行のオンラインバンキング（{ $method }）で承認します。
# Online banking / pay later: waiting line.
journey_waiting = 承認をお待ちしています…
# Bank transfer page: explanation; $amount = amount.
transfer_intro = 銀行アプリ、インターネットバンキングまたは ATM から、このバーチャル口座へ { $amount } を過不足なくお振り込みください。
# Bank transfer page: label before the bank's name.
bank_label = 銀行名
# Bank transfer page: label before the account number. Contract (en): "Virtual account number".
virtual_account = バーチャル口座番号
# Bank transfer page: label before the deadline.
pay_before = お支払い期限
# Bank transfer page: waiting line.
transfer_waiting = お振り込みをお待ちしています。このページは閉じても問題ありません。入金が確認されるとショップに通知されます。
# Bank transfer page: link to the sandbox bank. Contract (en): "Open the sandbox bank".
open_sandbox_bank = サンドボックス銀行を開く
# Store page: explanation; $store = store.
store_intro = お近くの { $store } のレジでこのお支払い番号を提示し、現金でお支払いください。
# Store page: label before the code. Contract (en): "Payment code".
payment_code = お支払い番号
# Store page: waiting line.
store_waiting = 店舗でのお支払いをお待ちしています。このページは閉じても問題ありません。お支払いが完了するとショップに通知されます。
# Store page: link to the sandbox store. Contract (en): "Open the sandbox store".
open_sandbox_store = サンドボックス店舗を開く
# Pay-later page: explanation; $provider = provider.
paylater_intro = { $provider } で分割払いのプランを選択し、お申し込みを承認してください。
# Pay-later page: the link to the provider; $provider = provider. Contract (en): "Continue to …".
continue_to = { $provider } へ進む
# Sandbox bank heading. Contract (en): "Sandbox bank".
sandbox_bank = サンドボックス銀行
# Sandbox bank explanation; $bank = bank or method.
sandbox_bank_intro = このページは { $bank } を模擬したものです。実際の入出金は発生しません。
# Sandbox store heading. Contract (en): "Sandbox store".
sandbox_store = サンドボックス店舗
# Sandbox store explanation; $store = store.
sandbox_store_intro = このページは { $store } のレジを模擬したものです。実際の入出金は発生しません。
# Sandbox pay-later heading. Contract (en): "Sandbox pay later".
sandbox_paylater = サンドボックス後払い
# Sandbox pay-later explanation; $provider = provider.
sandbox_paylater_intro = このページは { $provider } を模擬したものです。実際の入出金は発生しません。
# Sandbox bank (transfer): the button that pays; $amount = amount. Contract (en): "Transfer …".
transfer_button = { $amount } を振り込む
# Sandbox store: the button that pays; $amount = amount. Contract (en): "Pay … in cash".
cash_button = { $amount } を現金で支払う
# Sandbox pay later: the plan fieldset's legend. Contract (en): "Instalment plan".
instalment_plan = 分割払いプラン
# Sandbox pay later: one plan; $months = number of months. Contract (en): "… monthly instalments".
instalment_months = 毎月{ $months }回払い
# Sandbox pay later, after approval; $months = number of months.
msg_paylater_approved_done = { $months }回の分割払いでのお支払いを承認しました。ショップにお戻りいただけます。
# Checkout: the express buttons' group name. Contract (en): "Express checkout".
express_checkout = エクスプレスチェックアウト
# Checkout: under the express buttons, that the sandbox loads no wallet.
express_note = サンドボックス：エクスプレスウォレットは模擬の支払い画面を開きます。ウォレットは読み込まれません。
# Checkout: between the express buttons and the method list.
express_or = または別の方法でお支払い
# Attempt page of an express wallet; $wallet = wallet.
sheet_intro = { $wallet } の支払い画面でお支払いを完了してください。
# Sandbox sheet heading. Contract (en): "Sandbox payment sheet".
sandbox_sheet = サンドボックス支払い画面
# Sandbox sheet explanation; $wallet = wallet.
sandbox_sheet_intro = このページは { $wallet } の支払い画面の代わりです。実際のウォレットは読み込まれず、入出金も発生しません。
# Sandbox sheet: the button that pays; $wallet = wallet. Contract (en): "Pay with …".
sheet_pay = { $wallet } で支払う
# Sandbox sheet: the button that closes it. Contract (en): "Cancel".
sheet_cancel = キャンセル
# Sandbox wallet heading. Contract (en): "Sandbox wallet".
sandbox_wallet = サンドボックスウォレット
# Sandbox wallet explanation; $method = method name.
sandbox_wallet_intro = このページは { $method } アプリを模擬したものです。実際の入出金は発生しません。
# Label before the merchant name.
merchant = ショップ
# Label before the order description.
description = 内容
# Contract (en): "Approve payment".
approve_payment = 支払いを承認
# Contract (en): "Decline payment".
decline_payment = 支払いを拒否
# Contract (en): "Leave pending".
leave_pending = 保留のままにする
# 3-D Secure page heading.
challenge_title = 3-D Secure 本人認証
# 3-D Secure page explanation.
challenge_intro = カード会社がこのお支払いの確認を求めています。このサンドボックスページはその確認を模擬します。
# Label before the card being authenticated.
card = カード
# Contract (en): "Complete authentication".
complete_authentication = 認証を完了
# Contract (en): "Fail authentication".
fail_authentication = 認証を失敗させる
# Result heading. Contract (en): "Payment successful".
result_success = お支払いが完了しました
# Result heading. Contract (en): "Payment failed".
result_failed = お支払いに失敗しました
# Result heading. Contract (en): "Payment is processing".
result_processing = お支払いを処理しています
# Result heading. Contract (en): "This checkout has expired".
result_expired = お支払い手続きの有効期限が切れました
# Result heading. Contract (en): "This payment was cancelled".
result_cancelled = このお支払いはキャンセルされました
# Contract (en): "Return to merchant".
return_to_merchant = ショップに戻る
# Contract (en): "Try again".
try_again = もう一度試す
# Auto-redirect note; $seconds = seconds. Contract (en): "You will be returned to the merchant in {} seconds."
redirect_note = { $seconds }秒後にショップに戻ります。
# Note on the processing result page.
processing_note = 最終結果を確認しています。このページは自動的に更新されます。
# No-JS link on the processing result page.
check_status = 状況を確認
# Small line above an error heading; $status = HTTP status.
error_code = エラー { $status }
# 404 heading (for the not-found page).
error_not_found_title = お支払いページが見つかりません
# 404 message.
error_not_found_message = この支払いリンクは無効です。ショップに戻って、もう一度お試しください。
# 410 heading (for the expired page).
error_expired_title = お支払い手続きの有効期限が切れました
# 410 message.
error_expired_message = この支払いリンクは有効期限が切れています。ショップに戻って、お支払い手続きをやり直してください。
# 400 heading (for the bad-request page).
error_bad_request_title = エラーが発生しました
# 400 default message.
error_bad_request_message = リクエストを処理できませんでした。前のページに戻って、もう一度お試しください。
# 429 heading (for the page shown when a network opened too many unknown checkout links).
error_too_many_title = リクエストが多すぎます
# 429 message.
error_too_many_message = お使いのネットワークから無効な決済リンクが多数開かれました。1分ほど待ってから、ショップのリンクをもう一度開いてください。
# 503 heading (for the page shown while the gateway cannot reach its database).
error_unavailable_title = 一時的にご利用いただけません
# 503 message.
error_unavailable_message = しばらくしてからもう一度お試しください。
# Gateway message: card number fails Luhn or length.
msg_card_number_invalid = カード番号が正しくありません。ご確認のうえ、もう一度お試しください。
# Gateway message: expiry not MM/YY.
msg_card_expiry_invalid = 有効期限を MM/YY の形式で入力してください。
# Gateway message: expiry in the past.
msg_card_expired = このカードは有効期限が切れています。別のカードをご利用ください。
# Gateway message: bad security code.
msg_card_cvc_invalid = セキュリティコードは3桁または4桁の数字で入力してください。
# Gateway message: a 3-digit code was needed (all brands but American Express).
msg_card_cvc_three = カード裏面に記載された3桁のセキュリティコードを入力してください。
# Gateway message: a 4-digit code was needed (American Express).
msg_card_cvc_four = American Express のカードは、表面に記載された4桁のセキュリティコードを入力してください。
# Gateway message: the issuer said the security code does not match.
msg_card_cvc_incorrect = セキュリティコードが正しくありません。ご確認のうえ、もう一度お試しください。
# Gateway message: empty name.
msg_card_name_missing = カード名義人を入力してください。
# Gateway message: no method chosen.
msg_choose_method = お支払い方法を選択してください。
# Gateway message: declined attempt (retry allowed).
msg_declined = このカードはご利用いただけませんでした。別のカードまたはお支払い方法をお試しください。
# Gateway message: insufficient funds (retry allowed).
msg_insufficient_funds = カードの利用可能額が不足しています。別のカードまたはお支払い方法をお試しください。
# Gateway message: 3-D Secure failed (retry allowed).
msg_authentication_failed = 本人認証に失敗しました。もう一度お試しいただくか、別のお支払い方法をご利用ください。
# Gateway message: buyer declined in the wallet (retry allowed).
msg_wallet_declined = ウォレットでお支払いが拒否されました。もう一度お試しいただくか、別のお支払い方法をご利用ください。
# Gateway message: final rejection (risk).
msg_risk_rejected = このお支払いはお受けできませんでした。
# Gateway message for a second buyer on a paid session (contains "already paid").
msg_already_paid = このご注文はお支払い済みです。
# Gateway message: CSRF token or attempt nonce no longer valid.
msg_form_stale = このフォームの有効期限が切れています。もう一度お試しください。
# Gateway message: the payment closed (failed, expired or cancelled) and cannot be paid any more.
msg_payment_closed = このお支払いはもうお手続きいただけません。ショップに戻ってください。
# Gateway message: no payment method can pay this amount.
msg_method_unavailable = この金額をお支払いいただけるお支払い方法がありません。ショップに戻ってください。
# Sandbox wallet `done` after approving.
msg_wallet_approved_done = お支払いを承認しました。ショップにお戻りいただけます。
# Sandbox wallet `done` after declining.
msg_wallet_declined_done = お支払いを拒否しました。ショップにお戻りいただけます。
# Sandbox wallet `done` after leaving pending.
msg_wallet_pending_done = お支払いは保留のままです。ショップにお戻りいただけます。
# Sandbox wallet, after the buyer acted: the link back to the checkout (which shows the outcome and returns to the merchant).
back_to_checkout = お支払い画面に戻る
