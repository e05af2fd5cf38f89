//! Who may do what: the access policy, in one place. Every server function and route asks
//! [`permits`] first and returns on refusal; queries are scoped by district as well, so that a
//! forgotten check cannot leak another district's rows.

use super::{DistrictId, ParseError, ServiceKind};
use serde::{Deserialize, Serialize};

super::id_newtype!(
    /// Primary key of a user account.
    UserId
);

/// A user's role. Stored as text (see the CHECK constraint in the migrations).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// Crisis center staff: create and run plans for their residents; see all of them.
    CrisisCenter,
    /// A caseworker of one unit (district + service): sees and updates that unit's tasks.
    Caseworker,
    /// Municipal reviewer (kommunal kontrollør): aggregate compliance only, never personal data.
    Reviewer,
    /// Administrator: users, districts, services, contacts, routines; reads the access log.
    Admin,
    /// District manager (bydelsledelse): bound to one district, not to one of its services;
    /// answers for the district's internal control. Records its own district's internal-control
    /// documents and reads its own district's compliance figures; no personal data.
    DistrictManager,
}

impl Role {
    pub const ALL: [Role; 5] = [
        Role::CrisisCenter,
        Role::Caseworker,
        Role::DistrictManager,
        Role::Reviewer,
        Role::Admin,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Role::CrisisCenter => "crisis_center",
            Role::Caseworker => "caseworker",
            Role::Reviewer => "reviewer",
            Role::Admin => "admin",
            Role::DistrictManager => "district_manager",
        }
    }

    pub fn parse(raw: &str) -> Result<Self, ParseError> {
        Role::ALL
            .into_iter()
            .find(|r| r.as_str() == raw)
            .ok_or(ParseError::Role)
    }

    /// Whether this role must use a second factor (unless the operator turned that off).
    pub fn requires_second_factor(self) -> bool {
        matches!(self, Role::CrisisCenter | Role::Admin)
    }
}

/// The shortest and longest password the portal accepts. Length is what makes a password strong;
/// no composition rules (NIST SP 800-63B).
pub const PASSWORD_LENGTH: std::ops::RangeInclusive<usize> = 12..=1024;

/// Checks a new password against [`PASSWORD_LENGTH`] (counted in characters).
pub fn check_new_password(password: &str) -> Result<(), ParseError> {
    if PASSWORD_LENGTH.contains(&password.chars().count()) {
        Ok(())
    } else {
        Err(ParseError::Password)
    }
}

/// Failed sign-ins (password, code, or the current password when changing it) an account may
/// have before it waits between attempts.
pub const FREE_FAILURES: i64 = 3;
/// The longest wait between attempts, however many failures.
pub const MAX_SIGN_IN_DELAY_SECONDS: i64 = 15 * 60;
/// Failures older than this no longer count (nor do those before the last successful sign-in).
pub const FAILURE_MEMORY_HOURS: i64 = 24;

/// How long an account waits after its latest failure before the next attempt is looked at:
/// nothing for the first [`FREE_FAILURES`], then 2, 4, 8 ... seconds, at most
/// [`MAX_SIGN_IN_DELAY_SECONDS`]. A delay, never a lockout: the right password from a known
/// device is not held back at all (see `server::device`), and attempts refused during the wait do
/// not make it longer.
pub fn sign_in_delay_seconds(failures: i64) -> i64 {
    if failures <= FREE_FAILURES {
        return 0;
    }
    let doublings = (failures - FREE_FAILURES).min(20) as u32;
    (1i64 << doublings).min(MAX_SIGN_IN_DELAY_SECONDS)
}

/// Checks a person's display name: 1 to 200 visible characters, one line, no control or
/// invisible characters (see [`super::input`]). Returns it as stored (NFC, trimmed).
pub fn check_person_name(name: &str) -> Result<String, ParseError> {
    super::input::required(name, 200, super::input::Lines::One).map_err(|_| ParseError::Name)
}

/// A caseworker must have a unit with a standard service and a district manager a district;
/// no other role may have either.
pub fn fits_role(role: Role, unit: Option<Unit>, manages: Option<DistrictId>) -> bool {
    match (role, unit, manages) {
        (Role::Caseworker, Some(unit), None) => unit.service != ServiceKind::Other,
        (Role::DistrictManager, None, Some(_)) => true,
        (Role::Caseworker | Role::DistrictManager, _, _) => false,
        (_, unit, manages) => unit.is_none() && manages.is_none(),
    }
}

/// Whether the actor may edit the contacts of at least one unit (administrators: all units; a
/// caseworker: their own). The first, coarse check of the contact-editing server functions.
pub fn may_edit_some_contacts(actor: &Actor) -> bool {
    let target = actor.unit.map_or(Target::Global, Target::Unit);
    permits(Some(actor), Action::EditContacts, target)
}

/// Reads a role and where it belongs from a form: the district id (empty: none) and the service
/// kind (empty: none). A caseworker must have both (its unit), a district manager the district
/// (its service is ignored), the other roles neither (both are ignored). Returns the role, the
/// caseworker's unit and the manager's district.
pub fn parse_role_and_unit(
    role: &str,
    district: &str,
    service: &str,
) -> Result<(Role, Option<Unit>, Option<DistrictId>), &'static str> {
    let role = Role::parse(role).map_err(|_| "role")?;
    let district = match district.trim() {
        "" => None,
        d => Some(DistrictId(d.parse().map_err(|_| "district")?)),
    };
    let (unit, manages) = match role {
        Role::Caseworker => {
            let unit = match (district, service.trim()) {
                (None, "") => None,
                (Some(district), s) if !s.is_empty() => Some(Unit {
                    district,
                    service: ServiceKind::parse(s).map_err(|_| "service")?,
                }),
                _ => return Err("unit"),
            };
            (unit, None)
        }
        Role::DistrictManager => (None, district),
        _ => (None, None),
    };
    if fits_role(role, unit, manages) {
        Ok((role, unit, manages))
    } else {
        Err("unit")
    }
}

/// A caseworker's unit: one district's NAV office, child welfare service or violence coordinator.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Unit {
    pub district: DistrictId,
    pub service: ServiceKind,
}

/// Whose inbox a task sits in: one unit's, or the crisis center's own.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Inbox {
    CrisisCenter,
    Unit(Unit),
}

impl Inbox {
    /// The inbox of a task with this unit (`None`: a crisis center task).
    pub fn of(unit: Option<Unit>) -> Inbox {
        unit.map_or(Inbox::CrisisCenter, Inbox::Unit)
    }

    /// The unit, for a unit's inbox.
    pub fn unit(self) -> Option<Unit> {
        match self {
            Inbox::CrisisCenter => None,
            Inbox::Unit(unit) => Some(unit),
        }
    }

    /// The district of a unit's inbox.
    pub fn district(self) -> Option<DistrictId> {
        self.unit().map(|u| u.district)
    }
}

/// A user as the administration pages show it. No password hash, no second-factor secret.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct UserSummary {
    pub id: UserId,
    pub email: super::EmailAddress,
    pub name: String,
    pub role: Role,
    pub unit: Option<Unit>,
    /// A district manager's district.
    pub manages: Option<DistrictId>,
    pub active: bool,
    pub must_change_password: bool,
    pub has_second_factor: bool,
}

/// The signed-in person a request acts for.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Actor {
    pub user: UserId,
    pub role: Role,
    /// Set for caseworkers (and only for them).
    pub unit: Option<Unit>,
    /// Set for district managers (and only for them): the district whose management they are.
    #[serde(default)]
    pub manages: Option<DistrictId>,
}

impl Actor {
    /// The district the user belongs to: a caseworker's unit's, or the district a manager
    /// manages. `None` for the roles that are not bound to one.
    pub fn district(&self) -> Option<DistrictId> {
        self.unit.map(|u| u.district).or(self.manages)
    }
}

/// Everything a request can ask to do. New capabilities add a variant here and a line in
/// [`permits`]; the authorization matrix test covers every variant.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Action {
    /// Read the districts and their services (names, shared inboxes and phone numbers).
    ReadDirectory,
    /// Read the named contact people of the services (employees' work contacts): everyone who
    /// works with residents, not the reviewer, who sees aggregates only.
    ReadContacts,
    /// Add or change districts and services.
    EditDirectory,
    /// Add, change or remove contact people of a unit: administrators for every unit, a
    /// caseworker for their own unit.
    EditContacts,
    /// Create, change, deactivate users; reset passwords and second factors.
    ManageUsers,
    /// Read the access log.
    ReadAccessLog,
    /// Read aggregate compliance figures per district (no personal data).
    ReadCompliance,
    /// Register residents' stays and run their plans (intake, child welfare report, exit
    /// meeting, move-out, linking earlier stays); read every plan. Crisis center staff only.
    ManagePlans,
    /// Read and update the tasks of a unit's inbox (`Target::Unit`): the caseworkers of that
    /// unit. `Target::Global` stands for the crisis center's own tasks: crisis center staff.
    WorkTasks,
    /// Publish a new routine version (deadline rules). Administrators.
    ManageRoutines,
    /// See the outbox and put failed messages back in the queue. Administrators.
    ManageNotifications,
    /// Open deviations from tasks, read them with their free text, handle, close and reopen
    /// them: a caseworker for their own district (`Target::District`), crisis center staff for
    /// every one. Reviewers see deviations as rows without free text (`ReadCompliance`).
    WorkDeviations,
    /// Read the districts' internal-control documents (status, dates, links; no personal
    /// data): every district's for reviewers and administrators (`Target::Global`), one
    /// district's (`Target::District`) also for the caseworkers and the manager of that
    /// district.
    ReadInternalControl,
    /// Read one district's compliance report, its figures beside the municipality's
    /// (`Target::District`): those who read every district's figures, and the district's
    /// manager. Not its caseworkers, who see their district's deadlines on its board.
    ReadDistrictReport,
    /// Record a district's internal-control documents (`Target::District`): administrators for
    /// every district, a district manager for their own.
    EditInternalControl,
    /// Record audit findings for a district and close them (`Target::District`): reviewers
    /// and administrators, for every district. The district plans the closure steps
    /// (`EditInternalControl`) and its units mark theirs done (`WorkTasks`).
    RecordFindings,
    /// Read the crisis center's yearly statistics (counts from the stays, not suppressed): crisis
    /// center staff and administrators.
    ReadStatistics,
    /// Import past stays from the crisis center's file (for the statistics): administrators.
    ImportStays,
}

impl Action {
    pub const ALL: [Action; 18] = [
        Action::ReadDirectory,
        Action::ReadContacts,
        Action::EditDirectory,
        Action::EditContacts,
        Action::ManageUsers,
        Action::ReadAccessLog,
        Action::ReadCompliance,
        Action::ManagePlans,
        Action::WorkTasks,
        Action::ManageRoutines,
        Action::ManageNotifications,
        Action::WorkDeviations,
        Action::ReadInternalControl,
        Action::ReadDistrictReport,
        Action::EditInternalControl,
        Action::RecordFindings,
        Action::ReadStatistics,
        Action::ImportStays,
    ];
}

/// What an action touches: nothing district-specific, one district's data, or one unit's.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Target {
    Global,
    District(DistrictId),
    /// A district's service of a kind (for `Other` services: any of the district's others).
    Unit(Unit),
}

/// The policy: may `actor` do `action` on `target`? Anonymous requests may do nothing.
pub fn permits(actor: Option<&Actor>, action: Action, target: Target) -> bool {
    let Some(actor) = actor else { return false };
    match (action, actor.role) {
        (Action::ReadDirectory, _) => true,
        (Action::ReadContacts, role) => role != Role::Reviewer,
        (Action::EditContacts, Role::Admin) => true,
        (Action::EditContacts, Role::Caseworker) => match target {
            Target::Unit(unit) => actor.unit == Some(unit),
            Target::Global | Target::District(_) => false,
        },
        (Action::EditContacts, _) => false,
        (
            Action::EditDirectory
            | Action::ManageUsers
            | Action::ReadAccessLog
            | Action::ManageRoutines
            | Action::ManageNotifications,
            role,
        ) => role == Role::Admin,
        (Action::ReadCompliance, Role::Reviewer | Role::Admin | Role::CrisisCenter) => true,
        (Action::ReadCompliance, Role::Caseworker | Role::DistrictManager) => {
            match (target, actor.district()) {
                (Target::District(d), Some(own)) => d == own,
                (Target::Unit(u), Some(own)) => u.district == own,
                _ => false,
            }
        }
        (Action::ManagePlans, role) => role == Role::CrisisCenter,
        (Action::WorkTasks, Role::Caseworker) => match target {
            Target::Unit(unit) => actor.unit == Some(unit),
            Target::Global | Target::District(_) => false,
        },
        (Action::WorkTasks, Role::CrisisCenter) => target == Target::Global,
        (Action::WorkTasks, _) => false,
        (Action::WorkDeviations, Role::CrisisCenter) => true,
        (Action::WorkDeviations, Role::Caseworker) => match (target, actor.unit) {
            (Target::District(d), Some(unit)) => d == unit.district,
            _ => false,
        },
        (Action::WorkDeviations, _) => false,
        (Action::ReadInternalControl, Role::Reviewer | Role::Admin) => true,
        (Action::ReadInternalControl, Role::Caseworker | Role::DistrictManager) => {
            matches!((target, actor.district()), (Target::District(d), Some(own)) if d == own)
        }
        (Action::ReadInternalControl, Role::CrisisCenter) => false,
        (Action::ReadDistrictReport, Role::Reviewer | Role::Admin | Role::CrisisCenter) => true,
        (Action::ReadDistrictReport, Role::DistrictManager) => {
            matches!((target, actor.district()), (Target::District(d), Some(own)) if d == own)
        }
        (Action::ReadDistrictReport, Role::Caseworker) => false,
        (Action::EditInternalControl, Role::Admin) => true,
        (Action::EditInternalControl, Role::DistrictManager) => {
            matches!((target, actor.district()), (Target::District(d), Some(own)) if d == own)
        }
        (Action::EditInternalControl, _) => false,
        (Action::RecordFindings, role) => matches!(role, Role::Reviewer | Role::Admin),
        (Action::ReadStatistics, role) => matches!(role, Role::CrisisCenter | Role::Admin),
        (Action::ImportStays, role) => role == Role::Admin,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_sign_in_delay_grows_with_failures_and_is_capped() {
        assert_eq!(
            (0..=FREE_FAILURES).map(sign_in_delay_seconds).max(),
            Some(0)
        );
        assert_eq!(sign_in_delay_seconds(4), 2);
        assert_eq!(sign_in_delay_seconds(5), 4);
        assert_eq!(sign_in_delay_seconds(12), 512);
        assert_eq!(sign_in_delay_seconds(13), MAX_SIGN_IN_DELAY_SECONDS);
        assert_eq!(sign_in_delay_seconds(10_000), MAX_SIGN_IN_DELAY_SECONDS);
        for n in 0..100 {
            assert!(sign_in_delay_seconds(n + 1) >= sign_in_delay_seconds(n));
        }
    }

    fn actor(role: Role, district: Option<i64>) -> Actor {
        Actor {
            user: UserId(1),
            role,
            unit: district.map(|d| Unit {
                district: DistrictId(d),
                service: ServiceKind::Nav,
            }),
            manages: None,
        }
    }

    #[test]
    fn anonymous_requests_are_refused_everything() {
        for action in Action::ALL {
            for target in [Target::Global, Target::District(DistrictId(1))] {
                assert!(!permits(None, action, target), "{action:?}");
            }
        }
    }

    #[test]
    fn only_administrators_manage_users_directory_routines_and_the_access_log() {
        for role in Role::ALL {
            let a = actor(role, (role == Role::Caseworker).then_some(1));
            for action in [
                Action::EditDirectory,
                Action::ManageUsers,
                Action::ReadAccessLog,
                Action::ManageRoutines,
                Action::ManageNotifications,
            ] {
                assert_eq!(
                    permits(Some(&a), action, Target::Global),
                    role == Role::Admin,
                    "{role:?} {action:?}"
                );
            }
        }
    }

    #[test]
    fn deviations_are_worked_by_their_district_and_the_crisis_center() {
        let alna = actor(Role::Caseworker, Some(12));
        let d = |id| Target::District(DistrictId(id));
        assert!(permits(Some(&alna), Action::WorkDeviations, d(12)));
        assert!(!permits(Some(&alna), Action::WorkDeviations, d(5)));
        assert!(!permits(
            Some(&alna),
            Action::WorkDeviations,
            Target::Global
        ));
        let center = actor(Role::CrisisCenter, None);
        assert!(permits(
            Some(&center),
            Action::WorkDeviations,
            Target::Global
        ));
        assert!(permits(Some(&center), Action::WorkDeviations, d(5)));
        for role in [Role::Reviewer, Role::Admin] {
            for target in [Target::Global, d(12)] {
                assert!(!permits(
                    Some(&actor(role, None)),
                    Action::WorkDeviations,
                    target
                ));
            }
        }
    }

    #[test]
    fn a_caseworker_sees_compliance_of_their_own_district_only() {
        let alna = actor(Role::Caseworker, Some(12));
        assert!(permits(
            Some(&alna),
            Action::ReadCompliance,
            Target::District(DistrictId(12))
        ));
        assert!(!permits(
            Some(&alna),
            Action::ReadCompliance,
            Target::District(DistrictId(5))
        ));
        assert!(!permits(
            Some(&alna),
            Action::ReadCompliance,
            Target::Global
        ));
    }

    #[test]
    fn a_caseworker_edits_the_contacts_of_their_own_unit_only() {
        let alna_nav = actor(Role::Caseworker, Some(12));
        let unit = |district, service| {
            Target::Unit(Unit {
                district: DistrictId(district),
                service,
            })
        };
        assert!(permits(
            Some(&alna_nav),
            Action::EditContacts,
            unit(12, ServiceKind::Nav)
        ));
        for other in [
            unit(12, ServiceKind::ChildWelfare),
            unit(5, ServiceKind::Nav),
            Target::District(DistrictId(12)),
            Target::Global,
        ] {
            assert!(
                !permits(Some(&alna_nav), Action::EditContacts, other),
                "{other:?}"
            );
        }
        let admin = actor(Role::Admin, None);
        assert!(permits(
            Some(&admin),
            Action::EditContacts,
            unit(5, ServiceKind::Other)
        ));
        for role in [Role::CrisisCenter, Role::Reviewer] {
            assert!(!permits(
                Some(&actor(role, None)),
                Action::EditContacts,
                unit(5, ServiceKind::Nav)
            ));
        }
    }

    #[test]
    fn plans_are_the_crisis_centers_and_a_units_tasks_its_caseworkers() {
        let alna_nav = actor(Role::Caseworker, Some(12));
        let unit = |district, service| {
            Target::Unit(Unit {
                district: DistrictId(district),
                service,
            })
        };
        for role in Role::ALL {
            let a = actor(role, (role == Role::Caseworker).then_some(12));
            assert_eq!(
                permits(Some(&a), Action::ManagePlans, Target::Global),
                role == Role::CrisisCenter,
                "{role:?}"
            );
            assert_eq!(
                permits(Some(&a), Action::WorkTasks, Target::Global),
                role == Role::CrisisCenter,
                "{role:?}: the crisis center's own tasks"
            );
        }
        assert!(permits(
            Some(&alna_nav),
            Action::WorkTasks,
            unit(12, ServiceKind::Nav)
        ));
        for other in [
            unit(12, ServiceKind::ChildWelfare),
            unit(5, ServiceKind::Nav),
        ] {
            assert!(
                !permits(Some(&alna_nav), Action::WorkTasks, other),
                "{other:?}"
            );
        }
        for role in [Role::CrisisCenter, Role::Reviewer, Role::Admin] {
            assert!(!permits(
                Some(&actor(role, None)),
                Action::WorkTasks,
                unit(12, ServiceKind::Nav)
            ));
        }
    }

    #[test]
    fn the_reviewer_reads_no_contact_people() {
        for role in Role::ALL {
            let a = actor(role, (role == Role::Caseworker).then_some(1));
            assert_eq!(
                permits(Some(&a), Action::ReadContacts, Target::Global),
                role != Role::Reviewer
            );
            assert!(permits(Some(&a), Action::ReadDirectory, Target::Global));
        }
    }

    #[test]
    fn passwords_need_twelve_characters_and_no_more_than_1024() {
        assert!(check_new_password("elleve tegn").is_err());
        assert!(check_new_password("tolv tegn ok").is_ok());
        assert!(
            check_new_password("æøåæøåæøåæøå").is_ok(),
            "counted in characters, not bytes"
        );
        assert!(check_new_password(&"x".repeat(1025)).is_err());
    }

    #[test]
    fn only_caseworkers_have_a_unit_and_only_district_managers_a_district() {
        let unit = |service| {
            Some(Unit {
                district: DistrictId(1),
                service,
            })
        };
        let alna = Some(DistrictId(1));
        assert!(fits_role(
            Role::Caseworker,
            unit(ServiceKind::ChildWelfare),
            None
        ));
        assert!(!fits_role(Role::Caseworker, None, None));
        assert!(!fits_role(Role::Caseworker, None, alna));
        assert!(!fits_role(Role::Caseworker, unit(ServiceKind::Other), None));
        assert!(!fits_role(Role::Admin, unit(ServiceKind::Nav), None));
        assert!(!fits_role(Role::Admin, None, alna));
        assert!(fits_role(Role::Reviewer, None, None));
        assert!(fits_role(Role::DistrictManager, None, alna));
        assert!(!fits_role(Role::DistrictManager, None, None));
        assert!(!fits_role(
            Role::DistrictManager,
            unit(ServiceKind::Nav),
            None
        ));
    }

    #[test]
    fn a_form_gives_a_caseworker_a_unit_a_manager_a_district_and_other_roles_neither() {
        assert_eq!(
            parse_role_and_unit("caseworker", "12", "nav"),
            Ok((
                Role::Caseworker,
                Some(Unit {
                    district: DistrictId(12),
                    service: ServiceKind::Nav
                }),
                None
            ))
        );
        assert_eq!(parse_role_and_unit("caseworker", "", ""), Err("unit"));
        assert_eq!(parse_role_and_unit("caseworker", "12", ""), Err("unit"));
        assert_eq!(
            parse_role_and_unit("caseworker", "12", "other"),
            Err("unit")
        );
        assert_eq!(
            parse_role_and_unit("caseworker", "x", "nav"),
            Err("district")
        );
        assert_eq!(
            parse_role_and_unit("reviewer", "12", "nav"),
            Ok((Role::Reviewer, None, None))
        );
        assert_eq!(
            parse_role_and_unit("district_manager", "12", "nav"),
            Ok((Role::DistrictManager, None, Some(DistrictId(12))))
        );
        assert_eq!(parse_role_and_unit("district_manager", "", ""), Err("unit"));
        assert_eq!(parse_role_and_unit("root", "", ""), Err("role"));
    }

    #[test]
    fn a_district_manager_edits_and_reads_its_own_districts_internal_control_only() {
        let manager = Actor {
            user: UserId(1),
            role: Role::DistrictManager,
            unit: None,
            manages: Some(DistrictId(1)),
        };
        let (own, other) = (
            Target::District(DistrictId(1)),
            Target::District(DistrictId(2)),
        );
        for action in [
            Action::EditInternalControl,
            Action::ReadInternalControl,
            Action::ReadCompliance,
        ] {
            assert!(permits(Some(&manager), action, own), "{action:?}");
            assert!(!permits(Some(&manager), action, other), "{action:?}");
            assert!(
                !permits(Some(&manager), action, Target::Global),
                "{action:?}"
            );
        }
        for action in [
            Action::ManagePlans,
            Action::WorkDeviations,
            Action::EditContacts,
            Action::ManageUsers,
        ] {
            assert!(!permits(Some(&manager), action, own), "{action:?}");
        }
        // A caseworker reads its district's documents but edits none of them.
        let caseworker = actor(Role::Caseworker, Some(1));
        assert!(permits(Some(&caseworker), Action::ReadInternalControl, own));
        assert!(!permits(
            Some(&caseworker),
            Action::EditInternalControl,
            own
        ));
    }

    #[test]
    fn roles_round_trip_through_their_stored_form() {
        for role in Role::ALL {
            assert_eq!(Role::parse(role.as_str()), Ok(role));
        }
        assert!(Role::parse("root").is_err());
    }
}
