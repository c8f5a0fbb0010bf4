//! `cashier demo`: the gateway plus the demo shop (`cashier-demo-shop`), with
//! nothing to configure. A demo merchant is created on first start (and
//! reused with `--data-dir`); the shop is a real merchant on the Rust SDK:
//! it creates sessions, receives and verifies notifications, asks
//! inquiryPayment and refunds.

use std::net::SocketAddr;
use std::path::PathBuf;

use anyhow::{Context, Result};
use base64::Engine as _;
use cashier_client::{Client, ClientConfig};
use cashier_demo_shop::{Shop, ShopConfig};
use cashier_gateway::{merchants, Application, Config};

#[derive(clap::Args, Clone)]
pub struct DemoArgs {
    /// Gateway address (port 0 picks a free port).
    #[arg(long, default_value = "127.0.0.1:8080")]
    listen: SocketAddr,
    /// Demo shop address (port 0 picks a free port).
    #[arg(long, default_value = "127.0.0.1:8081")]
    shop_listen: SocketAddr,
    /// Keep data here instead of a fresh temporary directory.
    #[arg(long, env = "CASHIER_DATA_DIR")]
    data_dir: Option<PathBuf>,
}

#[derive(serde::Serialize, serde::Deserialize)]
struct DemoMerchant {
    client_id: String,
    private_key_pkcs8: String,
}

pub async fn run(args: DemoArgs) -> Result<()> {
    let data_dir = match args.data_dir {
        Some(d) => d,
        None => tempfile_dir()?,
    };
    let mut config = Config::new(&data_dir);
    config.listen = args.listen;
    config.allow_private_notify = true;
    config.sandbox_simulation = true;
    let app = Application::build(config).await?;
    let state = app.state();
    let gateway_url = state.public_url.clone();

    let merchant = ensure_merchant(&state, &data_dir).await?;
    let client = Client::new(ClientConfig::new(
        &gateway_url,
        &merchant.client_id,
        &merchant.private_key_pkcs8,
        &state.gateway_key.public.to_base64(),
    )?)?;
    let shop_listener = tokio::net::TcpListener::bind(args.shop_listen)
        .await
        .with_context(|| format!("binding the demo shop to {}", args.shop_listen))?;
    let shop_url = format!("http://{}", shop_listener.local_addr()?);
    let shop = Shop::new(ShopConfig {
        client,
        public_url: shop_url.clone(),
    });

    println!("Cashier demo");
    println!("  Demo shop:   {shop_url}/");
    println!(
        "  Gateway:     {gateway_url}  (client id {})",
        merchant.client_id
    );
    println!("  Data dir:    {}", data_dir.display());
    println!("Sandbox test cards (any future expiry, any 3-digit code, any name):");
    println!("  4242 4242 4242 4242   success");
    println!("  5555 5555 5555 4444   success");
    println!("  4000 0000 0000 0002   declined (try again)");
    println!("  4000 0000 0000 9995   insufficient funds (try again)");
    println!("  4000 0000 0000 3220   3-D Secure challenge");
    println!("  4000 0000 0000 0119   risk rejected (final)");
    println!("  4000 0000 0000 0077   succeeds asynchronously after 10 s");
    println!("Wallets: pick one, scan the QR code (or open the link) and approve, decline or leave pending.");
    println!("Orders and refunds: {shop_url}/orders");
    let shop_server = cashier_demo_shop::serve(shop_listener, shop);
    tokio::select! {
        r = app.run_until(crate::shutdown_signal()) => r?,
        r = shop_server => r?,
    }
    Ok(())
}

fn tempfile_dir() -> Result<PathBuf> {
    let dir = std::env::temp_dir().join(format!("cashier-demo-{}", std::process::id()));
    std::fs::create_dir_all(&dir)?;
    Ok(dir)
}

async fn ensure_merchant(
    state: &cashier_gateway::state::AppState,
    data_dir: &std::path::Path,
) -> Result<DemoMerchant> {
    let file = data_dir.join("demo-merchant.json");
    if let Ok(text) = std::fs::read_to_string(&file) {
        let m: DemoMerchant = serde_json::from_str(&text)?;
        if state.store.merchant(&m.client_id).await?.is_some() {
            return Ok(m);
        }
    }
    let created = merchants::create(
        state.store.as_ref(),
        merchants::NewMerchant {
            name: "Demo Shop",
            client_id: None,
            public_key: None,
            generate_key: true,
            notify_url: None,
            logo: None,
            fee_bps: 0,
            now_ms: chrono::Utc::now().timestamp_millis(),
        },
    )
    .await?;
    let key = created.private_key.expect("generated");
    let m = DemoMerchant {
        client_id: created.merchant.client_id,
        private_key_pkcs8: base64::engine::general_purpose::STANDARD.encode(key.to_pkcs8_der()),
    };
    std::fs::write(&file, serde_json::to_string(&m)?)?;
    Ok(m)
}
