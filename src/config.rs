//! Run-time settings. Built once from the command line and `MINYI_*` variables, then passed
//! explicitly to everything that needs them (never a global), so tests can build their own.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::Duration;

/// Cost of argon2id. Production uses the OWASP recommendation (19 MiB, 2 passes, 1 lane);
/// tests may lower it so that seeding many accounts stays fast.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PasswordCost {
    pub memory_kib: u32,
    pub passes: u32,
}

impl PasswordCost {
    /// OWASP Password Storage Cheat Sheet: argon2id, m=19456 KiB, t=2, p=1.
    pub const OWASP: PasswordCost = PasswordCost {
        memory_kib: 19_456,
        passes: 2,
    };
    /// Only for tests: the smallest cost argon2 accepts.
    pub const TEST: PasswordCost = PasswordCost {
        memory_kib: 64,
        passes: 1,
    };
}

/// SMTP relay used by the mail outbox; when absent, mail is written as `.eml` files.
#[derive(Clone, Debug)]
pub struct SmtpSettings {
    pub host: String,
    pub port: u16,
    pub username: Option<String>,
    pub password: Option<String>,
    /// `true` only for local relays and test listeners; production relays need TLS.
    pub plaintext: bool,
    pub from: String,
}

/// Commands that may wait for the SQLite writer by default. At one commit per batch of up to 64
/// (about 1 ms each on a small disk) 1,024 waiting commands drain in well under a second; past
/// that the box is overloaded and a quick "try again" beats a growing queue.
pub const DEFAULT_WRITE_QUEUE: usize = 1024;

#[derive(Clone, Debug)]
pub struct Settings {
    pub bind: SocketAddr,
    /// The address people reach Minyi at (`https://minyi.example.gov.cn`), for absolute links:
    /// QR codes on printed notices, feeds, mail. None: `http://` and the bind address. Never
    /// taken from a request's Host header, which the sender chooses.
    pub public_url: Option<String>,
    pub data_dir: PathBuf,
    /// `sqlite://path`, a plain path, or `postgres://…`. `None` means `data_dir/minyi.sqlite3`.
    pub database_url: Option<String>,
    pub smtp: Option<SmtpSettings>,
    pub password_cost: PasswordCost,
    /// Threads that may hash passwords at once; more logins wait in a short queue.
    pub password_workers: usize,
    /// Hashing requests that may wait for a thread; more are refused as busy (503, retry).
    pub password_queue: usize,
    /// Commands that may wait for the SQLite writer; more are refused as busy (503, retry).
    pub write_queue: usize,
    /// Mark cookies `Secure`. Off by default because the demo is served over plain HTTP.
    pub secure_cookies: bool,
    /// Trust `X-Forwarded-For` for the client address (only behind a known load balancer).
    pub trust_proxy: bool,
    /// How many trusted proxies append to `X-Forwarded-For`: the client address is the one the
    /// outermost trusted proxy appended, the `proxy_hops`-th from the right (default 1).
    pub proxy_hops: usize,
    /// How long an attempt from an address past its failure limit waits before it is checked.
    pub address_delay: Duration,
    /// Administrators and auditors must enrol a second factor (TOTP) before anything else.
    pub require_two_factor: bool,
    pub staff_idle_timeout: Duration,
    pub household_idle_timeout: Duration,
    /// A kiosk page returns to its start screen after this much inactivity.
    pub kiosk_idle_timeout: Duration,
    /// The same for a kiosk page with a ballot being written (writing takes longer than
    /// reading); also the server-side limit of a kiosk session.
    pub kiosk_form_timeout: Duration,
    /// How often the mail sender looks into the outbox.
    pub mail_poll_interval: Duration,
}

impl Settings {
    /// Defaults for a data directory: what `minyi serve` uses with no flags.
    pub fn for_data_dir(data_dir: impl Into<PathBuf>) -> Settings {
        Settings {
            bind: SocketAddr::from(([127, 0, 0, 1], 8080)),
            public_url: None,
            data_dir: data_dir.into(),
            database_url: None,
            smtp: None,
            password_cost: PasswordCost::OWASP,
            password_workers: 2,
            password_queue: crate::auth::password::DEFAULT_QUEUE,
            write_queue: DEFAULT_WRITE_QUEUE,
            secure_cookies: false,
            trust_proxy: false,
            proxy_hops: 1,
            address_delay: Duration::from_secs(2),
            require_two_factor: true,
            staff_idle_timeout: Duration::from_secs(30 * 60),
            household_idle_timeout: Duration::from_secs(15 * 60),
            kiosk_idle_timeout: Duration::from_secs(120),
            kiosk_form_timeout: Duration::from_secs(600),
            mail_poll_interval: Duration::from_secs(10),
        }
    }

    /// The database URL actually used.
    /// The base of absolute links, without a trailing slash.
    pub fn public_base(&self) -> String {
        match &self.public_url {
            Some(url) => url.trim_end_matches('/').to_string(),
            None => format!("http://{}", self.bind),
        }
    }

    /// The absolute address of a path of this site (`/v/taoyuan/notices/3`).
    pub fn absolute(&self, path: &str) -> String {
        format!("{}{path}", self.public_base())
    }

    pub fn effective_database_url(&self) -> String {
        match &self.database_url {
            Some(url) => url.clone(),
            None => format!("sqlite://{}", self.data_dir.join("minyi.sqlite3").display()),
        }
    }

    pub fn outbox_dir(&self) -> PathBuf {
        self.data_dir.join("outbox")
    }
}
