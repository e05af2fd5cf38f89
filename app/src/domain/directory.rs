//! The districts' service directory: districts (bydeler), their services (NAV-kontor,
//! barneverntjeneste, voldskoordinator, and others a district adds) and the services' contact
//! people. Value types parse at the edge; view types are what pages and server functions carry.

use serde::{Deserialize, Serialize};
use std::fmt;

super::id_newtype!(
    /// Primary key of a district.
    DistrictId
);
super::id_newtype!(
    /// Primary key of a service within a district.
    ServiceId
);
super::id_newtype!(
    /// Primary key of a contact person.
    ContactId
);

/// Conversions to and from `String` for a parse-at-the-edge value type, so that serde (and
/// anything else holding a `String`) must go through its `parse`.
macro_rules! string_value_type {
    ($name:ident) => {
        impl TryFrom<String> for $name {
            type Error = ParseError;
            fn try_from(value: String) -> Result<Self, Self::Error> {
                $name::parse(&value)
            }
        }

        impl From<$name> for String {
            fn from(value: $name) -> Self {
                value.0
            }
        }
    };
}

/// The URL name of a district, e.g. `sondre-nordstrand`: lower-case ASCII letters, digits and
/// single hyphens, 1 to 64 characters.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct DistrictSlug(String);

impl DistrictSlug {
    pub fn parse(raw: &str) -> Result<Self, ParseError> {
        let ok = (1..=64).contains(&raw.len())
            && raw
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
            && !raw.starts_with('-')
            && !raw.ends_with('-')
            && !raw.contains("--");
        if ok {
            Ok(DistrictSlug(raw.to_owned()))
        } else {
            Err(ParseError::Slug)
        }
    }

    /// Derives a slug from a district name: "Søndre Nordstrand" -> "sondre-nordstrand".
    pub fn from_name(name: &str) -> Result<Self, ParseError> {
        let mut slug = String::with_capacity(name.len());
        for c in name.chars().flat_map(char::to_lowercase) {
            let mapped: &str = match c {
                'æ' => "ae",
                'ø' => "o",
                'å' => "a",
                'ü' => "u",
                'é' | 'è' => "e",
                c if c.is_ascii_alphanumeric() => {
                    slug.push(c);
                    continue;
                }
                _ => "-",
            };
            slug.push_str(mapped);
        }
        let collapsed = slug
            .split('-')
            .filter(|p| !p.is_empty())
            .collect::<Vec<_>>()
            .join("-");
        DistrictSlug::parse(&collapsed)
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

string_value_type!(DistrictSlug);
string_value_type!(EmailAddress);
string_value_type!(PhoneNumber);

impl fmt::Display for DistrictSlug {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// Why a value did not parse. Never carries the rejected input (it may be personal data).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum ParseError {
    Slug,
    Email,
    Phone,
    ServiceKind,
    ContactRole,
    Name,
    Role,
    Password,
}

impl fmt::Display for ParseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let what = match self {
            ParseError::Slug => "district slug",
            ParseError::Email => "e-mail address",
            ParseError::Phone => "phone number",
            ParseError::ServiceKind => "service kind",
            ParseError::ContactRole => "contact role",
            ParseError::Name => "name",
            ParseError::Role => "role",
            ParseError::Password => "password",
        };
        write!(f, "invalid {what}")
    }
}

impl std::error::Error for ParseError {}

/// The kind of a district service. The first three exist in every district; `Other` covers what a
/// district adds (e.g. a housing office).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ServiceKind {
    Nav,
    ChildWelfare,
    ViolenceCoordinator,
    Other,
}

impl ServiceKind {
    /// The services every district has, in display order.
    pub const STANDARD: [ServiceKind; 3] = [
        ServiceKind::Nav,
        ServiceKind::ChildWelfare,
        ServiceKind::ViolenceCoordinator,
    ];

    /// The value stored in the database (see the CHECK constraint in the migrations).
    pub fn as_str(self) -> &'static str {
        match self {
            ServiceKind::Nav => "nav",
            ServiceKind::ChildWelfare => "child_welfare",
            ServiceKind::ViolenceCoordinator => "violence_coordinator",
            ServiceKind::Other => "other",
        }
    }

    pub fn parse(raw: &str) -> Result<Self, ParseError> {
        match raw {
            "nav" => Ok(ServiceKind::Nav),
            "child_welfare" => Ok(ServiceKind::ChildWelfare),
            "violence_coordinator" => Ok(ServiceKind::ViolenceCoordinator),
            "other" => Ok(ServiceKind::Other),
            _ => Err(ParseError::ServiceKind),
        }
    }
}

/// A contact person's role in their service.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ContactRole {
    Leader,
    Caseworker,
    Other,
}

impl ContactRole {
    pub fn as_str(self) -> &'static str {
        match self {
            ContactRole::Leader => "leader",
            ContactRole::Caseworker => "caseworker",
            ContactRole::Other => "other",
        }
    }

    pub fn parse(raw: &str) -> Result<Self, ParseError> {
        match raw {
            "leader" => Ok(ContactRole::Leader),
            "caseworker" => Ok(ContactRole::Caseworker),
            "other" => Ok(ContactRole::Other),
            _ => Err(ParseError::ContactRole),
        }
    }
}

/// A work e-mail address: one `@`, a non-empty local part, a domain with a dot, no spaces or
/// angle brackets, at most 254 characters. Stored trimmed and with the domain in lower case.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct EmailAddress(String);

impl EmailAddress {
    pub fn parse(raw: &str) -> Result<Self, ParseError> {
        let raw = raw.trim();
        let (local, domain) = raw.split_once('@').ok_or(ParseError::Email)?;
        let bad_char =
            |c: char| c.is_whitespace() || c.is_control() || "<>()[],;:\\\"@".contains(c);
        let domain_ok = domain.contains('.')
            && !domain.starts_with('.')
            && !domain.ends_with('.')
            && !domain.contains("..")
            && domain
                .chars()
                .all(|c| c.is_alphanumeric() || c == '-' || c == '.');
        if raw.len() > 254 || local.is_empty() || local.chars().any(bad_char) || !domain_ok {
            return Err(ParseError::Email);
        }
        Ok(EmailAddress(format!("{local}@{}", domain.to_lowercase())))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A phone number as people write them in Norway: digits with optional spaces, an optional
/// leading `+` country code; 8 to 15 digits. Stored with single spaces as given.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct PhoneNumber(String);

impl PhoneNumber {
    pub fn parse(raw: &str) -> Result<Self, ParseError> {
        let raw = raw.split_whitespace().collect::<Vec<_>>().join(" ");
        let body = raw.strip_prefix('+').unwrap_or(&raw);
        let digits = body.chars().filter(char::is_ascii_digit).count();
        if body.chars().all(|c| c.is_ascii_digit() || c == ' ') && (8..=15).contains(&digits) {
            Ok(PhoneNumber(raw))
        } else {
            Err(ParseError::Phone)
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The number for a `tel:` link: digits and the leading `+` only.
    pub fn tel_uri(&self) -> String {
        let compact: String = self.0.chars().filter(|c| *c != ' ').collect();
        format!("tel:{compact}")
    }
}

/// A district in the list of districts.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DistrictSummary {
    pub id: DistrictId,
    pub slug: DistrictSlug,
    pub name: String,
    pub service_count: u32,
    pub contact_count: u32,
}

/// A contact person as shown on a district page. Work contact data only.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ContactView {
    pub id: ContactId,
    pub name: String,
    pub role: ContactRole,
    pub email: EmailAddress,
    pub phone: Option<PhoneNumber>,
}

/// A service of a district with its contact people.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ServiceView {
    pub id: ServiceId,
    pub kind: ServiceKind,
    pub name: String,
    pub email: Option<EmailAddress>,
    pub phone: Option<PhoneNumber>,
    pub contacts: Vec<ContactView>,
    /// The viewer may add and remove this service's contact people.
    #[serde(default)]
    pub editable: bool,
}

/// A district page: the district and its services, standard services first.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DistrictDetail {
    pub id: DistrictId,
    pub slug: DistrictSlug,
    pub name: String,
    pub services: Vec<ServiceView>,
}

/// Where a service sits: its district and kind (what the access policy needs to know).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ServicePlace {
    pub service: ServiceId,
    pub district: DistrictId,
    pub slug: DistrictSlug,
    pub kind: ServiceKind,
}

impl ServicePlace {
    /// The unit the service is, for the policy (an `Other` service is its district's "other").
    pub fn unit(&self) -> super::Unit {
        super::Unit {
            district: self.district,
            service: self.kind,
        }
    }
}

/// A new contact person, parsed from a form.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewContact {
    pub name: String,
    pub role: ContactRole,
    pub email: EmailAddress,
    pub phone: Option<PhoneNumber>,
}

impl NewContact {
    /// Parses the form's fields; the error names the field that is wrong.
    pub fn parse(
        name: &str,
        role: &str,
        email: &str,
        phone: &str,
    ) -> Result<NewContact, &'static str> {
        let name = super::check_person_name(name).map_err(|_| "name")?;
        let role = ContactRole::parse(role).map_err(|_| "role")?;
        let email = EmailAddress::parse(email).map_err(|_| "email")?;
        let phone = match phone.trim() {
            "" => None,
            p => Some(PhoneNumber::parse(p).map_err(|_| "phone")?),
        };
        Ok(NewContact {
            name,
            role,
            email,
            phone,
        })
    }
}

/// A district's name: 1 to 100 visible characters on one line (see [`super::input`]), and one
/// that gives a slug.
pub fn check_district_name(name: &str) -> Result<(String, DistrictSlug), ParseError> {
    let name = super::input::required(name, 100, super::input::Lines::One)
        .map_err(|_| ParseError::Name)?;
    let slug = DistrictSlug::from_name(&name)?;
    Ok((name, slug))
}

/// A service's name and shared channels, parsed from a form.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ServiceInput {
    pub name: String,
    pub email: Option<EmailAddress>,
    pub phone: Option<PhoneNumber>,
}

impl ServiceInput {
    /// Parses the form's fields (e-mail and phone may be empty); the error names the field.
    pub fn parse(name: &str, email: &str, phone: &str) -> Result<ServiceInput, &'static str> {
        let name =
            super::input::required(name, 200, super::input::Lines::One).map_err(|_| "name")?;
        let email = match email.trim() {
            "" => None,
            e => Some(EmailAddress::parse(e).map_err(|_| "email")?),
        };
        let phone = match phone.trim() {
            "" => None,
            p => Some(PhoneNumber::parse(p).map_err(|_| "phone")?),
        };
        Ok(ServiceInput { name, email, phone })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_are_derived_from_oslo_district_names() {
        let cases = [
            ("Gamle Oslo", "gamle-oslo"),
            ("Grünerløkka", "grunerlokka"),
            ("St. Hanshaugen", "st-hanshaugen"),
            ("Østensjø", "ostensjo"),
            ("Søndre Nordstrand", "sondre-nordstrand"),
        ];
        for (name, slug) in cases {
            assert_eq!(
                DistrictSlug::from_name(name).unwrap().as_str(),
                slug,
                "{name}"
            );
        }
    }

    #[test]
    fn slugs_reject_anything_outside_lower_case_ascii_and_single_hyphens() {
        for bad in [
            "", "Alna", "al na", "-alna", "alna-", "al--na", "../etc", "alnå",
        ] {
            assert_eq!(DistrictSlug::parse(bad), Err(ParseError::Slug), "{bad:?}");
        }
        assert!(DistrictSlug::parse(&"a".repeat(65)).is_err());
        assert!(DistrictSlug::parse("bydel-1").is_ok());
    }

    #[test]
    fn email_addresses_parse_at_the_edge() {
        assert_eq!(
            EmailAddress::parse("  Kari.Nordmann@Alna.Example.ORG ")
                .unwrap()
                .as_str(),
            "Kari.Nordmann@alna.example.org"
        );
        for bad in [
            "",
            "kari",
            "kari@",
            "@example.org",
            "kari@example",
            "kari nord@example.org",
            "kari@exa mple.org",
            "a@b@example.org",
            "kari@.example.org",
            "kari@example..org",
            "<kari@example.org>",
        ] {
            assert_eq!(EmailAddress::parse(bad), Err(ParseError::Email), "{bad:?}");
        }
    }

    #[test]
    fn phone_numbers_accept_norwegian_forms_and_reject_letters() {
        assert_eq!(
            PhoneNumber::parse("+47 21 80 21 80").unwrap().tel_uri(),
            "tel:+4721802180"
        );
        assert!(PhoneNumber::parse("21802180").is_ok());
        for bad in [
            "",
            "1234567",
            "21-80-21-80",
            "call me",
            "+47 21 80 21 8x",
            "++4721802180",
        ] {
            assert_eq!(PhoneNumber::parse(bad), Err(ParseError::Phone), "{bad:?}");
        }
    }

    #[test]
    fn enums_round_trip_through_their_stored_form() {
        for kind in [
            ServiceKind::Nav,
            ServiceKind::ChildWelfare,
            ServiceKind::ViolenceCoordinator,
            ServiceKind::Other,
        ] {
            assert_eq!(ServiceKind::parse(kind.as_str()), Ok(kind));
        }
        for role in [
            ContactRole::Leader,
            ContactRole::Caseworker,
            ContactRole::Other,
        ] {
            assert_eq!(ContactRole::parse(role.as_str()), Ok(role));
        }
        assert!(ServiceKind::parse("NAV").is_err());
    }
}
