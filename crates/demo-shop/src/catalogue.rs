//! The products the shop sells, with the images it ships.
//!
//! A fixed list compiled into the binary: a demo needs no product database.
//! Prices are integers in minor units of [`CURRENCY`]; formatting goes through
//! the protocol crate's [`Amount`], the one place that knows currency decimals.

use cashier_client::cashier_protocol::{Amount, Currency};

/// The shop's currency (every product is priced in it).
pub const CURRENCY: &str = "SGD";

/// One product of the catalogue.
#[derive(Debug)]
pub struct Product {
    /// Stable id: `referenceGoodsId` on the wire and the image file name.
    pub id: &'static str,
    pub name: &'static str,
    pub description: &'static str,
    /// Unit price in minor units of [`CURRENCY`].
    pub price_minor: u64,
    /// The product image (SVG, served by the shop at `/img/{id}.svg`).
    pub image_svg: &'static str,
}

/// Every product, in display order.
pub const PRODUCTS: &[Product] = &[
    Product {
        id: "tshirt",
        name: "Cashier T-shirt",
        description: "Soft cotton tee with the Cashier receipt print.",
        price_minor: 2500,
        image_svg: include_str!("../assets/img/tshirt.svg"),
    },
    Product {
        id: "mug",
        name: "Kopi mug",
        description: "Holds one kopi, or two if you are brave.",
        price_minor: 1250,
        image_svg: include_str!("../assets/img/mug.svg"),
    },
    Product {
        id: "tote",
        name: "Canvas tote bag",
        description: "Carries groceries, laptops and receipts.",
        price_minor: 1800,
        image_svg: include_str!("../assets/img/tote.svg"),
    },
    Product {
        id: "stickers",
        name: "Sticker pack",
        description: "Six stickers for laptops and lunch boxes.",
        price_minor: 490,
        image_svg: include_str!("../assets/img/stickers.svg"),
    },
];

/// Looks a product up by id.
pub fn product(id: &str) -> Option<&'static Product> {
    PRODUCTS.iter().find(|p| p.id == id)
}

/// The shop currency.
pub fn currency() -> Currency {
    Currency::from_code(CURRENCY).expect("the shop currency is supported")
}

/// An amount in the shop currency.
pub fn amount(minor: u64) -> Amount {
    Amount::new(currency(), minor)
}

/// `SGD 25.00`.
pub fn display(minor: u64) -> String {
    amount(minor).display()
}

/// The name buyers know a payment method by, for a `paymentMethodType` code
/// (`ALIPAY_CN` → `Alipay`); an unknown code is shown as it is.
pub fn method_name(code: &str) -> &str {
    match code {
        "CARD" => "Card",
        "ALIPAY_CN" => "Alipay",
        "ALIPAY_HK" => "AlipayHK",
        "GRABPAY_SG" => "GrabPay",
        "GCASH" => "GCash",
        "DANA" => "DANA",
        "TRUEMONEY" => "TrueMoney",
        "KAKAOPAY" => "Kakao Pay",
        "TNG" => "Touch 'n Go eWallet",
        "BOOST" => "Boost",
        "MAYA" => "Maya",
        "BKASH" => "bKash",
        "EASYPAISA" => "Easypaisa",
        "PAYPAY" => "PayPay",
        "ZALOPAY" => "ZaloPay",
        "JKOPAY" => "JKOPay",
        other => other,
    }
}

/// Parses an amount typed in major units (`5`, `5.5`, `5.50`) into minor
/// units of the shop currency, with integer arithmetic only. `None` for
/// anything else: signs, exponents, too many decimals, zero, overflow.
pub fn parse_major(text: &str) -> Option<u64> {
    let text = text.trim();
    let exponent = u32::from(currency().exponent());
    let (whole, fraction) = match text.split_once('.') {
        Some((w, f)) => (w, f),
        None => (text, ""),
    };
    let digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
    if whole.is_empty() || !digits(whole) || !digits(fraction) || fraction.len() > exponent as usize
    {
        return None;
    }
    if text.ends_with('.') {
        return None;
    }
    let whole: u64 = whole.parse().ok()?;
    let mut fraction_minor: u64 = if fraction.is_empty() {
        0
    } else {
        fraction.parse().ok()?
    };
    for _ in fraction.len()..exponent as usize {
        fraction_minor *= 10;
    }
    let minor = whole
        .checked_mul(10u64.pow(exponent))?
        .checked_add(fraction_minor)?;
    (minor > 0).then_some(minor)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_major_units_without_floats() {
        assert_eq!(parse_major("5"), Some(500));
        assert_eq!(parse_major("5.5"), Some(550));
        assert_eq!(parse_major(" 12.05 "), Some(1205));
        assert_eq!(parse_major("0.01"), Some(1));
        for bad in [
            "",
            "0",
            "0.00",
            "-1",
            "+1",
            "1e2",
            "1.234",
            "1.",
            ".5",
            "1,00",
            "abc",
            "99999999999999999999",
        ] {
            assert_eq!(parse_major(bad), None, "{bad:?}");
        }
    }

    #[test]
    fn products_have_unique_ids_and_images() {
        for (i, p) in PRODUCTS.iter().enumerate() {
            assert!(PRODUCTS[i + 1..].iter().all(|q| q.id != p.id));
            assert!(p.image_svg.starts_with("<svg"));
            assert!(p.price_minor > 0);
        }
        assert_eq!(display(490), "SGD 4.90");
    }

    #[test]
    fn payment_methods_show_their_names() {
        assert_eq!(method_name("ALIPAY_CN"), "Alipay");
        assert_eq!(method_name("CARD"), "Card");
        assert_eq!(method_name("NEW_WALLET"), "NEW_WALLET");
    }
}
