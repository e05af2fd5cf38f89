//! A small SMTP server on 127.0.0.1 for the tests: it speaks enough of RFC 5321 for lettre
//! (EHLO, MAIL, RCPT, DATA with dot-unstuffing, RSET, NOOP, QUIT) and keeps every message it
//! accepted, with its envelope. It can be started on a chosen port, so a test can queue mail
//! while nothing listens there and start the server later.

use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
use tokio::net::TcpListener;

/// One accepted message: envelope and the raw message as received.
#[derive(Clone, Debug)]
pub struct Received {
    pub rcpt_to: Vec<String>,
    pub data: Vec<u8>,
}

impl Received {
    /// The message parsed (headers decoded, bodies and attachments decoded).
    pub fn parsed(&self) -> mail_parser::Message<'_> {
        mail_parser::MessageParser::default()
            .parse(&self.data)
            .expect("a MIME message")
    }

    pub fn message_id(&self) -> String {
        format!("<{}>", self.parsed().message_id().expect("a Message-ID"))
    }

    pub fn subject(&self) -> String {
        self.parsed().subject().unwrap_or_default().to_owned()
    }

    /// The plain-text body, decoded.
    pub fn text(&self) -> String {
        self.parsed().body_text(0).unwrap_or_default().into_owned()
    }

    /// The HTML body, decoded.
    pub fn html(&self) -> String {
        self.parsed().body_html(0).unwrap_or_default().into_owned()
    }

    /// Everything a reader could see: every header's decoded value, every text part and every
    /// attachment's decoded contents, and the raw message.
    pub fn everything(&self) -> String {
        let m = self.parsed();
        let mut all = String::from_utf8_lossy(&self.data).into_owned();
        for header in m.headers() {
            all.push('\n');
            all.push_str(&format!("{:?}", header.value()));
        }
        for i in 0..m.text_body_count() {
            all.push('\n');
            all.push_str(&m.body_text(i).unwrap_or_default());
        }
        for i in 0..m.html_body_count() {
            all.push('\n');
            all.push_str(&m.body_html(i).unwrap_or_default());
        }
        for part in m.attachments() {
            all.push('\n');
            all.push_str(&String::from_utf8_lossy(part.contents()));
        }
        all
    }
}

pub struct SmtpServer {
    pub addr: SocketAddr,
    received: Arc<Mutex<Vec<Received>>>,
    tasks: Arc<Mutex<Vec<tokio::task::JoinHandle<()>>>>,
}

impl SmtpServer {
    /// A free port on 127.0.0.1 with nothing listening on it (yet).
    pub async fn free_port() -> SocketAddr {
        let l = TcpListener::bind("127.0.0.1:0").await.unwrap();
        l.local_addr().unwrap()
    }

    pub async fn start() -> SmtpServer {
        SmtpServer::start_on(SmtpServer::free_port().await).await
    }

    pub async fn start_on(addr: SocketAddr) -> SmtpServer {
        let listener = TcpListener::bind(addr).await.expect("bind the SMTP port");
        let received = Arc::new(Mutex::new(Vec::new()));
        let tasks: Arc<Mutex<Vec<tokio::task::JoinHandle<()>>>> = Arc::default();
        let (r, t) = (received.clone(), tasks.clone());
        let accept = tokio::spawn(async move {
            while let Ok((stream, _)) = listener.accept().await {
                let r = r.clone();
                t.lock()
                    .unwrap()
                    .push(tokio::spawn(async move { session(stream, r).await }));
            }
        });
        tasks.lock().unwrap().push(accept);
        SmtpServer {
            addr,
            received,
            tasks,
        }
    }

    /// The URL lettre connects to (plain SMTP).
    pub fn url(&self) -> String {
        format!("smtp://{}", self.addr)
    }

    pub fn messages(&self) -> Vec<Received> {
        self.received.lock().unwrap().clone()
    }

    /// Stops listening and closes every open connection.
    pub fn stop(&self) {
        for task in self.tasks.lock().unwrap().drain(..) {
            task.abort();
        }
    }
}

impl Drop for SmtpServer {
    fn drop(&mut self) {
        self.stop();
    }
}

async fn session(stream: tokio::net::TcpStream, received: Arc<Mutex<Vec<Received>>>) {
    let (read, mut write) = stream.into_split();
    let mut lines = BufReader::new(read);
    let _ = write.write_all(b"220 test.localhost ESMTP\r\n").await;
    let mut rcpt_to = Vec::new();
    let mut line = String::new();
    loop {
        line.clear();
        if lines.read_line(&mut line).await.unwrap_or(0) == 0 {
            return;
        }
        let command = line.trim_end().to_ascii_uppercase();
        let reply: &[u8] = if command.starts_with("EHLO") {
            b"250-test.localhost\r\n250-8BITMIME\r\n250 SMTPUTF8\r\n"
        } else if command.starts_with("HELO") {
            b"250 test.localhost\r\n"
        } else if command.starts_with("MAIL FROM") {
            rcpt_to.clear();
            b"250 OK\r\n"
        } else if command.starts_with("RCPT TO") {
            let raw = line.trim_end();
            let addr = raw[raw.find('<').map_or(8, |i| i + 1)..]
                .trim_end_matches('>')
                .to_owned();
            rcpt_to.push(addr);
            b"250 OK\r\n"
        } else if command == "DATA" {
            let _ = write.write_all(b"354 end with <CRLF>.<CRLF>\r\n").await;
            let mut data = Vec::new();
            loop {
                line.clear();
                if lines.read_line(&mut line).await.unwrap_or(0) == 0 {
                    return;
                }
                if line == ".\r\n" || line == ".\n" {
                    break;
                }
                let unstuffed = line.strip_prefix('.').unwrap_or(&line);
                data.extend_from_slice(unstuffed.as_bytes());
            }
            received.lock().unwrap().push(Received {
                rcpt_to: std::mem::take(&mut rcpt_to),
                data,
            });
            b"250 OK queued\r\n"
        } else if command == "QUIT" {
            let _ = write.write_all(b"221 bye\r\n").await;
            return;
        } else if command == "RSET" || command == "NOOP" {
            b"250 OK\r\n"
        } else {
            b"502 not implemented\r\n"
        };
        if write.write_all(reply).await.is_err() {
            return;
        }
    }
}
