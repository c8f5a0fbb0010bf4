//! Assembling and running the server: one way to start it, used by the
//! binary and by every test (`Application::build` → bound address →
//! `run_until_stopped`).

use std::net::SocketAddr;
use std::sync::Arc;

use axum::http::{header, HeaderName, HeaderValue, StatusCode};
use axum::middleware::from_fn_with_state;
use axum::response::IntoResponse;
use axum::routing::{get, post};
use axum::serve::ListenerExt;
use axum::Router;
use tokio::net::TcpListener;
use tokio::sync::Notify;
use tower_http::compression::CompressionLayer;
use tower_http::set_header::SetResponseHeaderLayer;

use crate::clock::{Clock, SystemClock};
use crate::config::Config;
use crate::keys::{GatewayKey, KeyFileError};
use crate::merchant_cache::{MerchantCache, MerchantClocks};
use crate::processor::sandbox::SandboxProcessor;
use crate::state::{AppState, Services};
use crate::store::{postgres, PostgresStore, SqliteStore, Store, StoreError};
use crate::{api, checkout, dashboard, notify, sandbox, workers};

pub use crate::backup::SQLITE_FILE;

#[derive(Debug, thiserror::Error)]
pub enum StartError {
    #[error(transparent)]
    Key(#[from] KeyFileError),
    #[error("cannot open the database: {0}")]
    Store(#[from] StoreError),
    #[error("cannot bind {addr}: {source}")]
    Bind {
        addr: SocketAddr,
        source: std::io::Error,
    },
    #[error("cannot load TLS certificate or key: {0}")]
    Tls(std::io::Error),
    #[error("unsupported database URL {0:?} (use sqlite://PATH or postgres://USER@HOST/DB)")]
    DatabaseUrl(String),
    #[error("server error: {0}")]
    Serve(std::io::Error),
    #[error("cannot lock the data directory: {0}")]
    Lock(#[from] crate::backup::BackupError),
    #[error(
        "the gateway key in {data_dir} (fingerprint {local}) is not the deployment's key (fingerprint {stored}); \
         copy gateway_key.pk8 from an existing node into the data dir"
    )]
    KeyMismatch {
        data_dir: String,
        local: String,
        stored: String,
    },
}

/// Loads the gateway key and checks it is the one every node of this
/// database uses: the first key to meet a database is recorded there, and a
/// node (or `merchant create`) with another key refuses to start instead of
/// signing responses merchants would reject.
pub async fn load_gateway_key(
    config: &Config,
    store: &dyn Store,
) -> Result<GatewayKey, StartError> {
    let key = GatewayKey::load_or_create(&config.data_dir)?;
    let local = key.fingerprint();
    let stored = store
        .setting_or_insert("gateway_key_sha256", &local)
        .await?;
    if stored != local {
        return Err(StartError::KeyMismatch {
            data_dir: config.data_dir.display().to_string(),
            local,
            stored,
        });
    }
    Ok(key)
}

/// Opens the store named by the configuration.
pub async fn open_store(config: &Config) -> Result<Arc<dyn Store>, StartError> {
    let clocks = config.sandbox_clocks;
    match config.database_url.as_deref() {
        None => {
            let io = |path: &std::path::Path| {
                let path = path.to_path_buf();
                move |source| StartError::Key(KeyFileError::Io { path, source })
            };
            crate::files::create_private_dir_all(&config.data_dir).map_err(io(&config.data_dir))?;
            let db = config.data_dir.join(SQLITE_FILE);
            crate::files::create_private_file(&db).map_err(io(&db))?;
            crate::files::warn_if_shared(&[&config.data_dir, &db]);
            Ok(Arc::new(
                SqliteStore::open(&db).await?.with_merchant_clocks(clocks),
            ))
        }
        Some(url) if url.starts_with("sqlite:") => Ok(Arc::new(
            SqliteStore::open_url(url)
                .await?
                .with_merchant_clocks(clocks),
        )),
        Some(url) if postgres::is_postgres_url(url) => Ok(Arc::new(
            PostgresStore::open(url).await?.with_merchant_clocks(clocks),
        )),
        Some(other) => Err(StartError::DatabaseUrl(other.to_string())),
    }
}

pub struct Application {
    listener: TcpListener,
    addr: SocketAddr,
    /// `--metrics-listen`: the operator's listener and its address.
    metrics: Option<(TcpListener, SocketAddr)>,
    /// Held shared while serving from a data directory's SQLite database,
    /// so `cashier restore` cannot replace it underneath.
    _dir_lock: Option<crate::backup::DirLock>,
    state: AppState,
    web: WebState,
}

impl Application {
    /// Builds with the system clock.
    pub async fn build(config: Config) -> Result<Application, StartError> {
        Application::build_with_clock(config, Arc::new(SystemClock)).await
    }

    pub async fn build_with_clock(
        config: Config,
        clock: Arc<dyn Clock>,
    ) -> Result<Application, StartError> {
        Application::build_on(config, clock, None).await
    }

    /// Builds on a listener the caller bound already (`config.listen` is
    /// not used): `cashier demo` binds both of its addresses before
    /// anything starts.
    pub async fn build_with_listener(
        config: Config,
        listener: TcpListener,
    ) -> Result<Application, StartError> {
        Application::build_on(config, Arc::new(SystemClock), Some(listener)).await
    }

    async fn build_on(
        config: Config,
        clock: Arc<dyn Clock>,
        listener: Option<TcpListener>,
    ) -> Result<Application, StartError> {
        let dir_lock = match config.database_url {
            None => Some(crate::backup::DirLock::shared(&config.data_dir)?),
            Some(_) => None,
        };
        let store = open_store(&config).await?;
        let gateway_key = load_gateway_key(&config, store.as_ref()).await?;
        // Logo files of installs from before logos lived in the database.
        match crate::merchants::import_legacy_logos(
            store.as_ref(),
            &config.data_dir,
            clock.now_ts(),
        )
        .await
        {
            Ok(0) => {}
            Ok(n) => tracing::info!(imported = n, "legacy logo files imported"),
            Err(e) => tracing::warn!(error = %e, "cannot import legacy logo files"),
        }
        let listener = match listener {
            Some(l) => l,
            None => TcpListener::bind(config.listen)
                .await
                .map_err(|source| StartError::Bind {
                    addr: config.listen,
                    source,
                })?,
        };
        let addr = listener.local_addr().map_err(|source| StartError::Bind {
            addr: config.listen,
            source,
        })?;
        let metrics_listener = match config.metrics_listen {
            None => {
                if config.metrics_token.is_none() && !config.listen.ip().is_loopback() {
                    tracing::warn!(
                        "/metrics is served to anyone who reaches {}: give it its own address with --metrics-listen or require --metrics-token",
                        config.listen
                    );
                }
                None
            }
            Some(at) => {
                let bind_err = |source| StartError::Bind { addr: at, source };
                let l = TcpListener::bind(at).await.map_err(bind_err)?;
                let bound = l.local_addr().map_err(bind_err)?;
                Some((l, bound))
            }
        };
        let scheme = if config.tls.is_some() {
            "https"
        } else {
            "http"
        };
        let public_url = config
            .public_url
            .clone()
            .unwrap_or_else(|| format!("{scheme}://{addr}"))
            .trim_end_matches('/')
            .to_string();
        let http_client = || {
            reqwest::Client::builder()
                .redirect(reqwest::redirect::Policy::none())
                // Every name goes through the private-address check, and no
                // proxy from the environment gets to resolve it instead.
                .dns_resolver(Arc::new(notify::GuardedResolver {
                    allow_private: config.allow_private_notify,
                }))
                .no_proxy()
                .connect_timeout(config.notify_timeout)
                .timeout(config.notify_timeout)
                .pool_max_idle_per_host(16)
                .user_agent(concat!("Cashier/", env!("CARGO_PKG_VERSION")))
        };
        // reqwest builds no client when the system has no CA certificates.
        // The gateway still starts then, as with reqwest 0.12: notify URLs on
        // http work, those on https fail their handshakes (unknown issuer).
        let http = http_client()
            .build()
            .or_else(|e| {
                tracing::warn!(error = ?e, "no CA certificates: notifications to https URLs will fail");
                http_client().tls_certs_only([]).build()
            })
            .expect("HTTP client configuration is valid");
        let limits = Arc::new(crate::ratelimit::RateLimits::new(&config));
        let gateway_key = Arc::new(gateway_key);
        let merchant_cache = Arc::new(MerchantCache::default());
        let clocks = MerchantClocks::new(
            clock.clone(),
            config.sandbox_clocks,
            merchant_cache.clone(),
            store.clone(),
        );
        let notify_wake = Arc::new(Notify::new());
        let metrics = Arc::new(crate::metrics::Metrics::new());
        let processor: Arc<dyn crate::processor::Processor> = Arc::new(SandboxProcessor);
        let api_log = Arc::new(crate::api_log::ApiLog::default());
        let node_id = format!("node-{}", crate::ids::token(9));
        let payments = Arc::new(crate::payments::Ports {
            store: store.clone(),
            clocks: clocks.clone(),
            processor,
            outbox: notify_wake.clone(),
            metrics: metrics.clone(),
            public_url: public_url.clone(),
            allow_private_notify: config.allow_private_notify,
            async_delay: config.sandbox_async_delay,
        });
        let dispatcher = Arc::new(notify::Dispatcher {
            store: store.clone(),
            clocks: clocks.clone(),
            gateway_key: gateway_key.clone(),
            http,
            metrics: metrics.clone(),
            wake: notify_wake.clone(),
            settings: notify::DeliverySettings::of(&config),
        });
        let workers = Arc::new(workers::Workers {
            payments: payments.clone(),
            data_dir: config.data_dir.clone(),
            node_id: node_id.clone(),
            api_log: api_log.clone(),
            interval: config.worker_interval,
        });
        let state = Arc::new(Services {
            config,
            public_url,
            store,
            gateway_key,
            payments,
            dispatcher,
            workers,
            clocks,
            notify_wake,
            node_id,
            metrics,
            limits,
            api_log,
            merchant_cache,
        });
        Ok(Application {
            listener,
            addr,
            metrics: metrics_listener,
            _dir_lock: dir_lock,
            web: WebState::new(&state),
            state,
        })
    }

    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// The `--metrics-listen` address, once bound.
    pub fn metrics_addr(&self) -> Option<SocketAddr> {
        self.metrics.as_ref().map(|(_, a)| *a)
    }

    pub fn port(&self) -> u16 {
        self.addr.port()
    }

    pub fn state(&self) -> AppState {
        self.state.clone()
    }

    /// The web layers' states (this node's logo cache and the like).
    pub fn web(&self) -> WebState {
        self.web.clone()
    }

    /// Serves until the future is dropped or the process ends. Background
    /// workers (notification dispatcher, expiry and settlement sweeper, the
    /// API request log's flusher) run alongside.
    pub async fn run_until_stopped(self) -> Result<(), StartError> {
        self.run_until(std::future::pending()).await
    }

    /// Serves until `shutdown` completes, then shuts down gracefully: stops
    /// accepting connections, lets requests in flight finish (at most
    /// [`SHUTDOWN_GRACE`]), stops the workers and writes the API request
    /// log's buffer to the store (at most [`SHUTDOWN_FLUSH`]). `cashier
    /// serve` passes SIGTERM / Ctrl-C.
    pub async fn run_until(
        self,
        shutdown: impl std::future::Future<Output = ()> + Send + 'static,
    ) -> Result<(), StartError> {
        let state = self.state.clone();
        let dispatcher = tokio::spawn(notify::run_dispatcher(state.dispatcher.clone()));
        let sweeper = tokio::spawn(workers::run_sweeper(state.workers.clone()));
        let flusher = tokio::spawn(crate::api_log::run_flusher(
            state.api_log.clone(),
            state.store.clone(),
            state.metrics.clone(),
        ));
        let (stop_tx, stop_rx) = tokio::sync::watch::channel(false);
        let trigger = tokio::spawn(async move {
            shutdown.await;
            let _ = stop_tx.send(true);
        });
        let stopped = |mut rx: tokio::sync::watch::Receiver<bool>| async move {
            // An error means the sender is gone without a signal: the
            // shutdown future was dropped, so this never stops.
            if rx.wait_for(|stop| *stop).await.is_err() {
                std::future::pending::<()>().await;
            }
        };
        let router = router(self.web.clone());
        let operations = self.metrics.map(|(listener, _)| {
            let stop = stopped(stop_rx.clone());
            let routes = operations_router(&state);
            tokio::spawn(async move {
                if let Err(e) = axum::serve(listener, routes)
                    .with_graceful_shutdown(stop)
                    .await
                {
                    tracing::error!(error = %e, "the --metrics-listen listener stopped");
                }
            })
        });
        let limits = crate::conn::ConnLimits {
            header_read_timeout: state.config.header_read_timeout,
            keep_alive_timeout: state.config.keep_alive_timeout,
            max_connections: state.config.max_connections,
        };
        let tls = match state.config.tls.clone() {
            None => None,
            Some(tls) => {
                // aws-lc-rs is the only provider linked (deny.toml bans
                // ring), but name it rather than have rustls guess from its
                // crate features, which fails once a second one is linked.
                let _ = rustls::crypto::aws_lc_rs::default_provider().install_default();
                let loaded =
                    axum_server::tls_rustls::RustlsConfig::from_pem_file(&tls.cert, &tls.key)
                        .await
                        .map_err(StartError::Tls)?;
                let mut config = (*loaded.get_inner()).clone();
                // Served as HTTP/1.1, which every SDK speaks.
                config.alpn_protocols = vec![b"http/1.1".to_vec()];
                Some(Arc::new(config))
            }
        };
        // TapIo: its address type is what ConnectInfo<SocketAddr> reads.
        let listener = crate::conn::GuardedListener::new(self.listener, tls, limits).tap_io(|_| {});
        let serving = async {
            axum::serve(
                listener,
                router.into_make_service_with_connect_info::<SocketAddr>(),
            )
            .with_graceful_shutdown(stopped(stop_rx.clone()))
            .await
            .map_err(StartError::Serve)
        };
        let deadline = async {
            stopped(stop_rx.clone()).await;
            tokio::time::sleep(SHUTDOWN_GRACE).await;
            tracing::warn!("requests still open after {SHUTDOWN_GRACE:?}; stopping anyway");
        };
        let result = tokio::select! {
            r = serving => r,
            () = deadline => Ok(()),
        };
        trigger.abort();
        if let Some(ops) = operations {
            ops.abort();
        }
        dispatcher.abort();
        sweeper.abort();
        state.api_log.close();
        match tokio::time::timeout(SHUTDOWN_FLUSH, flusher).await {
            Ok(_) => tracing::info!(
                dropped = state.api_log.dropped(),
                "API request log written; stopped"
            ),
            Err(_) => tracing::warn!(
                "the API request log could not be written within {SHUTDOWN_FLUSH:?}; its last entries are lost"
            ),
        }
        result
    }
}

/// How long a graceful shutdown waits for requests in flight.
pub const SHUTDOWN_GRACE: std::time::Duration = std::time::Duration::from_secs(5);
/// How long a graceful shutdown waits for the API request log's last write.
pub const SHUTDOWN_FLUSH: std::time::Duration = std::time::Duration::from_secs(3);

/// The pages' security headers. `https` (the public URL is https, whether
/// TLS ends here or at a proxy) adds HSTS: buyers' browsers then refuse a
/// downgraded plain-HTTP checkout for a year.
fn security_headers<S: Clone + Send + Sync + 'static>(router: Router<S>, https: bool) -> Router<S> {
    let csp = "default-src 'none'; style-src 'self'; script-src 'self'; img-src 'self' data:; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";
    let set = |name: HeaderName, value: &'static str| {
        SetResponseHeaderLayer::if_not_present(name, HeaderValue::from_static(value))
    };
    let router = router
        .layer(set(header::CONTENT_SECURITY_POLICY, csp))
        .layer(set(header::X_CONTENT_TYPE_OPTIONS, "nosniff"))
        .layer(set(header::REFERRER_POLICY, "no-referrer"))
        .layer(set(header::X_FRAME_OPTIONS, "DENY"));
    if https {
        router.layer(set(header::STRICT_TRANSPORT_SECURITY, "max-age=31536000"))
    } else {
        router
    }
}

/// The full route table. Pages, assets and the dashboard are gzipped for
/// clients that accept it (the hosted page shrinks from about 12 KB to
/// 4.5 KB); `/ams/` answers never are: their signature covers the bytes,
/// and some SDKs' HTTP clients do not undo a `Content-Encoding`.
pub fn router(layers: WebState) -> Router {
    let https = layers.routes.https;
    let pages = security_headers(checkout::routes(), https)
        .route_layer(from_fn_with_state(
            layers.checkout.clone(),
            checkout::throttle::limit_token_guessing,
        ))
        .route_layer(from_fn_with_state(
            layers.telemetry.clone(),
            crate::telemetry::track_pages,
        ));
    let public = Router::new();
    // With --metrics-listen the public listener has no /metrics at all.
    let public = if layers.routes.public_metrics {
        public.route("/metrics", get(crate::telemetry::metrics_handler))
    } else {
        public
    };
    public
        .route("/healthz", get(|| async { "ok" }))
        .route("/readyz", get(readyz))
        .route("/openapi.json", get(crate::openapi::serve))
        .route("/sandbox/simulate/pay", post(sandbox::simulate_pay))
        .merge(pages.layer(CompressionLayer::new().gzip(true)))
        .merge(
            security_headers(dashboard::routes(), https).layer(CompressionLayer::new().gzip(true)),
        )
        .route("/ams/{*rest}", axum::routing::any(api::entry))
        .fallback(fallback)
        // Outermost: every route (and the fallback) sees the client address.
        .layer(from_fn_with_state(
            layers.routes.trusted_proxies.clone(),
            crate::client_addr::resolve,
        ))
        .with_state(layers)
}

/// The state of the full route table. Each web layer extracts its own part
/// (axum `FromRef`), holding only what that layer uses — the API its
/// signature reuse, the hosted pages their logo cache, the dashboard its
/// password checks, one of each per node; none of them is handed the whole
/// of [`Services`].
#[derive(Clone, axum::extract::FromRef)]
pub struct WebState {
    pub api: Arc<api::ApiState>,
    pub checkout: Arc<checkout::CheckoutState>,
    pub dashboard: Arc<dashboard::DashboardState>,
    pub sandbox: Arc<sandbox::SandboxState>,
    pub telemetry: Arc<crate::telemetry::TelemetryState>,
    /// What the route table itself reads.
    pub routes: RouteSettings,
}

/// The configuration [`router`] reads.
#[derive(Clone)]
pub struct RouteSettings {
    /// The public URL is https: the pages send HSTS.
    pub https: bool,
    /// `/metrics` is on the public listener (no `--metrics-listen`).
    pub public_metrics: bool,
    /// Proxies whose `Forwarded`/`X-Forwarded-For` is believed.
    pub trusted_proxies: Arc<[ipnet::IpNet]>,
}

impl WebState {
    /// Each layer's state, taken once from what `app` built.
    pub fn new(core: &Services) -> WebState {
        let config = &core.config;
        let csrf_key = || {
            aws_lc_rs::hmac::Key::new(aws_lc_rs::hmac::HMAC_SHA256, &core.gateway_key.csrf_secret)
        };
        let https = core.public_url.starts_with("https://");
        WebState {
            api: Arc::new(api::ApiState {
                payments: core.payments.clone(),
                store: core.store.clone(),
                merchant_cache: core.merchant_cache.clone(),
                clocks: core.clocks.clone(),
                gateway_key: core.gateway_key.clone(),
                limits: core.limits.clone(),
                metrics: core.metrics.clone(),
                api_log: core.api_log.clone(),
                workers: core.workers.clone(),
                settings: api::ApiSettings::of(config),
                signed_failures: Default::default(),
            }),
            checkout: Arc::new(checkout::CheckoutState {
                payments: core.payments.clone(),
                store: core.store.clone(),
                clocks: core.clocks.clone(),
                csrf_key: csrf_key(),
                limits: core.limits.clone(),
                metrics: core.metrics.clone(),
                logos: Default::default(),
                settings: checkout::CheckoutSettings {
                    public_url: core.public_url.as_str().into(),
                    redirect_delay_secs: config.redirect_delay_secs,
                },
            }),
            dashboard: Arc::new(dashboard::DashboardState {
                store: core.store.clone(),
                payments: core.payments.clone(),
                dispatcher: core.dispatcher.clone(),
                notify_wake: core.notify_wake.clone(),
                workers: core.workers.clone(),
                merchant_cache: core.merchant_cache.clone(),
                clocks: core.clocks.clone(),
                csrf_key: csrf_key(),
                gateway_public_key: core.gateway_key.public.to_base64().into(),
                api_log: core.api_log.clone(),
                metrics: core.metrics.clone(),
                password_checks: Default::default(),
                settings: dashboard::DashboardSettings {
                    secure_cookies: config.tls.is_some() || https,
                    sandbox_clocks: config.sandbox_clocks,
                    allow_private_notify: config.allow_private_notify,
                },
            }),
            sandbox: Arc::new(sandbox::SandboxState {
                payments: core.payments.clone(),
                store: core.store.clone(),
                merchant_cache: core.merchant_cache.clone(),
                enabled: config.sandbox_simulation,
            }),
            telemetry: Arc::new(telemetry_state(core)),
            routes: RouteSettings {
                https,
                public_metrics: config.metrics_listen.is_none(),
                trusted_proxies: config.trusted_proxies.as_slice().into(),
            },
        }
    }
}

fn telemetry_state(core: &Services) -> crate::telemetry::TelemetryState {
    crate::telemetry::TelemetryState {
        metrics: core.metrics.clone(),
        store: core.store.clone(),
        clocks: core.clocks.clone(),
        metrics_token: core.config.metrics_token.as_deref().map(Arc::from),
    }
}

/// The `--metrics-listen` listener's routes: metrics and health, nothing
/// a buyer or merchant uses.
pub fn operations_router(state: &Services) -> Router {
    Router::new()
        .route("/metrics", get(crate::telemetry::metrics_handler))
        .route("/healthz", get(|| async { "ok" }))
        .route("/readyz", get(readyz))
        .fallback(fallback)
        .with_state(Arc::new(telemetry_state(state)))
}

/// How long `/readyz` waits for the database before saying 503: a probe
/// must answer promptly even while the pool is still trying to connect.
const READY_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(2);

async fn readyz(
    axum::extract::State(svc): axum::extract::State<Arc<crate::telemetry::TelemetryState>>,
) -> impl IntoResponse {
    match tokio::time::timeout(READY_TIMEOUT, svc.store.ping()).await {
        Ok(Ok(())) => (StatusCode::OK, "ready"),
        Ok(Err(e)) => {
            tracing::warn!(error = %e, "database not reachable");
            (StatusCode::SERVICE_UNAVAILABLE, "database unreachable")
        }
        Err(_) => {
            tracing::warn!("database did not answer within {READY_TIMEOUT:?}");
            (StatusCode::SERVICE_UNAVAILABLE, "database unreachable")
        }
    }
}

async fn fallback() -> impl IntoResponse {
    (StatusCode::NOT_FOUND, "not found")
}
