//! Messages from the templates in `app/templates/mail/` (minijinja; HTML auto-escaped), in the
//! recipient's language. The context holds only what may leave the portal (see the templates'
//! README): step names, dates, counts, unit names and links.

use crate::domain::ServiceKind;
use crate::domain::notice::NoticeKind;
use crate::domain::routine::Step;
use crate::i18n::{Locale, td_string};
use crate::server::ServerError;
use minijinja::Environment;
use serde::Serialize;
use std::sync::OnceLock;

/// A message's language from the stored value (`app_user.language`): the recipient's choice,
/// bokmål for anything else (and for shared and leader addresses).
pub fn language(raw: &str) -> Locale {
    raw.parse().unwrap_or_default()
}

/// A rendered message: subject, plain text and HTML.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Rendered {
    pub subject: String,
    pub text: String,
    pub html: String,
}

/// What a task's message says.
#[derive(Clone, Debug)]
pub struct TaskMessage {
    pub kind: NoticeKind,
    pub step: Step,
    pub due: time::Date,
    pub service: ServiceKind,
    pub district: String,
    pub link: String,
    pub days_overdue: i64,
    pub escalate_after: u16,
}

#[derive(Serialize)]
struct TaskContext {
    kind: &'static str,
    step: String,
    due: String,
    unit: String,
    link: minijinja::Value,
    days_overdue: i64,
    escalate_after: u16,
}

/// What a unit's daily digest says.
#[derive(Clone, Debug)]
pub struct DigestMessage {
    pub service: ServiceKind,
    pub district: String,
    pub date: time::Date,
    pub open: i64,
    pub overdue: i64,
    pub due_soon: i64,
    pub due_soon_days: u16,
    /// The most urgent tasks: step, due date, link, whether overdue.
    pub tasks: Vec<(Step, time::Date, String, bool)>,
    pub inbox: String,
}

#[derive(Serialize)]
struct DigestLine {
    step: String,
    due: String,
    link: minijinja::Value,
    overdue: bool,
}

#[derive(Serialize)]
struct DigestContext {
    unit: String,
    date: String,
    open: i64,
    overdue: i64,
    due_soon: i64,
    due_soon_days: u16,
    tasks: Vec<DigestLine>,
    more: i64,
    inbox: minijinja::Value,
}

/// What an exit meeting's invitation says (its calendar entry is built beside it).
#[derive(Clone, Debug)]
pub struct InvitationMessage {
    pub service: ServiceKind,
    pub district: String,
    /// Oslo local time.
    pub starts_at: time::PrimitiveDateTime,
    pub link: String,
}

#[derive(Serialize)]
struct InvitationContext {
    unit: String,
    when: String,
    link: minijinja::Value,
}

#[derive(Serialize)]
struct WithSubject<'a, C: Serialize> {
    #[serde(flatten)]
    ctx: &'a C,
    subject: &'a str,
}

fn env() -> &'static Environment<'static> {
    static ENV: OnceLock<Environment<'static>> = OnceLock::new();
    ENV.get_or_init(|| {
        let mut env = Environment::new();
        macro_rules! templates {
            ($($name:literal),+ $(,)?) => {
                [$(($name, include_str!(concat!("../../../templates/mail/", $name)))),+]
            };
        }
        let templates = templates!(
            "task.nb.txt",
            "task.nb.html",
            "task.en.txt",
            "task.en.html",
            "digest.nb.txt",
            "digest.nb.html",
            "digest.en.txt",
            "digest.en.html",
            "invitation.nb.txt",
            "invitation.nb.html",
            "invitation.en.txt",
            "invitation.en.html",
            "deviation.nb.txt",
            "deviation.nb.html",
            "deviation.en.txt",
            "deviation.en.html",
            "control_review.nb.txt",
            "control_review.nb.html",
            "control_review.en.txt",
            "control_review.en.html",
            "finding_step.nb.txt",
            "finding_step.nb.html",
            "finding_step.en.txt",
            "finding_step.en.html",
        );
        for (name, source) in templates {
            env.add_template(name, source)
                .expect("the mail templates parse (checked by the unit tests)");
        }
        env
    })
}

/// The step's name in `lang`.
pub fn step_name(step: Step, l: Locale) -> String {
    match step {
        Step::HousingPlan => td_string!(l, step_housing_plan),
        Step::FollowUpPlan => td_string!(l, step_follow_up_plan),
        Step::ExitMeeting => td_string!(l, step_exit_meeting),
        Step::ConcernReport => td_string!(l, step_concern_report),
        Step::ChildWelfareReview => td_string!(l, step_child_welfare_review),
        Step::ChildWelfareInvestigation => td_string!(l, step_child_welfare_investigation),
        Step::IndividualPlan => td_string!(l, step_individual_plan),
        Step::MainCoordinator => td_string!(l, step_main_coordinator),
        Step::Transfer => td_string!(l, step_transfer),
        Step::FollowUpContact => td_string!(l, step_follow_up_contact),
        Step::TransferReceipt => td_string!(l, step_transfer_receipt),
    }
    .to_string()
}

/// The service's name in `lang`.
pub fn service_name(kind: ServiceKind, l: Locale) -> String {
    match kind {
        ServiceKind::Nav => td_string!(l, service_kind_nav),
        ServiceKind::ChildWelfare => td_string!(l, service_kind_child_welfare),
        ServiceKind::ViolenceCoordinator => td_string!(l, service_kind_violence_coordinator),
        ServiceKind::Other => td_string!(l, service_kind_other),
    }
    .to_string()
}

/// A date as Norwegians write it, `30.04.2026` (English messages use it too: unambiguous).
pub fn date_text(date: time::Date) -> String {
    format!(
        "{:02}.{:02}.{}",
        date.day(),
        u8::from(date.month()),
        date.year()
    )
}

/// The link as a value the HTML template prints as it is: it is built by the portal from its own
/// base URL and a path, and only the characters that could end the attribute are escaped (the
/// default escaping would also turn every `/` into `&#x2f;`).
fn safe_link(link: &str) -> minijinja::Value {
    let escaped = link
        .replace('&', "&amp;")
        .replace('"', "&quot;")
        .replace('<', "&lt;")
        .replace('>', "&gt;");
    minijinja::Value::from_safe_string(escaped)
}

fn render_error(err: minijinja::Error) -> ServerError {
    ServerError::Config(format!("a mail template failed: {err}"))
}

/// Splits a rendered `.txt` template into its subject (first line, `Subject: ...`) and body.
fn split_subject(rendered: &str) -> Result<(String, String), ServerError> {
    let (first, body) = rendered.split_once('\n').unwrap_or((rendered, ""));
    let subject = first
        .strip_prefix("Subject: ")
        .ok_or_else(|| ServerError::Config("a mail template has no subject line".into()))?;
    Ok((subject.trim().to_owned(), body.trim_start().to_owned()))
}

/// Renders `family` (`task`, `digest`, `invitation`) in `lang` with `ctx`: the text template
/// gives the subject and the plain body, the HTML template the alternative.
fn render<C: Serialize>(family: &str, lang: Locale, ctx: &C) -> Result<Rendered, ServerError> {
    let env = env();
    let txt = env
        .get_template(&format!("{family}.{lang}.txt"))
        .and_then(|t| t.render(ctx))
        .map_err(render_error)?;
    let (subject, text) = split_subject(&txt)?;
    let html = env
        .get_template(&format!("{family}.{lang}.html"))
        .and_then(|t| {
            t.render(WithSubject {
                ctx,
                subject: &subject,
            })
        })
        .map_err(render_error)?;
    Ok(Rendered {
        subject,
        text,
        html,
    })
}

fn unit_name(service: ServiceKind, district: &str, lang: Locale) -> String {
    format!("{}, {district}", service_name(service, lang))
}

/// A task's message in `lang`.
pub fn task_message(message: &TaskMessage, lang: Locale) -> Result<Rendered, ServerError> {
    let ctx = TaskContext {
        kind: message.kind.as_str(),
        step: step_name(message.step, lang),
        due: date_text(message.due),
        unit: unit_name(message.service, &message.district, lang),
        link: safe_link(&message.link),
        days_overdue: message.days_overdue,
        escalate_after: message.escalate_after,
    };
    render("task", lang, &ctx)
}

/// A unit's daily digest in `lang`.
pub fn digest_message(message: &DigestMessage, lang: Locale) -> Result<Rendered, ServerError> {
    let shown = i64::try_from(message.tasks.len()).unwrap_or(i64::MAX);
    let ctx = DigestContext {
        unit: unit_name(message.service, &message.district, lang),
        date: date_text(message.date),
        open: message.open,
        overdue: message.overdue,
        due_soon: message.due_soon,
        due_soon_days: message.due_soon_days,
        tasks: message
            .tasks
            .iter()
            .map(|(step, due, link, overdue)| DigestLine {
                step: step_name(*step, lang),
                due: date_text(*due),
                link: safe_link(link),
                overdue: *overdue,
            })
            .collect(),
        more: (message.open - shown).max(0),
        inbox: safe_link(&message.inbox),
    };
    render("digest", lang, &ctx)
}

/// An exit meeting's invitation in `lang`.
pub fn invitation_message(
    message: &InvitationMessage,
    lang: Locale,
) -> Result<Rendered, ServerError> {
    let at = message.starts_at;
    let ctx = InvitationContext {
        unit: unit_name(message.service, &message.district, lang),
        when: format!(
            "{} {} {:02}:{:02}",
            date_text(at.date()),
            match lang {
                Locale::nb => "kl.",
                Locale::en => "at",
            },
            at.hour(),
            at.minute()
        ),
        link: safe_link(&message.link),
    };
    render("invitation", lang, &ctx)
}

/// What a new deviation's message says: no person, no free text.
#[derive(Clone, Debug)]
pub struct DeviationMessage {
    /// Opened by the deadline scan (else by a person).
    pub deadline: bool,
    pub step: Step,
    pub due: Option<time::Date>,
    pub opened: time::Date,
    pub service: ServiceKind,
    pub district: String,
    pub link: String,
}

#[derive(Serialize)]
struct DeviationContext {
    origin: &'static str,
    step: String,
    due: String,
    opened: String,
    unit: String,
    link: minijinja::Value,
}

/// A new deviation's message in `lang`.
pub fn deviation_message(
    message: &DeviationMessage,
    lang: Locale,
) -> Result<Rendered, ServerError> {
    let ctx = DeviationContext {
        origin: if message.deadline {
            "deadline"
        } else {
            "manual"
        },
        step: step_name(message.step, lang),
        due: message.due.map(date_text).unwrap_or_default(),
        opened: date_text(message.opened),
        unit: unit_name(message.service, &message.district, lang),
        link: safe_link(&message.link),
    };
    render("deviation", lang, &ctx)
}

/// What a review message says: whether the date passed, the document's name in the message's
/// language, the district, the review date, and the link to the district's documents.
pub struct ControlReviewMessage {
    pub passed: bool,
    pub document: String,
    pub district: String,
    pub review_on: time::Date,
    pub link: String,
}

#[derive(Serialize)]
struct ControlReviewContext {
    passed: bool,
    document: String,
    district: String,
    review_on: String,
    link: minijinja::Value,
}

/// An internal-control document's review message in `lang`.
pub fn control_review_message(
    message: &ControlReviewMessage,
    lang: Locale,
) -> Result<Rendered, ServerError> {
    let ctx = ControlReviewContext {
        passed: message.passed,
        document: message.document.clone(),
        district: message.district.clone(),
        review_on: date_text(message.review_on),
        link: safe_link(&message.link),
    };
    render("control_review", lang, &ctx)
}

/// What a closure step's message says: due soon or overdue, the unit, the deadline and the link
/// to the inbox. Not the step's text or the finding's: free text stays in the portal.
pub struct FindingStepMessage {
    pub overdue: bool,
    pub service: ServiceKind,
    pub district: String,
    pub due: time::Date,
    pub link: String,
}

#[derive(Serialize)]
struct FindingStepContext {
    overdue: bool,
    unit: String,
    due: String,
    link: minijinja::Value,
}

/// A closure step's message in `lang`.
pub fn finding_step_message(
    message: &FindingStepMessage,
    lang: Locale,
) -> Result<Rendered, ServerError> {
    let ctx = FindingStepContext {
        overdue: message.overdue,
        unit: unit_name(message.service, &message.district, lang),
        due: date_text(message.due),
        link: safe_link(&message.link),
    };
    render("finding_step", lang, &ctx)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn message(kind: NoticeKind) -> TaskMessage {
        TaskMessage {
            kind,
            step: Step::HousingPlan,
            due: time::macros::date!(2026 - 04 - 30),
            service: ServiceKind::Nav,
            district: "Alna".into(),
            link: "https://portal.example/oppgaver/7".into(),
            days_overdue: 8,
            escalate_after: 7,
        }
    }

    #[test]
    fn every_task_message_renders_in_both_languages_with_a_subject_and_the_link() {
        for kind in [
            NoticeKind::TaskAssigned,
            NoticeKind::TaskDueSoon,
            NoticeKind::TaskOverdue,
            NoticeKind::TaskEscalated,
        ] {
            for lang in [Locale::nb, Locale::en] {
                let r = task_message(&message(kind), lang).unwrap();
                assert!(
                    !r.subject.is_empty() && !r.subject.contains('\n'),
                    "{kind:?}"
                );
                assert!(r.subject.contains("30.04.2026") || r.subject.contains("Alna"));
                for body in [&r.text, &r.html] {
                    assert!(body.contains("https://portal.example/oppgaver/7"), "{body}");
                    assert!(body.contains("30.04.2026"));
                }
                assert!(r.html.contains(&format!("<title>{}</title>", r.subject)));
            }
        }
        let nb = task_message(&message(NoticeKind::TaskOverdue), Locale::nb).unwrap();
        assert_eq!(
            nb.subject,
            "Fristen er passert: Plan for boligfremskaffelse (frist 30.04.2026)"
        );
        assert!(
            nb.text
                .starts_with("Fristen for en oppgave hos NAV-kontor, Alna er passert")
        );
        let en = task_message(&message(NoticeKind::TaskAssigned), Locale::en).unwrap();
        assert!(en.subject.starts_with("New task: "), "{}", en.subject);
    }

    #[test]
    fn the_digest_and_the_invitation_render_in_both_languages() {
        let digest = DigestMessage {
            service: ServiceKind::ChildWelfare,
            district: "Stovner".into(),
            date: time::macros::date!(2026 - 03 - 29),
            open: 3,
            overdue: 1,
            due_soon: 1,
            due_soon_days: 3,
            tasks: vec![
                (
                    Step::ChildWelfareReview,
                    time::macros::date!(2026 - 03 - 20),
                    "https://p.example/oppgaver/4".into(),
                    true,
                ),
                (
                    Step::HousingPlan,
                    time::macros::date!(2026 - 03 - 30),
                    "https://p.example/oppgaver/9".into(),
                    false,
                ),
            ],
            inbox: "https://p.example/oppgaver".into(),
        };
        let nb = digest_message(&digest, Locale::nb).unwrap();
        assert_eq!(
            nb.subject,
            "Dagens oversikt for Barneverntjeneste, Stovner: 1 forfalt, 1 med frist snart"
        );
        assert!(
            nb.text.contains("- 20.03.2026 (forfalt): Barnevernet"),
            "{}",
            nb.text
        );
        assert!(nb.text.contains("https://p.example/oppgaver/9"));
        assert!(nb.text.contains("... og 1 til."));
        assert!(
            nb.html
                .contains("<a href=\"https://p.example/oppgaver/4\">"),
            "{}",
            nb.html
        );
        let en = digest_message(&digest, Locale::en).unwrap();
        assert!(en.text.contains("... and 1 more."));
        let invitation = InvitationMessage {
            service: ServiceKind::Nav,
            district: "Frogner".into(),
            starts_at: time::macros::datetime!(2026-04-20 10:00),
            link: "https://p.example/planer/3".into(),
        };
        let nb = invitation_message(&invitation, Locale::nb).unwrap();
        assert_eq!(
            nb.subject,
            "Invitasjon: avsluttende møte 20.04.2026 kl. 10:00"
        );
        let en = invitation_message(&invitation, Locale::en).unwrap();
        assert_eq!(en.subject, "Invitation: exit meeting 20.04.2026 at 10:00");
        assert!(en.html.contains("href=\"https://p.example/planer/3\""));
    }

    #[test]
    fn the_html_alternative_escapes_what_it_prints() {
        let mut m = message(NoticeKind::TaskAssigned);
        m.district = "<b>Alna</b>".into();
        let r = task_message(&m, Locale::nb).unwrap();
        assert!(r.html.contains("&lt;b&gt;Alna&lt;"), "{}", r.html);
        assert!(!r.html.contains("<b>Alna"));
    }

    #[test]
    fn a_review_message_renders_in_both_languages_with_the_document_the_date_and_the_link() {
        for passed in [false, true] {
            let message = ControlReviewMessage {
                passed,
                document: "Rutiner for voldskoordinatoren".into(),
                district: "Alna".into(),
                review_on: time::macros::date!(2026 - 06 - 30),
                link: "https://portal.example/internkontroll/alna".into(),
            };
            for lang in [Locale::nb, Locale::en] {
                let r = control_review_message(&message, lang).unwrap();
                assert!(
                    r.subject.contains("Rutiner for voldskoordinatoren (Alna)"),
                    "{}",
                    r.subject
                );
                let said = match (lang, passed) {
                    (Locale::nb, false) => "nærmer seg",
                    (Locale::nb, true) => "er passert",
                    (Locale::en, false) => "coming up",
                    (Locale::en, true) => "passed",
                };
                assert!(r.subject.contains(said), "{}", r.subject);
                for body in [&r.text, &r.html] {
                    assert!(body.contains("30.06.2026"));
                    assert!(body.contains("https://portal.example/internkontroll/alna"));
                }
            }
        }
    }

    #[test]
    fn a_closure_step_message_names_the_unit_the_deadline_and_the_inbox_only() {
        for overdue in [false, true] {
            let message = FindingStepMessage {
                overdue,
                service: ServiceKind::Nav,
                district: "Alna".into(),
                due: time::macros::date!(2027 - 01 - 15),
                link: "https://portal.example/oppgaver".into(),
            };
            for lang in [Locale::nb, Locale::en] {
                let r = finding_step_message(&message, lang).unwrap();
                let said = match (lang, overdue) {
                    (Locale::nb, false) => "nærmer seg",
                    (Locale::nb, true) => "er passert",
                    (Locale::en, false) => "coming up",
                    (Locale::en, true) => "passed",
                };
                assert!(r.subject.contains(said), "{}", r.subject);
                assert!(r.subject.contains("Alna"), "{}", r.subject);
                for body in [&r.text, &r.html] {
                    assert!(body.contains("15.01.2027"), "{body}");
                    assert!(body.contains("https://portal.example/oppgaver"));
                }
            }
        }
    }
}
