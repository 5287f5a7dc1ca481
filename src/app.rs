//! The actix application in one place: state, middleware and every part's routes. `main` and
//! the integration tests build the server through the same functions.

use std::net::TcpListener;
use std::sync::Arc;

use actix_session::SessionMiddleware;
use actix_session::config::{CookieContentSecurity, PersistentSession};
use actix_session::storage::CookieSessionStore;
use actix_web::body::MessageBody;
use actix_web::cookie::{Key, SameSite, time::Duration as CookieDuration};
use actix_web::dev::{Server, ServiceFactory, ServiceRequest, ServiceResponse};
use actix_web::middleware::Compress;
use actix_web::{App, HttpServer, web};
use anyhow::Context;

use crate::auth::password::PasswordPool;
use crate::config::Settings;
use crate::db::{self, Db};
use crate::web::AppState;
use crate::web::middleware::{
    end_stale_sessions, error_pages, kiosk_script_policy, secure_headers, static_cache_headers,
};

/// Everything a server needs, prepared once: data dir, cookie key, database pool (migrated)
/// and the password hashing pool.
pub struct Prepared {
    pub state: AppState,
    pub key: Key,
}

pub fn prepare(settings: Settings) -> anyhow::Result<Prepared> {
    crate::secrets::create_private_dir(&settings.data_dir)
        .with_context(|| format!("creating data dir {}", settings.data_dir.display()))?;
    let key = crate::secrets::cookie_key(&settings.data_dir)?;
    let url = settings.effective_database_url();
    let pool = db::connect(&url)?;
    {
        let mut conn = pool.get().context("opening the database")?;
        db::migrations::run_pending(&mut conn)?;
    }
    let passwords = PasswordPool::start_with_queue(
        settings.password_workers,
        settings.password_queue,
        settings.password_cost,
    )?;
    let state = AppState {
        db: Db::new(pool, &url, settings.write_queue)?,
        settings: Arc::new(settings),
        passwords,
    };
    Ok(Prepared { state, key })
}

/// The largest form body accepted (a household import of a few thousand lines fits).
const FORM_LIMIT: usize = 2 * 1024 * 1024;

pub fn build_app(
    state: AppState,
    key: Key,
) -> App<
    impl ServiceFactory<
        ServiceRequest,
        Config = (),
        Response = ServiceResponse<impl MessageBody>,
        Error = actix_web::Error,
        InitError = (),
    >,
> {
    let secure = state.settings.secure_cookies;
    // The cookie lives at most as long as the longest idle limit; the server checks idleness
    // itself on every request (see web::session).
    let session = SessionMiddleware::builder(CookieSessionStore::default(), key)
        .cookie_name("minyi".to_string())
        .cookie_secure(secure)
        .cookie_http_only(true)
        .cookie_same_site(SameSite::Lax)
        .cookie_content_security(CookieContentSecurity::Private)
        .session_lifecycle(PersistentSession::default().session_ttl(CookieDuration::hours(12)))
        .build();
    App::new()
        .app_data(web::Data::new(state))
        .app_data(web::PayloadConfig::new(FORM_LIMIT))
        .service(
            web::scope("/static")
                .wrap(static_cache_headers())
                .service(actix_files::Files::new("", static_dir())),
        )
        .configure(routes)
        .wrap(actix_web::middleware::from_fn(
            crate::web::middleware::refuse_overlong_host,
        ))
        .wrap(error_pages())
        .wrap(actix_web::middleware::from_fn(
            crate::web::refusals::record_refused_posts,
        ))
        .wrap(actix_web::middleware::from_fn(end_stale_sessions))
        .wrap(session)
        .wrap(actix_web::middleware::from_fn(kiosk_script_policy))
        .wrap(secure_headers())
        .wrap(Compress::default())
        .wrap(tracing_actix_web::TracingLogger::default())
}

/// Every part's routes.
pub fn routes(cfg: &mut web::ServiceConfig) {
    crate::web::lang::configure(cfg);
    crate::villages::routes::configure(cfg);
    crate::accounts::routes::configure(cfg);
    crate::accounts::admin::configure(cfg);
    crate::households::access::configure(cfg);
    crate::households::configure_alive(cfg);
    crate::households::routes::configure(cfg);
    crate::collection::routes::configure(cfg);
    crate::collection::casting::configure(cfg);
    crate::collection::public::configure(cfg);
    crate::notices::routes::configure(cfg);
    crate::notices::public::configure(cfg);
    crate::ledger::routes::configure(cfg);
    crate::ledger::public::configure(cfg);
    crate::ledger::auditor::configure(cfg);
    crate::ledger::auditor_vouchers::configure(cfg);
    crate::notices::objecting::configure(cfg);
    crate::council::settings::configure(cfg);
    crate::council::routes::configure(cfg);
    crate::council::member::configure(cfg);
    crate::council::public::configure(cfg);
    crate::council::sorting_routes::configure(cfg);
    crate::audit::routes::configure(cfg);
    crate::supervision::configure(cfg);
    crate::reviews::configure(cfg);
    crate::projects::routes::configure(cfg);
    crate::projects::public::configure(cfg);
    crate::attachments::routes::configure(cfg);
}

fn static_dir() -> std::path::PathBuf {
    // The binary serves the folder beside Cargo.toml when run from the source tree.
    let beside_manifest = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("static");
    if beside_manifest.is_dir() {
        beside_manifest
    } else {
        "static".into()
    }
}

/// Starts the HTTP server on an already bound listener (port 0 in tests).
pub fn start(prepared: Prepared, listener: TcpListener, workers: usize) -> anyhow::Result<Server> {
    let Prepared { state, key } = prepared;
    let server = HttpServer::new(move || build_app(state.clone(), key.clone()))
        .workers(workers)
        .listen(listener)?
        .run();
    Ok(server)
}
