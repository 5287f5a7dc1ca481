//! The command line: `serve` (the default), `migrate`, `demo`, `create-admin`, `send-test-mail`.
//! Every option can also come from a `MINYI_*` environment variable.

use std::net::{SocketAddr, TcpListener};
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;

use clap::{Args, Parser, Subcommand};

use crate::config::{Settings, SmtpSettings};

#[derive(Parser, Debug)]
#[command(
    name = "minyi",
    version,
    about = "民意 Minyi: village public-service funds, decided and disclosed"
)]
pub struct Cli {
    #[command(flatten)]
    pub global: Global,
    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Args, Debug, Clone)]
pub struct Global {
    /// Where the SQLite database, cookie key, outbox files and demo credentials live.
    #[arg(long, env = "MINYI_DATA_DIR", default_value = "data", global = true)]
    pub data_dir: PathBuf,
    /// `postgres://user:pass@host/db` for PostgreSQL; default is SQLite in the data dir.
    #[arg(long, env = "MINYI_DATABASE_URL", global = true)]
    pub database_url: Option<String>,
    /// SMTP relay host; without it mail is written as .eml files to DATA_DIR/outbox.
    #[arg(long, env = "MINYI_SMTP_HOST", global = true)]
    pub smtp_host: Option<String>,
    #[arg(long, env = "MINYI_SMTP_PORT", default_value_t = 587, global = true)]
    pub smtp_port: u16,
    #[arg(long, env = "MINYI_SMTP_USER", global = true)]
    pub smtp_user: Option<String>,
    #[arg(
        long,
        env = "MINYI_SMTP_PASSWORD",
        hide_env_values = true,
        global = true
    )]
    pub smtp_password: Option<String>,
    #[arg(
        long,
        env = "MINYI_SMTP_FROM",
        default_value = "Minyi <minyi@localhost>",
        global = true
    )]
    pub smtp_from: String,
    /// Talk to the relay without TLS (only for a relay on the same machine).
    #[arg(long, env = "MINYI_SMTP_PLAINTEXT", global = true)]
    pub smtp_plaintext: bool,
    /// Address to serve on.
    #[arg(
        long,
        env = "MINYI_BIND",
        default_value = "127.0.0.1:8080",
        global = true
    )]
    pub bind: SocketAddr,
    /// Do not seed the demo township into an empty database (production installs).
    #[arg(long, env = "MINYI_NO_DEMO", global = true)]
    pub no_demo: bool,
    /// Mark cookies Secure (serve behind HTTPS).
    #[arg(long, env = "MINYI_SECURE_COOKIES", global = true)]
    pub secure_cookies: bool,
    /// Take the client address from X-Forwarded-For (only behind a trusted load balancer).
    #[arg(long, env = "MINYI_TRUST_PROXY", global = true)]
    pub trust_proxy: bool,
    /// With --trust-proxy: how many trusted proxies append to X-Forwarded-For. The client
    /// address is the N-th entry from the right; entries further left were sent by the client.
    #[arg(long, env = "MINYI_PROXY_HOPS", default_value_t = 1, global = true)]
    pub proxy_hops: usize,
    /// Seconds without use before a kiosk returns to its start screen and signs out.
    #[arg(
        long,
        env = "MINYI_KIOSK_IDLE_SECS",
        default_value_t = 120,
        global = true
    )]
    pub kiosk_idle_secs: u64,
    /// Seconds a kiosk page with a ballot being written waits before returning to the start
    /// screen; also how long the server keeps an idle kiosk session.
    #[arg(
        long,
        env = "MINYI_KIOSK_FORM_SECS",
        default_value_t = 600,
        global = true
    )]
    pub kiosk_form_secs: u64,
    /// The public address for absolute links (QR codes, feeds, mail), e.g. https://minyi.example.gov.cn.
    #[arg(long, env = "MINYI_PUBLIC_URL", global = true)]
    pub public_url: Option<String>,
    /// HTTP worker threads (default: one per core).
    #[arg(long, env = "MINYI_WORKERS", global = true)]
    pub workers: Option<usize>,
    /// Sign-ins that may wait for password hashing; past this they are asked to retry (503).
    #[arg(
        long,
        env = "MINYI_PASSWORD_QUEUE",
        default_value_t = crate::auth::password::DEFAULT_QUEUE,
        global = true
    )]
    pub password_queue: usize,
    /// Commands that may wait for the SQLite writer; past this they are asked to retry (503).
    #[arg(
        long,
        env = "MINYI_WRITE_QUEUE",
        default_value_t = crate::config::DEFAULT_WRITE_QUEUE,
        global = true
    )]
    pub write_queue: usize,
}

#[derive(Subcommand, Debug)]
pub enum Command {
    /// Serve the web application (the default). Seeds the demo township when the database is empty.
    Serve,
    /// Apply pending database migrations and exit.
    Migrate,
    /// Seed the demo township (two villages, about 200 households, one account per role).
    Demo,
    /// Create an administrator account and print its one-time password.
    CreateAdmin(CreateAdminArgs),
    /// Recompute the audit log's hash chain and every fund's ledger chain, and name the first
    /// event or entry that does not match.
    Verify,
    /// Reset a staff account's second factor (lost authenticator and recovery codes): it must
    /// enrol again at its next sign-in and its sessions end. For the last administrator;
    /// otherwise another administrator does it on the account's page.
    #[command(name = "reset-2fa")]
    ResetSecondFactor {
        #[arg(long)]
        username: String,
        /// Why, for the audit log.
        #[arg(long)]
        reason: String,
    },
    /// Queue a test message in the outbox (sent by the running server).
    SendTestMail {
        #[arg(long)]
        to: String,
    },
}

#[derive(Args, Debug)]
pub struct CreateAdminArgs {
    #[arg(long)]
    pub username: String,
    #[arg(long, default_value = "系统管理员")]
    pub display_name: String,
    /// The township the administrator manages; created with --township-name if missing.
    #[arg(long)]
    pub township_code: String,
    #[arg(long)]
    pub township_name: Option<String>,
}

impl Global {
    pub fn settings(&self) -> Settings {
        let mut settings = Settings::for_data_dir(&self.data_dir);
        settings.bind = self.bind;
        settings.public_url = self.public_url.clone();
        settings.secure_cookies = self.secure_cookies;
        settings.trust_proxy = self.trust_proxy;
        settings.proxy_hops = self.proxy_hops.max(1);
        settings.password_queue = self.password_queue.max(1);
        settings.write_queue = self.write_queue.max(1);
        settings.kiosk_idle_timeout = std::time::Duration::from_secs(self.kiosk_idle_secs.max(5));
        settings.kiosk_form_timeout = std::time::Duration::from_secs(self.kiosk_form_secs.max(5));
        settings.database_url = self.database_url.clone();
        settings.smtp = self.smtp_host.as_ref().map(|host| SmtpSettings {
            host: host.clone(),
            port: self.smtp_port,
            username: self.smtp_user.clone(),
            password: self.smtp_password.clone(),
            plaintext: self.smtp_plaintext,
            from: self.smtp_from.clone(),
        });
        settings
    }
}

pub fn main() -> ExitCode {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| "info,actix_server=warn".into()),
        )
        .init();
    let cli = Cli::parse();
    match run(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("minyi: {err:#}");
            ExitCode::FAILURE
        }
    }
}

fn run(cli: Cli) -> anyhow::Result<()> {
    let settings = cli.global.settings();
    match cli.command.unwrap_or(Command::Serve) {
        Command::Serve => serve(settings, &cli.global),
        Command::Migrate => {
            let prepared = crate::app::prepare(settings)?;
            println!(
                "minyi: database is up to date ({})",
                redact(&prepared.state.settings.effective_database_url())
            );
            Ok(())
        }
        Command::Demo => {
            let prepared = crate::app::prepare(settings)?;
            crate::demo::seed(&prepared.state, &mut std::io::stdout())
        }
        Command::CreateAdmin(args) => {
            let prepared = crate::app::prepare(settings)?;
            crate::demo::create_admin(&prepared.state, &args, &mut std::io::stdout())
        }
        Command::Verify => {
            let prepared = crate::app::prepare(settings)?;
            let mut conn = prepared.state.db.pool().get()?;
            let verdict = crate::audit::chain::verify(&mut conn)?;
            println!("minyi: {}", describe(&verdict));
            // Then every fund's ledger chain, with progress on long chains.
            let ledgers_intact =
                crate::ledger::verify::verify_all(&mut conn, &mut std::io::stdout())?;
            match verdict {
                crate::audit::chain::Verdict::Intact { .. } if ledgers_intact => Ok(()),
                crate::audit::chain::Verdict::Intact { .. } => {
                    anyhow::bail!("a fund's ledger hash chain is broken")
                }
                _ => anyhow::bail!("the audit log's hash chain is broken"),
            }
        }
        Command::ResetSecondFactor { username, reason } => {
            let prepared = crate::app::prepare(settings)?;
            crate::accounts::second_factor_reset::reset_from_cli(
                &prepared.state,
                &username,
                &reason,
                &mut std::io::stdout(),
            )
        }
        Command::SendTestMail { to } => {
            let prepared = crate::app::prepare(settings)?;
            let mut conn = prepared.state.db.pool().get()?;
            let id = crate::mail::outbox::enqueue(
                &mut conn,
                &to,
                "Minyi 测试邮件 / test message",
                "这是一封测试邮件。\nThis is a test message.",
            )?;
            println!("minyi: queued message {id}; the running server sends it");
            Ok(())
        }
    }
}

/// The verdict of `minyi verify` as one line.
pub fn describe(verdict: &crate::audit::chain::Verdict) -> String {
    use crate::audit::chain::Verdict;
    match verdict {
        Verdict::Intact { chained, unchained } => format!(
            "audit chain intact: {chained} events chained, {unchained} written before the chain"
        ),
        Verdict::Broken { id, reason } => {
            format!("audit chain broken at event {id}: {reason}")
        }
        Verdict::HeadMismatch => {
            "audit chain broken: the newest events are missing (the head names another hash)"
                .to_string()
        }
    }
}

/// A database URL without its password, for messages.
fn redact(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(scheme), Some(at)) if at > scheme => {
            format!("{}://***{}", &url[..scheme], &url[at..])
        }
        _ => url.to_string(),
    }
}

fn serve(settings: Settings, args: &Global) -> anyhow::Result<()> {
    let bind = settings.bind;
    let prepared = crate::app::prepare(settings)?;
    let state = prepared.state.clone();
    let empty = {
        let mut conn = state.db.pool().get()?;
        !crate::villages::store::any_township(&mut conn)?
    };
    if empty && !args.no_demo {
        crate::demo::seed(&state, &mut std::io::stdout())?;
    }
    let listener = TcpListener::bind(bind)?;
    let workers = args
        .workers
        .unwrap_or_else(|| std::thread::available_parallelism().map_or(2, |n| n.get()));
    if state.settings.public_url.is_none() {
        // Printed notices' QR codes, the feed and mail would point at this machine's bind address.
        println!(
            "minyi: warning: --public-url (MINYI_PUBLIC_URL) is not set; QR codes, feeds and mail \
             link to http://{bind}. Set it to the address villagers open."
        );
    }
    println!(
        "minyi: serving http://{bind} ({})",
        redact(&state.settings.effective_database_url())
    );
    actix_web::rt::System::new().block_on(async move {
        let sender = Arc::new(crate::mail::sender::Sender::from_settings(&state.settings)?);
        actix_web::rt::spawn(crate::mail::sender::run_forever(
            sender,
            state.db.clone(),
            state.settings.mail_poll_interval,
            state.settings.public_base(),
        ));
        crate::app::start(prepared, listener, workers)?.await?;
        Ok(())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passwords_do_not_appear_in_messages() {
        assert_eq!(
            redact("postgres://minyi:secret@db/minyi"),
            "postgres://***@db/minyi"
        );
        assert_eq!(
            redact("sqlite://data/minyi.sqlite3"),
            "sqlite://data/minyi.sqlite3"
        );
    }

    #[test]
    fn no_subcommand_means_serve_with_defaults() {
        let cli = Cli::try_parse_from(["minyi"]).expect("parses");
        assert!(cli.command.is_none());
        assert_eq!(cli.global.data_dir, PathBuf::from("data"));
    }

    #[test]
    fn the_command_line_is_consistent() {
        use clap::CommandFactory;
        Cli::command().debug_assert();
    }
}
