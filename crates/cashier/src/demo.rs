//! `cashier demo`: the gateway plus the demo shop (`cashier-demo-shop`), with
//! nothing to configure. A demo merchant and its dashboard user are created
//! on first start (and reused with `--data-dir`); the shop is a real
//! merchant on the Rust SDK: it creates sessions, receives and verifies
//! notifications, asks inquiryPayment and refunds.
//!
//! Both addresses are bound before anything else happens, so a busy port
//! ends the demo at once with the flag to change. Without `--data-dir` the
//! data lives in a fresh owner-only temporary directory that is removed
//! when the demo ends (Ctrl-C, SIGTERM or a failed start).

use std::net::SocketAddr;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result};
use base64::Engine as _;
use cashier_client::{Client, ClientConfig};
use cashier_demo_shop::{Shop, ShopConfig};
use cashier_gateway::dashboard::auth;
use cashier_gateway::store::ClientId;
use cashier_gateway::{merchants, Application, Config};

/// The demo merchant's dashboard user.
pub const DEMO_EMAIL: &str = "demo@cashier.test";

#[derive(clap::Args, Clone)]
pub struct DemoArgs {
    /// Gateway address (port 0 picks a free port).
    #[arg(long, default_value = "127.0.0.1:8080")]
    listen: SocketAddr,
    /// Demo shop address (port 0 picks a free port).
    #[arg(long, default_value = "127.0.0.1:8081")]
    shop_listen: SocketAddr,
    /// Keep data here, across runs, instead of in a fresh temporary
    /// directory that is removed when the demo ends. (CASHIER_DATA_DIR is
    /// not read: the demo never writes into a `serve` data directory unless
    /// told to.)
    #[arg(long)]
    data_dir: Option<PathBuf>,
}

#[derive(serde::Serialize, serde::Deserialize)]
struct DemoMerchant {
    client_id: String,
    private_key_pkcs8: String,
    /// The dashboard user's password (files of older demos have none).
    #[serde(default)]
    dashboard_password: Option<String>,
}

/// Binds `addr`, or says which flag to change.
async fn bind(addr: SocketAddr, what: &str, flag: &str) -> Result<tokio::net::TcpListener> {
    tokio::net::TcpListener::bind(addr).await.with_context(|| {
        format!(
            "cannot bind {what} to {addr}: choose another address with {flag} \
             (for example {flag} 127.0.0.1:0, where port 0 picks a free port)"
        )
    })
}

pub async fn run(args: DemoArgs) -> Result<()> {
    let gateway_listener = bind(args.listen, "the gateway", "--listen").await?;
    let shop_listener = bind(args.shop_listen, "the demo shop", "--shop-listen").await?;
    // Removed when this function returns, however it returns.
    let temporary;
    let is_temporary = args.data_dir.is_none();
    let data_dir = match args.data_dir {
        Some(d) => d,
        None => {
            let mut builder = tempfile::Builder::new();
            builder.prefix("cashier-demo-");
            #[cfg(unix)]
            builder.permissions(std::os::unix::fs::PermissionsExt::from_mode(0o700));
            temporary = builder
                .tempdir()
                .context("creating a temporary data directory")?;
            temporary.path().to_path_buf()
        }
    };
    let mut config = Config::new(&data_dir);
    config.listen = gateway_listener.local_addr()?;
    config.allow_private_notify = true;
    config.sandbox_simulation = true;
    config.sandbox_clocks = true;
    let app = Application::build_with_listener(config, gateway_listener).await?;
    let state = app.state();
    let gateway_url = state.public_url.clone();

    let merchant = ensure_merchant(&state, &data_dir).await?;
    let password = ensure_dashboard_user(&state, &data_dir, &merchant).await?;
    let client = Client::new(ClientConfig::new(
        &gateway_url,
        &merchant.client_id,
        &merchant.private_key_pkcs8,
        &state.gateway_key.public.to_base64(),
    )?)?;
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
    println!("  Dashboard:   {gateway_url}/dashboard/  (email {DEMO_EMAIL}, password {password})");
    println!(
        "  Data dir:    {}{}",
        data_dir.display(),
        if is_temporary {
            "  (temporary: removed when the demo stops; keep data with --data-dir DIR)"
        } else {
            ""
        }
    );
    print_test_cards();
    println!("Wallets: pick one, scan the QR code (or open the link) and approve, decline or leave pending.");
    println!("Orders and refunds: {shop_url}/orders");
    println!(
        "Sandbox clocks are on: move the shop's clock with `cashier clock advance --data-dir {} --client-id {} 25h` \
         (or the dashboard's Developers page); docs/testing-your-integration.md",
        data_dir.display(),
        merchant.client_id
    );
    let shop_server = cashier_demo_shop::serve(shop_listener, shop);
    tokio::select! {
        r = app.run_until(crate::shutdown_signal()) => r?,
        r = shop_server => r?,
    }
    Ok(())
}

/// Writes `demo-merchant.json` readable by its owner only: it holds the
/// demo merchant's private key and dashboard password.
fn write_private(file: &Path, m: &DemoMerchant) -> Result<()> {
    use std::io::Write as _;
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create(true).truncate(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    let mut f = options
        .open(file)
        .with_context(|| format!("writing {}", file.display()))?;
    #[cfg(unix)]
    f.set_permissions(std::os::unix::fs::PermissionsExt::from_mode(0o600))?;
    f.write_all(serde_json::to_string(m)?.as_bytes())?;
    Ok(())
}

/// The dashboard user of the demo merchant, with the password kept in
/// `demo-merchant.json` (made up the first time): the password.
async fn ensure_dashboard_user(
    state: &cashier_gateway::state::AppState,
    data_dir: &Path,
    merchant: &DemoMerchant,
) -> Result<String> {
    let password = match &merchant.dashboard_password {
        Some(p) => p.clone(),
        None => {
            let p = cashier_gateway::ids::token(18);
            let updated = DemoMerchant {
                client_id: merchant.client_id.clone(),
                private_key_pkcs8: merchant.private_key_pkcs8.clone(),
                dashboard_password: Some(p.clone()),
            };
            write_private(&data_dir.join("demo-merchant.json"), &updated)?;
            p
        }
    };
    let created = auth::create_user(
        state.store.as_ref(),
        auth::NewUser {
            email: DEMO_EMAIL,
            client_id: Some(&ClientId::from(&merchant.client_id)),
            admin: false,
            password: Some(&password),
            now: chrono::Utc::now().into(),
        },
    )
    .await;
    match created {
        Ok(_) => {}
        // From an earlier run: make sure the password is the one printed.
        Err(auth::UserError::Exists) => {
            let user = state
                .store
                .dashboard_user_by_email(DEMO_EMAIL)
                .await?
                .context("the demo dashboard user vanished")?;
            let hash = auth::hash_password(&password)?;
            state
                .store
                .set_dashboard_password(&user.user_id, &hash)
                .await?;
        }
        Err(e) => return Err(e.into()),
    }
    Ok(password)
}

async fn ensure_merchant(
    state: &cashier_gateway::state::AppState,
    data_dir: &std::path::Path,
) -> Result<DemoMerchant> {
    let file = data_dir.join("demo-merchant.json");
    if let Ok(text) = std::fs::read_to_string(&file) {
        let m: DemoMerchant = serde_json::from_str(&text)?;
        if state
            .store
            .merchant(&ClientId::from(&m.client_id))
            .await?
            .is_some()
        {
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
            now: chrono::Utc::now().into(),
        },
    )
    .await?;
    let key = created.private_key.expect("generated");
    let m = DemoMerchant {
        client_id: created.merchant.client_id.to_string(),
        private_key_pkcs8: base64::engine::general_purpose::STANDARD.encode(key.to_pkcs8_der()),
        dashboard_password: None,
    };
    write_private(&file, &m)?;
    Ok(m)
}

/// The sandbox test cards, from the processor's own table (the README
/// shows the same, checked by a test).
fn print_test_cards() {
    use cashier_gateway::processor::card::display_number;
    use cashier_gateway::processor::sandbox::{test_number, SCENARIOS, SUCCESS_CARDS, TEST_RANGES};
    println!(
        "Sandbox test cards (any future expiry, any name, a 3-digit code; 4 digits for American Express):"
    );
    let success: Vec<String> = SUCCESS_CARDS
        .iter()
        .map(|(n, _, _)| display_number(n))
        .collect();
    println!("  success: {}", success.join(", "));
    println!("  and for every brand, these scenarios:");
    for s in SCENARIOS {
        println!("  {}", s.label.replace('`', ""));
        let numbers: Vec<String> = TEST_RANGES
            .iter()
            .filter_map(|(brand, _, _)| {
                test_number(brand, s.code).map(|n| format!("{brand} {}", display_number(&n)))
            })
            .collect();
        println!("      {}", numbers[..4].join(" · "));
        println!("      {}", numbers[4..].join(" · "));
    }
}
