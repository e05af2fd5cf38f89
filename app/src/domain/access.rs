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
}

impl Role {
    pub const ALL: [Role; 4] = [
        Role::CrisisCenter,
        Role::Caseworker,
        Role::Reviewer,
        Role::Admin,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Role::CrisisCenter => "crisis_center",
            Role::Caseworker => "caseworker",
            Role::Reviewer => "reviewer",
            Role::Admin => "admin",
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

/// Checks a person's display name: 1 to 200 characters after trimming. Returns it trimmed.
pub fn check_person_name(name: &str) -> Result<&str, ParseError> {
    let name = name.trim();
    if (1..=200).contains(&name.chars().count()) {
        Ok(name)
    } else {
        Err(ParseError::Name)
    }
}

/// A caseworker must have a unit with a standard service; no other role may have one.
pub fn unit_fits_role(role: Role, unit: Option<Unit>) -> bool {
    match (role, unit) {
        (Role::Caseworker, Some(unit)) => unit.service != ServiceKind::Other,
        (Role::Caseworker, None) => false,
        (_, unit) => unit.is_none(),
    }
}

/// A caseworker's unit: one district's NAV office, child welfare service or violence coordinator.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Unit {
    pub district: DistrictId,
    pub service: ServiceKind,
}

/// The signed-in person a request acts for.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Actor {
    pub user: UserId,
    pub role: Role,
    /// Set for caseworkers (and only for them).
    pub unit: Option<Unit>,
}

/// Everything a request can ask to do. New capabilities add a variant here and a line in
/// [`permits`]; the authorization matrix test covers every variant.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Action {
    /// Read the districts' service directory (work contacts, no resident data).
    ReadDirectory,
    /// Add or change districts, services and contact people.
    EditDirectory,
    /// Create, change, deactivate users; reset passwords and second factors.
    ManageUsers,
    /// Read the access log.
    ReadAccessLog,
    /// Read aggregate compliance figures per district (no personal data).
    ReadCompliance,
}

impl Action {
    pub const ALL: [Action; 5] = [
        Action::ReadDirectory,
        Action::EditDirectory,
        Action::ManageUsers,
        Action::ReadAccessLog,
        Action::ReadCompliance,
    ];
}

/// What an action touches: nothing district-specific, or one district's data.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Target {
    Global,
    District(DistrictId),
}

/// The policy: may `actor` do `action` on `target`? Anonymous requests may do nothing.
pub fn permits(actor: Option<&Actor>, action: Action, target: Target) -> bool {
    let Some(actor) = actor else { return false };
    match (action, actor.role) {
        (Action::ReadDirectory, _) => true,
        (Action::EditDirectory | Action::ManageUsers | Action::ReadAccessLog, Role::Admin) => true,
        (Action::EditDirectory | Action::ManageUsers | Action::ReadAccessLog, _) => false,
        (Action::ReadCompliance, Role::Reviewer | Role::Admin | Role::CrisisCenter) => true,
        (Action::ReadCompliance, Role::Caseworker) => match (target, actor.unit) {
            (Target::District(d), Some(unit)) => d == unit.district,
            _ => false,
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn actor(role: Role, district: Option<i64>) -> Actor {
        Actor {
            user: UserId(1),
            role,
            unit: district.map(|d| Unit {
                district: DistrictId(d),
                service: ServiceKind::Nav,
            }),
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
    fn only_administrators_manage_users_directory_and_the_access_log() {
        for role in Role::ALL {
            let a = actor(role, (role == Role::Caseworker).then_some(1));
            for action in [
                Action::EditDirectory,
                Action::ManageUsers,
                Action::ReadAccessLog,
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
    fn only_caseworkers_have_a_unit_and_it_is_a_standard_service() {
        let unit = |service| {
            Some(Unit {
                district: DistrictId(1),
                service,
            })
        };
        assert!(unit_fits_role(
            Role::Caseworker,
            unit(ServiceKind::ChildWelfare)
        ));
        assert!(!unit_fits_role(Role::Caseworker, None));
        assert!(!unit_fits_role(Role::Caseworker, unit(ServiceKind::Other)));
        assert!(!unit_fits_role(Role::Admin, unit(ServiceKind::Nav)));
        assert!(unit_fits_role(Role::Reviewer, None));
    }

    #[test]
    fn roles_round_trip_through_their_stored_form() {
        for role in Role::ALL {
            assert_eq!(Role::parse(role.as_str()), Ok(role));
        }
        assert!(Role::parse("root").is_err());
    }
}
