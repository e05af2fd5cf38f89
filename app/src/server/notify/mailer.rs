//! The way out: SMTP (`PORTAL_SMTP_URL`, lettre's URL form) or, without it, one `.eml` file per
//! message in a folder, so a demo shows real messages without a mail server.

use crate::server::ServerError;
use lettre::message::{Mailbox, Message};
use lettre::transport::file::AsyncFileTransport;
use lettre::transport::smtp::AsyncSmtpTransport;
use lettre::{AsyncTransport, Tokio1Executor};
use std::path::{Path, PathBuf};
use std::time::Duration;

/// How long one SMTP conversation may take before the try counts as failed (lettre's default is a
/// minute; a claimed batch must finish well inside its claim).
pub const SMTP_TIMEOUT: Duration = Duration::from_secs(20);

enum Transport {
    Smtp(AsyncSmtpTransport<Tokio1Executor>),
    /// The folder is made (readable by the owner only) when the first message is written.
    File(AsyncFileTransport<Tokio1Executor>, PathBuf),
}

/// Where messages go, who they are from, and the portal's address for links.
pub struct Mailer {
    transport: Transport,
    from: Mailbox,
    base_url: String,
    described: String,
}

impl std::fmt::Debug for Mailer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.described)
    }
}

/// Why a message did not go: whether trying again can help, and a note without personal data
/// (the SMTP reply code and class, never the server's text, which can quote an address).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SendFailure {
    pub permanent: bool,
    pub note: String,
}

impl Mailer {
    /// A mailer for `smtp_url` (SMTP) or, when it is `None`, for `.eml` files in `mail_dir`
    /// (created, readable by the owner only). `from` is the sender's address (`Name <addr>` or
    /// `addr`), `base_url` the portal's public address for links (`https://...`, no trailing /).
    pub fn new(
        smtp_url: Option<&str>,
        mail_dir: &Path,
        from: &str,
        base_url: &str,
    ) -> Result<Mailer, ServerError> {
        let from: Mailbox = from.parse().map_err(|_| {
            ServerError::Config(format!(
                "PORTAL_MAIL_FROM is not an e-mail address: {from:?}"
            ))
        })?;
        let base_url = base_url.trim_end_matches('/').to_owned();
        if !(base_url.starts_with("http://") || base_url.starts_with("https://")) {
            return Err(ServerError::Config(format!(
                "PORTAL_BASE_URL must start with http:// or https://: {base_url:?}"
            )));
        }
        let (transport, described) = match smtp_url.filter(|u| !u.trim().is_empty()) {
            Some(url) => {
                let transport = AsyncSmtpTransport::<Tokio1Executor>::from_url(url)
                    .map_err(|e| {
                        ServerError::Config(format!(
                            "PORTAL_SMTP_URL is not a valid SMTP URL ({}): {e}",
                            mask_password(url)
                        ))
                    })?
                    .timeout(Some(SMTP_TIMEOUT))
                    .build();
                (
                    Transport::Smtp(transport),
                    format!("smtp {}", mask_password(url)),
                )
            }
            None => (
                Transport::File(
                    AsyncFileTransport::<Tokio1Executor>::new(mail_dir),
                    mail_dir.to_path_buf(),
                ),
                format!("file {}", mail_dir.display()),
            ),
        };
        Ok(Mailer {
            transport,
            from,
            base_url,
            described,
        })
    }

    /// The transport in words, password masked (`smtp smtp://user:***@host:587`, `file data/mail`).
    pub fn describe(&self) -> &str {
        &self.described
    }

    /// The sender's address.
    pub fn from(&self) -> &Mailbox {
        &self.from
    }

    /// A link into the portal for a path such as `/oppgaver/7`.
    pub fn link(&self, path: &str) -> String {
        format!("{}{path}", self.base_url)
    }

    /// The host of the portal's address, for Message-IDs.
    pub fn host(&self) -> &str {
        let rest = self.base_url.split_once("://").map_or("", |(_, r)| r);
        let host = rest.split(['/', ':']).next().unwrap_or("");
        if host.is_empty() { "localhost" } else { host }
    }

    /// Sends one message.
    pub async fn send(&self, message: Message) -> Result<(), SendFailure> {
        match &self.transport {
            Transport::Smtp(smtp) => smtp.send(message).await.map(|_| ()).map_err(|e| {
                let code = e.status().map(|c| c.to_string());
                let (permanent, what) = if e.is_permanent() {
                    (true, "the mail server refused the message")
                } else if e.is_transient() {
                    (false, "the mail server asked to try again later")
                } else if e.is_timeout() {
                    (false, "the mail server did not answer in time")
                } else if e.is_tls() {
                    (false, "TLS with the mail server failed")
                } else if e.is_client() {
                    (true, "the message could not be sent as built")
                } else {
                    (false, "the mail server could not be reached")
                };
                SendFailure {
                    permanent,
                    note: match code {
                        Some(code) => format!("{what} (SMTP {code})"),
                        None => what.to_owned(),
                    },
                }
            }),
            Transport::File(file, dir) => {
                let failure = || SendFailure {
                    permanent: false,
                    note: "the message file could not be written".to_owned(),
                };
                private_dir(dir).map_err(|_| failure())?;
                file.send(message).await.map(|_| ()).map_err(|_| failure())
            }
        }
    }
}

/// `scheme://user:password@host` with the password as `***`.
pub fn mask_password(url: &str) -> String {
    let Some((scheme, rest)) = url.split_once("://") else {
        return url.to_owned();
    };
    let end = rest.find(['/', '?']).unwrap_or(rest.len());
    match rest[..end].rfind('@') {
        Some(at) => {
            let user = rest[..at].split(':').next().unwrap_or("");
            format!("{scheme}://{user}:***@{}", &rest[at + 1..])
        }
        None => url.to_owned(),
    }
}

fn private_dir(dir: &Path) -> std::io::Result<()> {
    use std::os::unix::fs::DirBuilderExt;
    if !dir.exists() {
        std::fs::DirBuilder::new()
            .recursive(true)
            .mode(0o700)
            .create(dir)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    // A tokio runtime: lettre's SMTP pool spawns its clean-up when it is dropped.
    #[tokio::test]
    async fn the_smtp_password_is_masked_and_the_transport_described() {
        assert_eq!(
            mask_password("smtp://mail:s3cret@smtp.example.org:587?tls=required"),
            "smtp://mail:***@smtp.example.org:587?tls=required"
        );
        assert_eq!(
            mask_password("smtp://127.0.0.1:2525"),
            "smtp://127.0.0.1:2525"
        );
        let dir = tempfile::tempdir().unwrap();
        let m = Mailer::new(
            Some("smtps://u:pw@mail.example.org"),
            dir.path(),
            "Portal <ikke-svar@example.org>",
            "https://portal.example.org/",
        )
        .unwrap();
        assert_eq!(m.describe(), "smtp smtps://u:***@mail.example.org");
        assert_eq!(
            m.link("/oppgaver/7"),
            "https://portal.example.org/oppgaver/7"
        );
        assert_eq!(m.host(), "portal.example.org");
        let f = Mailer::new(
            None,
            &dir.path().join("mail"),
            "a@example.org",
            "http://127.0.0.1:3000",
        )
        .unwrap();
        assert!(f.describe().starts_with("file "));
        assert!(
            !dir.path().join("mail").exists(),
            "made when the first message is written"
        );
        assert_eq!(f.host(), "127.0.0.1");
    }

    #[tokio::test]
    async fn bad_settings_are_refused_with_the_setting_named() {
        let dir = tempfile::tempdir().unwrap();
        let err = Mailer::new(None, dir.path(), "not an address", "http://x").unwrap_err();
        assert!(err.to_string().contains("PORTAL_MAIL_FROM"));
        let err = Mailer::new(None, dir.path(), "a@example.org", "portal.example").unwrap_err();
        assert!(err.to_string().contains("PORTAL_BASE_URL"));
        let err = Mailer::new(
            Some("ftp://u:pw@x"),
            dir.path(),
            "a@example.org",
            "http://x",
        )
        .unwrap_err();
        assert!(err.to_string().contains("PORTAL_SMTP_URL") && !err.to_string().contains("pw"));
    }
}
