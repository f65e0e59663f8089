//! The `tradewinds` binary: serves the app by default; subcommands for maintenance.

#[cfg(feature = "ssr")]
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[cfg(feature = "ssr")]
#[tokio::main]
async fn main() -> std::process::ExitCode {
    use clap::{Parser, Subcommand};
    use tradewinds::config::Config;
    use tradewinds::server::{open_and_seed, router, AppState};
    use tradewinds::store::DEFAULT_DATABASE_URL;

    #[derive(Parser)]
    #[command(
        name = "tradewinds",
        about = "China's cross-border e-commerce, sourced: web app and tools"
    )]
    struct Cli {
        /// Database to use; SQLite file by default (created and seeded on first start).
        #[arg(long, env = "DATABASE_URL", default_value = DEFAULT_DATABASE_URL, global = true)]
        database_url: String,
        #[command(subcommand)]
        command: Option<Command>,
    }

    #[derive(Subcommand)]
    enum Command {
        /// Serve the web app (the default). Address from Leptos.toml; LEPTOS_SITE_ADDR overrides.
        Serve,
        /// Create, migrate and seed the database, then exit.
        Seed,
        /// Import published files (UN Comtrade, WDI, WITS, IMF DOTS, OWID, long CSV/xlsx) as datasets.
        Import(tradewinds::cli::ImportArgs),
    }

    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| "info,sqlx=warn".into()),
        )
        .init();
    let cli = Cli::parse();
    if let Some(Command::Import(args)) = cli.command {
        return tradewinds::cli::import(&cli.database_url, args).await;
    }
    // Everything the server is configured with, read once; a bad value stops here, named.
    let config = match Config::from_env(&cli.database_url) {
        Ok(c) => c,
        Err(e) => {
            eprintln!("tradewinds: {e}");
            return std::process::ExitCode::FAILURE;
        }
    };
    let store = match open_and_seed(&config.database_url).await {
        Ok(s) => s,
        Err(e) => {
            eprintln!("tradewinds: {e}");
            return std::process::ExitCode::FAILURE;
        }
    };
    if let Some(Command::Seed) = cli.command {
        return std::process::ExitCode::SUCCESS;
    }
    let store = match &config.database_read_url {
        None => store,
        Some(url) => match store.with_read_replica(url).await {
            Ok(s) => s,
            Err(e) => {
                eprintln!("tradewinds: cannot open the read replica (DATABASE_READ_URL): {e}");
                return std::process::ExitCode::FAILURE;
            }
        },
    };
    let addr = config.leptos.site_addr;
    let state = AppState::new(config, store);
    // Built now, so the first visitor does not wait for the catalogue of series.
    if let Err(e) = state.explorer.catalogue().await {
        eprintln!("tradewinds: cannot read the catalogue of series: {e}");
        return std::process::ExitCode::FAILURE;
    }
    let limits = state.config.limits.clone();
    let store = state.explorer.store.clone();
    let app = router(state);
    let listener = match tokio::net::TcpListener::bind(&addr).await {
        Ok(l) => l,
        Err(e) => {
            eprintln!("tradewinds: cannot listen on {addr}: {e}");
            return std::process::ExitCode::FAILURE;
        }
    };
    tracing::info!("listening on http://{addr}");
    tradewinds::server::serve(listener, app, &limits, stop_signal()).await;
    // A running import finishes (or, cut off when the process ends, rolls back: it is one transaction).
    if tokio::time::timeout(limits.shutdown_grace, store.writers_idle())
        .await
        .is_err()
    {
        tracing::warn!("stopping: an import was still running; it is rolled back");
    }
    store.checkpoint().await;
    tracing::info!("stopped");
    std::process::ExitCode::SUCCESS
}

/// Resolves on SIGTERM (a service manager's stop) or SIGINT (Ctrl-C).
#[cfg(feature = "ssr")]
async fn stop_signal() {
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        _ = tokio::signal::ctrl_c() => {}
        _ = term => {}
    }
    tracing::info!("stopping: no new connections; letting running requests finish");
}

#[cfg(not(feature = "ssr"))]
pub fn main() {
    // The browser build has no main; see `hydrate()` in lib.rs.
}
