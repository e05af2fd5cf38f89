//! Notifications: the deadline scan that queues messages, and the sender that delivers what the
//! outbox holds. Both run inside `serve` ([`spawn`]); tests call [`scan`] and [`send_due`]
//! directly with a manual clock.
//!
//! Delivery is at least once and, short of a crash between the mail server's "250 OK" and the
//! row's update, exactly once: a row is claimed in a write transaction (two processes never
//! claim the same row), sent, and marked sent at once. Every try of a row uses the same
//! Message-ID, so even that rare second copy is recognisable as the same message.

pub mod calendar;
pub mod mailer;
pub mod render;

use crate::domain::notice::{Audience, MAX_ATTEMPTS, NoticeKind, NoticeState, retry_delay};
use crate::domain::plan::TaskStatus;
use crate::server::db::Db;
use crate::server::repo::outbox::{self, Claimed, Recipient, ScanCounts};
use crate::server::{Clock, ServerError};
use lettre::message::{Mailbox, Message, MultiPart};
pub use mailer::{Mailer, SendFailure};
use render::{Rendered, TaskMessage, language};
use std::sync::Arc;
use std::time::Duration;

/// The settings of the scan and the sender.
#[derive(Clone, Debug)]
pub struct NotifySettings {
    /// Open tasks due within this many days get a due-soon message (`PORTAL_DUE_SOON_DAYS`).
    pub due_soon_days: u16,
    /// An open task overdue by this many days goes to the unit's leader
    /// (`PORTAL_ESCALATION_DAYS`).
    pub escalate_after: u16,
    /// The Oslo time of day (hour, minute) from which the day's digests are queued
    /// (`PORTAL_DIGEST_TIME`); `None`: no digests (tests of the other messages).
    pub digest_at: Option<(u8, u8)>,
}

/// How many tasks a digest lists (the most urgent; the rest are counted).
pub const DIGEST_LINES: i64 = 50;

/// How long a sender holds the rows it claimed: far longer than a batch takes, so a row is
/// claimed again only after its sender died.
pub const CLAIM: time::Duration = time::Duration::minutes(10);
/// How many rows one claim takes.
pub const BATCH: i64 = 20;
/// How many messages of a batch are sent at the same time (lettre's pool keeps up to 10
/// connections).
pub const PARALLEL: usize = 8;
/// How often `serve` scans the deadlines and looks for due rows.
pub const SCAN_EVERY: Duration = Duration::from_secs(60);
pub const SEND_EVERY: Duration = Duration::from_secs(5);

/// Queues the deadline messages for today's Oslo date (see
/// [`outbox::queue_deadline_notices`]) and, from the digest time on, the day's digests
/// ([`outbox::queue_digests`]), in one write transaction.
pub async fn scan(
    db: &Db,
    clock: &Clock,
    settings: &NotifySettings,
) -> Result<ScanCounts, ServerError> {
    let now = clock.now();
    let today = crate::server::clock::oslo_date(now);
    let (hour, minute) = crate::server::clock::oslo_time_of_day(now);
    let digest_due = settings.digest_at.is_some_and(|(h, m)| {
        (hour, minute)
            >= (
                i8::try_from(h).unwrap_or(i8::MAX),
                i8::try_from(m).unwrap_or(0),
            )
    });
    let mut tx = db.begin_write().await?;
    let mut counts = outbox::queue_deadline_notices(
        &mut tx,
        now,
        today,
        settings.due_soon_days,
        settings.escalate_after,
    )
    .await?;
    if digest_due {
        counts.digests = outbox::queue_digests(&mut tx, now, today).await?;
    }
    counts.deviations =
        crate::server::service::deviations::open_missed(&mut tx, now, today).await?;
    counts.control_reviews = outbox::queue_control_reviews(&mut tx, now, today).await?;
    counts.finding_steps =
        outbox::queue_finding_steps(&mut tx, now, today, settings.due_soon_days).await?;
    tx.commit().await?;
    Ok(counts)
}

/// What one round of the sender did.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct SendReport {
    pub sent: usize,
    pub retried: usize,
    pub failed: usize,
    pub skipped: usize,
}

impl SendReport {
    pub fn handled(&self) -> usize {
        self.sent + self.retried + self.failed + self.skipped
    }
}

/// The sender of one process: its claim token tells its claims from another process's.
#[derive(Clone)]
pub struct Sender {
    db: Db,
    mailer: Arc<Mailer>,
    clock: Clock,
    settings: NotifySettings,
    token: String,
}

impl Sender {
    pub fn new(db: Db, mailer: Arc<Mailer>, clock: Clock, settings: NotifySettings) -> Sender {
        Sender {
            db,
            mailer,
            clock,
            settings,
            token: claim_token(),
        }
    }

    /// Claims and handles up to `limit` due rows; returns what became of them.
    pub async fn send_due(&self, limit: i64) -> Result<SendReport, ServerError> {
        let now = self.clock.now();
        let claimed = {
            let mut tx = self.db.begin_write().await?;
            let rows = outbox::claim_due(&mut tx, now, now + CLAIM, &self.token, limit).await?;
            tx.commit().await?;
            rows
        };
        // The claimed rows go out side by side, over up to [`PARALLEL`] connections: lettre
        // does not turn Nagle's algorithm off, so one SMTP conversation waits about 40 ms per
        // message for the server's delayed ACK.
        let mut report = SendReport::default();
        let mut rows = claimed.into_iter();
        let mut running = tokio::task::JoinSet::new();
        let mut first_error = None;
        loop {
            while running.len() < PARALLEL
                && let Some(row) = rows.next()
            {
                let sender = self.clone();
                running.spawn(async move { sender.deliver(&row).await });
            }
            let Some(done) = running.join_next().await else {
                break;
            };
            // One delivery's error (a commit that failed) must not cancel the others in flight:
            // a cancelled one could have sent its message without marking it.
            match done {
                Ok(Ok(NoticeState::Sent)) => report.sent += 1,
                Ok(Ok(NoticeState::Pending)) => report.retried += 1,
                Ok(Ok(NoticeState::Failed)) => report.failed += 1,
                Ok(Ok(NoticeState::Skipped)) => report.skipped += 1,
                Ok(Err(err)) => {
                    first_error.get_or_insert(err);
                }
                Err(join) => {
                    first_error.get_or_insert(ServerError::Pragma(format!(
                        "a delivery task failed: {join}"
                    )));
                }
            }
        }
        match first_error {
            Some(err) => Err(err),
            None => Ok(report),
        }
    }

    /// Sends until nothing is due (or `max` rows were handled).
    pub async fn drain(&self, max: usize) -> Result<SendReport, ServerError> {
        let mut total = SendReport::default();
        loop {
            let round = self.send_due(BATCH).await?;
            total.sent += round.sent;
            total.retried += round.retried;
            total.failed += round.failed;
            total.skipped += round.skipped;
            if round.handled() == 0 || total.handled() >= max {
                return Ok(total);
            }
        }
    }

    async fn deliver(&self, row: &Claimed) -> Result<NoticeState, ServerError> {
        let composed = {
            let mut conn = self.db.acquire().await?;
            compose(&mut conn, row, &self.mailer, &self.clock, &self.settings).await
        };
        let now = self.clock.now();
        let retry_or_fail = |note: String| {
            if row.attempts >= MAX_ATTEMPTS {
                (NoticeState::Failed, now, note)
            } else {
                (NoticeState::Pending, now + retry_delay(row.attempts), note)
            }
        };
        let (state, next, note) = match composed {
            // A read that failed, or a template that did not render: tried again like a mail
            // server that did not answer, so one bad row never stops the others.
            Err(err) => {
                tracing::error!(row = row.id, error = %err, "a message could not be composed");
                retry_or_fail("the message could not be composed (see the log)".to_owned())
            }
            Ok(composed) => match composed {
                Composed::Skip(note) => (NoticeState::Skipped, now, note.to_owned()),
                Composed::Fail(note) => (NoticeState::Failed, now, note.to_owned()),
                Composed::Send(message, message_id) => match self.mailer.send(*message).await {
                    Ok(()) => {
                        let mut tx = self.db.begin_write().await?;
                        let mine =
                            outbox::mark_sent(&mut tx, row.id, &self.token, now, &message_id)
                                .await?;
                        tx.commit().await?;
                        if !mine {
                            tracing::warn!(
                                row = row.id,
                                "a sent row had been claimed by another sender"
                            );
                        }
                        return Ok(NoticeState::Sent);
                    }
                    Err(SendFailure { permanent, note }) => {
                        tracing::warn!(row = row.id, attempts = row.attempts, %note, "a message was not sent");
                        if permanent {
                            (NoticeState::Failed, now, note)
                        } else {
                            retry_or_fail(note)
                        }
                    }
                },
            },
        };
        let mut tx = self.db.begin_write().await?;
        outbox::mark_unsent(&mut tx, row.id, &self.token, state, next, &note).await?;
        tx.commit().await?;
        Ok(state)
    }
}

/// A random claim token, as the known-device key is made (`server::device`).
fn claim_token() -> String {
    use argon2::password_hash::rand_core::{OsRng, RngCore};
    let mut bytes = [0u8; 16];
    OsRng.fill_bytes(&mut bytes);
    hex::encode(bytes)
}

/// What a claimed row turned into.
enum Composed {
    Send(Box<Message>, String),
    /// Not sent, for a reason that will not change (the task was closed or moved).
    Skip(&'static str),
    /// Not sent, for a reason an operator must fix (no address in the directory).
    Fail(&'static str),
}

async fn compose(
    conn: &mut sqlx::SqliteConnection,
    row: &Claimed,
    mailer: &Mailer,
    clock: &Clock,
    settings: &NotifySettings,
) -> Result<Composed, ServerError> {
    match row.kind {
        NoticeKind::TaskAssigned
        | NoticeKind::TaskDueSoon
        | NoticeKind::TaskOverdue
        | NoticeKind::TaskEscalated => compose_task(conn, row, mailer, clock, settings).await,
        NoticeKind::UnitDigest => compose_digest(conn, row, mailer, clock, settings).await,
        NoticeKind::ExitMeetingInvitation => compose_invitation(conn, row, mailer).await,
        NoticeKind::DeviationOpened => compose_deviation(conn, row, mailer).await,
        NoticeKind::ControlReviewSoon | NoticeKind::ControlReviewPassed => {
            compose_control_review(conn, row, mailer).await
        }
        NoticeKind::FindingStepDueSoon | NoticeKind::FindingStepOverdue => {
            compose_finding_step(conn, row, mailer, clock).await
        }
    }
}

/// The unit's shared address, in bokmål.
async fn unit_recipient(
    conn: &mut sqlx::SqliteConnection,
    unit: crate::domain::Unit,
) -> Result<Option<Recipient>, ServerError> {
    Ok(outbox::unit_address(conn, unit)
        .await?
        .map(|email| Recipient {
            email,
            language: "nb".into(),
        }))
}

const NO_UNIT_ADDRESS: &str = "the unit has no shared e-mail address in the directory";
const NO_LEADER: &str = "the unit has no active leader contact in the directory";

/// The unit's active leader contacts, in bokmål; `None` when it has none.
async fn leader_recipients(
    conn: &mut sqlx::SqliteConnection,
    unit: crate::domain::Unit,
) -> Result<Option<Vec<Recipient>>, ServerError> {
    let leaders = outbox::leader_addresses(conn, unit).await?;
    Ok((!leaders.is_empty()).then(|| {
        leaders
            .into_iter()
            .map(|email| Recipient {
                email,
                language: "nb".into(),
            })
            .collect()
    }))
}

async fn compose_digest(
    conn: &mut sqlx::SqliteConnection,
    row: &Claimed,
    mailer: &Mailer,
    clock: &Clock,
    settings: &NotifySettings,
) -> Result<Composed, ServerError> {
    let Some(unit) = row.unit else {
        return Ok(Composed::Fail("the row names no unit"));
    };
    let recipient = match (row.audience, row.user) {
        (Audience::User, Some(user)) => match outbox::digest_user(conn, user, unit).await? {
            Some(r) => r,
            None => {
                return Ok(Composed::Skip(
                    "the user no longer takes this unit's digest",
                ));
            }
        },
        _ => match unit_recipient(conn, unit).await? {
            Some(r) => r,
            None => return Ok(Composed::Fail(NO_UNIT_ADDRESS)),
        },
    };
    let today = clock.oslo_today();
    if row.on_date != Some(today) {
        return Ok(Composed::Skip("the day of the digest is over"));
    }
    let (tasks, open) = outbox::digest_tasks(conn, unit, DIGEST_LINES).await?;
    if open == 0 {
        return Ok(Composed::Skip("the unit has no open tasks"));
    }
    let soon = today + time::Duration::days(i64::from(settings.due_soon_days));
    let (overdue, due_soon) = outbox::unit_counts(conn, unit, today, soon).await?;
    let district = outbox::district_name(conn, unit.district)
        .await?
        .unwrap_or_default();
    let lang = language(&recipient.language);
    let rendered = render::digest_message(
        &render::DigestMessage {
            service: unit.service,
            district,
            date: today,
            open,
            overdue,
            due_soon,
            due_soon_days: settings.due_soon_days,
            tasks: tasks
                .into_iter()
                .map(|t| {
                    (
                        t.step,
                        t.due,
                        mailer.link(&crate::routes::task(t.task)),
                        t.due < today,
                    )
                })
                .collect(),
            inbox: mailer.link(crate::routes::TASKS),
        },
        lang,
    )?;
    finish(row, mailer, &[recipient], rendered, None)
}

async fn compose_invitation(
    conn: &mut sqlx::SqliteConnection,
    row: &Claimed,
    mailer: &Mailer,
) -> Result<Composed, ServerError> {
    let (Some(stay), Some(unit)) = (row.stay, row.unit) else {
        return Ok(Composed::Fail("the row names no stay or unit"));
    };
    let Some(starts_at) = outbox::invitation_time(conn, stay, unit).await? else {
        return Ok(Composed::Skip(
            "the meeting was held, or the unit is no longer invited",
        ));
    };
    // The key ends with the time the invitation was queued for; a meeting moved since has its
    // own, newer invitation.
    if !row.key.ends_with(&format!(":{starts_at}")) {
        return Ok(Composed::Skip("the meeting was moved to another time"));
    }
    let format = time::macros::format_description!("[year]-[month]-[day]T[hour]:[minute]");
    let Ok(local) = time::PrimitiveDateTime::parse(&starts_at, &format) else {
        return Ok(Composed::Fail("the meeting's stored time is not readable"));
    };
    let Some(start) = crate::server::clock::oslo_instant(local) else {
        return Ok(Composed::Fail("the meeting's time does not exist in Oslo"));
    };
    let Some(recipient) = unit_recipient(conn, unit).await? else {
        return Ok(Composed::Fail(NO_UNIT_ADDRESS));
    };
    let district = outbox::district_name(conn, unit.district)
        .await?
        .unwrap_or_default();
    let lang = language(&recipient.language);
    let link = mailer.link(&crate::routes::plan(stay));
    let rendered = render::invitation_message(
        &render::InvitationMessage {
            service: unit.service,
            district,
            starts_at: local,
            link: link.clone(),
        },
        lang,
    )?;
    let ics = calendar::invitation(
        &format!("exit-meeting-{}@{}", stay.0, mailer.host()),
        row.id,
        start,
        &link,
        lang,
    );
    finish(row, mailer, &[recipient], rendered, Some(ics))
}

/// A new deviation, to the unit's leader contacts (while it is still open).
async fn compose_deviation(
    conn: &mut sqlx::SqliteConnection,
    row: &Claimed,
    mailer: &Mailer,
) -> Result<Composed, ServerError> {
    use crate::domain::deviation::DeviationStatus;
    let (Some(id), Some(unit)) = (row.deviation, row.unit) else {
        return Ok(Composed::Fail("the row names no deviation or unit"));
    };
    let Some(facts) = crate::server::repo::deviations::notice_facts(conn, id).await? else {
        return Ok(Composed::Skip("the deviation no longer exists"));
    };
    if facts.status != DeviationStatus::Open {
        return Ok(Composed::Skip(
            "the deviation was closed before the message went",
        ));
    }
    if facts.unit != Some(unit) {
        return Ok(Composed::Fail("the row's unit is not the deviation's"));
    }
    let Some(recipients) = leader_recipients(conn, unit).await? else {
        return Ok(Composed::Fail(NO_LEADER));
    };
    let lang = language(&recipients[0].language);
    let rendered = render::deviation_message(
        &render::DeviationMessage {
            deadline: facts.due_on.is_some(),
            step: facts.step,
            due: facts.due_on,
            opened: facts.opened_on,
            service: unit.service,
            district: facts.district_name.unwrap_or_default(),
            link: mailer.link(&crate::api::deviations::deviation_page(id.0)),
        },
        lang,
    )?;
    finish(row, mailer, &recipients, rendered, None)
}

/// A review date coming up or passed, to the leader contacts of the row's unit. Skipped when the
/// document is no longer adopted or has another review date now (a new adoption is told anew).
async fn compose_control_review(
    conn: &mut sqlx::SqliteConnection,
    row: &Claimed,
    mailer: &Mailer,
) -> Result<Composed, ServerError> {
    let (Some(document), Some(unit), Some(review_on)) = (row.document, row.unit, row.on_date)
    else {
        return Ok(Composed::Fail(
            "the row names no document, unit or review date",
        ));
    };
    let Some(facts) = outbox::control_review_facts(conn, unit.district, document).await? else {
        return Ok(Composed::Skip("the district has no entry for the document"));
    };
    if !facts.adopted || facts.review_on != Some(review_on) {
        return Ok(Composed::Skip(
            "the document's status or review date changed before the message went",
        ));
    }
    let Some(recipients) = leader_recipients(conn, unit).await? else {
        return Ok(Composed::Fail(NO_LEADER));
    };
    let lang = language(&recipients[0].language);
    let rendered = render::control_review_message(
        &render::ControlReviewMessage {
            passed: row.kind == NoticeKind::ControlReviewPassed,
            document: match lang {
                crate::i18n::Locale::en => facts.name_en,
                crate::i18n::Locale::nb => facts.name_nb,
            },
            district: facts.district_name,
            review_on,
            link: mailer.link(&crate::api::internal_control::district_control_page(
                &facts.district_slug,
            )),
        },
        lang,
    )?;
    finish(row, mailer, &recipients, rendered, None)
}

/// A closure step due soon or overdue, to its unit's shared address. Skipped when the step was
/// done, its finding closed or its deadline moved before the message went.
async fn compose_finding_step(
    conn: &mut sqlx::SqliteConnection,
    row: &Claimed,
    mailer: &Mailer,
    clock: &Clock,
) -> Result<Composed, ServerError> {
    let (Some(step), Some(unit), Some(due)) = (row.step, row.unit, row.on_date) else {
        return Ok(Composed::Fail("the row names no step, unit or deadline"));
    };
    let Some((due_now, open, district)) = outbox::finding_step_facts(conn, step).await? else {
        return Ok(Composed::Skip("the step no longer exists"));
    };
    if !open {
        return Ok(Composed::Skip(
            "the step was done or its finding closed before the message went",
        ));
    }
    let overdue = row.kind == NoticeKind::FindingStepOverdue;
    if due_now != due || overdue != (due < clock.oslo_today()) {
        return Ok(Composed::Skip("the deadline moved before the message went"));
    }
    let Some(recipient) = unit_recipient(conn, unit).await? else {
        return Ok(Composed::Fail(NO_UNIT_ADDRESS));
    };
    let lang = language(&recipient.language);
    let rendered = render::finding_step_message(
        &render::FindingStepMessage {
            overdue,
            service: unit.service,
            district,
            due,
            link: mailer.link(crate::routes::TASKS),
        },
        lang,
    )?;
    finish(row, mailer, &[recipient], rendered, None)
}

async fn compose_task(
    conn: &mut sqlx::SqliteConnection,
    row: &Claimed,
    mailer: &Mailer,
    clock: &Clock,
    settings: &NotifySettings,
) -> Result<Composed, ServerError> {
    let (Some(task), Some(unit)) = (row.task, row.unit) else {
        return Ok(Composed::Fail("the row names no task or unit"));
    };
    let Some(facts) = outbox::task_facts(conn, task).await? else {
        return Ok(Composed::Skip("the task no longer exists"));
    };
    if !matches!(facts.status, TaskStatus::Open | TaskStatus::InProgress) {
        return Ok(Composed::Skip(
            "the task was closed before the message went",
        ));
    }
    if facts.unit != Some(unit) {
        return Ok(Composed::Skip(
            "the task moved to another unit before the message went",
        ));
    }
    let today = clock.oslo_today();
    let days_overdue = (today - facts.due).whole_days();
    let still_true = match row.kind {
        NoticeKind::TaskDueSoon => days_overdue <= 0,
        NoticeKind::TaskOverdue => days_overdue > 0,
        NoticeKind::TaskEscalated => days_overdue >= i64::from(settings.escalate_after),
        _ => true,
    };
    if !still_true {
        return Ok(Composed::Skip("the due date moved before the message went"));
    }
    let recipients = match row.audience {
        Audience::Leader => match leader_recipients(conn, unit).await? {
            Some(leaders) => leaders,
            None => return Ok(Composed::Fail(NO_LEADER)),
        },
        Audience::Unit | Audience::User => {
            let assignee = match (row.kind, facts.assignee) {
                // A claimed task's messages go to its caseworker, who chose how to get them.
                (NoticeKind::TaskAssigned, _) | (_, None) => None,
                (_, Some(user)) => outbox::user_address(conn, user).await?,
            };
            match assignee {
                Some((_, false)) => {
                    return Ok(Composed::Skip("the caseworker takes the daily digest only"));
                }
                Some((recipient, true)) => vec![recipient],
                None => match unit_recipient(conn, unit).await? {
                    Some(r) => vec![r],
                    None => return Ok(Composed::Fail(NO_UNIT_ADDRESS)),
                },
            }
        }
    };
    let lang = language(&recipients[0].language);
    let rendered = render::task_message(
        &TaskMessage {
            kind: row.kind,
            step: facts.step,
            due: facts.due,
            service: unit.service,
            district: facts.district_name.unwrap_or_default(),
            link: mailer.link(&crate::routes::task(task)),
            days_overdue,
            escalate_after: settings.escalate_after,
        },
        lang,
    )?;
    finish(row, mailer, &recipients, rendered, None)
}

/// The message of a row, with its Message-ID (the same at every try of the row).
fn finish(
    row: &Claimed,
    mailer: &Mailer,
    recipients: &[Recipient],
    rendered: Rendered,
    calendar: Option<String>,
) -> Result<Composed, ServerError> {
    let message_id = format!("<outbox.{}@{}>", row.id, mailer.host());
    match build(mailer.from(), recipients, &message_id, rendered, calendar) {
        Some(message) => Ok(Composed::Send(Box::new(message), message_id)),
        None => Ok(Composed::Fail("a recipient's address is not valid")),
    }
}

/// The message with its plain-text and HTML alternatives, and a calendar entry attached when
/// there is one. Several recipients (a unit's leaders) are in Bcc, so no one sees the others'
/// addresses.
fn build(
    from: &Mailbox,
    recipients: &[Recipient],
    message_id: &str,
    rendered: Rendered,
    calendar: Option<String>,
) -> Option<Message> {
    let mut builder = Message::builder()
        .from(from.clone())
        .subject(rendered.subject)
        .message_id(Some(message_id.to_owned()));
    if let [only] = recipients {
        builder = builder.to(only.email.parse().ok()?);
    } else {
        builder = builder.to(from.clone());
        for r in recipients {
            builder = builder.bcc(r.email.parse().ok()?);
        }
    }
    let body = MultiPart::alternative_plain_html(rendered.text, rendered.html);
    let body = match calendar {
        None => body,
        Some(ics) => MultiPart::mixed().multipart(body).singlepart(
            lettre::message::Attachment::new("invitasjon.ics".to_owned()).body(
                ics,
                lettre::message::header::ContentType::parse("text/calendar; charset=utf-8").ok()?,
            ),
        ),
    };
    builder.multipart(body).ok()
}

/// Runs the scan every [`SCAN_EVERY`] and the sender every [`SEND_EVERY`] until the task is
/// aborted. Errors are logged and the loop goes on: mail must not stop the portal.
pub fn spawn(sender: Sender) -> tokio::task::JoinHandle<()> {
    tokio::spawn(async move {
        let mut last_scan: Option<std::time::Instant> = None;
        loop {
            if last_scan.is_none_or(|t| t.elapsed() >= SCAN_EVERY) {
                match scan(&sender.db, &sender.clock, &sender.settings).await {
                    Ok(counts) if counts != ScanCounts::default() => {
                        tracing::info!(?counts, "deadline messages queued");
                    }
                    Ok(_) => {}
                    Err(err) => tracing::error!(error = %err, "the deadline scan failed"),
                }
                last_scan = Some(std::time::Instant::now());
            }
            match sender.drain(500).await {
                Ok(r) if r.handled() > 0 => tracing::info!(?r, "outbox round"),
                Ok(_) => {}
                Err(err) => tracing::error!(error = %err, "the outbox round failed"),
            }
            tokio::time::sleep(SEND_EVERY).await;
        }
    })
}
