//! The access log: what its rows record (the actions, the kinds of object, the outcomes, who
//! acted), and the filter and the rows as administrators read them.

use super::{DistrictId, Role, UserId};
use serde::{Deserialize, Serialize};

stored_enum!(
    /// What an access-log row records (its `action` column): a stable dotted name.
    AuditAction {
        SignIn = "sign_in",
        SignInCode = "sign_in.code",
        SignOut = "sign_out",
        UserCreate = "user.create",
        UserUpdate = "user.update",
        UserDeactivate = "user.deactivate",
        UserReactivate = "user.reactivate",
        UserResetPassword = "user.reset_password",
        UserResetSecondFactor = "user.reset_second_factor",
        UserChangePassword = "user.change_password",
        UserEnrolSecondFactor = "user.enrol_second_factor",
        UserList = "user.list",
        UserRead = "user.read",
        DistrictCreate = "district.create",
        DistrictUpdate = "district.update",
        ServiceCreate = "service.create",
        ServiceUpdate = "service.update",
        ContactCreate = "contact.create",
        ContactUpdate = "contact.update",
        ContactRemove = "contact.remove",
        DirectoryReadContacts = "directory.read_contacts",
        RoutinePublish = "routine.publish",
        AccessLogRead = "access_log.read",
        PlanCreate = "plan.create",
        PlanList = "plan.list",
        PlanRead = "plan.read",
        PlanUpdate = "plan.update",
        PlanAddChild = "plan.add_child",
        PlanConcern = "plan.concern",
        PlanConsent = "plan.consent",
        PlanInsight = "plan.insight",
        PlanCorrect = "plan.correct",
        PlanMoveOut = "plan.move_out",
        PlanLink = "plan.link",
        PlanUnlink = "plan.unlink",
        ExitMeetingPlan = "exit_meeting.plan",
        ExitMeetingRecord = "exit_meeting.record",
        TaskList = "task.list",
        TaskRead = "task.read",
        TaskUpdate = "task.update",
        TaskExtend = "task.extend",
        TaskReceipt = "task.receipt",
        OutboxRetry = "outbox.retry",
        UserPreferences = "user.preferences",
        UnitMailPause = "unit.mail_pause",
        UnitMailResume = "unit.mail_resume",
        CalendarFeedCreate = "calendar_feed.create",
        CalendarFeedRevoke = "calendar_feed.revoke",
        DeviationOpen = "deviation.open",
        DeviationRead = "deviation.read",
        DeviationHandle = "deviation.handle",
        DeviationClose = "deviation.close",
        DeviationReopen = "deviation.reopen",
        ControlDocumentUpdate = "control_document.update",
        ControlDocumentAdopt = "control_document.adopt",
        ControlDocumentUpload = "control_document.upload",
        ControlDocumentCreate = "control_document.create",
        FindingRecord = "finding.record",
        FindingClose = "finding.close",
        FindingStepAdd = "finding_step.add",
        FindingStepDone = "finding_step.done",
        FindingStepReopen = "finding_step.reopen",
        StaysImport = "stays.import",
    }
);

stored_enum!(
    /// The kind of object an access-log row names (its `object_type` column).
    ObjectKind {
        User = "user",
        District = "district",
        Service = "service",
        Contact = "contact",
        RoutineVersion = "routine_version",
        Stay = "stay",
        Task = "task",
        OutboxMessage = "outbox",
        /// A district's service of a kind, as `<district id>/<kind>`.
        Unit = "unit",
        Deviation = "deviation",
        /// A district's entry for an internal-control document, as `<district id>/<document>`.
        ControlDocument = "control_document",
        /// An audit finding of a district.
        Finding = "finding",
        /// A step of a finding's closure plan.
        FindingStep = "finding_step",
        /// An import of past stays.
        StayImport = "stay_import",
    }
);

stored_enum!(
    /// How the attempt an access-log row records ended (its `outcome` column).
    AuditOutcome {
        Ok = "ok",
        Refused = "refused",
        Failed = "failed",
    }
);

/// Who acted, as an access-log row remembers them even after the user changes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ActorSnapshot {
    pub user: UserId,
    pub name: String,
    pub role: Role,
}

/// What to look for in the access log. Empty fields do not filter. Dates are Oslo calendar days,
/// `YYYY-MM-DD`, both ends included.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct AccessLogFilter {
    pub user: Option<UserId>,
    pub object_type: Option<String>,
    pub object_id: Option<String>,
    pub district: Option<DistrictId>,
    pub from: Option<time_free::Day>,
    pub to: Option<time_free::Day>,
}

/// The newest rows a search returns at most.
pub const ACCESS_LOG_PAGE: i64 = 200;

/// One row of the access log.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AccessLogEntry {
    pub id: i64,
    /// UTC, e.g. `2026-03-30T21:59:00.000Z`.
    pub at: String,
    pub user: Option<UserId>,
    pub user_name: Option<String>,
    pub user_role: Option<String>,
    pub action: String,
    pub object_type: Option<String>,
    pub object_id: Option<String>,
    pub district: Option<DistrictId>,
    pub reason: Option<String>,
    pub outcome: String,
    /// The stays whose personal data the row touched, comma-separated.
    pub stays: Option<String>,
}

/// A calendar day without a time-zone library (the domain is compiled to wasm too).
pub mod time_free {
    use serde::{Deserialize, Serialize};

    /// A valid `YYYY-MM-DD` date.
    #[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
    pub struct Day {
        pub year: i32,
        pub month: u8,
        pub day: u8,
    }

    impl Day {
        /// Parses `YYYY-MM-DD` (years 1900 to 9999), checking the day of the month.
        pub fn parse(raw: &str) -> Option<Day> {
            let raw = raw.trim();
            let mut parts = raw.splitn(3, '-');
            let (y, m, d) = (parts.next()?, parts.next()?, parts.next()?);
            if y.len() != 4 || m.len() != 2 || d.len() != 2 {
                return None;
            }
            let (year, month, day) = (
                y.parse::<i32>().ok()?,
                m.parse::<u8>().ok()?,
                d.parse::<u8>().ok()?,
            );
            let leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
            let days = match month {
                1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
                4 | 6 | 9 | 11 => 30,
                2 if leap => 29,
                2 => 28,
                _ => return None,
            };
            ((1900..=9999).contains(&year) && (1..=days).contains(&day)).then_some(Day {
                year,
                month,
                day,
            })
        }
    }

    impl std::fmt::Display for Day {
        fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            write!(f, "{:04}-{:02}-{:02}", self.year, self.month, self.day)
        }
    }

    #[cfg(test)]
    mod tests {
        use super::Day;

        #[test]
        fn days_are_checked_against_the_calendar() {
            assert_eq!(
                Day::parse("2028-02-29").map(|d| d.to_string()).as_deref(),
                Some("2028-02-29")
            );
            for bad in [
                "2026-02-29",
                "2026-13-01",
                "2026-04-31",
                "26-01-01",
                "2026-1-01",
                "",
                "x",
            ] {
                assert!(Day::parse(bad).is_none(), "{bad}");
            }
        }
    }
}

#[cfg(test)]
mod audit_names {
    use super::*;

    /// The names the access log has always stored: existing rows and the administrators'
    /// searches depend on them, so a renamed variant must not change its text.
    #[test]
    fn actions_objects_and_outcomes_keep_their_stored_names() {
        let actions: Vec<&str> = AuditAction::ALL.iter().map(|a| a.as_str()).collect();
        assert_eq!(
            actions,
            [
                "sign_in",
                "sign_in.code",
                "sign_out",
                "user.create",
                "user.update",
                "user.deactivate",
                "user.reactivate",
                "user.reset_password",
                "user.reset_second_factor",
                "user.change_password",
                "user.enrol_second_factor",
                "user.list",
                "user.read",
                "district.create",
                "district.update",
                "service.create",
                "service.update",
                "contact.create",
                "contact.update",
                "contact.remove",
                "directory.read_contacts",
                "routine.publish",
                "access_log.read",
                "plan.create",
                "plan.list",
                "plan.read",
                "plan.update",
                "plan.add_child",
                "plan.concern",
                "plan.consent",
                "plan.insight",
                "plan.correct",
                "plan.move_out",
                "plan.link",
                "plan.unlink",
                "exit_meeting.plan",
                "exit_meeting.record",
                "task.list",
                "task.read",
                "task.update",
                "task.extend",
                "task.receipt",
                "outbox.retry",
                "user.preferences",
                "unit.mail_pause",
                "unit.mail_resume",
                "calendar_feed.create",
                "calendar_feed.revoke",
                "deviation.open",
                "deviation.read",
                "deviation.handle",
                "deviation.close",
                "deviation.reopen",
                "control_document.update",
                "control_document.adopt",
                "control_document.upload",
                "control_document.create",
                "finding.record",
                "finding.close",
                "finding_step.add",
                "finding_step.done",
                "finding_step.reopen",
                "stays.import",
            ]
        );
        let kinds: Vec<&str> = ObjectKind::ALL.iter().map(|k| k.as_str()).collect();
        assert_eq!(
            kinds,
            [
                "user",
                "district",
                "service",
                "contact",
                "routine_version",
                "stay",
                "task",
                "outbox",
                "unit",
                "deviation",
                "control_document",
                "finding",
                "finding_step",
                "stay_import"
            ]
        );
        let outcomes: Vec<&str> = AuditOutcome::ALL.iter().map(|o| o.as_str()).collect();
        assert_eq!(outcomes, ["ok", "refused", "failed"]);
    }
}
