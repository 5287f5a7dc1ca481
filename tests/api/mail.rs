//! Integration tests: the mail outbox delivered through lettre, to a real SMTP listener on
//! 127.0.0.1 (Python's aiosmtpd writing a Maildir), to a closed port (retry with back-off), and
//! to `.eml` files when no SMTP relay is configured.

use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use diesel::prelude::*;
use minyi::config::SmtpSettings;
use minyi::mail::outbox;
use minyi::mail::sender::Sender;

use crate::helpers::{TestApp, spawn_with, test_settings};

const RECIPIENT: &str = "clerk@example.test";
const SUBJECT: &str = "主题 subject";
const BODY: &str = "正文 body";

/// The Python interpreter with aiosmtpd importable, installing it with pip when missing.
/// Panics (failing the test) when it cannot be had.
fn python_with_aiosmtpd() -> PathBuf {
    let found = Command::new("python3")
        .args(["-c", "import sys; print(sys.executable)"])
        .output()
        .unwrap_or_else(|e| {
            panic!("these tests need python3 on PATH to run an SMTP listener: {e}")
        });
    assert!(
        found.status.success(),
        "python3 does not run: {}",
        String::from_utf8_lossy(&found.stderr)
    );
    let python = PathBuf::from(String::from_utf8_lossy(&found.stdout).trim().to_string());
    let importable = || {
        Command::new(&python)
            .args(["-c", "import aiosmtpd"])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status()
            .is_ok_and(|s| s.success())
    };
    if !importable() {
        let install = Command::new(&python)
            .args(["-m", "pip", "install", "--quiet", "aiosmtpd"])
            .output()
            .expect("run pip");
        assert!(
            importable(),
            "the SMTP test needs Python's aiosmtpd and `{} -m pip install aiosmtpd` did not provide it \
             (exit {:?}): {}",
            python.display(),
            install.status.code(),
            String::from_utf8_lossy(&install.stderr)
        );
    }
    python
}

/// A port on 127.0.0.1 that nothing listens on (bound, then released).
fn free_port() -> u16 {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
    listener.local_addr().expect("addr").port()
}

/// `python -m aiosmtpd` storing what it receives in a Maildir; killed when dropped.
struct SmtpListener {
    child: Child,
    port: u16,
    maildir: PathBuf,
}

impl SmtpListener {
    fn start(dir: &Path) -> SmtpListener {
        let python = python_with_aiosmtpd();
        let maildir = dir.join("maildir");
        let log = std::fs::File::create(dir.join("aiosmtpd.log")).expect("log file");
        let port = free_port();
        let mut child = Command::new(&python)
            .args([
                "-m",
                "aiosmtpd",
                "-n",
                "-l",
                &format!("127.0.0.1:{port}"),
                "-c",
                "aiosmtpd.handlers.Mailbox",
            ])
            .arg(&maildir)
            .stdin(Stdio::null())
            .stdout(log.try_clone().expect("log"))
            .stderr(log)
            .spawn()
            .expect("start aiosmtpd");
        let deadline = Instant::now() + Duration::from_secs(30);
        loop {
            if TcpStream::connect(("127.0.0.1", port)).is_ok() {
                break;
            }
            if let Some(status) = child.try_wait().expect("child status") {
                let log = std::fs::read_to_string(dir.join("aiosmtpd.log")).unwrap_or_default();
                panic!("aiosmtpd exited with {status} before listening on {port}: {log}");
            }
            assert!(
                Instant::now() < deadline,
                "aiosmtpd did not listen on 127.0.0.1:{port} within 30 s"
            );
            std::thread::sleep(Duration::from_millis(100));
        }
        SmtpListener {
            child,
            port,
            maildir,
        }
    }

    /// Files of the messages delivered so far.
    fn messages(&self) -> Vec<PathBuf> {
        match std::fs::read_dir(self.maildir.join("new")) {
            Ok(entries) => entries.map(|e| e.expect("entry").path()).collect(),
            Err(_) => Vec::new(),
        }
    }
}

impl Drop for SmtpListener {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn smtp_on(port: u16) -> SmtpSettings {
    SmtpSettings {
        host: "127.0.0.1".into(),
        port,
        username: None,
        password: None,
        plaintext: true,
        from: "Minyi <minyi@example.test>".into(),
    }
}

fn enqueue(app: &TestApp) -> i64 {
    app.with_conn(|c| outbox::enqueue(c, RECIPIENT, SUBJECT, BODY).expect("enqueue"))
}

fn status(app: &TestApp, id: i64) -> outbox::Status {
    app.with_conn(|c| {
        outbox::status(c, id)
            .expect("status")
            .expect("the message exists")
    })
}

fn next_attempt_at(app: &TestApp, id: i64) -> chrono::NaiveDateTime {
    use minyi::db::schema::outbox::dsl as ob;
    app.with_conn(|c| {
        ob::outbox
            .filter(ob::id.eq(id))
            .select(ob::next_attempt_at)
            .first(c)
            .expect("row")
    })
}

/// The headers and text of a stored message, decoded by Python's `email` package (RFC 2047
/// words, quoted-printable or base64 bodies), next to the raw header lines.
struct Parsed {
    to: String,
    from: String,
    subject: String,
    body: String,
    rcpt_to: String,
}

fn parse_message(python: &Path, file: &Path) -> Parsed {
    let script = "import sys, json, email\n\
                  from email import policy\n\
                  m = email.message_from_binary_file(open(sys.argv[1], 'rb'), policy=policy.default)\n\
                  print(json.dumps({'to': str(m['To']), 'from': str(m['From']), 'subject': str(m['Subject']),\n\
                  'body': m.get_content(), 'rcpt_to': str(m.get('X-RcptTo', ''))}))\n";
    let out = Command::new(python)
        .args(["-c", script])
        .arg(file)
        .output()
        .expect("run python");
    assert!(
        out.status.success(),
        "parsing {}: {}",
        file.display(),
        String::from_utf8_lossy(&out.stderr)
    );
    let v: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    let field = |k: &str| v[k].as_str().unwrap_or_default().to_string();
    Parsed {
        to: field("to"),
        from: field("from"),
        subject: field("subject"),
        body: field("body"),
        rcpt_to: field("rcpt_to"),
    }
}

#[actix_web::test]
async fn a_queued_message_is_delivered_over_smtp_once() {
    let dir = tempfile::tempdir().expect("tempdir");
    let listener = SmtpListener::start(dir.path());
    let mut settings = test_settings(dir.path());
    settings.smtp = Some(smtp_on(listener.port));
    let app = spawn_with(settings, dir).await;

    let id = enqueue(&app);
    let sender = Sender::from_settings(&app.state.settings).expect("sender");
    let sent = sender.send_due(&app.state.db).await.expect("send_due");
    assert_eq!(sent, 1, "one message due, one delivered");

    // aiosmtpd writes the message before answering 250, so it is there now.
    let files = listener.messages();
    assert_eq!(
        files.len(),
        1,
        "exactly one message in the Maildir: {files:?}"
    );
    let raw = std::fs::read(&files[0]).expect("read message");
    let raw = String::from_utf8_lossy(&raw).into_owned();
    let subject_line = raw
        .lines()
        .find(|l| l.to_ascii_lowercase().starts_with("subject:"))
        .unwrap_or_else(|| panic!("no Subject header: {raw}"));
    assert!(
        subject_line.contains(SUBJECT) || subject_line.to_ascii_lowercase().contains("=?utf-8?"),
        "the subject is sent either as UTF-8 or as RFC 2047 encoded words: {subject_line}"
    );

    let python = python_with_aiosmtpd();
    let parsed = parse_message(&python, &files[0]);
    assert_eq!(
        parsed.subject, SUBJECT,
        "decoded subject; raw message:\n{raw}"
    );
    assert_eq!(
        parsed.body.trim_end(),
        BODY,
        "decoded body; raw message:\n{raw}"
    );
    assert!(parsed.to.contains(RECIPIENT), "To: {}", parsed.to);
    assert!(
        parsed.rcpt_to.contains(RECIPIENT),
        "envelope recipient: {}",
        parsed.rcpt_to
    );
    assert!(
        parsed.from.contains("minyi@example.test"),
        "From: {}",
        parsed.from
    );

    let after = status(&app, id);
    assert!(after.sent_at.is_some(), "{after:?}");
    assert_eq!(after.attempts, 1, "{after:?}");
    assert_eq!(after.last_error, None);
    assert_eq!(after.gave_up_at, None);

    let again = sender
        .send_due(&app.state.db)
        .await
        .expect("second send_due");
    assert_eq!(again, 0, "a sent message is not sent again");
    assert_eq!(
        listener.messages().len(),
        1,
        "still one message in the Maildir"
    );
    assert_eq!(status(&app, id).attempts, 1);
}

#[actix_web::test]
async fn a_failed_delivery_is_retried_later_not_at_once() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut settings = test_settings(dir.path());
    settings.smtp = Some(smtp_on(free_port()));
    let app = spawn_with(settings, dir).await;

    let id = enqueue(&app);
    let sender = Sender::from_settings(&app.state.settings).expect("sender");
    let started = minyi::db::now();
    let sent = sender.send_due(&app.state.db).await.expect("send_due");
    assert_eq!(sent, 0, "nothing listens on the port");

    let after = status(&app, id);
    assert_eq!(after.attempts, 1, "{after:?}");
    assert!(
        after.last_error.as_deref().is_some_and(|e| !e.is_empty()),
        "the error is kept: {after:?}"
    );
    assert_eq!(after.sent_at, None);
    assert_eq!(
        after.gave_up_at, None,
        "one failure is no reason to give up"
    );
    let next = next_attempt_at(&app, id);
    assert!(next > started, "next attempt {next} is not after {started}");
    assert!(
        next > minyi::db::now(),
        "next attempt {next} is not in the future"
    );

    let again = sender
        .send_due(&app.state.db)
        .await
        .expect("second send_due");
    assert_eq!(again, 0);
    let still = status(&app, id);
    assert_eq!(
        still.attempts, 1,
        "the message was not claimed again at once: {still:?}"
    );
    assert_eq!(next_attempt_at(&app, id), next, "next attempt unchanged");
}

#[actix_web::test]
async fn without_smtp_messages_are_written_as_eml_files() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut settings = test_settings(dir.path());
    settings.smtp = None;
    let outbox_dir = settings.outbox_dir();
    let app = spawn_with(settings, dir).await;

    let id = enqueue(&app);
    let sender = Sender::from_settings(&app.state.settings).expect("sender");
    assert_eq!(sender.send_due(&app.state.db).await.expect("send_due"), 1);

    let files: Vec<PathBuf> = std::fs::read_dir(&outbox_dir)
        .expect("outbox dir")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "eml"))
        .collect();
    assert_eq!(
        files.len(),
        1,
        "one .eml file in {}: {files:?}",
        outbox_dir.display()
    );
    let text = std::fs::read_to_string(&files[0]).expect("read eml");
    assert!(text.contains(RECIPIENT), "{text}");
    assert!(text.to_ascii_lowercase().contains("subject:"), "{text}");
    let after = status(&app, id);
    assert!(after.sent_at.is_some(), "{after:?}");
    assert_eq!(after.attempts, 1);
    assert_eq!(sender.send_due(&app.state.db).await.expect("again"), 0);
}
