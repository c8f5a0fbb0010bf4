//! Page views: plain structs rendered by compiled askama templates
//! (`templates/`). Askama HTML-escapes every value; nothing is marked safe.

use askama::Template;

use crate::state::Flash;

/// What the layout (`base.html`) shows on every page.
pub struct Layout {
    pub cart_count: u32,
    pub flash: Option<Flash>,
}

pub struct ProductCard {
    pub id: &'static str,
    pub name: &'static str,
    pub description: &'static str,
    pub price: String,
}

#[derive(Template)]
#[template(path = "catalogue.html")]
pub struct CataloguePage {
    pub layout: Layout,
    pub csrf: String,
    pub products: Vec<ProductCard>,
}

pub struct CartLine {
    pub id: &'static str,
    pub name: &'static str,
    pub quantity: u32,
    pub unit_price: String,
    pub line_total: String,
}

#[derive(Template)]
#[template(path = "cart.html")]
pub struct CartPage {
    pub layout: Layout,
    pub csrf: String,
    pub lines: Vec<CartLine>,
    pub total: String,
}

pub struct LineView {
    pub name: &'static str,
    pub quantity: u32,
    pub unit_price: String,
    pub line_total: String,
}

pub struct RefundView {
    pub request_id: String,
    pub amount: String,
    pub state: String,
}

#[derive(Template)]
#[template(path = "order.html")]
pub struct OrderPage {
    pub layout: Layout,
    pub id: String,
    pub heading: String,
    pub status: String,
    /// How the status is known, in words.
    pub source: String,
    pub detail: Option<String>,
    pub lines: Vec<LineView>,
    pub total: String,
    /// The display name of the method that paid ("Card", "Alipay").
    pub payment_method: Option<String>,
    /// Back to the hosted checkout while the order awaits payment.
    pub pay_url: Option<String>,
    pub refunds: Vec<RefundView>,
}

pub struct OrderRow {
    pub id: String,
    pub items: String,
    pub total: String,
    pub status: String,
    /// The display name of the payment method, once known (else empty).
    pub method: String,
    pub refunded: String,
    pub refundable: bool,
    pub remaining: String,
    pub refunds: Vec<RefundView>,
}

#[derive(Template)]
#[template(path = "orders.html")]
pub struct OrdersPage {
    pub layout: Layout,
    pub csrf: String,
    pub currency: &'static str,
    pub orders: Vec<OrderRow>,
}

#[derive(Template)]
#[template(path = "error.html")]
pub struct ErrorPage {
    pub layout: Layout,
    pub title: String,
    pub message: String,
}
