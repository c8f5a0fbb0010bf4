# The merchant dashboard (/dashboard), English (United States): every visible string of
# crates/gateway/templates/dashboard/*.html and of the messages crates/gateway/src/dashboard/*.rs
# puts on its pages. Declared in crates/gateway/src/dashboard/i18n.rs (`DashStrings`), whose
# tests fail on a message missing here, one nobody uses, other variables than the code passes,
# or an empty one.
#
# Not translated, so not here: data values (payment ids, amounts, dates, statuses, result codes,
# method codes), API field names (keyVersion, paymentId, paymentRequestId, referenceOrderId),
# the CSV export's column names, and the messages of the API and of other modules that the
# dashboard shows as they are (refund and key rules, clock input errors, notify URL checks).
#
# Variables named "slot" in a comment are markup the template puts there (a <code>, a <strong>,
# a link); a translation keeps them in the same order.

## Every page

# <title> of every page; $page = the page's own title ("Payments", "Payment PR-1").
page_title = { $page } · Cashier dashboard
# Top bar, top left: the product name, a link to the dashboard's home.
logo_text = Cashier
# Top bar: accessible name of the navigation.
nav_label = Dashboard
# Top bar, navigation: the Overview page.
nav_overview = Overview
# Top bar, navigation: the Payments page.
nav_payments = Payments
# Top bar, navigation: the Reports page.
nav_reports = Reports
# Top bar, navigation: the Developers page.
nav_developers = Developers
# Top bar, navigation: the Settings page.
nav_settings = Settings
# Top bar, after the logged-in user's email when the user is an operator (sees every merchant).
nav_admin = (admin)
# Top bar: the button that ends the session.
log_out = Log out
# Reports, Developers and Settings for an operator who has not picked a merchant: before the list.
choose_merchant = Choose a merchant:
# Tables of the Developers and payment pages: the column of latencies; $ms = milliseconds ("1.5").
latency_ms = { $ms } ms

## Error pages (DashError) and the message page

# Link under every error message.
back_to_dashboard = Back to the dashboard
# Heading of the 404 page: an unknown id, or another merchant's.
error_not_found_title = Not found
# Text of the 404 page.
error_not_found_message = There is nothing here, or it belongs to another merchant.
# Heading of the 403 page: a form whose security token is missing or stale.
error_csrf_title = Form expired
# Text of the 403 page.
error_csrf_message = The form was not accepted (missing or invalid security token). Reload the page and try again.
# Heading of the 400 page (its text says what was refused).
error_bad_request_title = Not accepted
# Heading of the 429 page (login throttling; its text says when to try again).
error_too_many_title = Too many attempts
# Heading of the 503 page (the database did not answer).
error_unavailable_title = Temporarily unavailable
# Text of the 503 page.
error_unavailable_message = Please try again in a moment.

## Log in and the password setup link

# Login page: heading and <title>; also its submit button.
login_title = Log in
# Login page: label of the email field.
login_email = Email
# Login page: label of the password field.
login_password = Password
# Login page: above the form after a failed login.
login_wrong = Wrong email or password.
# 429 page after too many failed logins; $minutes = the throttle window.
login_throttled = Too many failed logins. Try again in { $minutes ->
        [one] { $minutes } minute
       *[other] { $minutes } minutes
    }.
# 429 page when every password check slot stayed busy.
login_busy = The dashboard is busy. Try again in a moment.
# Setup page (one-time link): heading and <title>.
setup_title = Choose a password
# Setup page, under the heading; $email = slot (the user's email, bold); $count = the minimum length.
setup_intro = For { $email }. At least { $count ->
        [one] { $count } character
       *[other] { $count } characters
    }.
# Setup page: label of the first password field.
setup_new_password = New password
# Setup page: label of the second password field.
setup_repeat = Repeat the password
# Setup page: the submit button.
setup_submit = Save and log in
# Setup page, above the form: the two fields differ.
setup_passwords_differ = The passwords differ.
# Setup page, above the form: the password's length is out of range.
setup_password_length = the password must be { $min } to { $max ->
        [one] { $max } character
       *[other] { $max } characters
    }

## Overview

# Overview: heading and <title>.
overview_title = Overview
# Overview, under the heading (a merchant's user); $days = days counted.
overview_intro = Payments created today and in the last { $days ->
        [one] day
       *[other] { $days } days
    } (UTC+8). Success rate: successful out of those that reached a final state.
# Overview, under the heading (an operator, who sees every merchant); $days = days counted.
overview_intro_admin = Payments created today and in the last { $days ->
        [one] day
       *[other] { $days } days
    } (UTC+8), all merchants. Success rate: successful out of those that reached a final state.
# Overview, when no currency had a payment; $days = days counted.
overview_none = No payments in the last { $days ->
        [one] day
       *[other] { $days } days
    }.
# Overview, per currency: label of today's figures.
overview_today = Today
# Overview, per currency: label of the whole period's figures; $days = days counted.
overview_last_days = { $days ->
        [one] Last day
       *[other] Last { $days } days
    }
# Overview, per currency: the figures; $volume = successful volume ("SGD 120.00"), $count = payments,
# $rate = success rate ("100%", or "—" when none was final). English keeps "payment(s)" for every
# count, as the dashboard always wrote it; a translation writes its own plural forms.
overview_figures = { $volume } · { $count ->
        [one] { $count } payment(s)
       *[other] { $count } payment(s)
    } · success rate { $rate }
# Overview, per currency: the chart's accessible title; $currency = code, $from and $to = first and
# last day, $max = the highest day's volume or overview_chart_none.
overview_chart_title = Successful { $currency } volume per day from { $from } to { $to }; highest day { $max }
# Overview, the chart's top label and title when no day had a successful payment.
overview_chart_none = none
# Overview, per currency: the disclosure under the chart that opens the same figures as a table.
overview_table_summary = The chart as a table
# Overview: accessible name of that table; $currency = code.
overview_table_label = Successful { $currency } volume per day
# Overview, that table: first column header.
overview_col_day = Day (UTC+8)
# Overview, that table: second column header.
overview_col_volume = Successful volume

## Payments list

# Payments list: heading and <title>.
payments_title = Payments
# Payments list, filters: label of the search field.
payments_search = paymentRequestId or paymentId
# Payments list, filters (operator only): label of the merchant choice.
payments_merchant = Merchant
# Payments list, filters: the merchant choice's first option.
payments_all_merchants = All merchants
# Payments list, filters: label of the status choice.
payments_status = Status
# Payments list, filters: the status choice's first option.
payments_any_status = Any
# Payments list, filters: label of the method choice.
payments_method = Method
# Payments list, filters: the method choice's first option.
payments_any_method = Any
# Payments list, filters: label of the currency field.
payments_currency = Currency
# Payments list, filters: label of the first day.
payments_from = From (UTC+8)
# Payments list, filters: label of the last day.
payments_to = To (UTC+8, inclusive)
# Payments list, filters: the submit button.
payments_filter = Filter
# Payments list, filters: the link that removes every filter.
payments_clear = Clear
# Payments list, filters: the link that downloads the filtered list.
payments_export = Export CSV
# Payments list, instead of the table when nothing matches.
payments_none = No payments match.
# Payments list: accessible name of the table.
payments_table_label = Payments table
# Payments list, column header.
payments_col_created = Created (UTC+8)
# Payments list, column header (operator only).
payments_col_merchant = Merchant
# Payments list, column header.
payments_col_status = Status
# Payments list, column header.
payments_col_method = Method
# Payments list, column header.
payments_col_amount = Amount
# Payments list, column header.
payments_col_refunded = Refunded
# Payments list: accessible name of the links between pages.
payments_pages = Pages
# Payments list: the link back to the first page.
payments_newest = Newest
# Payments list: the link to the next page.
payments_older = Older
# Payments list (and its CSV export), above the table: the From filter is not a date.
payments_from_invalid = From must be a date (YYYY-MM-DD)
# Payments list: the To filter is not a date.
payments_to_invalid = To must be a date (YYYY-MM-DD)
# Payments list: the status filter names no status; $status = what was asked, quoted.
payments_status_unknown = unknown status { $status }
# Payments list: the currency filter is not three letters.
payments_currency_invalid = currency must be a 3-letter code
# Payments list: the link to the next page was altered.
payments_cursor_invalid = bad page cursor

## One payment

# Payment page: the link back to the list, top left.
payment_back = ← Payments
# Payment page: heading and <title>; $id = paymentRequestId.
payment_title = Payment { $id }
# Payment page, after a refund.
payment_refund_done = Refund submitted.
# Payment page, after a cancel.
payment_cancel_done = Payment cancelled.
# Payment page, after resending a notification.
payment_resend_done = Notification queued for delivery.
# Payment page: heading of the facts.
payment_summary = Summary
# Payment page, facts: the status and result code.
payment_status = Status
# Payment page, facts.
payment_amount = Amount
# Payment page, facts: how much was refunded.
payment_refunded = Refunded
# Payment page, facts: the merchant's client id.
payment_merchant = Merchant
# Payment page, facts: the order description.
payment_order = Order
# Payment page, facts: the method code and family.
payment_method = Method
# Payment page, facts: the settlement currency.
payment_settlement = Settlement
# Payment page, Settlement, when converted; $amount = settled amount, $rate = the rate, $from and
# $to = the currencies' codes, $time = when the rate was taken.
payment_settlement_converted_at = { $amount } at { $rate } { $from }/{ $to } (rate of { $time } UTC+8)
# Payment page, Settlement, when converted at a rate of unknown time.
payment_settlement_converted = { $amount } at { $rate } { $from }/{ $to }
# Payment page, Settlement, when nothing is converted; $currency = code.
payment_settlement_own = { $currency }, not converted
# Payment page and Developers page: heading of the integration warnings.
integration_warnings = Integration warnings
# Payment page, under that heading.
payment_warnings_intro = Cashier accepted this request, but it leaves out what Antom's guide asks for. Real Antom may decline or review such payments; a merchant in strict mode has these requests refused (Settings).
# Integration warnings tables: column of the rule's code.
warning_col_rule = Rule
# Payment page, integration warnings: column of the field's path.
warning_col_field = Field
# Integration warnings tables: what the request had.
warning_col_found = What was found
# Integration warnings tables: what Antom's guide wants.
warning_col_asks = What the guide asks
# Payment page: heading of the timeline.
payment_timeline = Timeline (UTC+8)
# Timeline: the payment's creation; $amount = amount.
event_created = Created: { $amount } via createPaymentSession
# Timeline: an attempt began; $method = method code, $details = card or journey facts in brackets, or nothing.
event_attempt = Attempt with { $method }{ $details }
# Timeline: an attempt's outcome; $state = its state, $details = result code in brackets and the
# card's verdicts, or nothing.
event_attempt_state = Attempt { $method }: { $state }{ $details }
# Timeline, after an outcome: what 3-D Secure did; $challenged and $authenticated = yes or no,
# $eci = the ECI value.
event_three_ds = 3-D Secure { $challenged ->
        [yes] challenged
       *[no] frictionless
    }, { $authenticated ->
        [yes] authenticated
       *[no] not authenticated
    } (ECI { $eci })
# Timeline, after an outcome: the issuer's refusal; $code and $reason as the issuer sent them.
event_issuer_refusal = issuer refusal { $code } { $reason }
# Timeline, attempt facts of a bank transfer; $bank = bank, $account = account number.
event_virtual_account = { $bank } virtual account { $account }
# Timeline, attempt facts of a payment at a store; $code = the payment code.
event_payment_code = payment code { $code }
# Timeline: the payment succeeded; $status = SUCCESS, $code = result code.
event_paid = Paid: { $status } ({ $code })
# Timeline: the payment closed unpaid; $status = its status, $code = result code.
event_closed = Closed: { $status } ({ $code })
# Timeline: the payment was cancelled.
event_cancelled = Cancelled
# Timeline: a refund was asked for; $id = refundRequestId, $amount = amount, $status = its status.
event_refund_requested = Refund { $id } requested: { $amount } ({ $status })
# Timeline: a refund ended; $id = refundRequestId, $status = its status.
event_refund = Refund { $id }: { $status }
# Payment page: heading of the notifications.
payment_notifications = Notifications
# Payment page, when there is no notification.
payment_no_notifications = No notifications (no notify URL, or nothing final yet).
# Payment page, beside each notification's type; $status = its status, $count = delivery attempts.
# English keeps "attempt(s)" for every count, as the dashboard always wrote it.
payment_notification_state = { $status }, { $count ->
        [one] { $count } attempt(s)
       *[other] { $count } attempt(s)
    }
# Payment page, a notification never sent yet.
payment_not_attempted = Not attempted yet.
# Payment page: accessible name of a notification's delivery table; $kind = notification type.
payment_deliveries_label = Delivery attempts of { $kind }
# Tables of times: column header.
col_time = Time (UTC+8)
# Payment page, deliveries: column of the receiver's HTTP status.
payment_col_http = HTTP
# Tables with latencies: column header.
col_latency = Latency
# Payment page, deliveries: column saying whether the receiver acknowledged.
payment_col_acknowledged = Acknowledged
# Payment page, deliveries: column of the receiver's answer.
payment_col_response = Response
# Payment page, deliveries, Acknowledged column.
payment_acknowledged_yes = yes
# Payment page, deliveries, Acknowledged column.
payment_acknowledged_no = no
# Payment page: button under each notification; $kind = notification type.
payment_resend = Resend { $kind }
# Payment page: heading of the refund form.
payment_refund = Refund
# Payment page, refund form: how much is left; $amount = amount.
payment_refund_up_to = Up to { $amount }.
# Payment page, refund form: the confirmation the browser asks.
payment_refund_confirm = Refund this amount?
# Payment page, refund form: label of the amount; $currency = code, $example = one major unit ("1.00").
payment_refund_amount = Amount ({ $currency }, e.g. { $example })
# Payment page, refund form: label of the reason.
payment_refund_reason = Reason (optional)
# Payment page, refund form: the submit button.
payment_refund_submit = Refund
# Payment page: heading of the cancel form.
payment_cancel = Cancel
# Payment page, cancel form: the confirmation the browser asks.
payment_cancel_confirm = Cancel this payment?
# Payment page, cancel form: the submit button.
payment_cancel_submit = Cancel payment
# Payment page, refund refused: the amount is not a number in the currency; $currency = code,
# $decimals = the currency's decimals, $example = one major unit.
payment_amount_invalid = enter the amount in { $currency } with at most { $decimals ->
        [one] { $decimals } decimal
       *[other] { $decimals } decimals
    }, e.g. { $example }
# Payment page, refund refused: the payment's currency has no exponent here.
payment_currency_unsupported = unsupported currency
# 400 page: a refund form without its id (an old page).
payment_reload = Reload the page and try again.
# Payment page, refund refused by the processor; $reason = its message.
payment_refund_failed = Refund failed: { $reason }

## Reports

# Reports: heading and <title>.
reports_title = Reports
# Reports, under the heading; $days = days listed.
reports_intro = Daily reconciliation reports (days in UTC+8), newest first, last { $days ->
        [one] day
       *[other] { $days } days
    }.
# Reports, when there is none yet.
reports_none = No reports yet: they are made after each day closes (00:30 UTC+8).

## Developers

# Developers: heading and <title>.
developers_title = Developers
# Developers, after adding a key.
developers_key_added = Key added.
# Developers, after retiring a key.
developers_key_retired = Key retired: requests signed with it now get KEY_NOT_FOUND.
# Developers, after moving the sandbox clock.
developers_clock_moved = Clock moved: what fell due (expiry, settlement, notifications, reports) is decided.
# Developers: heading of the credentials.
developers_credentials = Credentials
# Developers, credentials.
developers_client_id = Client ID
# Developers, credentials: the gateway's key, to verify responses and notifications.
developers_gateway_key = Gateway public key
# Developers: the button that copies the gateway key.
developers_copy = Copy
# Developers: heading of the merchant's keys.
developers_your_keys = Your public keys
# Developers: accessible name of the keys table.
developers_keys_label = Merchant public keys
# Developers, keys: column header.
developers_col_added = Added (UTC+8)
# Developers, keys: column header (Active, or Retired and when).
developers_col_key_status = Status (UTC+8)
# Developers, keys: column of the Retire button.
developers_col_action = Action
# Developers, keys: column header.
developers_col_fingerprint = SHA-256 of the key
# Developers, keys: a retired key's status; $time = when.
developers_retired = Retired { $time }
# Developers, keys: an active key's status.
developers_active = Active
# Developers, keys: the confirmation the browser asks before retiring; $version = keyVersion.
developers_retire_confirm = Retire keyVersion { $version }? Requests signed with it will be refused with KEY_NOT_FOUND. This cannot be undone.
# Developers, keys: accessible name of a Retire button; $version = keyVersion.
developers_retire_label = Retire keyVersion { $version }
# Developers, keys: the button that retires a key.
developers_retire = Retire
# Developers, under the keys; $code = slot (KEY_NOT_FOUND as code).
developers_retire_help = Retiring a key is permanent: from that moment requests signed with its keyVersion get { $code }, on every node.
# Developers, after developers_retire_help when more than one key is active.
developers_last_key = The last active key cannot be retired.
# Developers, after developers_retire_help when only one key is active.
developers_last_key_add_first = The last active key cannot be retired — add a new key version first.
# Developers: heading of the add-key form.
developers_add_key = Add a key (rotation)
# Developers, add-key form; $field = slot (keyVersion as code).
developers_add_key_help = Older versions keep working; send { $field } in the Signature header to choose one.
# Developers, add-key form: label of the key.
developers_public_key = RSA public key (base64 or PEM)
# Developers, add-key form: the submit button.
developers_add_key_submit = Add key
# Developers, add-key and retire refused: the version is not a number.
developers_version_invalid = keyVersion must be a whole number.
# Developers, add-key refused; $reason = why the key was refused.
developers_key_refused = The public key was refused: { $reason }.
# Developers: heading of the sandbox clock.
developers_clock = Sandbox clock
# Developers, sandbox clock; $now = slot (the merchant's time, bold), $ahead = slot (how far ahead,
# "1d 1h"), $header = slot (request-time as code).
developers_clock_intro = This merchant's clock: { $now } (UTC+8), { $ahead } ahead of real time. Session expiry, settlement, notification retries, cancel and refund windows and daily reports follow it; { $header } headers stay real time. It only moves forward.
# Developers, sandbox clock: label of the duration field.
developers_advance = Move forward by
# Developers, sandbox clock: help under the duration field.
developers_advance_help = Seconds, or a number with s, m, h or d (e.g. 31m, 25h, 2d); at most 400 days at a time.
# Developers, sandbox clock: the submit button.
developers_advance_submit = Advance clock
# Developers, clock refused: the gateway runs without sandbox clocks.
developers_clocks_off = Sandbox clocks are off on this gateway: start it with --sandbox-clocks to move a merchant's clock.
# Developers, integration warnings: first sentence.
developers_warnings_intro = Requests Cashier accepted although they leave out what Antom's guide asks for (docs/protocol.md §5.7, §5.8).
# Developers, integration warnings: second sentence; $mode = slot (developers_strict_on or _off,
# bold), $strict = on or off, $settings = slot (a link to the Settings page).
developers_strict_mode = Strict mode is { $mode }: { $strict ->
        [on] such requests are refused with PARAM_ILLEGAL naming the rule
       *[off] such requests are accepted and listed here
    } ({ $settings }).
# Developers, in developers_strict_mode: strict mode is on.
developers_strict_on = on
# Developers, in developers_strict_mode: strict mode is off.
developers_strict_off = off
# Developers, in developers_strict_mode: the link to the Settings page.
developers_settings_link = Settings
# Developers, integration warnings, when there is none; $days = days counted.
developers_warnings_none = None in the last { $days ->
        [one] day
       *[other] { $days } days
    }.
# Developers: accessible name of the warnings-per-rule table.
developers_warnings_by_rule = Integration warnings by rule
# Developers, caption of that table; $days = days counted.
developers_warnings_caption = Payments with each warning, last { $days ->
        [one] day
       *[other] { $days } days
    }
# Developers, warnings per rule: column of the number of payments.
developers_col_payments = Payments
# Developers, warnings per rule: column header.
developers_col_last_seen = Last seen (UTC+8)
# Developers: heading of the newest warnings.
developers_newest = Newest
# Developers: accessible name of the newest warnings table.
developers_newest_label = Newest integration warnings
# Developers, newest warnings: column of the payment.
developers_col_payment = Payment
# Developers: heading (and accessible name of the table) of the API request log.
developers_log = Recent API requests
# Developers, under that heading; $count = rows shown.
developers_log_intro = The last { $count ->
        [one] request
       *[other] { $count } requests
    } answered for this client id by any node: time, API, result, paymentRequestId and latency — never bodies, headers, keys or signatures. Nodes write their entries about once a second, so the newest may take a second to appear, and a node that crashes loses at most its last second of entries.
# Developers, API request log, when empty.
developers_log_none = None yet.
# API request logs: column of the operation.
col_api = API
# API request logs: column header.
col_result_code = Result code
# API request logs: column of the result status (S, F, U).
col_status = Status
# Developers: heading (and accessible name of the table) of the requests whose signature failed.
developers_failed = Requests that failed authentication
# Developers, under that heading; $count = rows shown.
developers_failed_intro = The last { $count ->
        [one] request
       *[other] { $count } requests
    } that named this client id but whose signature did not verify (wrong key, unknown keyVersion, a body or path changed after signing). Anyone who knows the client id can send these, so they are kept apart and never push your own requests out of the list above.
# Developers, requests that failed authentication, when empty.
developers_failed_none = None.

## Settings

# Settings: heading and <title>.
settings_title = Settings
# Settings, after saving.
settings_saved = Settings saved.
# Settings: label of the brand name.
settings_brand = Brand name (shown on the checkout page)
# Settings: label of the logo file; $kib = the size limit in KiB.
settings_logo = Logo (PNG, JPEG or WebP, at most { $kib } KiB)
# Settings: text alternative of the current logo's preview.
settings_current_logo = Current logo
# Settings: label of the accent colour.
settings_accent = Accent colour (#rrggbb; must contrast at least 3:1 with white)
# Settings: label of the default notify URL.
settings_notify_url = Default notify URL
# Settings: label of the settlement currencies; $example = slot (USD, SGD as code).
settings_settlement = Settlement currencies (contracted; e.g. { $example })
# Settings: help under the settlement currencies; $field = slot (the request field as code).
settings_settlement_help = Empty: each payment settles in its own currency. Otherwise requests may ask for one of these in { $field } (others are refused with SETTLE_CONTRACT_NOT_MATCH), and payments are converted at the sandbox rates listed in the README.
# Settings: label of the strict mode checkbox.
settings_strict = Strict mode
# Settings: help under the strict mode checkbox.
settings_strict_help = Refuse createPaymentSession requests that leave out what Antom's guide asks for (PARAM_ILLEGAL naming the rule) instead of accepting them with an integration warning. Turn it on in CI to catch integration gaps before real Antom does.
# Settings: the submit button.
settings_save = Save
# Settings: heading of the test notification.
settings_test = Test notification
# Settings, test notification; $id = slot (CASHIER_TEST_NOTIFICATION as code).
settings_test_intro = Sends a signed notifyPayment with paymentRequestId { $id } to the default notify URL now.
# Settings, test notification: the button.
settings_test_send = Send test notification
# Settings, after a test notification was answered; $status = HTTP status, $ms = milliseconds,
# $acknowledged = yes or no, $excerpt = the start of the answer.
settings_test_result = HTTP { $status } in { $ms } ms, { $acknowledged ->
        [yes] acknowledged
       *[no] not acknowledged
    }: { $excerpt }
# Settings, after a test notification could not be sent; $ms = milliseconds, $reason = why.
settings_test_failed = Failed after { $ms } ms: { $reason }
# Settings, test notification refused: no notify URL.
settings_notify_missing = Set a default notify URL first.
# Settings refused: the accent colour is not a colour.
settings_accent_format = The accent colour must look like #1d4ed8.
# Settings refused: the accent colour is too light; $ratio = its contrast ("2.15"), $min = the minimum ("3").
settings_accent_contrast = The accent colour contrasts only { $ratio }:1 with white; at least { $min }:1 is needed. Choose a darker colour.
# 400 page: the settings form could not be read.
settings_unreadable = The form could not be read.
# Settings refused: the brand name's length.
settings_brand_length = The brand name must be 1 to 64 characters.
# Settings refused: the notify URL is not an http(s) URL.
settings_notify_scheme = The notify URL must be an http(s) URL.
# Settings refused: the notify URL's target is not allowed; $reason = why.
settings_notify_refused = The notify URL is not allowed: { $reason }
# Settings refused: the settlement currencies; $reason = why.
settings_settlement_invalid = Settlement currencies: { $reason }.
