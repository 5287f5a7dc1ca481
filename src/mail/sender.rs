//! Delivers outbox messages with lettre: SMTP when configured, else `.eml` files.

use std::sync::Arc;

use lettre::message::header::ContentType;
use lettre::transport::smtp::authentication::Credentials;
use lettre::{
    AsyncFileTransport, AsyncSmtpTransport, AsyncTransport, Message as Email, Tokio1Executor,
};

use super::outbox::{self, Message};
use crate::config::Settings;
use crate::db::{Db, DbError};

enum Transport {
    Smtp(AsyncSmtpTransport<Tokio1Executor>),
    Files(AsyncFileTransport<Tokio1Executor>),
}

pub struct Sender {
    transport: Transport,
    from: String,
}

impl Sender {
    pub fn from_settings(settings: &Settings) -> anyhow::Result<Sender> {
        match &settings.smtp {
            Some(smtp) => {
                let builder = if smtp.plaintext {
                    AsyncSmtpTransport::<Tokio1Executor>::builder_dangerous(&smtp.host)
                } else {
                    AsyncSmtpTransport::<Tokio1Executor>::relay(&smtp.host)?
                };
                let mut builder = builder.port(smtp.port);
                if let (Some(user), Some(pass)) = (&smtp.username, &smtp.password) {
                    builder = builder.credentials(Credentials::new(user.clone(), pass.clone()));
                }
                Ok(Sender {
                    transport: Transport::Smtp(builder.build()),
                    from: smtp.from.clone(),
                })
            }
            None => {
                let dir = settings.outbox_dir();
                std::fs::create_dir_all(&dir)?;
                Ok(Sender {
                    transport: Transport::Files(AsyncFileTransport::new(dir)),
                    from: "Minyi <minyi@localhost>".to_string(),
                })
            }
        }
    }

    async fn deliver(&self, message: &Message) -> anyhow::Result<()> {
        let email = Email::builder()
            .from(self.from.parse()?)
            .to(message.recipient.parse()?)
            .subject(message.subject.clone())
            .header(ContentType::TEXT_PLAIN)
            .body(message.body.clone())?;
        match &self.transport {
            Transport::Smtp(smtp) => {
                smtp.send(email).await?;
            }
            Transport::Files(files) => {
                files.send(email).await?;
            }
        }
        Ok(())
    }

    /// Sends what is due once; returns how many were delivered.
    pub async fn send_due(&self, db: &Db) -> Result<usize, DbError> {
        let due = db
            .run(|conn| outbox::claim_due(conn, crate::db::now(), 20))
            .await?;
        let mut sent = 0;
        for message in due {
            let attempts = message.attempts + 1;
            let id = message.id;
            match self.deliver(&message).await {
                Ok(()) => {
                    sent += 1;
                    db.run(move |conn| outbox::mark_sent(conn, id, attempts))
                        .await?;
                }
                Err(err) => {
                    // The recipient address stays out of the log; the id is enough to find it.
                    tracing::warn!(message_id = id, attempts, error = %err, "mail delivery failed");
                    let text = err.to_string();
                    db.run(move |conn| outbox::mark_failed(conn, id, attempts, &text))
                        .await?;
                }
            }
        }
        Ok(sent)
    }
}

/// Runs the sender until the process ends. Each pass first queues reminders that have come
/// due (overdue objections) and drafts the fund statements of a month that has ended, then
/// sends what is in the outbox. `public_base` is the configured public address.
pub async fn run_forever(
    sender: Arc<Sender>,
    db: Db,
    every: std::time::Duration,
    public_base: String,
) {
    let mut tick = tokio::time::interval(every);
    loop {
        tick.tick().await;
        let reminders = db
            .tx(|conn| crate::notices::reminders::enqueue_overdue(conn, crate::db::now()))
            .await;
        if let Err(err) = reminders {
            tracing::warn!(error = %err, "queueing reminders failed");
        }
        let base = public_base.clone();
        let statements = db
            .run(move |conn| {
                let url = |code: &str, fund: i64| format!("{base}/v/{code}/funds/{fund}");
                crate::ledger::statement::draft_month_end(conn, crate::ledger::view::today(), &url)
            })
            .await;
        if let Err(err) = statements {
            tracing::warn!(error = %err, "drafting month-end fund statements failed");
        }
        if let Err(err) = sender.send_due(&db).await {
            tracing::warn!(error = %err, "outbox pass failed");
        }
    }
}
