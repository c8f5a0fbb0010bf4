//! Page and form handlers: catalogue, cart, checkout, return page, orders
//! and refunds. Every POST checks the session's CSRF token first and answers
//! with a 303 (post/redirect/get), so a reload never repeats an action.

use std::net::SocketAddr;
use std::time::Duration;

use askama::Template;
use axum::extract::{ConnectInfo, Path, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::{Extension, Form};
use cashier_client::{
    Buyer, CreatePaymentSession, Goods, InquiryPayment, Order as PaymentOrder, PaymentStatus,
    RefundPayment, ResultStatus, RetryPolicy, TerminalType,
};
use rand::RngCore;
use serde::Deserialize;

use crate::catalogue::{self, PRODUCTS};
use crate::pages::{
    CartLine, CartPage, CataloguePage, ErrorPage, Layout, LineView, OrderPage, OrderRow,
    OrdersPage, ProductCard, RefundView,
};
use crate::session::Ctx;
use crate::state::{
    Flash, Order, OrderLine, Payment, Refund, RefundState, Source, MAX_ORDERS, MAX_QUANTITY,
};
use crate::Shop;

const STYLESHEET: &str = include_str!("../assets/shop.css");

/// Why a request could not be served; each maps to one status and page.
#[derive(Debug, thiserror::Error)]
pub enum ShopError {
    #[error(
        "This form has expired or did not come from this shop. Reload the page and try again."
    )]
    Csrf,
    #[error("There is no such page in this shop.")]
    NotFound,
    #[error("Quantities are whole numbers from 0 to {MAX_QUANTITY}.")]
    BadQuantity,
    #[error("The shop has too many orders in memory; restart the demo.")]
    Full,
    #[error("The payment gateway could not be reached or refused the request: {0}")]
    Gateway(#[from] cashier_client::Error),
    #[error("The page could not be rendered.")]
    Render(#[from] askama::Error),
}

impl IntoResponse for ShopError {
    fn into_response(self) -> Response {
        let (status, title) = match &self {
            ShopError::Csrf => (StatusCode::FORBIDDEN, "Form expired"),
            ShopError::NotFound => (StatusCode::NOT_FOUND, "Not found"),
            ShopError::BadQuantity => (StatusCode::BAD_REQUEST, "Invalid quantity"),
            ShopError::Full => (StatusCode::SERVICE_UNAVAILABLE, "Shop full"),
            ShopError::Gateway(_) => (StatusCode::BAD_GATEWAY, "Checkout failed"),
            ShopError::Render(_) => (StatusCode::INTERNAL_SERVER_ERROR, "Error"),
        };
        if status.is_server_error() {
            tracing::error!(error = %self, "demo shop request failed");
        }
        let page = ErrorPage {
            layout: Layout {
                cart_count: 0,
                flash: None,
            },
            title: title.into(),
            message: self.to_string(),
        };
        match page.render() {
            Ok(body) => (status, Html(body)).into_response(),
            Err(_) => (status, self.to_string()).into_response(),
        }
    }
}

type Result<T, E = ShopError> = std::result::Result<T, E>;

/// A rendered page, with the session cookie when this request created it.
fn page(ctx: &Ctx, template: impl Template) -> Result<Response> {
    let body = template.render()?;
    let mut response = Html(body).into_response();
    if let Some(cookie) = &ctx.set_cookie {
        response
            .headers_mut()
            .insert(header::SET_COOKIE, cookie.clone());
    }
    response
        .headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    Ok(response)
}

fn layout(ctx: &mut Ctx) -> Layout {
    Layout {
        cart_count: ctx.cart_count,
        flash: ctx.flash.take(),
    }
}

fn see_other(to: &str) -> Response {
    Redirect::to(to).into_response()
}

/// How gateway calls are repeated on a `U` result or a transport failure:
/// the same request (same request id, so idempotent; docs/protocol.md §5.1) up to
/// three times, pausing 0.5 s and then 1 s.
fn retry() -> RetryPolicy {
    RetryPolicy::default()
        .max_attempts(3)
        .initial_backoff(Duration::from_millis(500))
}

fn random_hex(bytes: usize) -> String {
    let mut buf = vec![0u8; bytes];
    rand::thread_rng().fill_bytes(&mut buf);
    hex::encode_upper(buf)
}

// ---- catalogue and static files ------------------------------------------------------------

pub async fn catalogue(State(shop): State<Shop>, headers: HeaderMap) -> Result<Response> {
    let mut ctx = shop.session(&headers);
    let products = PRODUCTS
        .iter()
        .map(|p| ProductCard {
            id: p.id,
            name: p.name,
            description: p.description,
            price: catalogue::display(p.price_minor),
        })
        .collect();
    let view = CataloguePage {
        layout: layout(&mut ctx),
        csrf: ctx.csrf.clone(),
        products,
    };
    page(&ctx, view)
}

pub async fn stylesheet() -> Response {
    (
        [
            (header::CONTENT_TYPE, "text/css; charset=utf-8"),
            (header::CACHE_CONTROL, "public, max-age=3600"),
        ],
        STYLESHEET,
    )
        .into_response()
}

pub async fn image(Path(file): Path<String>) -> Result<Response> {
    let product = file
        .strip_suffix(".svg")
        .and_then(catalogue::product)
        .ok_or(ShopError::NotFound)?;
    Ok((
        [
            (header::CONTENT_TYPE, "image/svg+xml"),
            (header::CACHE_CONTROL, "public, max-age=3600"),
        ],
        product.image_svg,
    )
        .into_response())
}

pub async fn not_found() -> ShopError {
    ShopError::NotFound
}

// ---- cart ----------------------------------------------------------------------------------

#[derive(Deserialize)]
pub struct CartForm {
    csrf: String,
    product: String,
    quantity: Option<String>,
}

pub async fn cart(State(shop): State<Shop>, headers: HeaderMap) -> Result<Response> {
    let mut ctx = shop.session(&headers);
    let cart = shop
        .data()
        .sessions
        .get(&ctx.id)
        .map(|s| s.cart.clone())
        .unwrap_or_default();
    let mut total = 0u64;
    let mut lines = Vec::new();
    for (id, quantity) in cart {
        let Some(p) = catalogue::product(id) else {
            continue;
        };
        let line_total = p.price_minor * u64::from(quantity);
        total += line_total;
        lines.push(CartLine {
            id: p.id,
            name: p.name,
            quantity,
            unit_price: catalogue::display(p.price_minor),
            line_total: catalogue::display(line_total),
        });
    }
    let view = CartPage {
        layout: layout(&mut ctx),
        csrf: ctx.csrf.clone(),
        lines,
        total: catalogue::display(total),
    };
    page(&ctx, view)
}

pub async fn cart_add(
    State(shop): State<Shop>,
    headers: HeaderMap,
    Form(form): Form<CartForm>,
) -> Result<Response> {
    let session_id = shop
        .check_csrf(&headers, &form.csrf)
        .ok_or(ShopError::Csrf)?;
    let product = catalogue::product(&form.product).ok_or(ShopError::NotFound)?;
    let add = match form.quantity.as_deref() {
        None | Some("") => 1,
        Some(q) => q
            .parse::<u32>()
            .ok()
            .filter(|q| (1..=MAX_QUANTITY).contains(q))
            .ok_or(ShopError::BadQuantity)?,
    };
    if let Some(s) = shop.data().sessions.get_mut(&session_id) {
        let q = s.cart.entry(product.id).or_insert(0);
        *q = (*q + add).min(MAX_QUANTITY);
        s.flash = Some(Flash::ok(format!("Added {} to your cart.", product.name)));
    }
    Ok(see_other("/"))
}

pub async fn cart_update(
    State(shop): State<Shop>,
    headers: HeaderMap,
    Form(form): Form<CartForm>,
) -> Result<Response> {
    let session_id = shop
        .check_csrf(&headers, &form.csrf)
        .ok_or(ShopError::Csrf)?;
    let product = catalogue::product(&form.product).ok_or(ShopError::NotFound)?;
    let quantity = form
        .quantity
        .as_deref()
        .and_then(|q| q.trim().parse::<u32>().ok())
        .filter(|q| *q <= MAX_QUANTITY)
        .ok_or(ShopError::BadQuantity)?;
    if let Some(s) = shop.data().sessions.get_mut(&session_id) {
        if quantity == 0 {
            s.cart.remove(product.id);
        } else {
            s.cart.insert(product.id, quantity);
        }
    }
    Ok(see_other("/cart"))
}

// ---- checkout ------------------------------------------------------------------------------

#[derive(Deserialize)]
pub struct CsrfForm {
    csrf: String,
}

/// Cart → order → createPaymentSession → 303 to the hosted checkout.
pub async fn checkout(
    State(shop): State<Shop>,
    headers: HeaderMap,
    peer: Option<Extension<ConnectInfo<SocketAddr>>>,
    Form(form): Form<CsrfForm>,
) -> Result<Response> {
    let session_id = shop
        .check_csrf(&headers, &form.csrf)
        .ok_or(ShopError::Csrf)?;
    // Freeze the cart into an order, recorded before the gateway hears of
    // it, so that even a notification racing the response finds it.
    let (order, payment_order) = {
        let mut data = shop.data();
        if data.orders.len() >= MAX_ORDERS {
            return Err(ShopError::Full);
        }
        let Some(session) = data.sessions.get(&session_id) else {
            return Err(ShopError::Csrf);
        };
        let lines: Vec<OrderLine> = session
            .cart
            .iter()
            .filter_map(|(id, q)| {
                catalogue::product(id).map(|p| OrderLine {
                    product_id: p.id,
                    name: p.name,
                    quantity: *q,
                    unit_minor: p.price_minor,
                })
            })
            .collect();
        if lines.is_empty() {
            shop.flash_locked(&mut data, &session_id, Flash::error("Your cart is empty."));
            return Ok(see_other("/cart"));
        }
        let id = format!("ORDER-{}", random_hex(8));
        // The client sums unit × quantity into the order amount, in integers
        // (docs/protocol.md §5.5); the shop records the same total.
        let payment_order = payment_order(&shop, &id, &lines, &session.buyer_id)
            .map_err(|_| ShopError::BadQuantity)?;
        data.next_seq += 1;
        let order = Order {
            id,
            seq: data.next_seq,
            lines,
            total_minor: payment_order.amount().minor(),
            normal_url: None,
            payment_id: None,
            payment_method: None,
            payment: Payment::Awaiting,
            source: Source::Checkout,
            refunds: Vec::new(),
        };
        data.orders.insert(order.id.clone(), order.clone());
        (order, payment_order)
    };

    // The order id doubles as the paymentRequestId.
    let request = CreatePaymentSession::new(
        &order.id,
        payment_order,
        format!("{}/orders/{}", shop.public_url(), order.id),
    )
    .notify_url(shop.notify_url())
    .settlement_currency(catalogue::currency())
    .terminal_type(TerminalType::Web);
    // The buyer's address, for card risk control (absent when the router
    // runs without connection info, as in tests).
    let request = match peer {
        Some(Extension(ConnectInfo(addr))) => request.client_ip(addr.ip().to_string()),
        None => request,
    };
    let created = shop.client().send_with_retry(&request, &retry()).await;
    let mut data = shop.data();
    match created {
        Ok(session) => {
            if let Some(o) = data.orders.get_mut(&order.id) {
                o.normal_url = Some(session.normal_url.clone());
            }
            if let Some(s) = data.sessions.get_mut(&session_id) {
                s.cart.clear();
            }
            tracing::info!(order = %order.id, "payment session created");
            Ok(see_other(&session.normal_url))
        }
        Err(e) => {
            // Nothing to pay: forget the order and keep the cart.
            data.orders.remove(&order.id);
            Err(ShopError::Gateway(e))
        }
    }
}

/// The order as the gateway sees it: goods with quantities and unit prices;
/// the client makes their sum the order (and payment) amount.
fn payment_order(
    shop: &Shop,
    id: &str,
    lines: &[OrderLine],
    buyer_id: &str,
) -> Result<PaymentOrder, cashier_client::Error> {
    let goods = lines.iter().map(|l| {
        Goods::new(
            l.product_id,
            l.name,
            catalogue::amount(l.unit_minor),
            l.quantity,
        )
        .url(format!("{}/", shop.public_url()))
    });
    let description = lines
        .iter()
        .map(|l| format!("{} × {}", l.quantity, l.name))
        .collect::<Vec<_>>()
        .join(", ");
    // The demo's one buyer persona: fixed, fake contact details (a reserved
    // domain and number) so the request carries every field Antom's guide
    // asks for when cards are offered, and shows no integration warning.
    let buyer = Buyer::new(buyer_id, "Demo Buyer")
        .email("demo-buyer@cashier.test")
        .phone("+65 6000 0000");
    Ok(PaymentOrder::with_goods(id, description, goods)?.buyer(buyer))
}

// ---- the return page -----------------------------------------------------------------------

/// `paymentRedirectUrl`: the order's real status. A verified notification is
/// authoritative; without one the shop asks the gateway (inquiryPayment) —
/// never the redirect itself, which carries no result and can be forged.
pub async fn order_page(
    State(shop): State<Shop>,
    Path(id): Path<String>,
    headers: HeaderMap,
) -> Result<Response> {
    let mut ctx = shop.session(&headers);
    let known = shop
        .data()
        .orders
        .get(&id)
        .cloned()
        .ok_or(ShopError::NotFound)?;
    let mut detail = None;
    let order = if known.payment.is_final() && known.source == Source::Notification {
        known
    } else {
        let inquiry = shop
            .client()
            .send_with_retry(&InquiryPayment::by_request_id(&id), &retry())
            .await;
        let mut data = shop.data();
        let order = data.orders.get_mut(&id).ok_or(ShopError::NotFound)?;
        match inquiry {
            Ok(r) => {
                // A notification may have landed while we asked: it wins.
                if !(order.payment.is_final() && order.source == Source::Notification) {
                    order.payment = match r.status {
                        PaymentStatus::Success => Payment::Paid,
                        PaymentStatus::Fail => Payment::Failed {
                            code: r.result_code.unwrap_or_default(),
                            message: r.result_message.unwrap_or_default(),
                        },
                        PaymentStatus::Cancelled => Payment::Cancelled,
                        _ => Payment::Awaiting,
                    };
                    if order.payment.is_final() {
                        order.source = Source::Inquiry;
                    }
                    order.payment_id = Some(r.payment_id);
                    order.payment_method = r.payment_method_type.or(order.payment_method.take());
                }
            }
            Err(e) => {
                tracing::warn!(order = %id, error = %e, "inquiryPayment failed");
                detail = Some(format!(
                    "The gateway could not be asked just now ({e}); reload to try again."
                ));
            }
        }
        order.clone()
    };

    let (heading, default_detail) = match &order.payment {
        Payment::Paid if order.refunded_minor() >= order.total_minor => ("Order refunded", None),
        Payment::Paid => ("Order paid", None),
        Payment::Failed { code, message } => (
            "Payment failed",
            Some(format!(
                "{code}: {message} Nothing was charged; place the order again to retry."
            )),
        ),
        Payment::Cancelled => ("Order cancelled", None),
        Payment::Awaiting => (
            "Awaiting payment",
            Some(
                "The payment is not complete yet. If your card was declined, you can try again."
                    .to_string(),
            ),
        ),
    };
    let source = match order.source {
        Source::Notification => "Confirmed by a signed payment notification from the gateway.",
        Source::Inquiry => {
            "Confirmed by asking the gateway (inquiryPayment); no notification has arrived yet."
        }
        Source::Checkout => "The gateway reports no final result yet.",
    };
    let view = OrderPage {
        layout: layout(&mut ctx),
        id: order.id.clone(),
        heading: heading.into(),
        status: order.status_label(),
        source: source.into(),
        detail: detail.or(default_detail),
        lines: order
            .lines
            .iter()
            .map(|l| LineView {
                name: l.name,
                quantity: l.quantity,
                unit_price: catalogue::display(l.unit_minor),
                line_total: catalogue::display(l.unit_minor * u64::from(l.quantity)),
            })
            .collect(),
        total: catalogue::display(order.total_minor),
        payment_method: order
            .payment_method
            .as_deref()
            .filter(|_| order.payment == Payment::Paid)
            .map(|code| catalogue::method_name(code).to_string()),
        pay_url: order
            .normal_url
            .clone()
            .filter(|_| order.payment == Payment::Awaiting),
        refunds: refund_views(&order),
    };
    page(&ctx, view)
}

fn refund_views(order: &Order) -> Vec<RefundView> {
    order
        .refunds
        .iter()
        .map(|r| RefundView {
            request_id: r.request_id.clone(),
            amount: catalogue::display(r.amount_minor),
            state: match &r.state {
                RefundState::Succeeded if r.notified => "refunded (notification received)".into(),
                RefundState::Succeeded => "refunded".into(),
                RefundState::Processing => "processing".into(),
                RefundState::Failed { code, message } => format!("failed: {code} {message}"),
            },
        })
        .collect()
}

// ---- orders and refunds --------------------------------------------------------------------

pub async fn orders(State(shop): State<Shop>, headers: HeaderMap) -> Result<Response> {
    let mut ctx = shop.session(&headers);
    let data = shop.data();
    let rows = data
        .orders_newest_first()
        .into_iter()
        .map(|o| OrderRow {
            id: o.id.clone(),
            items: o
                .lines
                .iter()
                .map(|l| format!("{} × {}", l.quantity, l.name))
                .collect::<Vec<_>>()
                .join(", "),
            total: catalogue::display(o.total_minor),
            status: o.status_label(),
            method: o
                .payment_method
                .as_deref()
                .map(catalogue::method_name)
                .unwrap_or_default()
                .to_string(),
            refunded: catalogue::display(o.refunded_minor()),
            refundable: o.refundable_minor() > 0 && o.payment_id.is_some(),
            remaining: catalogue::amount(o.refundable_minor()).major_string(),
            refunds: refund_views(o),
        })
        .collect();
    drop(data);
    let view = OrdersPage {
        layout: layout(&mut ctx),
        csrf: ctx.csrf.clone(),
        currency: catalogue::CURRENCY,
        orders: rows,
    };
    page(&ctx, view)
}

#[derive(Deserialize)]
pub struct RefundForm {
    csrf: String,
    /// In major units; absent for "Refund in full" (what remains).
    amount: Option<String>,
}

/// Refunds part or all of a paid order through the refund API and reports
/// the result on the orders page.
pub async fn refund(
    State(shop): State<Shop>,
    Path(id): Path<String>,
    headers: HeaderMap,
    Form(form): Form<RefundForm>,
) -> Result<Response> {
    let session_id = shop
        .check_csrf(&headers, &form.csrf)
        .ok_or(ShopError::Csrf)?;
    // Reserve the amount under the lock, so two clicks cannot over-refund.
    let (request, request_id) = {
        let mut data = shop.data();
        let order = data.orders.get_mut(&id).ok_or(ShopError::NotFound)?;
        let refundable = order.refundable_minor();
        let amount = match form.amount.as_deref().map(str::trim) {
            None | Some("") => Some(refundable),
            Some(text) => catalogue::parse_major(text),
        };
        let problem = match (amount, &order.payment_id) {
            _ if refundable == 0 => Some("This order has nothing left to refund.".to_string()),
            (_, None) => Some("This order has no payment to refund.".to_string()),
            (None, _) => Some(format!(
                "Enter an amount such as 5.00 (at most {}).",
                catalogue::display(refundable)
            )),
            (Some(a), _) if a > refundable => Some(format!(
                "At most {} can still be refunded.",
                catalogue::display(refundable)
            )),
            _ => None,
        };
        if let Some(problem) = problem {
            shop.flash_locked(&mut data, &session_id, Flash::error(problem));
            return Ok(see_other("/orders"));
        }
        let (amount, payment_id) = (
            amount.unwrap_or(0),
            order.payment_id.clone().unwrap_or_default(),
        );
        let request_id = format!("{}-RF{}", order.id, order.refunds.len() + 1);
        order.refunds.push(Refund {
            request_id: request_id.clone(),
            amount_minor: amount,
            state: RefundState::Processing,
            refund_id: None,
            notified: false,
        });
        let request = RefundPayment::new(&request_id, payment_id, catalogue::amount(amount))
            .reference_refund_id(&request_id)
            .reason("Refunded from the demo shop's orders page")
            .notify_url(shop.notify_url());
        (request, request_id)
    };

    let result = shop.client().send_with_retry(&request, &retry()).await;
    let mut data = shop.data();
    let flash = {
        let Some(refund) = data
            .order_with_refund(&request_id)
            .and_then(|o| o.refunds.iter_mut().find(|r| r.request_id == request_id))
        else {
            return Ok(see_other("/orders"));
        };
        let amount = catalogue::display(refund.amount_minor);
        match result {
            Ok(r) => {
                // notifyRefund may already have settled it; SUCCESS either way.
                refund.state = RefundState::Succeeded;
                refund.refund_id = Some(r.refund_id);
                Flash::ok(format!("Refund of {amount} for {id} succeeded."))
            }
            Err(cashier_client::Error::Api {
                result_code,
                result_status: ResultStatus::F,
                result_message,
            }) => {
                let flash = Flash::error(format!(
                    "Refund of {amount} for {id} failed: {result_code} ({result_message})"
                ));
                refund.state = RefundState::Failed {
                    code: result_code,
                    message: result_message,
                };
                flash
            }
            Err(e) => Flash::error(format!(
                "Refund of {amount} for {id} is not confirmed yet ({e}); its notification will settle it."
            )),
        }
    };
    shop.flash_locked(&mut data, &session_id, flash);
    Ok(see_other("/orders"))
}

impl Shop {
    /// [`Shop::flash`] for a caller already holding the lock.
    fn flash_locked(&self, data: &mut crate::state::ShopData, session_id: &str, flash: Flash) {
        if let Some(s) = data.sessions.get_mut(session_id) {
            s.flash = Some(flash);
        }
    }
}
